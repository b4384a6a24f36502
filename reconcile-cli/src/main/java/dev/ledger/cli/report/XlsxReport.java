package dev.ledger.cli.report;

import dev.ledger.cli.report.BreakReport.BreakRow;
import dev.ledger.cli.report.BreakReport.GroupRow;
import dev.ledger.cli.report.BreakReport.SourceRow;
import dev.ledger.db.reconcile.StoredBreak;
import dev.ledger.reconcile.Break;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * The report as a workbook: sheets Summary, By kind, By age and Breaks. Counts are numeric cells;
 * amounts are numeric cells holding the exact decimal (every amount of up to 15 significant
 * digits is stored and read back exactly) with a format of the currency's decimals, so sums in
 * Excel work; text cells are text, never formulas.
 */
final class XlsxReport {
  private XlsxReport() {}

  static void write(BreakReport report, OutputStream target) throws IOException {
    try (XSSFWorkbook book = new XSSFWorkbook()) {
      Styles styles = new Styles(book);
      summary(book.createSheet("Summary"), report, styles);
      groups(book.createSheet("By kind"), "kind", report.kinds(), styles);
      groups(book.createSheet("By age"), "age", report.ages(), styles);
      breaks(book.createSheet("Breaks"), report.breaks(), styles);
      book.write(target);
    }
  }

  private static void summary(Sheet sheet, BreakReport report, Styles styles) {
    header(sheet, styles, "source", "currency", "runs", "lines", "matched", "matched amount", "breaks", "breaks amount");
    int r = 1;
    for (SourceRow row : report.sources()) {
      Row line = sheet.createRow(r++);
      text(line, 0, row.source());
      text(line, 1, row.currency());
      count(line, 2, (long) row.runs());
      count(line, 3, row.lines());
      count(line, 4, row.matchedCount());
      amount(line, 5, row.matchedAmount(), styles);
      count(line, 6, row.breakCount());
      amount(line, 7, row.breakAmount(), styles);
    }
    widths(sheet, 16, 9, 7, 8, 9, 16, 8, 16);
  }

  private static void groups(Sheet sheet, String name, List<GroupRow> rows, Styles styles) {
    header(sheet, styles, name, "currency", "breaks", "amount");
    int r = 1;
    for (GroupRow row : rows) {
      Row line = sheet.createRow(r++);
      text(line, 0, row.group());
      text(line, 1, row.currency());
      count(line, 2, row.count());
      amount(line, 3, row.amount(), styles);
    }
    widths(sheet, 28, 9, 8, 16);
  }

  private static void breaks(Sheet sheet, List<BreakRow> rows, Styles styles) {
    header(sheet, styles, "id", "source", "kind", "key", "entry_id", "line", "currency", "statement_gross",
        "ledger_gross", "statement_fee", "ledger_fee", "difference", "status", "assignee", "age_days", "opened_at", "note");
    int r = 1;
    for (BreakRow row : rows) {
      StoredBreak stored = row.tracked().stored();
      Break item = stored.details();
      String currency = row.currency();
      Row line = sheet.createRow(r++);
      count(line, 0, stored.id());
      text(line, 1, stored.source());
      text(line, 2, item.kind().name());
      text(line, 3, item.key());
      text(line, 4, item.entryId());
      count(line, 5, item.statementLine() > 0 ? item.statementLine() : null);
      text(line, 6, currency);
      minor(line, 7, item.statementGross(), currency, styles);
      minor(line, 8, item.ledgerGross(), currency, styles);
      minor(line, 9, item.statementFee(), currency, styles);
      minor(line, 10, item.ledgerFee(), currency, styles);
      amount(line, 11, row.difference(), styles);
      text(line, 12, stored.state().label());
      text(line, 13, stored.assignee());
      count(line, 14, row.ageDays());
      text(line, 15, row.tracked().openedAt().toString());
      text(line, 16, stored.resolutionNote());
    }
    widths(sheet, 7, 11, 24, 28, 18, 6, 9, 14, 14, 12, 12, 12, 10, 12, 9, 26, 30);
  }

  private static void header(Sheet sheet, Styles styles, String... names) {
    Row row = sheet.createRow(0);
    for (int i = 0; i < names.length; i++) {
      Cell cell = row.createCell(i);
      cell.setCellValue(names[i]);
      cell.setCellStyle(styles.header);
    }
    sheet.createFreezePane(0, 1);
  }

  private static void widths(Sheet sheet, int... characters) {
    for (int i = 0; i < characters.length; i++) {
      sheet.setColumnWidth(i, characters[i] * 256);
    }
  }

  private static void text(Row row, int column, String value) {
    if (value != null) {
      row.createCell(column).setCellValue(value);
    }
  }

  private static void count(Row row, int column, Long value) {
    if (value != null) {
      row.createCell(column).setCellValue(value.doubleValue());
    }
  }

  private static void minor(Row row, int column, Long minor, String currency, Styles styles) {
    if (minor != null) {
      amount(row, column, BreakReport.decimal(minor, currency), styles);
    }
  }

  private static void amount(Row row, int column, BigDecimal value, Styles styles) {
    if (value == null) {
      return;
    }
    if (value.precision() > 15) {
      // Beyond a double's exact digits: kept exact as text rather than rounded silently.
      row.createCell(column).setCellValue(value.toPlainString());
      return;
    }
    Cell cell = row.createCell(column);
    cell.setCellValue(value.doubleValue());
    cell.setCellStyle(styles.amount(value.scale()));
  }

  private static final class Styles {
    final XSSFWorkbook book;
    final CellStyle header;
    final Map<Integer, CellStyle> amounts = new HashMap<>();

    Styles(XSSFWorkbook book) {
      this.book = book;
      header = book.createCellStyle();
      Font bold = book.createFont();
      bold.setBold(true);
      header.setFont(bold);
    }

    CellStyle amount(int scale) {
      return amounts.computeIfAbsent(scale, s -> {
        CellStyle style = book.createCellStyle();
        style.setDataFormat(book.createDataFormat().getFormat(s <= 0 ? "#,##0" : "#,##0." + "0".repeat(s)));
        return style;
      });
    }
  }
}
