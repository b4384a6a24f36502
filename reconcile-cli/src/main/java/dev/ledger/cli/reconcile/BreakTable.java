package dev.ledger.cli.reconcile;

import dev.ledger.cli.Table;
import dev.ledger.cli.Terminal;
import dev.ledger.db.reconcile.TrackedBreak;
import dev.ledger.reconcile.Break;
import java.time.Instant;
import java.util.List;

/**
 * The breaks listing for a terminal: short columns that fit {@code width} ({@link Table#width}),
 * long keys and names cut with an ellipsis. JSON and CSV keep every field.
 */
public final class BreakTable {
  private static final String[] HEADERS = {"id", "source", "kind", "key", "difference", "status", "age", "assignee"};
  private static final int KEY = 3;
  private static final int ASSIGNEE = 7;
  private static final int ASSIGNEE_MAX = 12;
  private static final int KEY_MIN = 8;

  private BreakTable() {}

  public static Table of(List<TrackedBreak> breaks, Instant now, int width) {
    String[][] rows = new String[breaks.size()][];
    for (int r = 0; r < rows.length; r++) {
      TrackedBreak tracked = breaks.get(r);
      Break item = tracked.stored().details();
      Long difference = item.difference();
      rows[r] = new String[] {Long.toString(tracked.stored().id()), tracked.stored().source(), item.kind().name(),
          Terminal.line(item.key() == null ? "" : item.key()),
          difference == null ? "" : item.format(difference) + " " + item.currency().getCurrencyCode(),
          tracked.stored().state().label(), tracked.ageDays(now) + "d",
          Terminal.line(tracked.stored().assignee() == null ? "" : tracked.stored().assignee())};
    }
    int[] natural = new int[HEADERS.length];
    for (int c = 0; c < HEADERS.length; c++) {
      natural[c] = HEADERS[c].length();
      for (String[] row : rows) {
        natural[c] = Math.max(natural[c], row[c].length());
      }
    }
    int assignee = Math.min(natural[ASSIGNEE], ASSIGNEE_MAX);
    int fixed = 2 * (HEADERS.length - 1) + assignee;
    for (int c = 0; c < HEADERS.length; c++) {
      if (c != KEY && c != ASSIGNEE) {
        fixed += natural[c];
      }
    }
    int key = Math.max(KEY_MIN, Math.min(natural[KEY], width - fixed));
    Table table = new Table(HEADERS);
    for (String[] row : rows) {
      row[KEY] = cut(row[KEY], key);
      row[ASSIGNEE] = cut(row[ASSIGNEE], assignee);
      table.row((Object[]) row);
    }
    return table;
  }

  /** {@code text} in at most {@code max} characters, the last one an ellipsis when cut. */
  static String cut(String text, int max) {
    return text.length() <= max ? text : text.substring(0, Math.max(0, max - 1)) + "…";
  }
}
