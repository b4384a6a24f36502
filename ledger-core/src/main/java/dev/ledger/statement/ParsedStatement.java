package dev.ledger.statement;

import java.util.List;

/** One statement of a file with all its lines, for tests and small files (holds them in memory). */
public record ParsedStatement(StatementInfo info, List<StatementLine> lines) {
  public ParsedStatement {
    lines = List.copyOf(lines);
  }
}
