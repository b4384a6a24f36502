package dev.ledger.statement.wechatpay;

import dev.ledger.money.Amounts;
import dev.ledger.statement.Inconsistency;
import dev.ledger.statement.LineReader;
import dev.ledger.statement.LineType;
import dev.ledger.statement.Parsing;
import dev.ledger.statement.StatementBalance;
import dev.ledger.statement.StatementException;
import dev.ledger.statement.StatementHandler;
import dev.ledger.statement.StatementInfo;
import dev.ledger.statement.StatementLine;
import dev.ledger.statement.StatementParser;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;

/**
 * WeChat Pay fund-flow bill (资金账单, v2 {@code downloadfundflow} and v3 {@code fundflowbill}; BASIC,
 * OPERATION or FEES account): every movement of the wallet balance with the balance after it
 * (记账时间, 微信支付业务单号, 资金流水单号, 业务名称, 业务类型, 收支类型, 收支金额（元）, 账户结余（元）,
 * 资金变更提交申请人, 备注, 业务凭证号), then a summary header and row (资金流水总笔数, 收入笔数, 收入金额,
 * 支出笔数, 支出金额). Amounts are written unsigned; 收支类型 (收入/支出) gives the direction.
 *
 * <p>The opening balance is the first row's 账户结余 less its movement, the closing balance the last
 * row's. Each row's 账户结余 must follow from the previous one: a break in that chain, and a summary
 * figure the rows do not add up to, is an {@link Inconsistency} naming its line (the chain goes on
 * from the stated balance, so one break is reported once). A bill without its summary, or with fewer
 * rows than it counts, is read and marked truncated.
 */
public final class WechatPayFundsParser implements StatementParser {
  static final String TIME = "记账时间";
  static final String BUSINESS_ID = "微信支付业务单号";
  static final String FLOW_ID = "资金流水单号";
  static final String BUSINESS_NAME = "业务名称";
  static final String BUSINESS_TYPE = "业务类型";
  static final String DIRECTION = "收支类型";
  static final String AMOUNT = "收支金额(元)";
  static final String BALANCE = "账户结余(元)";
  static final String REMARK = "备注";
  static final String VOUCHER = "业务凭证号";
  static final String SUM_COUNT = "资金流水总笔数";
  static final String SUM_INCOME_COUNT = "收入笔数";
  static final String SUM_INCOME = "收入金额";
  static final String SUM_EXPENSE_COUNT = "支出笔数";
  static final String SUM_EXPENSE = "支出金额";
  private static final CurrencyUnit CNY = Amounts.currency("CNY");

  private final int maxLine;

  public WechatPayFundsParser() {
    this(LineReader.DEFAULT_MAX_LINE);
  }

  /** @param maxLine longest physical line accepted, in characters */
  public WechatPayFundsParser(int maxLine) {
    this.maxLine = LineReader.requireMaxLine(maxLine);
  }

  /** Whether the file opens with a fund-flow header (记账时间 ... 资金流水单号) rather than a trade bill's. */
  static boolean isFundFlow(java.io.BufferedInputStream in) {
    String head = dev.ledger.statement.Encodings.peek(in, java.nio.charset.StandardCharsets.UTF_8);
    if (!head.contains(TIME)) {
      head = dev.ledger.statement.Encodings.peek(in, dev.ledger.statement.Encodings.GB18030);
    }
    int flow = head.indexOf(FLOW_ID);
    int trade = head.indexOf(WechatPayBillParser.TXN_ID);
    return head.contains(TIME) && flow >= 0 && (trade < 0 || flow < trade);
  }

  @Override
  public void parse(InputStream input, String fileName, StatementHandler handler) {
    new Run(new BillReader(input, fileName, maxLine), handler).parse();
  }

  /**
   * The line type a 业务类型 stands for: trades and refunds, fee deductions, and money leaving the
   * wallet for a bank (withdrawals, payouts to bank cards); anything else (top-ups, red packets,
   * profit sharing, adjustments) is OTHER.
   */
  static LineType type(String businessType) {
    if (businessType.equals("交易")) {
      return LineType.PAYMENT;
    }
    if (businessType.startsWith("退款")) {
      return LineType.REFUND;
    }
    if (businessType.contains("手续费")) {
      return LineType.FEE;
    }
    if (businessType.contains("提现") || businessType.contains("到银行") || businessType.contains("结算")) {
      return LineType.SETTLEMENT;
    }
    return LineType.OTHER;
  }

  private static final class Run {
    private final BillReader reader;
    private final String file;
    private final StatementHandler handler;
    private int width;
    private int time;
    private int businessId;
    private int flowId;
    private int businessName;
    private int businessType;
    private int direction;
    private int amount;
    private int balance;
    private int remark;
    private int voucher;
    private long rows;
    private long incomeRows;
    private long expenseRows;
    private long income;
    private long expense;
    private Long opening;
    private Long running;
    private LocalDate from;
    private LocalDate to;
    private final List<Inconsistency> inconsistencies = new ArrayList<>();

    Run(BillReader reader, StatementHandler handler) {
      this.reader = reader;
      this.file = reader.file();
      this.handler = handler;
    }

    void parse() {
      header(reader.first("WeChat Pay fund-flow bill"));
      BillReader.Body body = reader.rows(width, SUM_COUNT, this::row);
      if (body.summaryHeader() != null) {
        summary(body.summaryHeader());
      } else {
        end(null, body.truncated());
      }
    }

    private void header(String line) {
      List<String> names = reader.header(line);
      Map<String, Integer> index = BillReader.index(names);
      if (!index.containsKey(TIME) || !index.containsKey(BALANCE)) {
        throw new StatementException(file, reader.lineNumber(),
            "not a WeChat Pay fund-flow bill: expected the header " + TIME + ",...," + BALANCE + ",..., found '"
                + Parsing.abbreviate(line) + "'"
                + (index.containsKey(WechatPayBillParser.TXN_ID) ? " (a trade bill: use --source wechatpay)" : ""));
      }
      width = names.size();
      time = required(index, TIME);
      businessId = required(index, BUSINESS_ID);
      flowId = required(index, FLOW_ID);
      businessType = required(index, BUSINESS_TYPE);
      direction = required(index, DIRECTION);
      amount = required(index, AMOUNT);
      balance = required(index, BALANCE);
      businessName = BillReader.column(index, List.of(BUSINESS_NAME));
      remark = BillReader.column(index, List.of(REMARK));
      voucher = BillReader.column(index, List.of(VOUCHER));
    }

    private int required(Map<String, Integer> index, String name) {
      int i = BillReader.column(index, List.of(name));
      if (i < 0) {
        throw new StatementException(file, reader.lineNumber(), "missing required column " + name);
      }
      return i;
    }

    private void row(List<String> v) {
      long n = reader.lineNumber();
      LocalDateTime at = reader.dateTime(v.get(time), n, TIME);
      long magnitude = Parsing.minor(v.get(amount), CNY, file, n, AMOUNT);
      if (magnitude < 0) {
        throw new StatementException(file, n, AMOUNT + " " + v.get(amount) + " is signed; the bill writes it unsigned"
            + " and gives the direction in " + DIRECTION);
      }
      long signed;
      switch (v.get(direction)) {
        case "收入" -> {
          signed = magnitude;
          incomeRows++;
          income = add(income, magnitude, n);
        }
        case "支出" -> {
          signed = -magnitude;
          expenseRows++;
          expense = add(expense, magnitude, n);
        }
        default -> throw new StatementException(file, n,
            DIRECTION + " must be 收入 or 支出, found '" + Parsing.abbreviate(v.get(direction)) + "'");
      }
      long stated = Parsing.minor(v.get(balance), CNY, file, n, BALANCE);
      if (running == null) {
        opening = subtract(stated, signed, n);
      } else {
        long expected = add(running, signed, n);
        if (expected != stated) {
          inconsistencies.add(new Inconsistency(n, BALANCE + " after the movement", v.get(balance),
              Amounts.formatMinor(expected, CNY)));
        }
      }
      running = stated;
      LocalDate date = at.toLocalDate();
      if (from == null || date.isBefore(from)) {
        from = date;
      }
      if (to == null || date.isAfter(to)) {
        to = date;
      }
      rows++;
      LineType type = type(v.get(businessType));
      String id = Parsing.emptyToNull(v.get(businessId));
      String voucherId = voucher >= 0 ? Parsing.emptyToNull(v.get(voucher)) : null;
      // for a refund the business id is the refund's (微信退款单号), which is what refund entries carry
      String refundId = type == LineType.REFUND ? id : null;
      String orderId = type == LineType.PAYMENT ? voucherId : null;
      handler.line(new StatementLine(n, type, id, refundId, orderId, Parsing.emptyToNull(v.get(flowId)),
          at.atZone(WechatPay.ZONE).toInstant(), date, CNY, signed, null, description(v)));
    }

    private String description(List<String> v) {
      String name = businessName >= 0 ? v.get(businessName) : "";
      String note = remark >= 0 ? v.get(remark) : "";
      String text = name.isEmpty() ? note : note.isEmpty() ? name : name + ": " + note;
      return Parsing.emptyToNull(text);
    }

    private long add(long a, long b, long n) {
      try {
        return Math.addExact(a, b);
      } catch (ArithmeticException e) {
        throw new StatementException(file, n, "totals overflow");
      }
    }

    private long subtract(long a, long b, long n) {
      try {
        return Math.subtractExact(a, b);
      } catch (ArithmeticException e) {
        throw new StatementException(file, n, "totals overflow");
      }
    }

    private void summary(String headerLine) {
      long headerAt = reader.lineNumber();
      List<String> names = reader.header(headerLine);
      String rowLine = reader.next();
      if (rowLine == null) {
        end(null, "the summary header (line " + headerAt + ") has no summary row");
        return;
      }
      long n = reader.lineNumber();
      List<String> v = reader.values(rowLine, names.size());
      if (v == null) {
        throw new StatementException(file, n, "summary row has " + reader.fieldCount(rowLine) + " fields, its header has "
            + names.size());
      }
      Map<String, String> summary = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        summary.put(names.get(i), v.get(i));
      }
      if (reader.next() != null) {
        throw new StatementException(file, reader.lineNumber(), "unexpected content after the summary row");
      }
      long count = reader.count(summary.getOrDefault(SUM_COUNT, ""), n, SUM_COUNT);
      if (count > rows) {
        end(summary, SUM_COUNT + " counts " + count + " rows but the bill has " + rows);
        return;
      }
      if (count != rows) {
        inconsistencies.add(new Inconsistency(n, "summary " + SUM_COUNT, Long.toString(count), Long.toString(rows)));
      }
      checkCount(summary, SUM_INCOME_COUNT, incomeRows, n);
      checkCount(summary, SUM_EXPENSE_COUNT, expenseRows, n);
      checkAmount(summary, SUM_INCOME, income, n);
      checkAmount(summary, SUM_EXPENSE, expense, n);
      end(summary, null);
    }

    private void checkCount(Map<String, String> summary, String name, long computed, long n) {
      String text = summary.get(name);
      if (text != null && reader.count(text, n, name) != computed) {
        inconsistencies.add(new Inconsistency(n, "summary " + name, text, Long.toString(computed)));
      }
    }

    private void checkAmount(Map<String, String> summary, String name, long computed, long n) {
      String text = summary.get(name);
      if (text == null) {
        return;
      }
      BigDecimal stated = reader.decimal(text, n, name);
      if (stated.compareTo(BigDecimal.valueOf(computed, Amounts.scale(CNY))) != 0) {
        inconsistencies.add(new Inconsistency(n, "summary " + name, text, BillReader.format(computed, CNY, stated)));
      }
    }

    private void end(Map<String, String> summary, String truncated) {
      List<String> warnings = new ArrayList<>();
      inconsistencies.forEach(i -> warnings.add(i.message()));
      StatementBalance open = opening == null ? null : new StatementBalance(CNY, opening, from);
      StatementBalance close = running == null ? null : new StatementBalance(CNY, running, to);
      handler.end(new StatementInfo(null, CNY, open, close, summary, from, to, WechatPay.ZONE, rows, warnings,
          inconsistencies, truncated));
    }
  }
}
