package dev.ledger.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * Rows of text rendered as an aligned table fitted to the terminal width, as CSV with formula
 * injection neutralised, or as an XLSX sheet. A cell that reads as a plain decimal number is a
 * number (right-aligned, never truncated, a numeric XLSX cell holding the exact decimal), except
 * in identifier columns ({@code id}, {@code *_id}, {@code key}, {@code hash}, ...), which stay
 * text so that an id like {@code 4200001234} keeps its digits. Not thread-safe.
 */
public final class Table {
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
  /** Dates and times: never cut, a cut time reads as another time. */
  private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}([T ][0-9:.+\\-Z]*)?");
  /** Width when the terminal's is unknown (no COLUMNS). */
  public static final int DEFAULT_WIDTH = 100;
  private static final int MIN_TEXT_WIDTH = 6;
  private final List<String> headers;
  private final List<String[]> rows = new ArrayList<>();

  public Table(String... headers) {
    this.headers = List.of(headers);
  }

  public Table row(Object... cells) {
    if (cells.length != headers.size()) {
      throw new IllegalArgumentException(
          "Row has " + cells.length + " cells, table has " + headers.size() + " columns");
    }
    String[] text = new String[cells.length];
    for (int i = 0; i < cells.length; i++) {
      text[i] = cells[i] == null ? "" : cells[i].toString();
    }
    rows.add(text);
    return this;
  }

  public int size() {
    return rows.size();
  }

  /** Labelled lines ("label  value"), labels aligned, values escaped for the terminal. */
  public static String keyValues(String[][] pairs) {
    int width = 0;
    for (String[] pair : pairs) {
      width = Math.max(width, pair[0].length());
    }
    StringBuilder text = new StringBuilder();
    for (String[] pair : pairs) {
      if (text.length() > 0) {
        text.append(System.lineSeparator());
      }
      text.append(pair[0]).append(" ".repeat(width - pair[0].length() + 2)).append(Terminal.line(pair[1]));
    }
    return text.toString();
  }

  public List<String> headers() {
    return headers;
  }

  /**
   * Aligned rows printed as they come, for results too large to hold (history): the column widths
   * are fixed up front. A positive width is kept (times, amounts: never cut); a negative one is a
   * weight: such text columns share what {@code maxWidth} leaves, in proportion, at least
   * {@value #MIN_TEXT_WIDTH} each, and longer text is cut with an ellipsis.
   */
  public static final class Stream {
    private final PrintWriter out;
    private final int[] widths;

    public Stream(PrintWriter out, List<String> headers, int[] spec, int maxWidth) {
      if (spec.length != headers.size()) {
        throw new IllegalArgumentException(spec.length + " widths for " + headers.size() + " columns");
      }
      this.out = out;
      this.widths = new int[spec.length];
      int fixed = 2 * (spec.length - 1);
      int weights = 0;
      for (int i = 0; i < spec.length; i++) {
        if (spec[i] > 0) {
          widths[i] = Math.max(spec[i], headers.get(i).length());
          fixed += widths[i];
        } else {
          weights += -spec[i];
        }
      }
      int left = Math.max(0, maxWidth - fixed);
      for (int i = 0; i < spec.length; i++) {
        if (spec[i] <= 0) {
          int share = weights == 0 ? 0 : (int) ((long) left * -spec[i] / weights);
          widths[i] = Math.max(Math.max(MIN_TEXT_WIDTH, Math.min(headers.get(i).length(), 12)), share);
        }
      }
      printRow(out, headers.toArray(String[]::new), widths);
      String[] rule = new String[widths.length];
      for (int i = 0; i < widths.length; i++) {
        rule[i] = "-".repeat(widths[i]);
      }
      printRow(out, rule, widths);
    }

    public void row(String... cells) {
      String[] safe = new String[cells.length];
      for (int i = 0; i < cells.length; i++) {
        safe[i] = cells[i] == null ? "" : Terminal.line(cells[i]);
      }
      printRow(out, safe, widths);
    }
  }

  /** One CSV line of {@code cells} (formula injection neutralised). */
  public static String csvLine(List<String> cells) {
    return String.join(",", cells.stream().map(c -> csvCell(c == null ? "" : c)).toList());
  }

  /** The terminal's width: $COLUMNS, else {@link #DEFAULT_WIDTH}. */
  public static int terminalWidth() {
    return width(System.getenv("COLUMNS"));
  }

  /** The width a COLUMNS value names when it is a sane number (20 or more), else {@link #DEFAULT_WIDTH}. */
  public static int width(String columns) {
    if (columns != null) {
      try {
        int width = Integer.parseInt(columns.trim());
        if (width >= 20) {
          return width;
        }
      } catch (NumberFormatException ignored) {
        // not a number: the default
      }
    }
    return DEFAULT_WIDTH;
  }

  /** Aligned columns fitted to the terminal width (see {@link #printTable(PrintWriter, int)}). */
  public void printTable(PrintWriter out) {
    printTable(out, terminalWidth());
  }

  /**
   * Aligned columns; cells are shown one line each, control characters escaped. Wider than
   * {@code maxWidth}, the widest text column is cut with an ellipsis, again until the table fits or
   * only numbers and short columns are left: numbers, times, hashes and cursors are never cut.
   */
  public void printTable(PrintWriter out, int maxWidth) {
    List<String[]> rows = new ArrayList<>(this.rows.size());
    for (String[] row : this.rows) {
      String[] safe = new String[row.length];
      for (int i = 0; i < row.length; i++) {
        safe[i] = Terminal.line(row[i]);
      }
      rows.add(safe);
    }
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], displayWidth(row[i]));
      }
    }
    fit(widths, rows, maxWidth);
    printRow(out, headers.toArray(String[]::new), widths);
    String[] rule = new String[widths.length];
    for (int i = 0; i < widths.length; i++) {
      rule[i] = "-".repeat(widths[i]);
    }
    printRow(out, rule, widths);
    for (String[] row : rows) {
      printRow(out, row, widths);
    }
    out.flush();
  }

  public void printCsv(PrintWriter out) {
    out.println(String.join(",", headers.stream().map(Table::csvCell).toList()));
    for (String[] row : rows) {
      out.println(String.join(",", Arrays.stream(row).map(Table::csvCell).toList()));
    }
    out.flush();
  }

  /**
   * Quotes a CSV cell and defuses spreadsheet formulas: a cell starting with = + - @ (or a tab or
   * carriage return) gets a leading apostrophe, except plain numbers such as -12.50.
   */
  static String csvCell(String value) {
    String cell = value;
    if (!cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0 && !NUMBER.matcher(cell).matches()) {
      cell = "'" + cell;
    }
    if (cell.contains(",") || cell.contains("\"") || cell.contains("\n") || cell.contains("\r")
        || cell.startsWith("'")) {
      cell = "\"" + cell.replace("\"", "\"\"") + "\"";
    }
    return cell;
  }

  private void fit(int[] widths, List<String[]> rows, int maxWidth) {
    boolean[] cuttable = new boolean[widths.length];
    for (int i = 0; i < widths.length; i++) {
      // Hashes and cursors are copied whole into other commands: cut, they are useless.
      String header = headers.get(i).toLowerCase(java.util.Locale.ROOT);
      cuttable[i] = !header.endsWith("hash") && !header.equals("cursor");
      for (String[] row : cuttable[i] ? rows : List.<String[]>of()) {
        if (NUMBER.matcher(row[i]).matches() || TIME.matcher(row[i]).matches()) {
          cuttable[i] = false;
          break;
        }
      }
    }
    int total = 2 * (widths.length - 1);
    for (int width : widths) {
      total += width;
    }
    while (total > maxWidth) {
      int widest = -1;
      for (int i = 0; i < widths.length; i++) {
        int floor = Math.min(MIN_TEXT_WIDTH, headers.get(i).length());
        if (cuttable[i] && widths[i] > Math.max(floor, 2) && (widest < 0 || widths[i] > widths[widest])) {
          widest = i;
        }
      }
      if (widest < 0) {
        return;
      }
      widths[widest]--;
      total--;
    }
  }

  /** Cuts {@code text} to {@code width} terminal columns, the last one an ellipsis. */
  static String cut(String text, int width) {
    if (displayWidth(text) <= width) {
      return text;
    }
    StringBuilder kept = new StringBuilder();
    int used = 0;
    for (int i = 0; i < text.length(); i++) {
      int w = displayWidth(String.valueOf(text.charAt(i)));
      if (used + w > width - 1) {
        break;
      }
      kept.append(text.charAt(i));
      used += w;
    }
    return kept.append('\u2026').toString();
  }

  /** Whether a column holds identifiers: text in every format, even when the value is all digits. */
  static boolean identifier(String header) {
    String h = header.toLowerCase(java.util.Locale.ROOT);
    return h.equals("id") || h.endsWith("_id") || h.endsWith(" id") || h.equals("key") || h.endsWith("hash")
        || h.endsWith("reference") || h.equals("cursor") || h.equals("account");
  }

  /**
   * The table as one XLSX sheet: a bold header row, numbers as numeric cells holding the exact
   * decimal text (no binary rounding in the file), everything else as text.
   */
  public void writeXlsx(OutputStream out) throws IOException {
    try (Xlsx xlsx = new Xlsx(headers, false)) {
      for (String[] row : rows) {
        xlsx.row(row);
      }
      xlsx.write(out);
    }
  }

  /**
   * One XLSX sheet written row by row. In memory, a numeric cell holds the exact decimal text.
   * Streamed (constant memory: rows go to a temporary file a window at a time), a numeric cell
   * holds the nearest double, exact for up to 15 significant digits (Excel's own precision); a
   * longer number is written as text rather than rounded.
   */
  public static final class Xlsx implements AutoCloseable {
    private final org.apache.poi.ss.usermodel.Workbook workbook;
    private final Sheet sheet;
    private final boolean[] identifiers;
    private final boolean streamed;
    private int next;

    public Xlsx(List<String> headers, boolean streamed) {
      this.streamed = streamed;
      this.workbook = streamed ? new SXSSFWorkbook(200) : new XSSFWorkbook();
      this.sheet = workbook.createSheet("ledger");
      this.identifiers = new boolean[headers.size()];
      CellStyle bold = workbook.createCellStyle();
      Font font = workbook.createFont();
      font.setBold(true);
      bold.setFont(font);
      Row header = sheet.createRow(next++);
      for (int i = 0; i < headers.size(); i++) {
        identifiers[i] = identifier(headers.get(i));
        Cell cell = header.createCell(i, CellType.STRING);
        cell.setCellValue(headers.get(i));
        cell.setCellStyle(bold);
      }
      sheet.createFreezePane(0, 1);
    }

    public void row(String[] cells) {
      Row row = sheet.createRow(next++);
      for (int i = 0; i < cells.length; i++) {
        String text = cells[i];
        if (text == null || text.isEmpty()) {
          continue;
        }
        if (identifiers[i] || !NUMBER.matcher(text).matches()) {
          row.createCell(i, CellType.STRING).setCellValue(text);
        } else if (!streamed) {
          XSSFCell cell = (XSSFCell) row.createCell(i, CellType.NUMERIC);
          cell.setCellValue(0); // makes the cell numeric; the value is set exactly below
          cell.getCTCell().setV(new BigDecimal(text).toPlainString());
        } else if (new BigDecimal(text).precision() <= 15) {
          row.createCell(i, CellType.NUMERIC).setCellValue(Double.parseDouble(text));
        } else {
          row.createCell(i, CellType.STRING).setCellValue(text);
        }
      }
    }

    public void write(OutputStream out) throws IOException {
      workbook.write(out);
    }

    @Override
    public void close() throws IOException {
      if (workbook instanceof SXSSFWorkbook streaming) {
        streaming.dispose();
      }
      workbook.close();
    }
  }

  private static void printRow(PrintWriter out, String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        line.append("  ");
      }
      String whole = cells[i].replace('\n', ' ');
      boolean numeric = NUMBER.matcher(whole).matches();
      String cell = numeric ? whole : cut(whole, widths[i]);
      String padding = " ".repeat(Math.max(0, widths[i] - displayWidth(cell)));
      line.append(numeric ? padding + cell : cell + (i == cells.length - 1 ? "" : padding));
    }
    out.println(line.toString().stripTrailing());
  }

  /** CJK characters take two columns on a terminal. */
  static int displayWidth(String text) {
    int width = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      width += (c >= 0x1100 && (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3)
          || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xff60))) ? 2 : 1;
    }
    return width;
  }
}
