package dev.ledger.statement.csv;

import dev.ledger.statement.*;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How to read a generic CSV statement, from a {@code key=value} properties file. Columns are given
 * by header name or 1-based index. Keys:
 *
 * <pre>
 * txn_id, refund_id, order_id, reference, type, datetime, amount, fee, debit, credit, currency
 *                         columns (amount, or debit and credit, and datetime are required)
 * fixed_currency=CNY      when there is no currency column
 * date_format=yyyy-MM-dd HH:mm:ss   (java.time pattern; a pattern without time gives dates)
 * decimal_separator=. | ,
 * sign=signed | debit_credit | type_column   (type_column: amount unsigned, negative when the type
 *                         value is listed in negative_types)
 * refund_types=refund,REFUND,退款   payment_types=payment,PAYMENT,支付,交易   fee_types=fee,FEE
 * settlement_types=settlement,SETTLEMENT   negative_types=refund,REFUND,退款,debit,D,DBIT
 * encoding=UTF-8   delimiter=, | ; | tab | |   header=yes | no   zone=Asia/Shanghai   skip_lines=0
 * </pre>
 */
public final class CsvMapping {
  private static final Set<String> KEYS = Set.of(
      "txn_id", "refund_id", "order_id", "reference", "type", "datetime", "amount", "fee", "debit",
      "credit", "currency", "fixed_currency", "date_format", "decimal_separator", "sign", "refund_types",
      "payment_types", "fee_types", "settlement_types", "negative_types", "encoding", "delimiter",
      "header", "zone", "skip_lines");

  public enum Sign {
    SIGNED,
    DEBIT_CREDIT,
    TYPE_COLUMN
  }

  private final Map<String, String> values;
  final Charset encoding;
  final char delimiter;
  final boolean header;
  final ZoneId zone;
  final DateTimeFormatter dateFormat;
  final boolean dateHasTime;
  final char decimalSeparator;
  final Sign sign;
  final String fixedCurrency;
  final int skipLines;
  final Set<String> refundTypes;
  final Set<String> paymentTypes;
  final Set<String> feeTypes;
  final Set<String> settlementTypes;
  final Set<String> negativeTypes;

  private CsvMapping(Map<String, String> raw) {
    Map<String, String> v = new TreeMap<>();
    raw.forEach((k, val) -> v.put(k.strip(), val.strip()));
    for (String k : v.keySet()) {
      if (!KEYS.contains(k)) {
        throw new IllegalArgumentException("unknown CSV mapping key '" + k + "'; known keys: " + KEYS.stream().sorted().collect(Collectors.joining(", ")));
      }
    }
    this.values = Map.copyOf(v);
    encoding = charset(v.getOrDefault("encoding", "UTF-8"));
    String d = v.getOrDefault("delimiter", ",");
    if (d.equals("tab") || d.equals("\\t")) {
      d = "\t";
    }
    if (d.length() != 1) {
      throw new IllegalArgumentException("delimiter must be one character or 'tab': '" + d + "'");
    }
    delimiter = d.charAt(0);
    header = yesNo(v.getOrDefault("header", "yes"));
    zone = ZoneId.of(v.getOrDefault("zone", "UTC"));
    String pattern = v.getOrDefault("date_format", "yyyy-MM-dd HH:mm:ss");
    dateFormat = DateTimeFormatter.ofPattern(pattern, Locale.ROOT);
    dateHasTime = pattern.contains("H") || pattern.contains("h");
    String sep = v.getOrDefault("decimal_separator", ".");
    if (!sep.equals(".") && !sep.equals(",")) {
      throw new IllegalArgumentException("decimal_separator must be '.' or ',': '" + sep + "'");
    }
    decimalSeparator = sep.charAt(0);
    try {
      sign = Sign.valueOf(v.getOrDefault("sign", "signed").toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("sign must be signed, debit_credit or type_column: '" + v.get("sign") + "'");
    }
    fixedCurrency = v.get("fixed_currency");
    skipLines = Integer.parseInt(v.getOrDefault("skip_lines", "0"));
    refundTypes = list(v.getOrDefault("refund_types", "refund,REFUND,退款"));
    paymentTypes = list(v.getOrDefault("payment_types", "payment,PAYMENT,支付,交易"));
    feeTypes = list(v.getOrDefault("fee_types", "fee,FEE"));
    settlementTypes = list(v.getOrDefault("settlement_types", "settlement,SETTLEMENT"));
    negativeTypes = list(v.getOrDefault("negative_types", "refund,REFUND,退款,debit,D,DBIT"));
    if (!v.containsKey("datetime")) {
      throw new IllegalArgumentException("CSV mapping needs a datetime column");
    }
    if (sign == Sign.DEBIT_CREDIT ? !(v.containsKey("debit") && v.containsKey("credit")) : !v.containsKey("amount")) {
      throw new IllegalArgumentException(sign == Sign.DEBIT_CREDIT
          ? "sign=debit_credit needs debit and credit columns" : "CSV mapping needs an amount column");
    }
    if (sign == Sign.TYPE_COLUMN && !v.containsKey("type")) {
      throw new IllegalArgumentException("sign=type_column needs a type column");
    }
    if (fixedCurrency == null && !v.containsKey("currency")) {
      throw new IllegalArgumentException("CSV mapping needs a currency column or fixed_currency");
    }
    if (!header) {
      for (String key : new String[] {"txn_id", "refund_id", "order_id", "reference", "type", "datetime", "amount", "fee", "debit", "credit", "currency"}) {
        if (v.containsKey(key) && !v.get(key).matches("[1-9][0-9]*")) {
          throw new IllegalArgumentException("header=no: column " + key + " must be a 1-based index, not '" + v.get(key) + "'");
        }
      }
    }
  }

  public static CsvMapping of(Map<String, String> values) {
    return new CsvMapping(values);
  }

  public static CsvMapping parse(Reader reader) {
    Properties p = new Properties();
    try {
      p.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> m = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return new CsvMapping(m);
  }

  public static CsvMapping load(Path file) {
    try (Reader r = Files.newBufferedReader(file)) {
      return parse(r);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CSV mapping " + file + ": " + e.getMessage(), e);
    }
  }

  /** The column reference (name or 1-based index) for a key, or null when unmapped. */
  public String column(String key) {
    return values.get(key);
  }

  private static Charset charset(String name) {
    try {
      return Charset.forName(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown encoding '" + name + "'", e);
    }
  }

  private static boolean yesNo(String s) {
    switch (s.toLowerCase(Locale.ROOT)) {
      case "yes":
      case "true":
        return true;
      case "no":
      case "false":
        return false;
      default:
        throw new IllegalArgumentException("header must be yes or no: '" + s + "'");
    }
  }

  private static Set<String> list(String s) {
    return Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty())
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }
}
