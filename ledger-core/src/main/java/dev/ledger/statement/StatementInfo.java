package dev.ledger.statement;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;

/**
 * What a statement says about itself, complete once its last line was read: the account, the
 * balances and summary totals it asserts (already checked by the parser), the period it covers
 * (inclusive dates in {@code zone}) and warnings about tolerated irregularities. Immutable.
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
    List<String> warnings) {

  public StatementInfo {
    summary = summary == null ? null : Map.copyOf(summary);
    warnings = warnings == null ? List.of() : List.copyOf(warnings);
  }
}
