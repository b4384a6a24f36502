package dev.ledger.db.reconcile;

import dev.ledger.reconcile.Break;
import java.time.Instant;

/** A break as stored: its id, lifecycle and where it came from. */
public record StoredBreak(
    long id,
    String source,
    String account,
    Break details,
    String status,
    long openedRunId,
    Long closedRunId,
    Instant resolvedAt,
    String resolutionNote,
    String adjustmentEntryId) {}
