package dev.ledger.settlement;

import dev.ledger.account.AccountCode;
import java.util.Locale;

/** The standard chart of accounts of DESIGN.md section 2. */
public final class Chart {
  public static final AccountCode COMMISSION = AccountCode.parse("income:commission");
  public static final AccountCode FX_GAIN = AccountCode.parse("income:fx-gain");
  public static final AccountCode FX_LOSS = AccountCode.parse("expenses:fx-loss");

  private Chart() {}

  /** Money the provider holds for us. */
  public static AccountCode clearing(String provider) {
    return AccountCode.parse("assets:wallet:" + segment(provider) + ":clearing");
  }

  public static AccountCode fees(String provider) {
    return AccountCode.parse("expenses:fees:" + segment(provider));
  }

  public static AccountCode merchantPayable(String merchantId) {
    return AccountCode.parse("liabilities:merchant:" + segment(merchantId) + ":payable");
  }

  public static AccountCode bank(String bank, String account) {
    return AccountCode.parse("assets:bank:" + segment(bank) + ":" + segment(account));
  }

  /** FX position for a currency pair such as usd-cny. */
  public static AccountCode fx(String from, String to) {
    return AccountCode.parse("equity:fx:" + segment(from) + "-" + segment(to));
  }

  private static String segment(String value) {
    return value.toLowerCase(Locale.ROOT);
  }
}
