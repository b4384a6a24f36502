package dev.ledger.db.reconcile;

import dev.ledger.db.SqlErrors;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * What a report needs about stored runs beyond their breaks: the runs of a day or one run, and how
 * much of the ledger each run matched. A run stores its line and match counts but not the matched
 * amount, so that is measured on the ledger: the entries of the run's period on its account (for a
 * wallet, the provider's bill entries, gross = clearing + fee) that none of the run's breaks names.
 * Thread-safe.
 */
public final class RunFigures {
  /** A stored run's own figures. */
  public record RunSummary(long id, String source, String account, String fileName, Instant periodStart,
      Instant periodEnd, long lines, long matched, long breakCount, Instant createdAt) {}

  private static final String RUNS = """
      SELECT id, source, account, file_name, period_start, period_end, lines, matched, break_count, created_at
      FROM reconciliation_runs r
      WHERE (?::bigint IS NULL OR r.id = ?::bigint)
        AND (?::timestamptz IS NULL OR CASE WHEN r.period_start IS NULL OR r.period_end IS NULL THEN r.created_at
             ELSE r.period_start + (r.period_end - r.period_start) / 2 END >= ?::timestamptz)
        AND (?::timestamptz IS NULL OR CASE WHEN r.period_start IS NULL OR r.period_end IS NULL THEN r.created_at
             ELSE r.period_start + (r.period_end - r.period_start) / 2 END < ?::timestamptz)
      ORDER BY r.id""";

  // Per entry and currency the movement on the run's account (and fee account), as reconcile reads them.
  private static final String WALLET_MATCHED = """
      SELECT x.currency, sum(abs(x.gross))::bigint FROM (
        SELECT p.currency, sum(p.amount) AS gross
        FROM entries e JOIN postings p ON p.entry_sequence = e.sequence
        WHERE (e.metadata ->> 'provider') = ?::varchar AND e.effective_at >= ?::timestamptz
          AND e.effective_at < ?::timestamptz AND p.account IN (?::varchar, ?::varchar) AND coalesce(e.metadata ->> 'kind', '') <> 'chargeback'
          AND coalesce(nullif(e.metadata ->> 'provider_refund_id', ''), e.metadata ->> 'provider_txn_id', '') <> ''
          AND NOT EXISTS (SELECT 1 FROM reconciliation_breaks b WHERE b.run_id = ?::bigint AND b.entry_id = e.id)
        GROUP BY e.sequence, p.currency) x
      GROUP BY x.currency ORDER BY x.currency""";

  private static final String BANK_MATCHED = """
      SELECT x.currency, sum(abs(x.amount))::bigint FROM (
        SELECT p.currency, sum(p.amount) AS amount
        FROM postings p JOIN entries e ON e.sequence = p.entry_sequence
        WHERE p.account = ?::varchar AND p.effective_at >= ?::timestamptz AND p.effective_at < ?::timestamptz
          AND NOT EXISTS (SELECT 1 FROM reconciliation_breaks b WHERE b.run_id = ?::bigint AND b.entry_id = e.id)
        GROUP BY e.sequence, p.currency HAVING sum(p.amount) <> 0) x
      GROUP BY x.currency ORDER BY x.currency""";

  private final DSLContext dsl;

  public RunFigures(DataSource dataSource) {
    this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
  }

  public java.util.Optional<RunSummary> run(long runId) {
    return runs(runId, null, null).stream().findFirst();
  }

  /** The runs whose statement period is centred in [from, to) (a run without a period: its time). */
  public List<RunSummary> runsOf(Instant from, Instant to) {
    return runs(null, from, to);
  }

  private List<RunSummary> runs(Long runId, Instant from, Instant to) {
    OffsetDateTime start = from == null ? null : from.atOffset(ZoneOffset.UTC);
    OffsetDateTime end = to == null ? null : to.atOffset(ZoneOffset.UTC);
    return call("Reading reconciliation runs", () -> dsl.fetch(RUNS, runId, runId, start, start, end, end)
        .map(RunFigures::summary));
  }

  /**
   * The matched amount of a run per currency code, in minor units: absolute gross of each matched
   * entry. {@code provider} and {@code feeAccount} are the wallet's (null for a bank account).
   */
  public Map<String, Long> matchedMinor(RunSummary run, String provider, String feeAccount) {
    if (run.periodStart() == null || run.periodEnd() == null) {
      return Map.of();
    }
    OffsetDateTime from = run.periodStart().atOffset(ZoneOffset.UTC);
    OffsetDateTime to = run.periodEnd().atOffset(ZoneOffset.UTC);
    return call("Measuring what run " + run.id() + " matched", () -> {
      var rows = provider != null
          ? dsl.fetch(WALLET_MATCHED, provider, from, to, run.account(), feeAccount == null ? run.account() : feeAccount,
              run.id())
          : dsl.fetch(BANK_MATCHED, run.account(), from, to, run.id());
      Map<String, Long> amounts = new LinkedHashMap<>();
      for (Record row : rows) {
        amounts.put(row.get(0, String.class), row.get(1, Long.class));
      }
      return amounts;
    });
  }

  private static RunSummary summary(Record r) {
    return new RunSummary(r.get(0, Long.class), r.get(1, String.class), r.get(2, String.class), r.get(3, String.class),
        instant(r.get(4, OffsetDateTime.class)), instant(r.get(5, OffsetDateTime.class)), r.get(6, Long.class),
        r.get(7, Long.class), r.get(8, Long.class), instant(r.get(9, OffsetDateTime.class)));
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

  private static <T> T call(String action, Supplier<T> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      throw SqlErrors.translate(action, e);
    }
  }
}
