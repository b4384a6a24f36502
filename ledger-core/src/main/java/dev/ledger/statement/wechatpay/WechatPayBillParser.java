package dev.ledger.statement.wechatpay;

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
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;

/**
 * WeChat Pay trade bill (交易账单, v2 {@code downloadbill} and v3 {@code tradebill}; bill types ALL,
 * SUCCESS and REFUND), located by column name: the current headers (应结订单金额, 代金券金额,
 * 充值券退款金额, 订单金额, 申请退款金额, 费率备注; 27 columns for ALL, 20 for SUCCESS, 29 for REFUND
 * with 退款申请时间/退款成功时间) and the older 24-column one (总金额, 企业红包金额 or 代金券或立减优惠金额,
 * 子商户号) both work. After the rows come a summary header and row (总交易单数, 应结订单总金额 or
 * 总交易额, 退款总金额, 充值券退款总金额, 手续费总金额, 订单总金额, 申请退款总金额, in whichever of
 * those columns the bill has); every stated figure is compared with the rows in the bill's own
 * precision and a difference is reported as an {@link Inconsistency}. A bill without its summary,
 * or with fewer rows than the summary counts, is read and marked truncated.
 *
 * <p>A row whose 交易状态 is REFUND (or REVOKED with a refunded amount: a micropay reversal) is a
 * refund of 退款金额 with its fee returned (手续费 negative), dated by 退款成功时间 where the REFUND
 * bill states it; every other row is a payment of 应结订单金额. Fees are written with five decimals
 * ({@code 0.60000}) and booked in whole fen: a fee with digits below the fen is rounded half-up,
 * with a warning.
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
  static final String REFUND_APPLIED_AT = "退款申请时间";
  static final String REFUNDED_AT = "退款成功时间";
  static final String FEE = "手续费";
  static final String FEE_RATE = "费率";
  static final String PRODUCT = "商品名称";
  static final List<String> SETTLED = List.of("应结订单金额", "总金额");
  static final String SUM_COUNT = "总交易单数";

  /** A summary figure and the column whose sum it states (absent columns sum to zero). */
  private record Total(List<String> summaryNames, List<String> columnNames) {}

  private static final Total SETTLED_TOTAL = new Total(List.of("应结订单总金额", "总交易额"), SETTLED);
  private static final Total REFUND_TOTAL = new Total(List.of("退款总金额", "总退款金额"), List.of(REFUND_AMOUNT));
  private static final Total FEE_TOTAL = new Total(List.of("手续费总金额", "总手续费金额"), List.of(FEE));
  private static final List<Total> TOTALS = List.of(
      SETTLED_TOTAL,
      REFUND_TOTAL,
      new Total(List.of("充值券退款总金额", "总企业红包退款金额", "总代金券或立减优惠退款金额"),
          List.of("充值券退款金额", "企业红包退款金额", "代金券或立减优惠退款金额")),
      FEE_TOTAL,
      new Total(List.of("订单总金额"), List.of("订单金额")),
      new Total(List.of("申请退款总金额"), List.of("申请退款金额")));

  private final int maxLine;

  public WechatPayBillParser() {
    this(LineReader.DEFAULT_MAX_LINE);
  }

  /** @param maxLine longest physical line accepted, in characters */
  public WechatPayBillParser(int maxLine) {
    this.maxLine = LineReader.requireMaxLine(maxLine);
  }

  @Override
  public void parse(InputStream input, String fileName, StatementHandler handler) {
    java.io.BufferedInputStream in = LineReader.buffered(input);
    if (WechatPayFundsParser.isFundFlow(in)) {
      // Both bills come from the same download API and look alike; read what the file is.
      new WechatPayFundsParser(maxLine).parse(in, fileName, StatementHandler.warning(handler,
          "a fund-flow bill (资金账单), read as --source wechatpay-funds; reconcile takes it only under that source"));
      return;
    }
    new Run(new BillReader(in, fileName, maxLine), handler).parse();
  }

  private static final class Run {
    private final BillReader reader;
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
    private int refundId;
    private int refundAmount;
    private int refundAppliedAt;
    private int refundedAt;
    private int fee;
    private int feeRate;
    private BigDecimal feeExact = BigDecimal.ZERO;
    private long subMinorFees;
    private String firstSubMinorFee;
    private int product;
    /** Column of each total's figure, -1 where the header lacks it; sums in minor units. */
    private final int[] totalColumns = new int[TOTALS.size()];
    private final long[] sums = new long[TOTALS.size()];
    private CurrencyUnit billCurrency;
    private String account;
    private long rows;
    private LocalDate from;
    private LocalDate to;
    private final List<String> warnings = new ArrayList<>();

    Run(BillReader reader, StatementHandler handler) {
      this.reader = reader;
      this.file = reader.file();
      this.handler = handler;
    }

    void parse() {
      header(reader.first("WeChat Pay bill"));
      BillReader.Body body = reader.rows(width, SUM_COUNT, this::row);
      if (body.summaryHeader() != null) {
        summary(body.summaryHeader());
      } else {
        end(null, List.of(), body.truncated());
      }
    }

    private void header(String line) {
      List<String> names = reader.header(line);
      Map<String, Integer> index = BillReader.index(names);
      if (!index.containsKey(TIME) || !index.containsKey(TXN_ID)) {
        throw new StatementException(file, reader.lineNumber(),
            "not a WeChat Pay trade bill: expected the header " + TIME + ",...," + TXN_ID + ",..., found '"
                + Parsing.abbreviate(line) + "'"
                + (index.containsKey(WechatPayFundsParser.TIME) ? " (a fund-flow bill: use --source wechatpay-funds)" : ""));
      }
      width = names.size();
      time = required(index, List.of(TIME));
      mchId = required(index, List.of(MCH_ID));
      txnId = required(index, List.of(TXN_ID));
      orderId = required(index, List.of(ORDER_ID));
      status = required(index, List.of(STATUS));
      currency = required(index, List.of(CURRENCY));
      fee = required(index, List.of(FEE));
      feeRate = BillReader.column(index, List.of(FEE_RATE));
      settled = required(index, SETTLED);
      refundId = BillReader.column(index, List.of(REFUND_ID));
      refundAmount = BillReader.column(index, List.of(REFUND_AMOUNT));
      refundAppliedAt = BillReader.column(index, List.of(REFUND_APPLIED_AT));
      refundedAt = BillReader.column(index, List.of(REFUNDED_AT));
      product = BillReader.column(index, List.of(PRODUCT));
      for (int i = 0; i < TOTALS.size(); i++) {
        totalColumns[i] = BillReader.column(index, TOTALS.get(i).columnNames());
      }
    }

    /** 费率 as a fraction ("0.60%" is 0.006), null where the bill leaves it empty or has no such column. */
    private BigDecimal rate(List<String> v, long n) {
      if (feeRate < 0) {
        return null;
      }
      String text = v.get(feeRate).strip();
      if (text.isEmpty()) {
        return null;
      }
      boolean percent = text.endsWith("%");
      try {
        BigDecimal value = new BigDecimal(percent ? text.substring(0, text.length() - 1).strip() : text);
        BigDecimal fraction = percent ? value.movePointLeft(2) : value;
        if (fraction.signum() < 0 || fraction.compareTo(BigDecimal.ONE) > 0) {
          throw new StatementException(file, n, FEE_RATE + " is not a rate within 0..100%: '" + text + "'");
        }
        return fraction;
      } catch (NumberFormatException e) {
        throw new StatementException(file, n, FEE_RATE + " is not a rate such as 0.60%: '" + text + "'");
      }
    }

    private int required(Map<String, Integer> index, List<String> names) {
      int i = BillReader.column(index, names);
      if (i < 0) {
        throw new StatementException(file, reader.lineNumber(), "missing required column " + String.join(" or ", names));
      }
      return i;
    }

    private void row(List<String> v) {
      long n = reader.lineNumber();
      String code = v.get(currency);
      if (billCurrency == null) {
        billCurrency = Parsing.currency(code, file, n);
        account = Parsing.emptyToNull(v.get(mchId));
      } else if (!billCurrency.getCurrencyCode().equals(code)) {
        throw new StatementException(file, n, "mixed currencies in one bill: " + code + " after " + billCurrency);
      }
      String txn = v.get(txnId);
      if (txn.isEmpty()) {
        throw new StatementException(file, n, TXN_ID + " is empty");
      }
      long settledMinor = minor(v, settled, n, SETTLED.get(0));
      long feeMinor = fee(v.get(fee), n);
      long refundMinor = refundAmount >= 0 ? minor(v, refundAmount, n, REFUND_AMOUNT) : 0;
      for (int i = 0; i < TOTALS.size(); i++) {
        if (totalColumns[i] >= 0) {
          long value = totalColumns[i] == fee ? feeMinor : minor(v, totalColumns[i], n, TOTALS.get(i).columnNames().get(0));
          try {
            sums[i] = Math.addExact(sums[i], value);
          } catch (ArithmeticException e) {
            throw new StatementException(file, n, "totals overflow");
          }
        }
      }
      String state = v.get(status);
      boolean refund = "REFUND".equals(state) || ("REVOKED".equals(state) && refundMinor != 0);
      LocalDateTime at = reader.dateTime(v.get(time), n, TIME);
      StatementLine out;
      if (refund) {
        if (refundAmount < 0) {
          throw new StatementException(file, n, state + " row but the header has no " + REFUND_AMOUNT + " column");
        }
        String refundRef = refundId >= 0 ? v.get(refundId) : "";
        if (refundRef.isEmpty() || refundRef.equals("0")) {
          refundRef = null;
          warnings.add("line " + n + ": " + state + " row without " + REFUND_ID + "; it is matched by " + TXN_ID);
        }
        at = refundTime(v, n, at);
        out = new StatementLine(n, LineType.REFUND, txn, refundRef, Parsing.emptyToNull(v.get(orderId)), null,
            at.atZone(WechatPay.ZONE).toInstant(), at.toLocalDate(), billCurrency, -refundMinor, feeMinor,
            description(v), rate(v, n));
      } else {
        out = new StatementLine(n, LineType.PAYMENT, txn, null, Parsing.emptyToNull(v.get(orderId)), null,
            at.atZone(WechatPay.ZONE).toInstant(), at.toLocalDate(), billCurrency, settledMinor, feeMinor,
            description(v), rate(v, n));
      }
      LocalDate date = at.toLocalDate();
      if (from == null || date.isBefore(from)) {
        from = date;
      }
      if (to == null || date.isAfter(to)) {
        to = date;
      }
      rows++;
      handler.line(out);
    }

    /** In the REFUND bill 交易时间 is the original payment's; the refund happened when it succeeded. */
    private LocalDateTime refundTime(List<String> v, long n, LocalDateTime tradeTime) {
      if (refundedAt >= 0 && !v.get(refundedAt).isEmpty()) {
        return reader.dateTime(v.get(refundedAt), n, REFUNDED_AT);
      }
      if (refundAppliedAt >= 0 && !v.get(refundAppliedAt).isEmpty()) {
        return reader.dateTime(v.get(refundAppliedAt), n, REFUND_APPLIED_AT);
      }
      return tradeTime;
    }

    private long minor(List<String> v, int column, long n, String name) {
      return Parsing.minor(v.get(column), currencyOrCny(), file, n, name);
    }

    /**
     * The fee in minor units. Bills write it to five decimals ("0.60000"). Old bills and tiny
     * orders carry digits below the fen (2% of 0.01 is "0.00020"); the ledger books fees in whole
     * fen, so such a fee is rounded half-up and the file gets a warning, while the summary's fee
     * total is checked against the exact sum of what the rows state.
     */
    private long fee(String text, long n) {
      BigDecimal value = reader.decimal(text, n, FEE);
      feeExact = feeExact.add(value);
      int scale = Amounts.scale(currencyOrCny());
      if (value.stripTrailingZeros().scale() > scale) {
        if (subMinorFees++ == 0) {
          firstSubMinorFee = "line " + n + ": " + text;
        }
        value = value.setScale(scale, java.math.RoundingMode.HALF_UP);
        return Parsing.minor(value.toPlainString(), currencyOrCny(), file, n, FEE);
      }
      return Parsing.minor(text, currencyOrCny(), file, n, FEE);
    }

    private CurrencyUnit currencyOrCny() {
      return billCurrency != null ? billCurrency : Amounts.currency("CNY");
    }

    private String description(List<String> v) {
      return product >= 0 ? Parsing.emptyToNull(v.get(product)) : null;
    }

    private void summary(String headerLine) {
      long headerAt = reader.lineNumber();
      List<String> names = reader.header(headerLine);
      String rowLine = reader.next();
      if (rowLine == null) {
        end(null, List.of(), "the summary header (line " + headerAt + ") has no summary row");
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
      String countText = summary.get(SUM_COUNT);
      long count = reader.count(countText == null ? "" : countText, n, SUM_COUNT);
      if (count > rows) {
        end(summary, List.of(), SUM_COUNT + " counts " + count + " rows but the bill has " + rows);
        return;
      }
      List<Inconsistency> inconsistencies = new ArrayList<>();
      if (count != rows) {
        inconsistencies.add(new Inconsistency(n, "summary " + SUM_COUNT, Long.toString(count), Long.toString(rows)));
      }
      CurrencyUnit cur = currencyOrCny();
      for (int i = 0; i < TOTALS.size(); i++) {
        Total total = TOTALS.get(i);
        String name = total.summaryNames().stream().filter(summary::containsKey).findFirst().orElse(null);
        if (name == null) {
          continue;
        }
        BigDecimal stated = reader.decimal(summary.get(name), n, name);
        long computed = totalColumns[i] >= 0 ? sums[i] : 0;
        if (total == FEE_TOTAL && subMinorFees > 0) {
          if (stated.compareTo(feeExact) != 0) {
            inconsistencies.add(new Inconsistency(n, "summary " + name, summary.get(name), feeExact.toPlainString()));
          }
          continue;
        }
        if (stated.compareTo(BigDecimal.valueOf(computed, Amounts.scale(cur))) != 0) {
          inconsistencies.add(new Inconsistency(n, "summary " + name, summary.get(name),
              BillReader.format(computed, cur, stated)));
        }
      }
      end(summary, inconsistencies, null);
    }

    private void end(Map<String, String> summary, List<Inconsistency> inconsistencies, String truncated) {
      if (subMinorFees > 0) {
        warnings.add(subMinorFees + " fee(s) below the fen (first " + firstSubMinorFee
            + "), each rounded half-up to the fen; the summary's fee total is checked against their exact sum");
      }
      inconsistencies.forEach(i -> warnings.add(i.message()));
      handler.end(new StatementInfo(account, currencyOrCny(), null, null, summary, from, to, WechatPay.ZONE, rows,
          warnings, inconsistencies, truncated));
    }
  }
}
