package dev.ledger.cli.reconcile;

import dev.ledger.statement.Source;
import java.util.Arrays;
import java.util.Iterator;

/** The names {@code --source} takes, for help text and shell completion. */
public final class SourceCandidates implements Iterable<String> {
  @Override
  public Iterator<String> iterator() {
    return Arrays.stream(Source.values()).map(Source::wireName).iterator();
  }
}
