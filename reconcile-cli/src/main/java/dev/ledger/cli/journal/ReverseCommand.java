package dev.ledger.cli.journal;

import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.journal.PostResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "reverse", mixinStandardHelpOptions = true,
    description = "Post the reversal of an entry: every posting flipped, linked to the original.")
public final class ReverseCommand extends SessionCommand {
  @Parameters(index = "0", paramLabel = "ENTRY_ID", description = "the entry to reverse")
  String entryId;

  @Option(names = "--id", required = true, paramLabel = "NEW_ID", description = "id of the reversal entry")
  String reversalId;

  @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why, kept in the metadata")
  String reason;

  @Option(names = "--effective-at", paramLabel = "TIME", description = "effective time (default: now); in a"
      + " closed period, the reversal is booked at the first instant after it")
  String effectiveAt;

  @Override
  protected int run(LedgerSession session) {
    Instant at = effectiveAt == null ? Instant.now().truncatedTo(ChronoUnit.MICROS)
        : dev.ledger.cli.Dates.end("--effective-at", effectiveAt, zone());
    PostResult result = session.ledger().reverse(entryId, reversalId, reason, at);
    // The ledger books a correction of a closed period after it: say where it went.
    Instant booked = result.status() == dev.ledger.journal.PostStatus.CREATED
        ? session.ledger().entry(reversalId).map(r -> r.entry().effectiveAt()).orElse(null) : null;
    String message = booked != null && !booked.equals(at)
        ? "booked at " + booked + ": " + at + " is in a closed period" : result.message();
    print(Json.object().put("entry_id", entryId).put("reversal_id", reversalId)
            .put("status", result.status().name())
            .put("effective_at", booked == null ? null : booked.toString()).put("message", message),
        new Table("entry_id", "reversal_id", "status", "effective_at", "message")
            .row(entryId, reversalId, result.status(), booked == null ? "" : booked, message));
    if (!result.accepted()) {
      err().println("ledger: cannot reverse " + entryId + ": " + result.status()
          + (result.message().isEmpty() ? "" : ": " + result.message()));
      return ExitCode.INPUT_REJECTED;
    }
    return ExitCode.OK;
  }
}
