package dev.ledger.reconcile;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stored reconciliation run: the statement file it read ({@code account} is the reconciled
 * account: the clearing account of a wallet, the bank account of a bank statement), its counts,
 * the breaks it opened, the earlier breaks it closed, its matches counted by rule and, for every
 * rule but the exact ones, each match. {@code existing} says the file had been stored before and
 * this is that run. Immutable and thread-safe.
 */
public record StoredRun(
    long id,
    String source,
    String account,
    String fileName,
    String fileSha256,
    Instant periodStart,
    Instant periodEnd,
    long lines,
    long matched,
    List<RunBreak> breaks,
    List<Long> closedBreakIds,
    Map<MatchRule, Long> matchedByRule,
    List<Match> matches,
    boolean existing) {

  public StoredRun {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(account, "account");
    breaks = List.copyOf(breaks);
    closedBreakIds = List.copyOf(closedBreakIds);
    Map<MatchRule, Long> counts = new EnumMap<>(MatchRule.class);
    counts.putAll(matchedByRule);
    matchedByRule = java.util.Collections.unmodifiableMap(counts);
    matches = List.copyOf(matches);
  }

  public StoredRun asExisting() {
    return new StoredRun(id, source, account, fileName, fileSha256, periodStart, periodEnd, lines, matched, breaks,
        closedBreakIds, matchedByRule, matches, true);
  }
}
