package dev.ledger.reconcile;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What one reconciliation found: counts, the new breaks in statement order then ledger order, the
 * open breaks from earlier runs that this run closes or finds again (confirmed: still open, not
 * stored twice), the statement period used for MISSING_IN_STATEMENT ([periodStart, periodEnd)),
 * the matches by rule (each match only for the rules that are not exact) and the keys it matched.
 * Immutable.
 */
public record MatchOutcome(
    long lines,
    long matched,
    List<Break> breaks,
    List<Long> closedBreakIds,
    List<Long> confirmedBreakIds,
    Instant periodStart,
    Instant periodEnd,
    Map<MatchRule, Long> matchedByRule,
    List<Match> matches,
    KeyHashes matchedKeys) {

  public MatchOutcome {
    breaks = List.copyOf(breaks);
    closedBreakIds = List.copyOf(closedBreakIds);
    confirmedBreakIds = List.copyOf(confirmedBreakIds);
    Map<MatchRule, Long> counts = new EnumMap<>(MatchRule.class);
    counts.putAll(matchedByRule);
    matchedByRule = Collections.unmodifiableMap(counts);
    matches = List.copyOf(matches);
    matchedKeys = matchedKeys == null ? KeyHashes.NONE : matchedKeys;
  }

  /** An outcome without match details (stored runs from before rules were recorded, tests). */
  public MatchOutcome(long lines, long matched, List<Break> breaks, List<Long> closedBreakIds,
      List<Long> confirmedBreakIds, Instant periodStart, Instant periodEnd) {
    this(lines, matched, breaks, closedBreakIds, confirmedBreakIds, periodStart, periodEnd, Map.of(), List.of(),
        KeyHashes.NONE);
  }

  public MatchOutcome withBreaks(List<Break> replaced) {
    return new MatchOutcome(lines, matched, replaced, closedBreakIds, confirmedBreakIds, periodStart, periodEnd,
        matchedByRule, matches, matchedKeys);
  }

  public Map<BreakKind, Long> byKind() {
    Map<BreakKind, Long> counts = new EnumMap<>(BreakKind.class);
    for (Break item : breaks) {
      counts.merge(item.kind(), 1L, Long::sum);
    }
    return counts;
  }
}
