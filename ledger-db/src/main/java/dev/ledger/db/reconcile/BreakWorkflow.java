package dev.ledger.db.reconcile;

import static dev.ledger.db.jooq.Tables.RECONCILIATION_BREAKS;

import dev.ledger.db.Sealer;
import dev.ledger.db.SqlErrors;
import dev.ledger.reconcile.BreakStatus;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The people's side of reconciliation: assigning, commenting on and resolving breaks through the
 * definer functions of migration V18 (each step one hashed break_events row, sealed after its
 * commit), and reading breaks with their age and their events. Thread-safe.
 */
public final class BreakWorkflow {
  private static final String BREAKS = """
      SELECT b.*, r.created_at AS opened_at,
             CASE WHEN b.status = 'resolved' THEN b.resolved_at ELSE c.created_at END AS settled_at
      FROM reconciliation_breaks b
        JOIN reconciliation_runs r ON r.id = b.run_id
        LEFT JOIN reconciliation_runs c ON c.id = b.closed_run_id
      WHERE b.status = ANY(?::varchar[]) AND (?::varchar IS NULL OR b.source = ?::varchar)
        AND (?::timestamptz IS NULL OR r.created_at <= ?::timestamptz)
        AND (?::bigint[] IS NULL OR b.run_id = ANY(?::bigint[]))
      ORDER BY b.id""";

  private final DataSource dataSource;
  private final DSLContext dsl;

  public BreakWorkflow(DataSource dataSource) {
    this.dataSource = dataSource;
    this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
  }

  /**
   * Breaks with one of {@code statuses}, optionally of one source, opened at or before
   * {@code openedBy} and of the given runs (each null for no restriction), in id order.
   */
  public List<TrackedBreak> breaks(Set<BreakStatus> statuses, String source, Instant openedBy,
      Collection<Long> runIds) {
    if (statuses.isEmpty()) {
      throw new IllegalArgumentException("statuses must not be empty");
    }
    String[] labels = statuses.stream().map(BreakStatus::label).toArray(String[]::new);
    OffsetDateTime before = openedBy == null ? null : openedBy.atOffset(ZoneOffset.UTC);
    Long[] runs = runIds == null ? null : runIds.toArray(Long[]::new);
    return call("Listing breaks", () -> dsl.fetch(BREAKS, labels, source, source, before, before, runs, runs)
        .map(BreakWorkflow::tracked));
  }

  public Optional<TrackedBreak> find(long breakId) {
    return call("Finding break " + breakId, () -> dsl.fetchOptional("""
            SELECT b.*, r.created_at AS opened_at,
                   CASE WHEN b.status = 'resolved' THEN b.resolved_at ELSE c.created_at END AS settled_at
            FROM reconciliation_breaks b
              JOIN reconciliation_runs r ON r.id = b.run_id
              LEFT JOIN reconciliation_runs c ON c.id = b.closed_run_id
            WHERE b.id = ?""", breakId).map(BreakWorkflow::tracked));
  }

  /** The events of one break, in the order they were written. */
  public List<BreakEvent> events(long breakId) {
    return call("Reading the events of break " + breakId, () -> dsl.fetch("""
            SELECT id, break_id, status, run_id, note, adjustment_entry_id, assignee, author, actor, at
            FROM break_events WHERE break_id = ? ORDER BY id""", breakId)
        .map(r -> new BreakEvent(r.get(0, Long.class), r.get(1, Long.class), r.get(2, String.class),
            r.get(3, Long.class), r.get(4, String.class), r.get(5, String.class), r.get(6, String.class),
            r.get(7, String.class), r.get(8, String.class), r.get(9, OffsetDateTime.class).toInstant())));
  }

  /** Assigns an open or assigned break to {@code assignee}; {@code author} null names the database user. */
  public BreakChange assign(long breakId, String assignee, String author) {
    requireText(assignee, "assignee");
    return change("Assigning break " + breakId, "ledger_assign_break({0}, {1}, {2})", breakId, assignee, author,
        true);
  }

  /** Adds a comment to a break of any status. */
  public BreakChange comment(long breakId, String text, String author) {
    requireText(text, "comment");
    return change("Commenting on break " + breakId, "ledger_comment_break({0}, {1}, {2})", breakId, text, author,
        false);
  }

  /** Resolves an open or assigned break with a note and optionally the adjusting entry's id. */
  public BreakChange resolve(long breakId, String note, String adjustmentEntryId, String author) {
    requireText(note, "note");
    String before = call("Resolving break " + breakId, () -> dsl.select(DSL.field(
            "ledger_resolve_break({0}, {1}, {2}, {3})", SQLDataType.VARCHAR, DSL.val(breakId),
            DSL.val(note, SQLDataType.VARCHAR), DSL.val(adjustmentEntryId, SQLDataType.VARCHAR),
            DSL.val(author, SQLDataType.VARCHAR)))
        .fetchSingle().value1());
    return outcome(before, true);
  }

  private BreakChange change(String action, String function, long breakId, String text, String author,
      boolean needsActive) {
    String before = call(action, () -> dsl.select(DSL.field(function, SQLDataType.VARCHAR, DSL.val(breakId),
            DSL.val(text, SQLDataType.VARCHAR), DSL.val(author, SQLDataType.VARCHAR)))
        .fetchSingle().value1());
    return outcome(before, needsActive);
  }

  private BreakChange outcome(String before, boolean needsActive) {
    if (before == null) {
      return BreakChange.UNKNOWN_BREAK;
    }
    if (needsActive && !BreakStatus.parse(before).active()) {
      return BreakChange.SETTLED;
    }
    seal();
    return BreakChange.APPLIED;
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("The " + name + " must not be empty: '" + value + "'");
    }
  }

  /** As ReconciliationStore: a failed seal leaves the event queued for the next writer. */
  private void seal() {
    try {
      Sealer.sealAll(dataSource);
    } catch (RuntimeException e) {
      // Reported by verify as the unsealed tail and its lag.
    }
  }

  private static TrackedBreak tracked(Record row) {
    StoredBreak stored = ReconciliationStore.storedBreak(row.into(RECONCILIATION_BREAKS));
    OffsetDateTime opened = row.get("opened_at", OffsetDateTime.class);
    OffsetDateTime settled = row.get("settled_at", OffsetDateTime.class);
    return new TrackedBreak(stored, opened.toInstant(), settled == null ? null : settled.toInstant());
  }

  private static <T> T call(String action, Supplier<T> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      throw SqlErrors.translate(action, e);
    }
  }
}
