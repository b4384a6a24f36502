package dev.ledger.cli.demo;

import dev.ledger.money.Amounts;
import java.nio.charset.Charset;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an Alipay 业务明细 bill in GBK: '#' header lines, the column header after the
 * 业务明细列表 marker, values followed by a tab, and the footer totals. Amounts in fen.
 */
public final class AlipayBill {
  private static final String HEADER = "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,对方账户,"
      + "订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,"
      + "商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注";
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy年MM月dd日 HH:mm:ss");

  private record Row(LocalDateTime at, String txnId, String orderId, String refundId, long amount, long fee,
      String product) {}

  private final String account;
  private final LocalDate day;
  private final List<Row> rows = new ArrayList<>();

  public AlipayBill(String account, LocalDate day) {
    this.account = account;
    this.day = day;
  }

  public AlipayBill payment(LocalDateTime at, String txnId, String orderId, long gross, long fee, String product) {
    rows.add(new Row(at, txnId, orderId, null, gross, fee, product));
    return this;
  }

  public AlipayBill refund(LocalDateTime at, String txnId, String orderId, String refundId, long refund,
      long feeReturned) {
    rows.add(new Row(at, txnId, orderId, refundId, refund, feeReturned, "退款"));
    return this;
  }

  public byte[] bytes() {
    StringBuilder out = new StringBuilder();
    out.append("#支付宝业务明细查询\r\n");
    out.append("#账号：[").append(account).append("]\r\n");
    out.append("#起始日期：[").append(day.atStartOfDay().format(DAY)).append("]   终止日期：[")
        .append(day.plusDays(1).atStartOfDay().format(DAY)).append("]\r\n");
    out.append("#-----------------------------------------业务明细列表----------------------------------------\r\n");
    out.append(HEADER).append("\r\n");
    long payments = 0;
    long refunds = 0;
    int paymentCount = 0;
    int refundCount = 0;
    for (Row row : rows) {
      boolean refund = row.refundId() != null;
      long amount = refund ? -row.amount() : row.amount();
      // The bill shows the service fee as money leaving us: negative when charged.
      long fee = refund ? row.fee() : -row.fee();
      if (refund) {
        refunds += amount;
        refundCount++;
      } else {
        payments += amount;
        paymentCount++;
      }
      String[] cells = {row.txnId(), row.orderId(), refund ? "退款" : "交易", row.product(), row.at().format(TIME),
          row.at().plusSeconds(2).format(TIME), "", "", "", "", "buy***@163.com", yuan(amount), yuan(amount), "0.00",
          "0.00", "0.00", "0.00", "0.00", "", "0.00", "0.00", refund ? row.refundId() : "", yuan(fee), "0.00", ""};
      out.append(String.join("\t,", cells)).append("\t\r\n");
    }
    out.append("#-----------------------------------------业务明细列表结束------------------------------------\r\n");
    // The wording of real bills: the totals are of 商家实收 (what the merchant received).
    out.append("#交易合计：").append(paymentCount).append("笔，商家实收共").append(yuan(payments))
        .append("元，商家优惠共0.00元\r\n");
    out.append("#退款合计：").append(refundCount).append("笔，商家实收退款共").append(yuan(refunds))
        .append("元，商家优惠退款共0.00元\r\n");
    out.append("#导出时间：[").append(day.plusDays(1).atTime(9, 12, 11).format(DAY)).append("]\r\n");
    return out.toString().getBytes(Charset.forName("GBK"));
  }

  private static String yuan(long fen) {
    return Amounts.formatMinor(fen, Amounts.currency("CNY"));
  }
}
