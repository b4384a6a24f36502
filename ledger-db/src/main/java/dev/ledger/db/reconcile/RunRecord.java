package dev.ledger.db.reconcile;

import java.time.Instant;
import java.util.List;

/** A stored reconciliation run with its breaks (new in this run) and the breaks it closed. */
public record RunRecord(
    long id,
    String source,
    String account,
    String fileName,
    String fileSha256,
    Instant periodStart,
    Instant periodEnd,
    long lines,
    long matched,
    List<StoredBreak> breaks,
    List<Long> closedBreakIds,
    boolean existing) {

  public RunRecord {
    breaks = List.copyOf(breaks);
    closedBreakIds = List.copyOf(closedBreakIds);
  }

  public RunRecord asExisting() {
    return new RunRecord(id, source, account, fileName, fileSha256, periodStart, periodEnd, lines,
        matched, breaks, closedBreakIds, true);
  }
}
