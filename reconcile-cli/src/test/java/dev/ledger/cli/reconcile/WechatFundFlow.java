package dev.ledger.cli.reconcile;

import dev.ledger.money.Amounts;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * A WeChat Pay fund-flow bill (资金账单) as the provider writes it, for tests: backtick values, the
 * balance after every movement, the summary row. Amounts in fen; the balance runs on from
 * {@code opening}.
 */
final class WechatFundFlow {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private final StringBuilder rows = new StringBuilder();
  private long balance;
  private int count;
  private int incomes;
  private int expenses;
  private long income;
  private long expense;
  private int flow;

  WechatFundFlow(long opening) {
    this.balance = opening;
  }

  long balance() {
    return balance;
  }

  /** A trade's income and the fee deducted from it. */
  WechatFundFlow trade(LocalDateTime at, String txnId, long gross, long fee) {
    row(at, txnId, "交易", "交易", true, gross, "", "O-" + txnId);
    return row(at, txnId, "扣除交易手续费", "扣除交易手续费", false, fee, "交易手续费", "O-" + txnId);
  }

  WechatFundFlow withdrawal(LocalDateTime at, long amount, String voucher) {
    return row(at, "", "提现", "提现", false, amount, "自动提现", voucher);
  }

  private WechatFundFlow row(LocalDateTime at, String businessId, String name, String type, boolean in, long amount,
      String remark, String voucher) {
    balance += in ? amount : -amount;
    count++;
    if (in) {
      incomes++;
      income += amount;
    } else {
      expenses++;
      expense += amount;
    }
    String[] cells = {at.format(TIME), businessId, "19000001092024" + String.format("%014d", ++flow), name, type,
        in ? "收入" : "支出", yuan(amount), yuan(balance), "system", remark, voucher};
    rows.append(line(cells)).append("\r\n");
    return this;
  }

  String text() {
    return "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额(元),账户结余(元),资金变更提交申请人,备注,业务凭证号\r\n"
        + rows + "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额\r\n"
        + line(new String[] {Integer.toString(count), Integer.toString(incomes), yuan(income),
            Integer.toString(expenses), yuan(expense)}) + "\r\n";
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
