package dev.ledger.statement.wechatpay;

import dev.ledger.money.Amounts;
import dev.ledger.statement.Csv;
import dev.ledger.statement.Encodings;
import dev.ledger.statement.LineReader;
import dev.ledger.statement.Parsing;
import dev.ledger.statement.StatementException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.money.CurrencyUnit;

/**
 * The text layer that WeChat Pay's trade and fund-flow bills share: a header line, rows whose values
 * carry a leading backtick (so spreadsheets keep long ids as text), then a summary header and row.
 * Real files differ in ways that do not change their meaning, and all of them are read here:
 * UTF-8 with or without BOM or a GBK/GB18030 re-export, CRLF or LF, blank lines between records
 * (the published samples have them), comma- or tab-separated (sandbox and spreadsheet exports),
 * values with or without the backtick, counts written as decimals ({@code `20.0}), full-width
 * parentheses in column names ({@code 收支金额（元）}) and full-width colons in times
 * ({@code 16：33：45}, as in the v2 documentation sample). Not thread-safe: one per parse.
 */
final class BillReader {
  /** What the bills are found in: UTF-8 from the API, GBK/GB18030 after a spreadsheet re-save. */
  static final List<Charset> ENCODINGS = List.of(StandardCharsets.UTF_8, Encodings.GB18030);
  private static final Pattern COUNT = Pattern.compile("[0-9]{1,18}(\\.0+)?");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?[0-9]{1,20}(\\.[0-9]{1,10})?");

  private final LineReader reader;
  private final String file;
  private String pushedBack;
  private long pushedBackAt;
  private long lineNumber;
  private char delimiter = ',';

  BillReader(InputStream in, String file, int maxLine) {
    this.file = file;
    this.reader = LineReader.open(in, ENCODINGS, file, maxLine);
  }

  String file() {
    return file;
  }

  /** Physical line number of the record last returned. */
  long lineNumber() {
    return lineNumber;
  }

  /** The next non-blank line, or null at the end of the file. */
  String next() {
    if (pushedBack != null) {
      String line = pushedBack;
      pushedBack = null;
      lineNumber = pushedBackAt;
      return line;
    }
    String line;
    while ((line = reader.readLine()) != null) {
      if (!line.isBlank()) {
        lineNumber = reader.lineNumber();
        return line;
      }
    }
    lineNumber = reader.lineNumber();
    return null;
  }

  /** Whether anything but blank lines follows; what follows is still returned by {@link #next}. */
  boolean atEnd() {
    long current = lineNumber;
    String line = next();
    if (line == null) {
      lineNumber = current;
      return true;
    }
    pushedBack = line;
    pushedBackAt = lineNumber;
    lineNumber = current;
    return false;
  }

  /**
   * Splits the header line and fixes the delimiter for the rest of the file: tab when the header
   * has tabs and no commas (a sandbox or spreadsheet export), else comma.
   */
  /** The first non-blank line (the column header); an empty file is rejected naming {@code what}. */
  String first(String what) {
    String line = next();
    if (line == null) {
      throw new StatementException(file, 0, "empty file: no " + what + " header");
    }
    return line;
  }

  /**
   * Where the rows of a bill ended: at the summary header (its line), or short of one, with why the
   * bill looks truncated.
   */
  record Body(String summaryHeader, String truncated) {}

  /**
   * Hands each row after the column header ({@code width} fields) to {@code rows} until the summary
   * header, whose first column is {@code summaryName}. A last row cut short, or no summary at all,
   * ends the bill as truncated; a short row in the middle is rejected.
   */
  Body rows(int width, String summaryName, java.util.function.Consumer<List<String>> rows) {
    String line;
    while ((line = next()) != null) {
      if (startsWithName(line, summaryName)) {
        return new Body(line, null);
      }
      List<String> v = values(line, width);
      if (v == null) {
        long n = lineNumber();
        int found = fieldCount(line);
        if (atEnd() && found < width) {
          return new Body(null, "the last row (line " + n + ") is cut short and no summary follows");
        }
        throw new StatementException(file, n, "row has " + found + " fields, the header has " + width);
      }
      rows.accept(v);
    }
    return new Body(null, "no summary (" + summaryName + ",...) after the rows");
  }

  List<String> header(String line) {
    delimiter = line.indexOf('\t') >= 0 && line.indexOf(',') < 0 ? '\t' : ',';
    List<String> names = Csv.split(line, delimiter);
    if (names == null) {
      throw new StatementException(file, lineNumber, "header: unterminated quote");
    }
    List<String> out = new ArrayList<>(names.size());
    for (String name : names) {
      out.add(columnName(name));
    }
    return out;
  }

  /** "`收支金额（元）" and "收支金额(元)" both become "收支金额(元)". */
  static String columnName(String raw) {
    return value(raw).replace('（', '(').replace('）', ')');
  }

  /** Index of each column name (the first occurrence wins). */
  static Map<String, Integer> index(List<String> names) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      index.putIfAbsent(names.get(i), i);
    }
    return index;
  }

  /** The first of {@code names} that the header has, or -1. */
  static int column(Map<String, Integer> index, List<String> names) {
    for (String name : names) {
      Integer i = index.get(name);
      if (i != null) {
        return i;
      }
    }
    return -1;
  }

  /** Whether {@code line} starts with the given first column name (backtick, BOM and spaces ignored). */
  static boolean startsWithName(String line, String name) {
    int i = 0;
    while (i < line.length() && (line.charAt(i) == '`' || line.charAt(i) == '\uFEFF' || Character.isWhitespace(line.charAt(i)))) {
      i++;
    }
    return line.startsWith(name, i);
  }

  /**
   * The values of one record, backticks and surrounding spaces removed, or null when it does not
   * have {@code width} fields. With backticks, ",`" separates values, so a comma inside a product
   * name stays in its value; a file in which some values lack the backtick is split plainly instead.
   * Empty fields beyond {@code width} (a trailing separator) are dropped.
   */
  List<String> values(String line, int width) {
    List<String> fields = null;
    if (delimiter == ',' && line.indexOf('`') >= 0) {
      fields = trimmed(splitBackticked(line), width);
    }
    if (fields == null || fields.size() != width) {
      List<String> plain = Csv.split(line, delimiter);
      List<String> candidate = plain == null ? null : trimmed(plain, width);
      if (candidate != null && candidate.size() == width) {
        fields = candidate;
      }
    }
    if (fields == null || fields.size() != width) {
      return null;
    }
    fields.replaceAll(BillReader::value);
    return fields;
  }

  /** The number of fields a plain split finds, for error messages. */
  int fieldCount(String line) {
    List<String> fields = Csv.split(line, delimiter);
    return fields == null ? 0 : fields.size();
  }

  private static List<String> trimmed(List<String> fields, int width) {
    List<String> out = new ArrayList<>(fields);
    while (out.size() > width && value(out.get(out.size() - 1)).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

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

  private static String value(String raw) {
    String v = raw.strip();
    if (!v.isEmpty() && v.charAt(0) == '\uFEFF') {
      v = v.substring(1).strip();
    }
    if (!v.isEmpty() && v.charAt(0) == '`') {
      v = v.substring(1).strip();
    }
    return v;
  }

  /** A count such as "45" or "45.0" (what some bills write); anything else is malformed. */
  long count(String text, long line, String column) {
    if (!COUNT.matcher(text).matches()) {
      throw new StatementException(file, line, column + ": invalid count '" + Parsing.abbreviate(text) + "'");
    }
    int dot = text.indexOf('.');
    return Long.parseLong(dot < 0 ? text : text.substring(0, dot));
  }

  /**
   * A summary figure at the precision the bill writes it (fee totals have five decimals), so that
   * "0.03600" is compared as such and not rounded before the comparison.
   */
  BigDecimal decimal(String text, long line, String column) {
    if (!PLAIN_DECIMAL.matcher(text).matches()) {
      throw new StatementException(file, line, column + ": invalid amount '" + Parsing.abbreviate(text) + "'");
    }
    return new BigDecimal(text);
  }

  /** "2024-09-12 10:15:02"; runs of spaces and full-width colons are tolerated. */
  LocalDateTime dateTime(String text, long line, String column) {
    // every row has one: the common form goes straight to the strict parser
    boolean plain = text.indexOf('：') < 0 && !text.contains("  ") && text.indexOf('\t') < 0;
    String normal = plain ? text : SPACES.matcher(text.replace('：', ':')).replaceAll(" ");
    return Parsing.dateTime(normal, file, line, column);
  }

  /** Formats minor units at the scale a stated figure was written with, for messages. */
  static String format(long minor, CurrencyUnit currency, BigDecimal stated) {
    BigDecimal computed = BigDecimal.valueOf(minor, Amounts.scale(currency));
    return stated.scale() > computed.scale() ? computed.setScale(stated.scale()).toPlainString() : computed.toPlainString();
  }
}
