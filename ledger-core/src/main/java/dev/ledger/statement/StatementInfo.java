package dev.ledger.statement;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;

/**
 * What a statement says about itself, complete once its last line was read: the account, the
 * balances and summary totals it asserts, the period it covers (inclusive dates in {@code zone}),
 * warnings about tolerated irregularities, the asserted figures that its own lines contradict
 * ({@code inconsistencies}, DESIGN section 4) and, for a file that stops short (fewer rows than its
 * summary counts, no closing balance, no end marker), why it looks {@code truncated} (null when
 * complete). {@code statement parse} prints such a file with warnings; {@code reconcile} rejects a
 * truncated one and books a break for each inconsistency. Immutable and thread-safe.
 */
public record StatementInfo(
    String account,
    CurrencyUnit currency,
    StatementBalance openingBalance,
    StatementBalance closingBalance,
    Map<String, String> summary,
    LocalDate periodFrom,
    LocalDate periodTo,
    ZoneId zone,
    long lineCount,
    List<String> warnings,
    List<Inconsistency> inconsistencies,
    String truncated) {

  public StatementInfo {
    summary = summary == null ? null : Map.copyOf(summary);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
    inconsistencies = inconsistencies == null ? List.of() : List.copyOf(inconsistencies);
  }

  /** A complete statement whose figures agree. */
  public StatementInfo(String account, CurrencyUnit currency, StatementBalance openingBalance,
      StatementBalance closingBalance, Map<String, String> summary, LocalDate periodFrom, LocalDate periodTo,
      ZoneId zone, long lineCount, List<String> warnings) {
    this(account, currency, openingBalance, closingBalance, summary, periodFrom, periodTo, zone, lineCount,
        warnings, List.of(), null);
  }

  /** The same statement with one more warning. */
  public StatementInfo withWarning(String warning) {
    List<String> more = new java.util.ArrayList<>(warnings);
    more.add(warning);
    return new StatementInfo(account, currency, openingBalance, closingBalance, summary, periodFrom, periodTo, zone,
        lineCount, more, inconsistencies, truncated);
  }

  public boolean isTruncated() {
    return truncated != null;
  }
}
