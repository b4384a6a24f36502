package dev.ledger.bench;

import dev.ledger.cli.demo.WechatBill;
import dev.ledger.money.Amounts;
import dev.ledger.settlement.Settlements;
import dev.ledger.journal.Entry;
import java.io.IOException;
import java.io.StringWriter;
import java.io.Writer;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * A generated WeChat Pay day range: line i is a payment with a deterministic amount; one line in
 * 100 is a break, three kinds in turn (no entry, no line, entry amount off by one fen). The bill is
 * streamed in exactly the format of {@link WechatBill}, which keeps the whole text in memory and is
 * too slow for a million lines; {@link #checkSameFormat} proves the two agree.
 */
final class WalletBill {
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final String HEADER = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,"
      + "付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,"
      + "商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";

  enum Kind { MATCHED, MISSING_IN_LEDGER, MISSING_IN_STATEMENT, AMOUNT_MISMATCH }

  private final int run;
  final int lines;
  private final LocalDateTime start;
  private final long spreadSeconds;

  WalletBill(int run, int lines, LocalDateTime start, int days) {
    this.run = run;
    this.lines = lines;
    this.start = start;
    this.spreadSeconds = days * 86_400L;
  }

  Kind kind(int i) {
    return switch (i % 300) {
      case 0 -> Kind.MISSING_IN_LEDGER;
      case 100 -> Kind.MISSING_IN_STATEMENT;
      case 200 -> Kind.AMOUNT_MISMATCH;
      default -> Kind.MATCHED;
    };
  }

  long expectedBreaks() {
    long breaks = 0;
    for (int i = 0; i < lines; i++) {
      breaks += kind(i) == Kind.MATCHED ? 0 : 1;
    }
    return breaks;
  }

  String txnId(int i) {
    return String.format("42000%d%013d", run, i);
  }

  String orderId(int i) {
    return "O" + run + "-" + i;
  }

  LocalDateTime at(int i) {
    return start.plusSeconds(i * spreadSeconds / lines);
  }

  static long gross(int i) {
    return 100 + Math.floorMod(i * 2_654_435_761L, 99_901L);
  }

  static long fee(long gross) {
    return gross * 6 / 1000;
  }

  /** The ledger's entry for line i, or null when the line has none. */
  Entry entry(int i) {
    Kind kind = kind(i);
    if (kind == Kind.MISSING_IN_LEDGER) {
      return null;
    }
    long gross = gross(i);
    long fee = fee(gross);
    long booked = kind == Kind.AMOUNT_MISMATCH ? gross + 1 : gross;
    return Settlements.paymentCaptured("pay-" + txnId(i), at(i).atZone(SHANGHAI).toInstant(), "wechatpay", txnId(i),
        orderId(i), "m" + (i % 1000), Amounts.ofMinor(booked, Journal.CNY), Amounts.ofMinor(fee, Journal.CNY));
  }

  void write(Writer out) throws IOException {
    out.write('\uFEFF');
    out.write(HEADER);
    out.write("\r\n");
    long count = 0;
    long settled = 0;
    long fees = 0;
    StringBuilder line = new StringBuilder(320);
    for (int i = 0; i < lines; i++) {
      if (kind(i) == Kind.MISSING_IN_STATEMENT) {
        continue;
      }
      long gross = gross(i);
      long fee = fee(gross);
      count++;
      settled += gross;
      fees += fee;
      line.setLength(0);
      line.append('`').append(at(i).format(TIME)).append(",`wx2421b1c4370ec43b,`1900000109,`0,`,`").append(txnId(i))
          .append(",`").append(orderId(i)).append(",`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,`JSAPI,`SUCCESS,`CMB_DEBIT,`CNY,`");
      yuan(line, gross).append(",`0.00,`0,`0,`0.00,`0.00,`,`,`午餐,`,`");
      fee5(line, fee).append(",`0.60%,`");
      yuan(line, gross).append(",`0.00,`\r\n");
      out.append(line);
    }
    out.write("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n");
    line.setLength(0);
    line.append('`').append(count).append(".0,`"); // the provider's decimal count, as WechatBill writes it
    yuan(line, settled).append(",`0.00,`0.00,`");
    fee5(line, fees).append(",`");
    yuan(line, settled).append(",`0.00\r\n");
    out.append(line);
  }

  private static StringBuilder yuan(StringBuilder out, long fen) {
    long cents = fen % 100;
    return out.append(fen / 100).append('.').append(cents < 10 ? "0" : "").append(cents);
  }

  private static StringBuilder fee5(StringBuilder out, long fen) {
    return yuan(out, fen).append("000");
  }

  /** Fails unless this writer and the project's WechatBill produce the same text for a few lines. */
  static void checkSameFormat() throws IOException {
    WalletBill bill = new WalletBill(9, 7, LocalDateTime.of(2024, 3, 1, 0, 0), 1);
    WechatBill reference = new WechatBill();
    for (int i = 0; i < bill.lines; i++) {
      if (bill.kind(i) != Kind.MISSING_IN_STATEMENT) {
        long gross = gross(i);
        reference.payment(bill.at(i), bill.txnId(i), bill.orderId(i), gross, fee(gross), "午餐");
      }
    }
    StringWriter ours = new StringWriter();
    bill.write(ours);
    if (!ours.toString().equals(reference.text())) {
      throw new IllegalStateException("The streamed WeChat bill differs from WechatBill's:\n" + ours + "\nvs\n"
          + reference.text());
    }
  }
}
