package dev.ledger.statement;

import dev.ledger.statement.alipay.Alipay;
import dev.ledger.statement.camt.Camt;
import dev.ledger.statement.csv.CsvMapping;
import dev.ledger.statement.csv.CsvSource;
import dev.ledger.statement.mt940.Mt940;
import dev.ledger.statement.wechatpay.WechatPay;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The built-in statement sources, by the name {@code --source} takes in {@code statement parse}
 * and {@code reconcile} alike. Each one's rules live in its own package ({@code statement.wechatpay},
 * {@code statement.alipay}, ...); this enum only names them.
 */
public enum Source {
  WECHATPAY("wechatpay", WechatPay.TRADE_BILL),
  WECHATPAY_FUNDS("wechatpay-funds", WechatPay.FUND_FLOW),
  ALIPAY("alipay", Alipay.TRADE_BILL),
  ALIPAY_FUNDS("alipay-funds", Alipay.FUND_FLOW),
  MT940("mt940", Mt940.STATEMENT),
  CAMT053("camt053", Camt.STATEMENT),
  CSV("csv", CsvSource.STATEMENT);

  private final String wireName;
  private final SourceProfile profile;

  Source(String wireName, SourceProfile profile) {
    this.wireName = wireName;
    this.profile = profile;
  }

  /** The name on the command line, in stored runs and in JSON. */
  public String wireName() {
    return wireName;
  }

  public SourceProfile profile() {
    return profile;
  }

  /** A parser for this source; {@code mapping} is required for csv and ignored otherwise. */
  public StatementParser parser(CsvMapping mapping) {
    if (profile.needsMapping() && mapping == null) {
      throw new IllegalArgumentException("source " + wireName + " needs a mapping file (--mapping)");
    }
    return profile.parsers().apply(mapping);
  }

  /** A parser for a source that needs no mapping. */
  public StatementParser parser() {
    return parser(null);
  }

  /** The source named {@code name} (camt052 and camt054 are read by camt053's parser). */
  public static Source parse(String name) {
    if (name != null) {
      String key = name.trim().toLowerCase(Locale.ROOT);
      if (key.equals("camt052") || key.equals("camt054")) {
        return CAMT053;
      }
      for (Source source : values()) {
        if (source.wireName.equals(key)) {
          return source;
        }
      }
    }
    throw new IllegalArgumentException("Unknown source '" + name + "': use one of " + names());
  }

  /** "wechatpay, alipay, ...": every name, for usage messages and completion. */
  public static String names() {
    return Arrays.stream(values()).map(Source::wireName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return wireName;
  }
}
