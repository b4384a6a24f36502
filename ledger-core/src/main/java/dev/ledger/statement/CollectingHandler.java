package dev.ledger.statement;

import java.util.ArrayList;
import java.util.List;

/** Collects every statement of a file in memory; use only where the file is known to be small. */
public final class CollectingHandler implements StatementHandler {
  private final List<ParsedStatement> statements = new ArrayList<>();
  private List<StatementLine> current = new ArrayList<>();

  @Override
  public void line(StatementLine line) {
    current.add(line);
  }

  @Override
  public void end(StatementInfo info) {
    statements.add(new ParsedStatement(info, current));
    current = new ArrayList<>();
  }

  public List<ParsedStatement> statements() {
    return List.copyOf(statements);
  }
}
