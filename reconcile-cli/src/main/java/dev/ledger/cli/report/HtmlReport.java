package dev.ledger.cli.report;

import dev.ledger.cli.report.BreakReport.BreakRow;
import dev.ledger.cli.report.BreakReport.GroupRow;
import dev.ledger.cli.report.BreakReport.SourceRow;
import dev.ledger.db.reconcile.RunFigures.RunSummary;
import dev.ledger.db.reconcile.StoredBreak;
import dev.ledger.reconcile.Break;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The report as one self-contained HTML page: inline CSS and an inline SVG chart, no script, no
 * external resource, every text from the data escaped. Figures carry {@code data-*} attributes
 * (source, currency, field) so that a test or a script can read them from the DOM.
 */
final class HtmlReport {
  private static final int CHART_WIDTH = 720;
  private static final int LABEL_WIDTH = 170;
  private static final int BAR_HEIGHT = 16;

  private HtmlReport() {}

  static String render(BreakReport report) {
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(escape(report.title())).append("</title>\n<style>\n")
        .append("body{font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;color:#1b1f24}\n")
        .append("h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}\n")
        .append("p.meta{color:#57606a;margin:0 0 16px}\n")
        .append("table{border-collapse:collapse;margin:4px 0 8px}th,td{border-bottom:1px solid #d0d7de;")
        .append("padding:4px 10px;text-align:left;vertical-align:top}th{background:#f6f8fa}\n")
        .append("td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n")
        .append(".status-resolved,.status-closed{color:#1a7f37}.status-open{color:#cf222e}.status-assigned{color:#9a6700}\n")
        .append("td.key,td.entry{font:12px/1.4 ui-monospace,monospace;white-space:nowrap}\n")
        .append("td.note{max-width:280px;overflow-wrap:anywhere}div.wide{overflow-x:auto}\n")
        .append("</style>\n</head>\n<body>\n");
    h.append("<h1>").append(escape(report.title())).append("</h1>\n<p class=\"meta\">Generated ")
        .append(escape(report.generatedAt().toString())).append(" from ").append(report.runs().size())
        .append(report.runs().size() == 1 ? " run" : " runs").append(": ");
    List<RunSummary> runs = report.runs();
    for (int i = 0; i < runs.size(); i++) {
      RunSummary run = runs.get(i);
      h.append(i == 0 ? "" : ", ").append("run ").append(run.id()).append(" (").append(escape(run.source()))
          .append(", ").append(escape(run.fileName())).append(')');
    }
    h.append("</p>\n");
    summary(h, report);
    chart(h, report.sources());
    groups(h, "Breaks by kind", "kind", "by-kind", report.kinds());
    groups(h, "Breaks by age", "age", "by-age", report.ages());
    breaks(h, report.breaks());
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void summary(StringBuilder h, BreakReport report) {
    h.append("<h2>Summary per source</h2>\n<table id=\"summary\">\n<thead><tr><th>source</th><th>currency</th>")
        .append("<th class=\"num\">runs</th><th class=\"num\">lines</th><th class=\"num\">matched</th>")
        .append("<th class=\"num\">matched amount</th><th class=\"num\">breaks</th>")
        .append("<th class=\"num\">breaks amount</th></tr></thead>\n<tbody>\n");
    for (SourceRow row : report.sources()) {
      String data = " data-source=\"" + escape(row.source()) + "\" data-currency=\"" + escape(row.currency()) + "\"";
      h.append("<tr").append(data).append("><td>").append(escape(row.source())).append("</td><td>")
          .append(escape(row.currency())).append("</td>")
          .append(num("runs", Long.toString(row.runs())))
          .append(num("lines", row.lines() == null ? "" : row.lines().toString()))
          .append(num("matched-count", row.matchedCount() == null ? "" : row.matchedCount().toString()))
          .append(num("matched-amount", row.matchedAmount().toPlainString()))
          .append(num("break-count", Long.toString(row.breakCount())))
          .append(num("break-amount", row.breakAmount().toPlainString())).append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n<p class=\"meta\">Matched amount: the size of each entry of the statement's")
        .append(" period on the run's account that no break names. Breaks amount: the size of each break's")
        .append(" difference (statement minus ledger).</p>\n");
  }

  /** Two bars per source and currency, scaled to the largest amount of the page. */
  private static void chart(StringBuilder h, List<SourceRow> rows) {
    BigDecimal max = BigDecimal.ZERO;
    for (SourceRow row : rows) {
      max = max.max(row.matchedAmount()).max(row.breakAmount());
    }
    int rowHeight = 2 * BAR_HEIGHT + 18;
    int height = 30 + rows.size() * rowHeight;
    int barSpace = CHART_WIDTH - LABEL_WIDTH - 110;
    h.append("<h2>Matched and broken amounts per source</h2>\n")
        .append("<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(CHART_WIDTH)
        .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(CHART_WIDTH).append(' ')
        .append(height).append("\" role=\"img\" aria-label=\"Matched and broken amounts per source\">\n")
        .append("<rect x=\"").append(LABEL_WIDTH).append("\" y=\"4\" width=\"12\" height=\"12\" fill=\"#2da44e\"/>")
        .append("<text x=\"").append(LABEL_WIDTH + 16).append("\" y=\"15\" font-size=\"12\">matched</text>")
        .append("<rect x=\"").append(LABEL_WIDTH + 90).append("\" y=\"4\" width=\"12\" height=\"12\" fill=\"#cf222e\"/>")
        .append("<text x=\"").append(LABEL_WIDTH + 106).append("\" y=\"15\" font-size=\"12\">broken</text>\n");
    int y = 30;
    for (SourceRow row : rows) {
      String label = row.source() + (row.currency().isEmpty() ? "" : " " + row.currency());
      h.append("<text x=\"0\" y=\"").append(y + BAR_HEIGHT + 4).append("\" font-size=\"13\">").append(escape(label))
          .append("</text>\n");
      bar(h, y, width(row.matchedAmount(), max, barSpace), "#2da44e", row.matchedAmount(), "matched " + label);
      bar(h, y + BAR_HEIGHT + 2, width(row.breakAmount(), max, barSpace), "#cf222e", row.breakAmount(), "broken " + label);
      y += rowHeight;
    }
    h.append("</svg>\n");
  }

  private static void bar(StringBuilder h, int y, int width, String color, BigDecimal amount, String title) {
    h.append("<rect x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y).append("\" width=\"").append(width)
        .append("\" height=\"").append(BAR_HEIGHT).append("\" fill=\"").append(color).append("\"><title>")
        .append(escape(title)).append(": ").append(amount.toPlainString()).append("</title></rect>")
        .append("<text x=\"").append(LABEL_WIDTH + width + 6).append("\" y=\"").append(y + BAR_HEIGHT - 3)
        .append("\" font-size=\"12\">").append(amount.toPlainString()).append("</text>\n");
  }

  private static int width(BigDecimal amount, BigDecimal max, int space) {
    if (max.signum() == 0 || amount.signum() == 0) {
      return 0;
    }
    return Math.max(1, amount.multiply(BigDecimal.valueOf(space)).divide(max, 0, RoundingMode.HALF_UP).intValue());
  }

  private static void groups(StringBuilder h, String heading, String name, String id, List<GroupRow> rows) {
    h.append("<h2>").append(heading).append("</h2>\n<table id=\"").append(id).append("\">\n<thead><tr><th>")
        .append(name).append("</th><th>currency</th><th class=\"num\">breaks</th><th class=\"num\">amount</th>")
        .append("</tr></thead>\n<tbody>\n");
    for (GroupRow row : rows) {
      h.append("<tr data-group=\"").append(escape(row.group())).append("\" data-currency=\"")
          .append(escape(row.currency())).append("\"><td>").append(escape(row.group())).append("</td><td>")
          .append(escape(row.currency())).append("</td>").append(num("count", Long.toString(row.count())))
          .append(num("amount", row.amount().toPlainString())).append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n");
  }

  private static void breaks(StringBuilder h, List<BreakRow> rows) {
    h.append("<h2>Every break</h2>\n<div class=\"wide\"><table id=\"breaks\">\n<thead><tr><th class=\"num\">id</th><th>source</th>")
        .append("<th>kind</th><th>key</th><th>entry</th><th class=\"num\">line</th><th>currency</th>")
        .append("<th class=\"num\">statement</th><th class=\"num\">ledger</th><th class=\"num\">difference</th>")
        .append("<th>status</th><th>assignee</th><th class=\"num\">age (days)</th><th>note</th></tr></thead>\n<tbody>\n");
    for (BreakRow row : rows) {
      StoredBreak stored = row.tracked().stored();
      Break item = stored.details();
      String status = stored.state().label();
      h.append("<tr data-break=\"").append(stored.id()).append("\" data-source=\"").append(escape(stored.source()))
          .append("\" data-status=\"").append(status).append("\">")
          .append(num("id", Long.toString(stored.id()))).append("<td>").append(escape(stored.source()))
          .append("</td><td>").append(item.kind()).append("</td><td class=\"key\">").append(escape(item.key()))
          .append("</td><td class=\"entry\">").append(escape(item.entryId())).append("</td>")
          .append(num("line", item.statementLine() > 0 ? Long.toString(item.statementLine()) : ""))
          .append("<td>").append(escape(row.currency())).append("</td>")
          .append(num("statement", side(item, item.statementGross(), item.statementFee())))
          .append(num("ledger", side(item, item.ledgerGross(), item.ledgerFee())))
          .append(num("difference", row.difference() == null ? "" : row.difference().toPlainString()))
          .append("<td class=\"status-").append(status).append("\">").append(status).append("</td><td>")
          .append(escape(stored.assignee())).append("</td>").append(num("age", Long.toString(row.ageDays())))
          .append("<td class=\"note\">").append(escape(stored.resolutionNote())).append("</td></tr>\n");
    }
    h.append("</tbody>\n</table></div>\n");
  }

  private static String side(Break item, Long gross, Long fee) {
    if (gross == null) {
      return "";
    }
    return item.format(gross) + (fee == null ? "" : " (fee " + item.format(fee) + ")");
  }

  private static String num(String field, String value) {
    return "<td class=\"num\" data-field=\"" + field + "\">" + escape(value) + "</td>";
  }

  /** Text for HTML content and attribute values; control characters become visible escapes. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (c < 0x20 && c != '\n' && c != '\t' || c == 0x7f) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
