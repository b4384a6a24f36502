package dev.ledger.db.reconcile;

import dev.ledger.reconcile.Break;
import dev.ledger.reconcile.BreakStatus;
import java.time.Instant;

/**
 * A break as stored: its id, lifecycle and where it came from. {@code state} is its workflow
 * status; {@code assignee} who it is assigned to (null when never assigned).
 */
public record StoredBreak(
    long id,
    String source,
    String account,
    Break details,
    BreakStatus state,
    long openedRunId,
    Long closedRunId,
    Instant resolvedAt,
    String resolutionNote,
    String adjustmentEntryId,
    String assignee) {
}
