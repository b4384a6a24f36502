package dev.ledger.statement.alipay;

import dev.ledger.statement.*;

import dev.ledger.money.Amounts;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.money.CurrencyUnit;

/**
 * Alipay 业务明细 CSV (GBK): {@code #} header lines with the account and period, the 业务明细列表
 * marker, the column header, rows whose values end in tabs, the end marker and the {@code
 * #交易合计} / {@code #退款合计} footers, which must equal the rows' counts and sums of 订单金额.
 * 业务类型 退款 rows are refunds (negative 订单金额 in the file); the fee is |服务费（元）|, charged on
 * payments and returned (negative) on refunds. Occurred-at is 完成时间 (else 创建时间) in Shanghai.
 */
public final class AlipayBillParser implements StatementParser {
  static final Charset GBK = Charset.forName("GBK");
  static final String TXN_ID = "支付宝交易号";
  static final String ORDER_ID = "商户订单号";
  static final String KIND = "业务类型";
  static final String PRODUCT = "商品名称";
  static final String CREATED = "创建时间";
  static final String FINISHED = "完成时间";
  static final String AMOUNT = "订单金额（元）";
  static final String REFUND_ID = "退款批次号/请求号";
  static final String FEE = "服务费（元）";
  static final String START_MARKER = "业务明细列表";
  static final String END_MARKER = "业务明细列表结束";
  private static final Pattern ACCOUNT = Pattern.compile("#账号：\\[([^\\]]*)\\]");
  private static final Pattern PERIOD =
      Pattern.compile("#起始日期：\\[([^\\]]+)\\]\\s*终止日期：\\[([^\\]]+)\\]");
  private static final Pattern TOTAL =
      Pattern.compile("#(交易合计|退款合计)：\\s*([0-9]+)\\s*笔\\s*，\\s*共\\s*(-?[0-9.,]+)\\s*元\\s*");
  private static final Pattern CN_DATE_TIME =
      Pattern.compile("([0-9]{4})年([0-9]{2})月([0-9]{2})日\\s+([0-9]{2}):([0-9]{2}):([0-9]{2})");
  private static final CurrencyUnit CNY = Amounts.currency("CNY");

  private final int maxLine;

  public AlipayBillParser() {
    this(LineReader.DEFAULT_MAX_LINE);
  }

  public AlipayBillParser(int maxLine) {
    if (maxLine < 256) {
      throw new IllegalArgumentException("maxLine must be at least 256: " + maxLine);
    }
    this.maxLine = maxLine;
  }

  @Override
  public void parse(InputStream input, String fileName, StatementHandler handler) {
    new Run(new LineReader(input, GBK, fileName, maxLine), handler).parse();
  }

  private static final class Run {
    private final LineReader reader;
    private final String file;
    private final StatementHandler handler;
    private final Map<String, String> summary = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private String account;
    private LocalDate periodFrom;
    private LocalDate periodTo;
    private LocalDate firstRow;
    private LocalDate lastRow;
    private int width;
    private int txnId;
    private int orderId;
    private int kind;
    private int product;
    private int created;
    private int finished;
    private int amount;
    private int refundId;
    private int fee;
    private long payments;
    private long paymentSum;
    private long refunds;
    private long refundSum;

    Run(LineReader reader, StatementHandler handler) {
      this.reader = reader;
      this.file = reader.file();
      this.handler = handler;
    }

    void parse() {
      preamble();
      header();
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        if (line.startsWith("#")) {
          if (!line.contains(END_MARKER)) {
            throw new StatementException(
                file, reader.lineNumber(), "unexpected '#' line inside the rows: " + Parsing.abbreviate(line));
          }
          footer();
          return;
        }
        row(line);
      }
      throw new StatementException(
          file, reader.lineNumber(), "truncated: no end marker #----" + END_MARKER + "---- after the rows");
    }

    private void preamble() {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        if (!line.startsWith("#")) {
          throw new StatementException(
              file,
              reader.lineNumber(),
              "missing header: expected '#' lines and the #----" + START_MARKER
                  + "---- marker of an Alipay 业务明细 file in GBK, found '" + Parsing.abbreviate(line) + "'");
        }
        if (line.contains(START_MARKER)) {
          return;
        }
        Matcher m = ACCOUNT.matcher(line.strip());
        if (m.matches()) {
          account = Parsing.emptyToNull(m.group(1).strip());
        }
        m = PERIOD.matcher(line.strip());
        if (m.matches()) {
          LocalDateTime start = cnDateTime(m.group(1));
          LocalDateTime end = cnDateTime(m.group(2));
          periodFrom = start.toLocalDate();
          // the end is exclusive when it is a midnight after the start
          periodTo =
              end.toLocalTime().equals(java.time.LocalTime.MIDNIGHT) && end.isAfter(start)
                  ? end.toLocalDate().minusDays(1)
                  : end.toLocalDate();
        }
      }
      throw new StatementException(
          file,
          reader.lineNumber(),
          reader.lineNumber() == 0
              ? "empty file: no Alipay 业务明细 header"
              : "missing the #----" + START_MARKER + "---- marker (is this an Alipay 业务明细 file in GBK?)");
    }

    private LocalDateTime cnDateTime(String text) {
      Matcher m = CN_DATE_TIME.matcher(text.strip());
      if (!m.matches()) {
        throw new StatementException(
            file, reader.lineNumber(), "invalid date '" + text + "', expected yyyy年MM月dd日 HH:mm:ss");
      }
      try {
        return LocalDateTime.of(
            Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
            Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)));
      } catch (java.time.DateTimeException e) {
        throw new StatementException(file, reader.lineNumber(), "invalid date '" + text + "'");
      }
    }

    private void header() {
      String line;
      do {
        line = reader.readLine();
      } while (line != null && line.isBlank());
      if (line == null) {
        throw new StatementException(file, reader.lineNumber(), "truncated: no column header after the marker");
      }
      List<String> names = split(line);
      Map<String, Integer> index = new HashMap<>();
      for (int i = 0; i < names.size(); i++) {
        index.putIfAbsent(names.get(i).replace('(', '（').replace(')', '）'), i);
      }
      width = names.size();
      txnId = required(index, TXN_ID);
      orderId = required(index, ORDER_ID);
      kind = required(index, KIND);
      amount = required(index, AMOUNT);
      refundId = required(index, REFUND_ID);
      fee = required(index, FEE);
      finished = required(index, FINISHED);
      created = index.getOrDefault(CREATED, -1);
      product = index.getOrDefault(PRODUCT, -1);
    }

    private int required(Map<String, Integer> index, String name) {
      Integer i = index.get(name);
      if (i == null) {
        throw new StatementException(
            file, reader.lineNumber(), "missing required column " + name + " (is the file GBK-encoded?)");
      }
      return i;
    }

    /** Alipay ends every value with a tab, so "\t," separates values even around commas in names. */
    private List<String> split(String line) {
      List<String> fields;
      if (line.indexOf('\t') >= 0) {
        fields = new ArrayList<>(32);
        int start = 0;
        int i;
        while ((i = line.indexOf("\t,", start)) >= 0) {
          fields.add(line.substring(start, i));
          start = i + 2;
        }
        fields.add(line.substring(start));
      } else {
        fields = Csv.split(line, ',');
        if (fields == null) {
          throw new StatementException(file, reader.lineNumber(), "unterminated quote");
        }
      }
      fields.replaceAll(String::strip);
      return fields;
    }

    private void row(String line) {
      long n = reader.lineNumber();
      List<String> v = split(line);
      if (v.size() != width) {
        throw new StatementException(
            file, n, "row has " + v.size() + " fields, the header has " + width);
      }
      String txn = v.get(txnId);
      if (txn.isEmpty()) {
        throw new StatementException(file, n, TXN_ID + " is empty");
      }
      String when = v.get(finished).isEmpty() && created >= 0 ? v.get(created) : v.get(finished);
      LocalDateTime at = Parsing.dateTime(when, file, n, FINISHED);
      LocalDate date = at.toLocalDate();
      if (firstRow == null || date.isBefore(firstRow)) {
        firstRow = date;
      }
      if (lastRow == null || date.isAfter(lastRow)) {
        lastRow = date;
      }
      long gross = Parsing.minor(v.get(amount), CNY, file, n, AMOUNT);
      String feeText = v.get(fee);
      long feeAbs = feeText.isEmpty() ? 0 : Math.abs(Parsing.minor(feeText, CNY, file, n, FEE));
      boolean refund = v.get(kind).startsWith("退款");
      StatementLine out;
      if (refund) {
        if (gross > 0) {
          throw new StatementException(file, n, "refund with a positive " + AMOUNT + ": " + v.get(amount));
        }
        String refundRef = v.get(refundId);
        if (refundRef.isEmpty()) {
          throw new StatementException(file, n, "refund with an empty " + REFUND_ID);
        }
        refunds++;
        refundSum = Math.addExact(refundSum, gross);
        out =
            new StatementLine(
                n, LineType.REFUND, txn, refundRef, Parsing.emptyToNull(v.get(orderId)), null,
                at.atZone(Parsing.SHANGHAI).toInstant(), date, CNY, gross, -feeAbs, description(v));
      } else {
        if (gross < 0) {
          throw new StatementException(
              file, n, "payment (" + v.get(kind) + ") with a negative " + AMOUNT + ": " + v.get(amount));
        }
        payments++;
        paymentSum = Math.addExact(paymentSum, gross);
        out =
            new StatementLine(
                n, LineType.PAYMENT, txn, null, Parsing.emptyToNull(v.get(orderId)), null,
                at.atZone(Parsing.SHANGHAI).toInstant(), date, CNY, gross, feeAbs, description(v));
      }
      handler.line(out);
    }

    private String description(List<String> v) {
      return product >= 0 ? Parsing.emptyToNull(v.get(product)) : null;
    }

    private void footer() {
      boolean sawPayments = false;
      boolean sawRefunds = false;
      String line;
      while ((line = reader.readLine()) != null) {
        String text = line.strip();
        if (text.isEmpty()) {
          continue;
        }
        long n = reader.lineNumber();
        Matcher m = TOTAL.matcher(text);
        if (m.matches()) {
          boolean isRefund = m.group(1).equals("退款合计");
          long count = Long.parseLong(m.group(2));
          long sum = Parsing.minor(m.group(3), CNY, file, n, m.group(1));
          summary.put(m.group(1), m.group(2) + "笔，共" + m.group(3) + "元");
          long rows = isRefund ? refunds : payments;
          long actual = isRefund ? refundSum : paymentSum;
          // refund totals appear with or without their minus sign
          boolean sumOk = sum == actual || (isRefund && sum == -actual);
          if (count != rows || !sumOk) {
            throw new StatementException(
                file,
                n,
                "footer disagrees with the rows: " + text + " but the rows hold " + rows + " "
                    + (isRefund ? "refunds" : "payments") + " totalling "
                    + Amounts.formatMinor(actual, CNY));
          }
          if (isRefund) {
            sawRefunds = true;
          } else {
            sawPayments = true;
          }
        } else if (text.startsWith("#导出时间")) {
          summary.put("导出时间", text.substring("#导出时间".length()).replaceFirst("^[：:]", ""));
        } else if (!text.startsWith("#")) {
          throw new StatementException(file, n, "unexpected content after the end marker");
        }
      }
      if (!sawPayments || !sawRefunds) {
        throw new StatementException(
            file, reader.lineNumber(), "truncated: missing the #" + (sawPayments ? "退款合计" : "交易合计") + " footer");
      }
      LocalDate from = periodFrom;
      LocalDate to = periodTo;
      if (from == null) {
        from = firstRow;
        to = lastRow;
        warnings.add("no #起始日期 header line: period taken from the rows");
      }
      handler.end(
          new StatementInfo(
              account, CNY, null, null, summary, from, to, Parsing.SHANGHAI, payments + refunds, warnings));
    }
  }
}
