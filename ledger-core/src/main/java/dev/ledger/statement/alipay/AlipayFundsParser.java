package dev.ledger.statement.alipay;

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
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.money.CurrencyUnit;

/**
 * Alipay 账务明细 (account fund flow, {@code bill_type=signcustomer}): the same {@code #} header as
 * the trade bill ({@code #支付宝账务明细查询}, {@code #账号：[...]}, {@code #起始日期：[...]}), the
 * 账务明细列表 marker, the columns 账务流水号, 业务流水号, 商户订单号, 商品名称, 发生时间, 对方账号,
 * 收入金额（+元）, 支出金额（-元）, 账户余额（元）, 交易渠道, 业务类型, 备注 (header-driven: newer files add
 * 业务描述, 业务账单来源, 业务基础订单号, 业务订单号; the merchant portal's export names them 支付宝流水号,
 * 支付宝交易号, 入账时间, 收入（+元）, 支出（-元）, 账务类型), the 账务明细列表结束 marker and the footers
 * {@code #支出合计：N笔，共-X元} (older files: {@code 共X元}), {@code #收入合计：N笔，共Y元} and {@code #导出时间}.
 *
 * <p>Each row is one movement of the wallet balance: amount = 收入 − |支出|, type from 业务类型, the
 * provider id 业务流水号, the order id 商户订单号, the bank reference 账务流水号, no fee (fees are rows
 * of their own). Files list the rows oldest or newest first; the running balance 账户余额 is checked
 * on every row in whichever order the file has (an {@link Inconsistency} names the line), the
 * opening balance is the oldest row's balance before its movement and the closing balance the
 * newest row's.
 */
public final class AlipayFundsParser implements StatementParser {
  static final String JOURNAL_ID = "账务流水号";
  static final String BUSINESS_ID = "业务流水号";
  static final String ORDER_ID = "商户订单号";
  static final String PRODUCT = "商品名称";
  static final String OCCURRED = "发生时间";
  static final String INCOME = "收入金额（+元）";
  static final String EXPENSE = "支出金额（-元）";
  static final String BALANCE = "账户余额（元）";
  static final String KIND = "业务类型";
  static final String REMARK = "备注";
  static final String END_MARKER = "账务明细列表结束";
  static final String INCOMES = "收入合计";
  static final String EXPENSES = "支出合计";
  private static final Pattern TOTAL = Pattern.compile(
      "#+\\s*(收入合计|支出合计)\\s*[：:]\\s*([0-9]+)\\s*笔\\s*[，,]?\\s*(?:共|金额)?\\s*([+-]?[0-9]+(?:\\.[0-9]+)?)\\s*元.*");
  private static final CurrencyUnit CNY = Amounts.currency("CNY");

  private final int maxLine;

  public AlipayFundsParser() {
    this(LineReader.DEFAULT_MAX_LINE);
  }

  public AlipayFundsParser(int maxLine) {
    this.maxLine = LineReader.requireMaxLine(maxLine);
  }

  /** Whether the file is an account flow (账务流水号 columns) rather than a trade detail bill. */
  static boolean isAccountFlow(java.io.BufferedInputStream in) {
    String head = dev.ledger.statement.Encodings.peek(in, dev.ledger.statement.Encodings.GB18030);
    if (!head.contains(JOURNAL_ID)) {
      head = dev.ledger.statement.Encodings.peek(in, java.nio.charset.StandardCharsets.UTF_8);
    }
    return head.contains(JOURNAL_ID) && !head.contains(AlipayBillParser.TXN_ID);
  }

  @Override
  public void parse(InputStream input, String fileName, StatementHandler handler) {
    new Run(AlipayCsv.open(input, fileName, maxLine), handler).parse();
  }

  /** The detail CSV of the download ({@code <pid>_<date>_账务明细.csv}), not its 汇总 summary. */
  @Override
  public boolean acceptsArchiveEntry(String name) {
    String base = name.substring(name.lastIndexOf('/') + 1);
    return base.contains("账务明细") && !base.contains("汇总") && !base.startsWith(".");
  }

  /** The line type of a 业务类型 (在线支付, 交易退款, 收费, 提现, 转账, ...). */
  static LineType type(String kind) {
    if (kind.contains("退款")) {
      return LineType.REFUND;
    }
    if (kind.contains("提现")) {
      return LineType.SETTLEMENT;
    }
    if (kind.equals("收费") || kind.contains("服务费") || kind.contains("手续费")) {
      return LineType.FEE;
    }
    if (kind.startsWith("在线支付") || kind.equals("交易") || kind.equals("交易付款") || kind.equals("交易收款")) {
      return LineType.PAYMENT;
    }
    return LineType.OTHER;
  }

  private final class Run {
    private final LineReader reader;
    private final String file;
    private final StatementHandler handler;
    private final Map<String, String> summary = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<Inconsistency> inconsistencies = new ArrayList<>();
    private String truncated;
    private int width;
    private int journalId;
    private int businessId;
    private int orderId;
    private int product;
    private int occurred;
    private int income;
    private int expense;
    private int balance;
    private int kind;
    private int remark;
    private List<Integer> freeText;
    private long rows;
    private long incomeRows;
    private long incomeSum;
    private long expenseRows;
    private long expenseSum;
    // the running balance: the first and the previous row, and the order the file lists them in
    private long firstBalance;
    private long firstMovement;
    private LocalDate firstDate;
    private long previousBalance;
    private long previousMovement;
    private LocalDateTime previousAt;
    private LocalDate previousDate;
    private int direction; // +1 oldest first, -1 newest first, 0 not known yet

    Run(LineReader reader, StatementHandler handler) {
      this.reader = reader;
      this.file = reader.file();
      this.handler = handler;
    }

    void parse() {
      AlipayCsv.Preamble preamble = AlipayCsv.Preamble.read(reader, "账务明细", BALANCE, maxLine);
      header(preamble.header(), preamble.headerLine());
      AlipayCsv.Body body = AlipayCsv.readBody(reader, END_MARKER, TOTAL, new AlipayCsv.BodySink() {
        @Override
        public void row(String line, long n) {
          Run.this.row(line, n);
        }

        @Override
        public void footer(Matcher m, long n) {
          Run.this.footer(m, m.group(1).equals(INCOMES), n);
        }
      }, warnings);
      if (body.exported() != null) {
        summary.put("导出时间", body.exported());
      }
      if (!body.ended()) {
        truncate("no #----" + END_MARKER + "---- marker and no footers after the rows");
      } else if (!body.footers().contains(INCOMES) || !body.footers().contains(EXPENSES)) {
        truncate("no #" + (body.footers().contains(INCOMES) ? EXPENSES : INCOMES) + " footer after the rows");
      }
      LocalDate from = preamble.periodFrom();
      LocalDate to = preamble.periodTo();
      StatementBalance opening = null;
      StatementBalance closing = null;
      if (rows > 0) {
        LocalDate oldest = direction < 0 ? previousDate : firstDate;
        LocalDate newest = direction < 0 ? firstDate : previousDate;
        if (from == null) {
          from = oldest;
          to = newest;
          warnings.add("no #起始日期 header line: period taken from the rows");
        }
        try {
          long open = direction < 0 ? Math.subtractExact(previousBalance, previousMovement)
              : Math.subtractExact(firstBalance, firstMovement);
          opening = new StatementBalance(CNY, open, from);
          closing = new StatementBalance(CNY, direction < 0 ? firstBalance : previousBalance, to);
        } catch (ArithmeticException e) {
          throw new StatementException(file, 0, "opening balance out of range");
        }
      }
      handler.end(new StatementInfo(preamble.account(), CNY, opening, closing, summary, from, to, Parsing.SHANGHAI,
          rows, warnings, inconsistencies, truncated));
    }

    private void truncate(String why) {
      if (truncated == null) {
        truncated = why;
        warnings.add("truncated: " + why);
      }
    }

    private void header(List<String> names, long n) {
      var index = AlipayCsv.index(names);
      width = AlipayCsv.width(names);
      journalId = AlipayCsv.column(index, JOURNAL_ID, "支付宝流水号");
      businessId = AlipayCsv.column(index, BUSINESS_ID, "支付宝交易号");
      orderId = AlipayCsv.column(index, ORDER_ID);
      product = AlipayCsv.column(index, PRODUCT);
      occurred = required(index, n, OCCURRED, "入账时间");
      income = required(index, n, INCOME, "收入（+元）", "收入金额（元）");
      expense = required(index, n, EXPENSE, "支出（-元）", "支出金额（元）");
      balance = required(index, n, BALANCE);
      kind = AlipayCsv.column(index, KIND, "账务类型");
      remark = AlipayCsv.column(index, REMARK);
      if (journalId < 0) {
        throw new StatementException(file, n, "missing required column " + JOURNAL_ID);
      }
      freeText = List.of(product, remark, AlipayCsv.column(index, "业务描述"), AlipayCsv.column(index, "对方账号"));
    }

    private int required(Map<String, Integer> index, long n, String... names) {
      int i = AlipayCsv.column(index, names);
      if (i < 0) {
        throw new StatementException(file, n, "missing required column " + names[0]);
      }
      return i;
    }

    private boolean plausible(List<String> v) {
      return AlipayCsv.isDateTime(v.get(occurred)) && AlipayCsv.isAmount(v.get(income))
          && AlipayCsv.isAmount(v.get(expense)) && AlipayCsv.isAmount(v.get(balance));
    }

    private void row(String line, long n) {
      List<String> v = AlipayCsv.fields(reader, line, n, width, freeText, this::plausible, maxLine, this::truncate);
      if (v == null) {
        return;
      }
      String reference = AlipayCsv.id(v.get(journalId), JOURNAL_ID, file, n);
      if (reference.isEmpty()) {
        throw new StatementException(file, n, JOURNAL_ID + " is empty");
      }
      LocalDateTime at = AlipayCsv.rowDateTime(v.get(occurred), file, n, OCCURRED);
      long in = amount(v, income, n, INCOME);
      long out = Math.abs(amount(v, expense, n, EXPENSE));
      if (in < 0) {
        throw new StatementException(file, n, INCOME + " is negative: " + v.get(income));
      }
      if (v.get(balance).isEmpty()) {
        throw new StatementException(file, n, BALANCE + " is empty");
      }
      long after = Parsing.minor(v.get(balance), CNY, file, n, BALANCE);
      long movement = in - out;
      try {
        count(in, out);
        runningBalance(n, at, after, movement);
      } catch (ArithmeticException e) {
        throw new StatementException(file, n, "amounts out of range");
      }
      rows++;
      String kindText = kind >= 0 ? v.get(kind) : "";
      String description = product >= 0 && !v.get(product).isEmpty() ? v.get(product)
          : remark >= 0 ? Parsing.emptyToNull(v.get(remark)) : null;
      String business = businessId >= 0 ? Parsing.emptyToNull(AlipayCsv.id(v.get(businessId), BUSINESS_ID, file, n)) : null;
      handler.line(new StatementLine(n, type(kindText), business,
          null, orderId >= 0 ? Parsing.emptyToNull(v.get(orderId)) : null, reference,
          at.atZone(Parsing.SHANGHAI).toInstant(), at.toLocalDate(), CNY, movement, null, description));
    }

    private long amount(List<String> v, int column, long n, String name) {
      String text = v.get(column);
      return text.isEmpty() ? 0 : Parsing.minor(text, CNY, file, n, name);
    }

    private void count(long in, long out) {
      if (in != 0) {
        incomeRows++;
        incomeSum = Math.addExact(incomeSum, in);
      }
      if (out != 0) {
        expenseRows++;
        expenseSum = Math.addExact(expenseSum, out);
      }
    }

    /**
     * Checks 账户余额 against the previous row. Oldest first, a row's balance is the previous one
     * plus its movement; newest first, the previous balance is this one plus the previous
     * movement. The order is taken from the first two rows with different times; rows within one
     * second may be listed either way.
     */
    private void runningBalance(long n, LocalDateTime at, long after, long movement) {
      if (rows == 0) {
        firstBalance = after;
        firstMovement = movement;
        firstDate = at.toLocalDate();
      } else {
        long ascending = Math.addExact(previousBalance, movement);
        long descending = Math.subtractExact(previousBalance, previousMovement);
        if (direction == 0 && !at.equals(previousAt)) {
          direction = at.isAfter(previousAt) ? 1 : -1;
        }
        boolean ok = direction > 0 ? after == ascending : direction < 0 ? after == descending
            : after == ascending || after == descending;
        if (!ok) {
          long expected = direction < 0 ? descending : ascending;
          Inconsistency inconsistency = new Inconsistency(n, "running balance " + BALANCE,
              Amounts.formatMinor(after, CNY), Amounts.formatMinor(expected, CNY));
          inconsistencies.add(inconsistency);
          warnings.add(inconsistency.message());
        }
      }
      previousBalance = after;
      previousMovement = movement;
      previousAt = at;
      previousDate = at.toLocalDate();
    }

    /** Checks one #收入合计 / #支出合计 footer; 支出 totals come with or without their minus sign. */
    private void footer(Matcher m, boolean isIncome, long n) {
      String name = m.group(1);
      summary.put(name, m.group(2) + "笔，共" + m.group(3) + "元");
      long count;
      try {
        count = Long.parseLong(m.group(2));
      } catch (NumberFormatException e) {
        throw new StatementException(file, n, name + ": count out of range: " + m.group(2));
      }
      long stated = Math.abs(Parsing.minor(m.group(3), CNY, file, n, name));
      long rowsCounted = isIncome ? incomeRows : expenseRows;
      long sum = isIncome ? incomeSum : expenseSum;
      if (count > rowsCounted) {
        truncate("#" + name + " counts " + count + " rows but the file holds " + rowsCounted);
        return;
      }
      if (count < rowsCounted) {
        inconsistent(n, "footer #" + name + " 笔数", m.group(2), Long.toString(rowsCounted));
      }
      if (stated != sum) {
        inconsistent(n, "footer #" + name + " 金额", m.group(3),
            Amounts.formatMinor(isIncome ? sum : -sum, CNY));
      }
    }

    private void inconsistent(long n, String figure, String stated, String computed) {
      Inconsistency inconsistency = new Inconsistency(n, figure, stated, computed);
      inconsistencies.add(inconsistency);
      warnings.add(inconsistency.message());
    }
  }
}
