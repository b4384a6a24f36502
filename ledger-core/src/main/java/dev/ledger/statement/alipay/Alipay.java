package dev.ledger.statement.alipay;

import dev.ledger.account.AccountCode;
import dev.ledger.settlement.Chart;
import dev.ledger.statement.SourceProfile;
import dev.ledger.statement.SourceProfile.MatchKey;
import dev.ledger.statement.SourceProfile.SourceKind;
import java.time.ZoneId;

/** Alipay (支付宝): its accounts, zone and files. */
public final class Alipay {
  public static final String PROVIDER = "alipay";
  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  public static final AccountCode CLEARING = Chart.clearing(PROVIDER);
  public static final AccountCode FEES = Chart.fees(PROVIDER);

  /** The trade detail bill (业务明细). */
  public static final SourceProfile TRADE_BILL = new SourceProfile(SourceKind.WALLET_BILL, PROVIDER, CLEARING, FEES, ZONE,
      MatchKey.PROVIDER_IDS, 3, false, mapping -> new AlipayBillParser());

  /** The account fund flow (账务明细): every movement of the wallet balance, fees and withdrawals included. */
  public static final SourceProfile FUND_FLOW = new SourceProfile(SourceKind.WALLET_FUNDS, PROVIDER, CLEARING, FEES,
      ZONE, MatchKey.PROVIDER_IDS, 3, false, mapping -> new AlipayFundsParser());

  private Alipay() {}
}
