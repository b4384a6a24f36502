package dev.ledger.cli.journal;

import dev.ledger.cli.Dates;
import dev.ledger.cli.LedgerSession;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/** Why an "as known at" question found nothing: the ledger may not have known anything yet. */
final class KnownAt {
  private KnownAt() {}

  static void explainEmpty(LedgerSession session, Instant knownAt, ZoneId zone, PrintWriter err) {
    Optional<Instant> first = session.ledger().firstRecordedAt();
    if (first.isEmpty()) {
      err.println("ledger: the ledger holds no entries yet");
    } else if (first.get().isAfter(knownAt)) {
      err.println("ledger: nothing was recorded by " + Dates.table(knownAt, zone) + " " + zone.getId()
          + "; the first entry was recorded at " + Dates.table(first.get(), zone) + " " + zone.getId()
          + " (--known-at counts what was recorded, not when it was effective: try --as-of)");
    } else {
      err.println("ledger: no postings of these accounts were recorded by " + Dates.table(knownAt, zone)
          + " " + zone.getId());
    }
    err.flush();
  }
}
