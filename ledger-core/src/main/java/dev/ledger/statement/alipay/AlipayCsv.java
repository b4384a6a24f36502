package dev.ledger.statement.alipay;

import dev.ledger.statement.Csv;
import dev.ledger.statement.Encodings;
import dev.ledger.statement.LineReader;
import dev.ledger.statement.Parsing;
import dev.ledger.statement.StatementException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The layout both Alipay bills share (业务明细 and 账务明细, as {@code
 * alipay.data.dataservice.bill.downloadurl.query} and the merchant portal export them): {@code #}
 * lines with the title, {@code #账号：[2088...]} and {@code #起始日期：[...]   终止日期：[...]}, an
 * optional {@code #----...列表----} marker, the column header, comma-separated rows whose long
 * numbers end in a tab (so that Excel keeps them as text), the {@code #----...列表结束----} marker
 * and {@code #} footers. Files re-saved by Excel pad the {@code #} lines with commas, write half-width
 * parentheses in the column names and {@code yyyy/M/d H:mm} times; all of that is read too.
 */
final class AlipayCsv {

  private static final Pattern ACCOUNT = Pattern.compile("#+\\s*账号\\s*[：:]\\s*\\[([^\\]]*)\\].*");
  private static final Pattern PERIOD =
      Pattern.compile("#+\\s*起始日期\\s*[：:]\\s*\\[([^\\]]+)\\]\\s*终止日期\\s*[：:]\\s*\\[([^\\]]+)\\].*");
  private static final Pattern EXPORTED = Pattern.compile("#+\\s*导出时间\\s*[：:]\\s*\\[?([^\\]]*)\\]?");
  private static final Pattern CN_DATE_TIME =
      Pattern.compile("([0-9]{4})年([0-9]{1,2})月([0-9]{1,2})日(?:\\s*([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?");
  private static final Pattern AMOUNT = Pattern.compile("[+-]?[0-9]{1,18}(\\.[0-9]+)?");
  private static final Pattern SPREADSHEET_NUMBER = Pattern.compile("[0-9](\\.[0-9]+)?[eE]\\+?[0-9]+");
  private static final Pattern LOOSE_DATE_TIME =
      Pattern.compile("([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:[ T]+([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?)?");

  private AlipayCsv() {}

  /**
   * A reader in UTF-8 (with or without BOM) or GBK, read as GB18030. UTF-8 is tried first because
   * GBK bytes are almost never valid UTF-8, whereas UTF-8 Chinese often decodes as (wrong)
   * GB18030; an all-ASCII opening decodes as both and gets UTF-8, but a real bill's first line is
   * already Chinese. A GBK file with a broken byte still fails at that byte's line (Encodings
   * takes the candidate that decodes most of the opening).
   */
  static LineReader open(InputStream input, String file, int maxLine) {
    return LineReader.open(input, List.of(StandardCharsets.UTF_8, Encodings.GB18030), file, maxLine);
  }

  /** A {@code #} line or footer without the commas and blanks Excel pads it with. */
  static String unpad(String line) {
    String text = line.strip();
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == ',' || Character.isWhitespace(text.charAt(end - 1)))) {
      end--;
    }
    return text.substring(0, end);
  }

  /** A column name as written by Alipay: full-width parentheses, no blanks or tabs. */
  static String columnName(String raw) {
    return raw.replace('(', '（').replace(')', '）').replaceAll("[\\s\\u00A0]+", "");
  }

  /** A cell without the tab Alipay appends to long numbers, the surrounding blanks, or a leading backtick. */
  static String cell(String raw) {
    String value = raw.strip();
    if (value.startsWith("`")) {
      value = value.substring(1).strip();
    }
    return value;
  }

  /** "2024-09-12 10:15:02" (the normal form) or what Excel makes of it, "2024/9/12 10:15". */
  static LocalDateTime rowDateTime(String text, String file, long line, String column) {
    if (text.length() == 19 && text.charAt(4) == '-') {
      return Parsing.dateTime(text, file, line, column);
    }
    Matcher m = LOOSE_DATE_TIME.matcher(text);
    if (m.matches() && m.group(4) != null) {
      LocalDateTime at = dateTime(m);
      if (at != null) {
        return at;
      }
    }
    return Parsing.dateTime(text, file, line, column);
  }

  /** Whether {@code text} reads as a row date-time (for telling how a row with extra commas splits). */
  static boolean isDateTime(String text) {
    if (text.isEmpty()) {
      return true;
    }
    Matcher m = LOOSE_DATE_TIME.matcher(text);
    return m.matches() && m.group(4) != null && dateTime(m) != null;
  }

  /** Whether {@code text} reads as an amount cell. */
  static boolean isAmount(String text) {
    return text.isEmpty() || AMOUNT.matcher(text).matches();
  }

  /**
   * An id cell; one that a spreadsheet turned into a number ("2.02409E+27", the tab Alipay
   * appends lost on a re-save) can no longer be matched and is rejected.
   */
  static String id(String value, String column, String file, long line) {
    if (SPREADSHEET_NUMBER.matcher(value).matches()) {
      throw new StatementException(file, line, column + " '" + value + "' was turned into a number by a spreadsheet"
          + " (its digits are lost); use the file as Alipay delivered it");
    }
    return value;
  }

  /** "[2024年09月12日 00:00:00]" or "[2024-09-12 00:00:00]" inside the header's brackets. */
  static LocalDateTime headerDateTime(String text, String file, long line) {
    String value = text.strip();
    Matcher m = CN_DATE_TIME.matcher(value);
    if (!m.matches()) {
      m = LOOSE_DATE_TIME.matcher(value);
    }
    LocalDateTime at = m.matches() ? dateTime(m) : null;
    if (at == null) {
      throw new StatementException(
          file, line, "invalid date '" + Parsing.abbreviate(value) + "', expected yyyy年MM月dd日 HH:mm:ss");
    }
    return at;
  }

  private static LocalDateTime dateTime(Matcher m) {
    try {
      LocalDate date =
          LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
      if (m.group(4) == null) {
        return date.atStartOfDay();
      }
      return date.atTime(
          Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
    } catch (DateTimeException e) {
      return null;
    }
  }

  /**
   * Splits a record into cells; a quoted cell may run over several physical lines, which are
   * appended (bounded by {@code maxLine}). The record's line is the first physical line's. Null
   * when the file ends inside the quoted value (it was cut short there).
   */
  static List<String> cells(LineReader reader, String first, int maxLine) {
    long start = reader.lineNumber();
    String record = first;
    List<String> fields;
    while ((fields = Csv.split(record, ',')) == null) {
      String next = reader.readLine();
      if (next == null) {
        return null;
      }
      if (record.length() + next.length() > maxLine) {
        throw new StatementException(reader.file(), start, "quoted value not closed");
      }
      record = record + "\n" + next;
    }
    fields.replaceAll(AlipayCsv::cell);
    return fields;
  }

  /**
   * The row's cells as {@code width} columns. Alipay neither quotes nor escapes a comma inside a
   * product name or remark, so a row with more cells than the header is read when exactly one of
   * the free-text columns can take the surplus and every other cell then looks as it must
   * ({@code plausible}); trailing empty cells (Excel padding) are dropped. Null when it cannot be
   * told unambiguously.
   */
  static List<String> fit(List<String> cells, int width, List<Integer> freeText, Predicate<List<String>> plausible) {
    if (cells.size() == width) {
      return cells;
    }
    if (cells.size() < width) {
      return null;
    }
    List<String> trimmed = new ArrayList<>(cells);
    while (trimmed.size() > width && trimmed.get(trimmed.size() - 1).isEmpty()) {
      trimmed.remove(trimmed.size() - 1);
    }
    if (trimmed.size() == width) {
      return trimmed;
    }
    int surplus = trimmed.size() - width;
    List<String> found = null;
    for (int column : freeText) {
      if (column < 0) {
        continue;
      }
      List<String> merged = new ArrayList<>(width);
      merged.addAll(trimmed.subList(0, column));
      merged.add(String.join(",", trimmed.subList(column, column + surplus + 1)));
      merged.addAll(trimmed.subList(column + surplus + 1, trimmed.size()));
      if (plausible.test(merged)) {
        if (found != null) {
          return null;
        }
        found = merged;
      }
    }
    return found;
  }

  /** Column index by normalised name; the first of several equal names wins. */
  static Map<String, Integer> index(List<String> header) {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < header.size(); i++) {
      index.putIfAbsent(columnName(header.get(i)), i);
    }
    return index;
  }

  /** The first of {@code names} present in the header, else -1. */
  static int column(Map<String, Integer> index, String... names) {
    for (String name : names) {
      Integer i = index.get(name);
      if (i != null) {
        return i;
      }
    }
    return -1;
  }

  /** The number of header columns, without the empty names Excel pads a header with. */
  static int width(List<String> header) {
    int width = header.size();
    while (width > 1 && header.get(width - 1).isEmpty()) {
      width--;
    }
    return width;
  }

  /**
   * The {@code #} lines before the column header and the header itself. {@code title} names the
   * file kind for messages ("业务明细"), {@code key} is a column every header of that kind has.
   */
  record Preamble(String account, LocalDate periodFrom, LocalDate periodTo, List<String> header, long headerLine) {

    static Preamble read(LineReader reader, String title, String key, int maxLine) {
      String file = reader.file();
      String account = null;
      LocalDate from = null;
      LocalDate to = null;
      String line;
      while ((line = reader.readLine()) != null) {
        String text = unpad(line);
        if (text.isEmpty()) {
          continue;
        }
        long n = reader.lineNumber();
        if (!text.startsWith("#")) {
          List<String> header = cells(reader, line, maxLine);
          if (header == null) {
            throw new StatementException(file, n, "quoted value not closed in the column header");
          }
          if (!header.stream().map(AlipayCsv::columnName).toList().contains(key)) {
            throw new StatementException(file, n, "not an Alipay " + title + " file: expected '#' lines and a column"
                + " header with " + key + ", found '" + Parsing.abbreviate(text) + "'");
          }
          return new Preamble(account, from, to, header, n);
        }
        Matcher m = ACCOUNT.matcher(text);
        if (m.matches()) {
          account = Parsing.emptyToNull(m.group(1).strip());
          continue;
        }
        m = PERIOD.matcher(text);
        if (m.matches()) {
          LocalDateTime start = headerDateTime(m.group(1), file, n);
          LocalDateTime end = headerDateTime(m.group(2), file, n);
          from = start.toLocalDate();
          // 终止日期 is exclusive when it is a midnight after the start ([12日 00:00:00, 13日 00:00:00])
          to = end.toLocalTime().equals(LocalTime.MIDNIGHT) && end.isAfter(start)
              ? end.toLocalDate().minusDays(1)
              : end.toLocalDate();
          if (to.isBefore(from)) {
            throw new StatementException(file, n, "终止日期 before 起始日期");
          }
        }
      }
      throw new StatementException(file, reader.lineNumber(), reader.lineNumber() == 0
          ? "empty file: no Alipay " + title + " header"
          : "no column header with " + key + " (is this an Alipay " + title + " file?)");
    }
  }

  /** The export time of a {@code #导出时间：[...]} footer, else null. */
  static String exported(String text) {
    Matcher m = EXPORTED.matcher(text);
    return m.matches() ? m.group(1).strip() : null;
  }

  /** Receives what follows the column header of an Alipay file. */
  interface BodySink {
    void row(String line, long n);

    /** A footer such as {@code #交易合计：...}, matched by the file's footer pattern (group 1 names it). */
    void footer(Matcher footer, long n);
  }

  /**
   * How the rows of an Alipay file ended: whether the end marker (or a footer) came, which
   * footers (group 1 of the pattern) were seen, and the export time if stated.
   */
  record Body(boolean ended, java.util.Set<String> footers, String exported) {}

  /**
   * Reads the rows, the {@code #----endMarker----} line and the footers after the column header. A
   * row after the end, or a {@code #} line among the rows that is neither, is rejected with its line.
   */
  static Body readBody(LineReader reader, String endMarker, Pattern footer, BodySink sink, List<String> warnings) {
    String file = reader.file();
    boolean ended = false;
    java.util.Set<String> footers = new java.util.LinkedHashSet<>();
    String exported = null;
    String line;
    while ((line = reader.readLine()) != null) {
      String text = unpad(line);
      if (text.isEmpty()) {
        continue;
      }
      long n = reader.lineNumber();
      if (!text.startsWith("#")) {
        if (ended) {
          throw new StatementException(file, n, "unexpected row after the end marker: " + Parsing.abbreviate(text));
        }
        sink.row(line, n);
        continue;
      }
      if (text.contains(endMarker)) {
        ended = true;
        continue;
      }
      Matcher m = footer.matcher(text);
      if (m.matches()) {
        if (!ended) {
          warnings.add("line " + n + ": no " + endMarker + " marker before the footers");
          ended = true;
        }
        sink.footer(m, n);
        footers.add(m.group(1));
        continue;
      }
      String time = exported(text);
      if (time != null) {
        exported = time;
      } else if (!ended) {
        throw new StatementException(file, n, "unexpected '#' line inside the rows: " + Parsing.abbreviate(text));
      }
    }
    return new Body(ended, footers, exported);
  }

  /**
   * The {@code width} values of the row on {@code line}, fitted to the header ({@link #fit}); null
   * when the file stops inside the row (a quoted value left open, or a last row short of fields),
   * which is reported to {@code truncated}. A row that cannot be fitted is rejected with its line.
   */
  static List<String> fields(LineReader reader, String line, long n, int width, List<Integer> freeText,
      Predicate<List<String>> plausible, int maxLine, java.util.function.Consumer<String> truncated) {
    List<String> cells = cells(reader, line, maxLine);
    if (cells == null) {
      truncated.accept("the file ends inside a quoted value of line " + n);
      return null;
    }
    List<String> v = fit(cells, width, freeText, plausible);
    // a last row with fewer cells than the header is where the file was cut off, not a broken row
    if (v == null && cells.size() < width && reader.readLine() == null) {
      truncated.accept("the last row, line " + n + ", stops after " + cells.size() + " of " + width + " fields");
      return null;
    }
    if (v == null) {
      throw new StatementException(reader.file(), n, "row has " + cells.size() + " fields, the header has " + width
          + (cells.size() > width ? " (and the extra commas cannot be told apart)" : ""));
    }
    return v;
  }
}
