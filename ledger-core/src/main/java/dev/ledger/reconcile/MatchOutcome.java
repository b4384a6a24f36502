package dev.ledger.reconcile;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one reconciliation found: counts, the new breaks in statement order then ledger order, the
 * open breaks from earlier runs that this run closes or finds again (confirmed: still open, not
 * stored twice), and the statement period used for MISSING_IN_STATEMENT ([periodStart,
 * periodEnd)). Immutable.
 */
public record MatchOutcome(
    long lines,
    long matched,
    List<Break> breaks,
    List<String> closedBreakIds,
    List<String> confirmedBreakIds,
    Instant periodStart,
    Instant periodEnd) {

  public MatchOutcome {
    breaks = List.copyOf(breaks);
    closedBreakIds = List.copyOf(closedBreakIds);
    confirmedBreakIds = List.copyOf(confirmedBreakIds);
  }

  public Map<BreakKind, Long> byKind() {
    Map<BreakKind, Long> counts = new EnumMap<>(BreakKind.class);
    for (Break item : breaks) {
      counts.merge(item.kind(), 1L, Long::sum);
    }
    return counts;
  }
}
