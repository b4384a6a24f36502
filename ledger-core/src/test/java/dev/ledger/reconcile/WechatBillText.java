package dev.ledger.reconcile;

import dev.ledger.money.Amounts;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A WeChat Pay trade bill (交易账单, ALL) as the provider writes it, for tests: backtick values,
 * the fee rate column, a summary row. Amounts in fen.
 */
public final class WechatBillText {
  private static final String HEADER = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,"
      + "付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,"
      + "商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private record Row(LocalDateTime at, String txnId, String refundId, long amount, long fee, String rate) {}

  private final List<Row> rows = new ArrayList<>();

  public WechatBillText payment(LocalDateTime at, String txnId, long gross, long fee) {
    return payment(at, txnId, gross, fee, "0.60%");
  }

  public WechatBillText payment(LocalDateTime at, String txnId, long gross, long fee, String rate) {
    rows.add(new Row(at, txnId, null, gross, fee, rate));
    return this;
  }

  /** {@code feeReturned} positive; the bill writes it negative. */
  public WechatBillText refund(LocalDateTime at, String txnId, String refundId, long refund, long feeReturned) {
    rows.add(new Row(at, txnId, refundId, refund, -feeReturned, "0.60%"));
    return this;
  }

  public String text() {
    StringBuilder out = new StringBuilder(HEADER).append("\r\n");
    long settled = 0;
    long refunded = 0;
    long fees = 0;
    for (Row row : rows) {
      boolean refund = row.refundId() != null;
      settled += refund ? 0 : row.amount();
      refunded += refund ? row.amount() : 0;
      fees += row.fee();
      String[] cells = {row.at().format(TIME), "wx2421b1c4370ec43b", "1900000109", "0", "", row.txnId(),
          "O-" + row.txnId(), "oUpF8u", "JSAPI", refund ? "REFUND" : "SUCCESS", "CMB_DEBIT", "CNY",
          yuan(refund ? 0 : row.amount()), "0.00", refund ? row.refundId() : "0", refund ? "R-" + row.txnId() : "0",
          yuan(refund ? row.amount() : 0), "0.00", refund ? "ORIGINAL" : "", refund ? "SUCCESS" : "", "商品", "",
          BigDecimal.valueOf(row.fee(), 2).setScale(5).toPlainString(), row.rate(),
          yuan(refund ? 0 : row.amount()), yuan(refund ? row.amount() : 0), ""};
      out.append(line(cells)).append("\r\n");
    }
    out.append("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n");
    out.append(line(new String[] {Integer.toString(rows.size()), yuan(settled), yuan(refunded), "0.00",
        BigDecimal.valueOf(fees, 2).setScale(5).toPlainString(), yuan(settled), yuan(refunded)})).append("\r\n");
    return out.toString();
  }

  private static String line(String[] cells) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      line.append(i > 0 ? "," : "").append('`').append(cells[i]);
    }
    return line.toString();
  }

  private static String yuan(long fen) {
    return Amounts.formatMinor(fen, Amounts.currency("CNY"));
  }
}
