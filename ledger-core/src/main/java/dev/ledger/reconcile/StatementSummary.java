package dev.ledger.reconcile;

import dev.ledger.statement.Inconsistency;
import java.util.List;
import javax.money.CurrencyUnit;

/**
 * What the first pass over a statement learnt: its size, currency and period, its warnings, the
 * figures it contradicts, why it looks truncated (empty when complete), how many lines are not
 * payments or refunds ({@code movements}: fees, withdrawals) and whether it states balances.
 * Immutable.
 */
public record StatementSummary(long lines, CurrencyUnit currency, StatementPeriod period, List<String> warnings,
    List<Inconsistency> inconsistencies, List<String> truncations, long movements, boolean balances) {
  public StatementSummary {
    warnings = List.copyOf(warnings);
    inconsistencies = List.copyOf(inconsistencies);
    truncations = List.copyOf(truncations);
  }
}
