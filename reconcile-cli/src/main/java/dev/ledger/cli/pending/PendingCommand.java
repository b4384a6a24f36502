package dev.ledger.cli.pending;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.cli.Dates;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PendingEntry;
import dev.ledger.journal.PostResult;
import dev.ledger.journal.Posting;
import dev.ledger.money.Amounts;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ledger pending post|void|list}: settles or releases pending (two-phase) entries. Each
 * pending entry is settled at most once; a second settlement, an expired or a missing pending entry
 * is refused (exit 3) with its status.
 */
@Command(name = "pending", mixinStandardHelpOptions = true,
    description = {"Pending (two-phase) entries: reserved amounts that are posted, voided or expire.",
        "'pending post' books the final entry, 'pending void' releases it, 'pending list' shows them."},
    subcommands = {PendingCommand.Post.class, PendingCommand.Void.class, PendingCommand.ListCommand.class})
public final class PendingCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
        "Missing subcommand: post, void or list");
  }

  private static Instant at(String effectiveAt, java.time.ZoneId zone) {
    return effectiveAt == null ? Instant.now().truncatedTo(ChronoUnit.MICROS)
        : Dates.end("--effective-at", effectiveAt, zone);
  }

  private static void check(String effectiveAt) {
    if (effectiveAt != null) {
      Dates.check("--effective-at", effectiveAt);
    }
  }

  /** Prints one settlement's result and gives its exit code. */
  private static int report(String verb, String pendingId, String newId,
      PostResult result, java.util.function.BiConsumer<Object, Table> print, java.io.PrintWriter err) {
    print.accept(Json.object().put("pending_id", pendingId).put("entry_id", newId)
            .put("status", result.status().name()).put("message", result.message()),
        new Table("pending_id", "entry_id", "status", "message")
            .row(pendingId, newId, result.status(), result.message()));
    if (!result.accepted()) {
      err.println("ledger: cannot " + verb + " pending entry " + pendingId + ": " + result.status()
          + (result.message().isEmpty() ? "" : ": " + result.message()));
      return ExitCode.INPUT_REJECTED;
    }
    return ExitCode.OK;
  }

  @Command(name = "post", mixinStandardHelpOptions = true,
      description = {"Book the final entry of a pending one: in full, or --amount of a pending entry with",
          "one debit and one credit in one currency; the rest of the reservation is released."})
  public static final class Post extends SessionCommand {
    @Parameters(index = "0", paramLabel = "ENTRY_ID", description = "the pending entry")
    String pendingId;

    @Option(names = "--id", required = true, paramLabel = "NEW_ID", description = "id of the posted entry")
    String postId;

    @Option(names = "--amount", paramLabel = "X",
        description = "amount to post (decimal, at most the pending amount; default: all of it)")
    String amount;

    @Option(names = "--effective-at", paramLabel = "TIME", description = "effective time (default: now)")
    String effectiveAt;

    @Override
    protected void prepare() {
      check(effectiveAt);
      if (amount != null && !amount.matches("\\d+(\\.\\d+)?")) {
        throw new dev.ledger.cli.CliException(ExitCode.USAGE,
            "--amount '" + amount + "' is not a positive decimal amount");
      }
    }

    @Override
    protected int run(LedgerSession session) {
      PostResult result = session.ledger().postPending(pendingId, postId, amount, at(effectiveAt, zone()));
      return report("post", pendingId, postId, result, this::print, err());
    }
  }

  @Command(name = "void", mixinStandardHelpOptions = true,
      description = "Release a pending entry: its reservation ends and nothing is posted.")
  public static final class Void extends SessionCommand {
    @Parameters(index = "0", paramLabel = "ENTRY_ID", description = "the pending entry")
    String pendingId;

    @Option(names = "--id", required = true, paramLabel = "NEW_ID", description = "id of the void entry")
    String voidId;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why, kept in the metadata")
    String reason;

    @Option(names = "--effective-at", paramLabel = "TIME", description = "effective time (default: now)")
    String effectiveAt;

    @Override
    protected void prepare() {
      check(effectiveAt);
    }

    @Override
    protected int run(LedgerSession session) {
      PostResult result = session.ledger().voidPending(pendingId, voidId, reason, at(effectiveAt, zone()));
      return report("void", pendingId, voidId, result, this::print, err());
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Pending entries that still reserve (default), or with --expired those whose expiry passed unsettled.")
  public static final class ListCommand extends SessionCommand {
    @Option(names = "--expired", description = "list expired, unsettled pending entries instead")
    boolean expired;

    @Override
    protected int run(LedgerSession session) {
      List<PendingEntry> pending = session.ledger().pendingEntries(expired);
      ArrayNode json = Json.array();
      Table table = new Table("entry_id", "effective_at", "expires_at", "expired", "postings", "description");
      for (PendingEntry item : pending) {
        Entry entry = item.recorded().entry();
        ObjectNode node = json.addObject();
        node.put("id", entry.id());
        node.put("effective_at", entry.effectiveAt().toString());
        node.put("recorded_at", item.recorded().recordedAt().toString());
        node.put("expires_at", item.expiresAt().toString());
        node.put("expired", item.expired());
        node.put("description", entry.description());
        ArrayNode postings = node.putArray("postings");
        StringBuilder summary = new StringBuilder();
        for (Posting posting : entry.postings()) {
          String amount = Amounts.format(posting.amount());
          postings.addObject().put("account", posting.account().value())
              .put("currency", posting.currency().getCurrencyCode())
              .put(posting.side().wireName(), amount);
          summary.append(summary.length() == 0 ? "" : "; ").append(posting.side().wireName()).append(' ')
              .append(posting.account().value()).append(' ').append(amount).append(' ')
              .append(posting.currency().getCurrencyCode());
        }
        table.row(entry.id(), entry.effectiveAt(), item.expiresAt(), item.expired(), summary, entry.description());
      }
      print(json, table);
      return ExitCode.OK;
    }
  }
}
