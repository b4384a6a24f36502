package dev.ledger.statement.wechatpay;

import dev.ledger.statement.*;

import dev.ledger.money.Amounts;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;

/**
 * WeChat Pay trade bill (交易账单: ALL, SUCCESS or REFUND), located by column name so the current
 * 27-column header and the older 24-column one (总金额, 子商户号, 总交易额, 总退款金额) both work.
 * Values carry a leading backtick. After the rows comes a summary header and row whose count,
 * settled total, refund total and fee total must equal the sums of the rows. Rows whose 交易状态
 * is REFUND are refunds of 退款金额; every other row is a payment of 应结订单金额.
 */
public final class WechatPayBillParser implements StatementParser {
  static final String TIME = "交易时间";
  static final String MCH_ID = "商户号";
  static final String TXN_ID = "微信订单号";
  static final String ORDER_ID = "商户订单号";
  static final String STATUS = "交易状态";
  static final String CURRENCY = "货币种类";
  static final String REFUND_ID = "微信退款单号";
  static final String REFUND_AMOUNT = "退款金额";
  static final String FEE = "手续费";
  static final String PRODUCT = "商品名称";
  static final List<String> SETTLED = List.of("应结订单金额", "总金额");
  static final String SUM_COUNT = "总交易单数";
  static final List<String> SUM_SETTLED = List.of("应结订单总金额", "总交易额");
  static final List<String> SUM_REFUND = List.of("退款总金额", "总退款金额");
  static final String SUM_FEE = "手续费总金额";

  private final int maxLine;

  public WechatPayBillParser() {
    this(LineReader.DEFAULT_MAX_LINE);
  }

  /** @param maxLine longest physical line accepted, in characters */
  public WechatPayBillParser(int maxLine) {
    if (maxLine < 256) {
      throw new IllegalArgumentException("maxLine must be at least 256: " + maxLine);
    }
    this.maxLine = maxLine;
  }

  @Override
  public void parse(InputStream input, String fileName, StatementHandler handler) {
    new Run(new LineReader(input, StandardCharsets.UTF_8, fileName, maxLine), handler).parse();
  }

  private static final class Run {
    private final LineReader reader;
    private final String file;
    private final StatementHandler handler;
    private int width;
    private int time;
    private int mchId;
    private int txnId;
    private int orderId;
    private int status;
    private int currency;
    private int settled;
    private int refundId = -1;
    private int refundAmount = -1;
    private int fee;
    private int product = -1;
    private CurrencyUnit billCurrency;
    private String account;
    private long rows;
    private long settledSum;
    private long refundSum;
    private long feeSum;
    private LocalDate from;
    private LocalDate to;

    Run(LineReader reader, StatementHandler handler) {
      this.reader = reader;
      this.file = reader.file();
      this.handler = handler;
    }

    void parse() {
      String line = nextNonBlank();
      if (line == null) {
        throw new StatementException(file, 0, "empty file: no WeChat Pay bill header");
      }
      header(line);
      while ((line = nextNonBlank()) != null) {
        if (line.startsWith(SUM_COUNT)) {
          summary(line);
          return;
        }
        row(line);
      }
      throw new StatementException(
          file,
          reader.lineNumber(),
          "truncated: no summary header (" + SUM_COUNT + ",...) after the rows");
    }

    private String nextNonBlank() {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank()) {
          return line;
        }
      }
      return null;
    }

    private void header(String line) {
      List<String> names = Csv.split(line, ',');
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        index.putIfAbsent(names.get(i).strip(), i);
      }
      if (!index.containsKey(TIME) || !index.containsKey(TXN_ID)) {
        throw new StatementException(
            file,
            reader.lineNumber(),
            "missing header: expected the WeChat Pay bill header (" + TIME + "," + "...," + TXN_ID
                + ",...), found '" + Parsing.abbreviate(line) + "'");
      }
      width = names.size();
      time = required(index, TIME);
      mchId = required(index, MCH_ID);
      txnId = required(index, TXN_ID);
      orderId = required(index, ORDER_ID);
      status = required(index, STATUS);
      currency = required(index, CURRENCY);
      fee = required(index, FEE);
      settled = required(index, SETTLED);
      refundId = index.getOrDefault(REFUND_ID, -1);
      refundAmount = index.getOrDefault(REFUND_AMOUNT, -1);
      product = index.getOrDefault(PRODUCT, -1);
    }

    private int required(Map<String, Integer> index, String name) {
      return required(index, List.of(name));
    }

    private int required(Map<String, Integer> index, List<String> names) {
      for (String name : names) {
        Integer i = index.get(name);
        if (i != null) {
          return i;
        }
      }
      throw new StatementException(
          file, reader.lineNumber(), "missing required column " + String.join(" or ", names));
    }

    private List<String> values(String line, int expected, String what) {
      List<String> fields = line.startsWith("`") ? splitBackticked(line) : Csv.split(line, ',');
      if (fields == null) {
        throw new StatementException(file, reader.lineNumber(), what + ": unterminated quote");
      }
      if (fields.size() != expected) {
        throw new StatementException(
            file,
            reader.lineNumber(),
            what + " has " + fields.size() + " fields, the header has " + expected);
      }
      for (int i = 0; i < fields.size(); i++) {
        String v = fields.get(i);
        if (!v.isEmpty() && v.charAt(0) == '`') {
          v = v.substring(1);
        }
        fields.set(i, v.strip());
      }
      return fields;
    }

    /**
     * WeChat does not quote values but starts each with a backtick, so a comma inside a product
     * name is told apart from a separator by the backtick that follows a separator.
     */
    private static List<String> splitBackticked(String line) {
      List<String> fields = new ArrayList<>(32);
      int start = 0;
      int i;
      while ((i = line.indexOf(",`", start)) >= 0) {
        fields.add(line.substring(start, i));
        start = i + 1;
      }
      String last = line.substring(start);
      // a trailing empty value may be written without its backtick
      if (last.endsWith(",")) {
        fields.add(last.substring(0, last.length() - 1));
        fields.add("");
      } else {
        fields.add(last);
      }
      return fields;
    }

    private void row(String line) {
      long n = reader.lineNumber();
      List<String> v = values(line, width, "row");
      String code = v.get(currency);
      if (billCurrency == null) {
        billCurrency = Parsing.currency(code, file, n);
        account = Parsing.emptyToNull(v.get(mchId));
      } else if (!billCurrency.getCurrencyCode().equals(code)) {
        throw new StatementException(
            file, n, "mixed currencies in one bill: " + code + " after " + billCurrency);
      }
      LocalDateTime at = Parsing.dateTime(v.get(time), file, n, TIME);
      Instant occurred = at.atZone(Parsing.SHANGHAI).toInstant();
      LocalDate date = at.toLocalDate();
      if (from == null || date.isBefore(from)) {
        from = date;
      }
      if (to == null || date.isAfter(to)) {
        to = date;
      }
      String txn = v.get(txnId);
      if (txn.isEmpty()) {
        throw new StatementException(file, n, TXN_ID + " is empty");
      }
      long settledMinor = Parsing.minor(v.get(settled), billCurrency, file, n, "settled amount");
      long feeMinor = Parsing.minor(v.get(fee), billCurrency, file, n, FEE);
      long refundMinor = 0;
      if (refundAmount >= 0) {
        refundMinor = Parsing.minor(v.get(refundAmount), billCurrency, file, n, REFUND_AMOUNT);
      }
      boolean refund = "REFUND".equals(v.get(status));
      StatementLine out;
      if (refund) {
        if (refundAmount < 0 || refundId < 0) {
          throw new StatementException(
              file, n, "REFUND row but the header has no " + REFUND_ID + "/" + REFUND_AMOUNT);
        }
        String refundRef = v.get(refundId);
        if (refundRef.isEmpty()) {
          throw new StatementException(file, n, "REFUND row with an empty " + REFUND_ID);
        }
        out =
            new StatementLine(
                n, LineType.REFUND, txn, refundRef, Parsing.emptyToNull(v.get(orderId)), null,
                occurred, date, billCurrency, -refundMinor, feeMinor, description(v));
      } else {
        out =
            new StatementLine(
                n, LineType.PAYMENT, txn, null, Parsing.emptyToNull(v.get(orderId)), null,
                occurred, date, billCurrency, settledMinor, feeMinor, description(v));
      }
      rows++;
      try {
        settledSum = Math.addExact(settledSum, settledMinor);
        refundSum = Math.addExact(refundSum, refundMinor);
        feeSum = Math.addExact(feeSum, feeMinor);
      } catch (ArithmeticException e) {
        throw new StatementException(file, n, "totals overflow");
      }
      handler.line(out);
    }

    private String description(List<String> v) {
      return product >= 0 ? Parsing.emptyToNull(v.get(product)) : null;
    }

    private void summary(String headerLine) {
      long headerAt = reader.lineNumber();
      List<String> names = values(headerLine, Csv.split(headerLine, ',').size(), "summary header");
      String rowLine = nextNonBlank();
      if (rowLine == null) {
        throw new StatementException(file, headerAt, "truncated: summary header without its row");
      }
      long n = reader.lineNumber();
      List<String> v = values(rowLine, names.size(), "summary row");
      Map<String, String> summary = new LinkedHashMap<>();
      for (int i = 0; i < names.size(); i++) {
        summary.put(names.get(i), v.get(i));
      }
      String extra = nextNonBlank();
      if (extra != null) {
        throw new StatementException(
            file, reader.lineNumber(), "unexpected content after the summary row");
      }
      CurrencyUnit cur = billCurrency != null ? billCurrency : Amounts.currency("CNY");
      String count = summary.get(SUM_COUNT);
      if (count == null || !count.matches("[0-9]{1,18}") || Long.parseLong(count) != rows) {
        throw mismatch(n, SUM_COUNT + " is " + count + " but the bill has " + rows + " rows");
      }
      check(n, summary, SUM_SETTLED, settledSum, cur, true);
      check(n, summary, SUM_REFUND, refundSum, cur, refundAmount >= 0);
      check(n, summary, List.of(SUM_FEE), feeSum, cur, true);
      handler.end(
          new StatementInfo(
              account, cur, null, null, summary, from, to, Parsing.SHANGHAI, rows, List.of()));
    }

    private void check(
        long n, Map<String, String> summary, List<String> names, long actual, CurrencyUnit cur,
        boolean required) {
      for (String name : names) {
        String value = summary.get(name);
        if (value != null) {
          long stated = Parsing.minor(value, cur, file, n, name);
          if (stated != actual) {
            throw mismatch(
                n,
                name + " is " + value + " but the rows sum to " + Amounts.formatMinor(actual, cur));
          }
          return;
        }
      }
      if (required) {
        throw new StatementException(
            file, n, "summary lacks " + String.join(" or ", names));
      }
    }

    private StatementException mismatch(long n, String problem) {
      return new StatementException(file, n, "summary row disagrees with the bill: " + problem);
    }
  }
}
