package dev.ledger.reconcile;

import java.util.List;
import java.util.Objects;

/**
 * Statement lines paired with ledger entries by one rule: one line and one entry, or one line and
 * the entries it sums (a batch), or the lines that sum to one entry. {@code key} is what they were
 * matched on (provider id, bank reference, or the first line's key). Immutable and thread-safe.
 */
public record Match(MatchRule rule, String key, List<Long> statementLines, List<String> entryIds) {
  public Match {
    Objects.requireNonNull(rule, "rule");
    statementLines = List.copyOf(statementLines);
    entryIds = List.copyOf(entryIds);
    if (statementLines.isEmpty() || entryIds.isEmpty()) {
      throw new IllegalArgumentException("A match pairs at least one line with one entry: " + statementLines
          + " / " + entryIds);
    }
  }
}
