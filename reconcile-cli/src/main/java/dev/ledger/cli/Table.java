package dev.ledger.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** Rows of text rendered as an aligned table or as CSV with formula injection neutralised. */
public final class Table {
  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
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

  /** Aligned columns for a terminal; cells are shown one line each, control characters escaped. */
  public void printTable(PrintWriter out) {
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

  private static void printRow(PrintWriter out, String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        line.append("  ");
      }
      String cell = cells[i].replace('\n', ' ');
      boolean numeric = NUMBER.matcher(cell).matches();
      String padding = " ".repeat(Math.max(0, widths[i] - displayWidth(cell)));
      line.append(numeric ? padding + cell : cell + (i == cells.length - 1 ? "" : padding));
    }
    out.println(line.toString().stripTrailing());
  }

  /** CJK characters take two columns on a terminal. */
  private static int displayWidth(String text) {
    int width = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      width += (c >= 0x1100 && (c <= 0x115f || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3)
          || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xff60))) ? 2 : 1;
    }
    return width;
  }
}
