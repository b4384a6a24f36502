package dev.ledger.statement.alipay;

import dev.ledger.money.Amounts;
import dev.ledger.statement.Inconsistency;
import dev.ledger.statement.LineReader;
import dev.ledger.statement.LineType;
import dev.ledger.statement.Parsing;
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
 * Alipay 业务明细 (trade detail bill, {@code bill_type=trade}): GBK (read as GB18030) or UTF-8,
 * {@code #支付宝业务明细查询} / {@code #账号：[...]} / {@code #起始日期：[...]   终止日期：[...]}, the
 * 业务明细列表 marker, a header-driven column header (older layouts have fewer columns, newer ones
 * more), rows whose values may end in tabs and blanks, the 业务明细列表结束 marker and the footers
 * {@code #交易合计：N笔，商家实收共X元，商家优惠共Y元}, {@code #退款合计：N笔，商家实收退款共-X元，商家优惠退款共Y元}
 * and {@code #导出时间：[...]} (older files: {@code #交易合计：N笔，共X元}).
 *
 * <p>A line's gross is its 商家实收（元） (what the merchant receives, the figure the footers total;
 * 订单金额（元） in layouts without it). 业务类型 退款 rows are refunds, negative in the file; the fee is
 * |服务费（元）|, charged on payments and returned (negative) on refunds. Occurred-at is 完成时间 (else
 * 创建时间) in Shanghai. A footer that disagrees with the rows is an {@link Inconsistency}; a file
 * without footers, or with fewer rows than they count, is {@code truncated}.
 */
public final class AlipayBillParser implements StatementParser {
  static final String TXN_ID = "支付宝交易号";
  static final String ORDER_ID = "商户订单号";
  static final String KIND = "业务类型";
  static final String PRODUCT = "商品名称";
  static final String CREATED = "创建时间";
  static final String FINISHED = "完成时间";
  static final String STORE = "门店名称";
  static final String ORDER_AMOUNT = "订单金额（元）";
  static final String RECEIVED = "商家实收（元）";
  static final String MERCHANT_DISCOUNT = "商家优惠（元）";
  static final String COUPON = "券名称";
  static final String REFUND_ID = "退款批次号/请求号";
  static final String FEE = "服务费（元）";
  static final String REMARK = "备注";
  static final String END_MARKER = "业务明细列表结束";
  static final String PAYMENTS = "交易合计";
  static final String REFUNDS = "退款合计";
  private static final Pattern TOTAL =
      Pattern.compile("#+\\s*(交易合计|退款合计)\\s*[：:]\\s*([0-9]+)\\s*笔\\s*[，,]?\\s*(.*)");
  private static final Pattern TOTAL_PART = Pattern.compile("\\s*(.*?)\\s*共\\s*([+-]?[0-9]+(?:\\.[0-9]+)?)\\s*元\\s*");
  private static final CurrencyUnit CNY = Amounts.currency("CNY");

  private final int maxLine;

  public AlipayBillParser() {
    this(LineReader.DEFAULT_MAX_LINE);
  }

  public AlipayBillParser(int maxLine) {
    this.maxLine = LineReader.requireMaxLine(maxLine);
  }

  @Override
  public void parse(InputStream input, String fileName, StatementHandler handler) {
    java.io.BufferedInputStream in = LineReader.buffered(input);
    if (AlipayFundsParser.isAccountFlow(in)) {
      // Both files come from the same download and look alike; read what the file is.
      new AlipayFundsParser(maxLine).parse(in, fileName, StatementHandler.warning(handler,
          "an account flow (账务明细), read as --source alipay-funds; reconcile takes it only under that source"));
      return;
    }
    new Run(AlipayCsv.open(in, fileName, maxLine), handler).parse();
  }

  /** The detail CSV of Alipay's download ({@code <pid>_<date>_业务明细.csv}), not its 汇总 summary. */
  @Override
  public boolean acceptsArchiveEntry(String name) {
    String base = name.substring(name.lastIndexOf('/') + 1);
    return base.contains("业务明细") && !base.contains("汇总") && !base.startsWith(".");
  }

  /** Counts and sums of one kind of row (payments or refunds), for the footers. */
  private static final class Tally {
    long rows;
    long received;
    long discount;
  }

  private final class Run {
    private final LineReader reader;
    private final String file;
    private final StatementHandler handler;
    private final Map<String, String> summary = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<Inconsistency> inconsistencies = new ArrayList<>();
    private final Tally payments = new Tally();
    private final Tally refunds = new Tally();
    private String truncated;
    private LocalDate firstRow;
    private LocalDate lastRow;
    private int width;
    private int txnId;
    private int orderId;
    private int kind;
    private int product;
    private int created;
    private int finished;
    private int gross;
    private int received;
    private int discount;
    private int refundId;
    private int fee;
    private List<Integer> freeText;
    private boolean positiveRefundSeen;

    Run(LineReader reader, StatementHandler handler) {
      this.reader = reader;
      this.file = reader.file();
      this.handler = handler;
    }

    void parse() {
      AlipayCsv.Preamble preamble = AlipayCsv.Preamble.read(reader, "业务明细", TXN_ID, maxLine);
      header(preamble.header(), preamble.headerLine());
      AlipayCsv.Body body = AlipayCsv.readBody(reader, END_MARKER, TOTAL, new AlipayCsv.BodySink() {
        @Override
        public void row(String line, long n) {
          Run.this.row(line, n);
        }

        @Override
        public void footer(Matcher m, long n) {
          boolean refund = m.group(1).equals(REFUNDS);
          Run.this.footer(m, refund ? refunds : payments, refund, n);
        }
      }, warnings);
      if (body.exported() != null) {
        summary.put("导出时间", body.exported());
      }
      if (!body.ended()) {
        truncate("no #----" + END_MARKER + "---- marker and no footers after the rows");
      } else if (!body.footers().contains(PAYMENTS) || !body.footers().contains(REFUNDS)) {
        truncate("no #" + (body.footers().contains(PAYMENTS) ? REFUNDS : PAYMENTS) + " footer after the rows");
      }
      if (positiveRefundSeen) {
        warnings.add("refund rows with a positive amount were read as refunds of that amount");
      }
      LocalDate from = preamble.periodFrom();
      LocalDate to = preamble.periodTo();
      if (from == null) {
        from = firstRow;
        to = lastRow;
        warnings.add("no #起始日期 header line: period taken from the rows");
      }
      handler.end(new StatementInfo(preamble.account(), CNY, null, null, summary, from, to, Parsing.SHANGHAI,
          payments.rows + refunds.rows, warnings, inconsistencies, truncated));
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
      txnId = AlipayCsv.column(index, TXN_ID);
      kind = required(index, n, KIND);
      orderId = AlipayCsv.column(index, ORDER_ID);
      product = AlipayCsv.column(index, PRODUCT);
      created = AlipayCsv.column(index, CREATED);
      finished = AlipayCsv.column(index, FINISHED);
      received = AlipayCsv.column(index, RECEIVED);
      int ordered = AlipayCsv.column(index, ORDER_AMOUNT);
      gross = received >= 0 ? received : ordered;
      discount = AlipayCsv.column(index, MERCHANT_DISCOUNT);
      refundId = AlipayCsv.column(index, REFUND_ID, "退款批次号", "退款请求号");
      fee = AlipayCsv.column(index, FEE, "手续费（元）");
      if (gross < 0) {
        throw new StatementException(file, n, "missing the amount column " + RECEIVED + " (or " + ORDER_AMOUNT + ")");
      }
      if (finished < 0 && created < 0) {
        throw new StatementException(file, n, "missing the time column " + FINISHED + " (or " + CREATED + ")");
      }
      if (received < 0) {
        warnings.add("no " + RECEIVED + " column: line amounts are " + ORDER_AMOUNT);
      }
      freeText = List.of(product, AlipayCsv.column(index, REMARK), AlipayCsv.column(index, COUPON),
          AlipayCsv.column(index, STORE));
    }

    private int required(Map<String, Integer> index, long n, String name) {
      int i = AlipayCsv.column(index, name);
      if (i < 0) {
        throw new StatementException(file, n, "missing required column " + name);
      }
      return i;
    }

    private boolean plausible(List<String> v) {
      return (finished < 0 || AlipayCsv.isDateTime(v.get(finished)))
          && (created < 0 || AlipayCsv.isDateTime(v.get(created)))
          && AlipayCsv.isAmount(v.get(gross))
          && (fee < 0 || AlipayCsv.isAmount(v.get(fee)))
          && (discount < 0 || AlipayCsv.isAmount(v.get(discount)));
    }

    private void row(String line, long n) {
      List<String> v = AlipayCsv.fields(reader, line, n, width, freeText, this::plausible, maxLine, this::truncate);
      if (v == null) {
        return;
      }
      String txn = AlipayCsv.id(v.get(txnId), TXN_ID, file, n);
      if (txn.isEmpty()) {
        throw new StatementException(file, n, TXN_ID + " is empty");
      }
      String when = finished >= 0 && !v.get(finished).isEmpty() ? v.get(finished) : created >= 0 ? v.get(created) : "";
      LocalDateTime at = AlipayCsv.rowDateTime(when, file, n, finished >= 0 ? FINISHED : CREATED);
      LocalDate date = at.toLocalDate();
      if (firstRow == null || date.isBefore(firstRow)) {
        firstRow = date;
      }
      if (lastRow == null || date.isAfter(lastRow)) {
        lastRow = date;
      }
      String grossName = received >= 0 ? RECEIVED : ORDER_AMOUNT;
      long amount = Parsing.minor(v.get(gross), CNY, file, n, grossName);
      long feeAbs = fee < 0 || v.get(fee).isEmpty() ? 0 : Math.abs(Parsing.minor(v.get(fee), CNY, file, n, FEE));
      long merchantDiscount = discount < 0 || v.get(discount).isEmpty() ? 0
          : Parsing.minor(v.get(discount), CNY, file, n, MERCHANT_DISCOUNT);
      boolean refund = v.get(kind).contains("退款");
      String order = orderId >= 0 ? Parsing.emptyToNull(v.get(orderId)) : null;
      String description = product >= 0 ? Parsing.emptyToNull(v.get(product)) : null;
      StatementLine out;
      try {
        if (refund) {
          positiveRefundSeen |= amount > 0;
          long signed = -Math.abs(amount);
          count(refunds, signed, merchantDiscount);
          String refundRef = refundId >= 0 ? Parsing.emptyToNull(v.get(refundId)) : null;
          out = new StatementLine(n, LineType.REFUND, txn, refundRef, order, null,
              at.atZone(Parsing.SHANGHAI).toInstant(), date, CNY, signed, fee < 0 ? null : -feeAbs, description);
        } else {
          if (amount < 0) {
            throw new StatementException(
                file, n, "payment (" + v.get(kind) + ") with a negative " + grossName + ": " + v.get(gross));
          }
          count(payments, amount, merchantDiscount);
          out = new StatementLine(n, LineType.PAYMENT, txn, null, order, null,
              at.atZone(Parsing.SHANGHAI).toInstant(), date, CNY, amount, fee < 0 ? null : feeAbs, description);
        }
      } catch (ArithmeticException e) {
        throw new StatementException(file, n, "the rows' total is out of range");
      }
      handler.line(out);
    }

    private void count(Tally tally, long amount, long merchantDiscount) {
      tally.rows++;
      tally.received = Math.addExact(tally.received, amount);
      tally.discount = Math.addExact(tally.discount, merchantDiscount);
    }

    /** Checks one #交易合计 / #退款合计 footer against the rows it totals. */
    private void footer(Matcher m, Tally tally, boolean refund, long n) {
      String name = m.group(1);
      String rest = m.group(3);
      summary.put(name, m.group(2) + "笔" + (rest.isEmpty() ? "" : "，" + rest));
      long count;
      try {
        count = Long.parseLong(m.group(2));
      } catch (NumberFormatException e) {
        throw new StatementException(file, n, name + ": count out of range: " + m.group(2));
      }
      if (count > tally.rows) {
        truncate("#" + name + " counts " + count + " rows but the file holds " + tally.rows);
        return;
      }
      if (count < tally.rows) {
        inconsistent(n, "footer #" + name + " 笔数", m.group(2), Long.toString(tally.rows));
      }
      for (String part : rest.split("[，,]")) {
        if (part.isBlank()) {
          continue;
        }
        Matcher p = TOTAL_PART.matcher(part);
        if (!p.matches()) {
          warnings.add("line " + n + ": unrecognised part of #" + name + ": " + part.strip());
          continue;
        }
        String label = p.group(1);
        long stated = Parsing.minor(p.group(2), CNY, file, n, name);
        long computed;
        if (label.isEmpty() || label.startsWith("商家实收") || label.startsWith("实收")) {
          computed = tally.received;
          label = label.isEmpty() ? (received >= 0 ? "商家实收" : "金额") : label;
        } else if (label.startsWith("商家优惠") && discount >= 0) {
          computed = tally.discount;
        } else {
          continue;
        }
        // refund totals are written with or without their minus sign
        boolean agrees = stated == computed || (refund && stated == -computed);
        if (!agrees) {
          inconsistent(n, "footer #" + name + " " + label, p.group(2), Amounts.formatMinor(computed, CNY));
        }
      }
    }

    private void inconsistent(long n, String figure, String stated, String computed) {
      Inconsistency inconsistency = new Inconsistency(n, figure, stated, computed);
      inconsistencies.add(inconsistency);
      warnings.add(inconsistency.message());
    }
  }
}
