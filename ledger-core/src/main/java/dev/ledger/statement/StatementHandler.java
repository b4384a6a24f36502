package dev.ledger.statement;

/**
 * Receives a parsed statement as it streams: every line, then {@link #end} once per statement in
 * the file (an MT940 file may hold several). A parser calls {@code end} only after the statement's
 * own assertions (totals, balances) have been checked.
 */
public interface StatementHandler {
  void line(StatementLine line);

  void end(StatementInfo info);

  /** {@code handler}, with {@code warning} added to every statement it ends. */
  static StatementHandler warning(StatementHandler handler, String warning) {
    return new StatementHandler() {
      @Override
      public void line(StatementLine line) {
        handler.line(line);
      }

      @Override
      public void end(StatementInfo info) {
        handler.end(info.withWarning(warning));
      }
    };
  }
}
