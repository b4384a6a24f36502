package dev.ledger.cli.reconcile;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ledger.cli.CliException;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.cli.journal.EntryFile;
import dev.ledger.db.reconcile.StoredBreak;
import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import java.nio.file.Path;
import dev.ledger.statement.Source;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "breaks", mixinStandardHelpOptions = true,
    description = "List reconciliation breaks; 'breaks resolve' closes one with a note.",
    subcommands = BreaksCommand.Resolve.class)
public final class BreaksCommand extends SessionCommand {
  @Option(names = "--status", paramLabel = "STATUS", defaultValue = "open",
      description = "open, closed (by a later run), resolved (by a person) or all (default: open)")
  String status;

  @Option(names = "--source", paramLabel = "S", completionCandidates = SourceCandidates.class,
      description = "only breaks of this source: ${COMPLETION-CANDIDATES}")
  Source source;

  @Override
  protected void prepare() {
    String value = status.toLowerCase(Locale.ROOT);
    if (!List.of("open", "closed", "resolved", "all").contains(value)) {
      throw new CliException(ExitCode.USAGE, "Unknown --status '" + status + "': use open, closed, resolved or all");
    }
  }

  @Override
  protected int run(LedgerSession session) {
    String value = status.toLowerCase(Locale.ROOT);
    List<StoredBreak> breaks = session.reconciliation().breaks(value.equals("all") ? null : value,
        source == null ? null : source.wireName(), null);
    ArrayNode json = Json.array();
    Table table = new Table(concat(BreakJson.COLUMNS, "status", "source"));
    for (StoredBreak stored : breaks) {
      json.add(BreakJson.write(stored, true));
      table.row(concat(BreakJson.cells(stored), stored.status(), stored.source()));
    }
    print(json, table);
    return ExitCode.OK;
  }

  @SafeVarargs
  private static <T> T[] concat(T[] first, T... more) {
    T[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  @Command(name = "resolve", mixinStandardHelpOptions = true,
      description = "Resolve an open break with a note, optionally posting adjusting entries first.")
  static final class Resolve extends SessionCommand {
    @Parameters(index = "0", paramLabel = "BREAK_ID", description = "the id shown by 'ledger breaks'")
    long breakId;

    @Option(names = "--note", required = true, paramLabel = "TEXT", description = "what was found and done")
    String note;

    @Option(names = "--adjustment", paramLabel = "FILE", description = "adjusting entries (JSON Lines), posted all or nothing")
    Path adjustment;

    private EntryFile entries;

    @Override
    protected void prepare() throws Exception {
      if (note.isBlank()) {
        throw new CliException(ExitCode.USAGE, "--note must not be empty");
      }
      if (adjustment != null) {
        entries = EntryFile.read(readable(adjustment));
        if (!entries.failures().isEmpty()) {
          entries.failures().forEach(err()::println);
          throw CliException.inputRejected(adjustment + ": invalid adjustment; break " + breakId + " left open");
        }
      }
    }

    @Override
    protected int run(LedgerSession session) {
      StoredBreak stored = session.reconciliation().findBreak(breakId)
          .orElseThrow(() -> CliException.inputRejected("Break " + breakId + " does not exist"));
      if (!stored.status().equals("open")) {
        throw CliException.inputRejected("Break " + breakId + " is " + stored.status() + ", not open");
      }
      String adjustmentId = null;
      if (entries != null) {
        List<Entry> list = entries.entries();
        BatchResult result = session.ledger().postAll(list);
        if (!result.committed()) {
          result.rejections().forEach(r -> err().println("ledger: " + entries.where(r.entryId()) + ": entry " + r.entryId()
              + ": " + r.status() + (r.message().isEmpty() ? "" : ": " + r.message())));
          throw CliException.inputRejected(adjustment + ": adjustment rejected; break " + breakId + " left open");
        }
        adjustmentId = list.isEmpty() ? null : list.get(0).id();
      }
      if (!session.reconciliation().resolve(breakId, note, adjustmentId)) {
        throw CliException.inputRejected("Break " + breakId + " was closed meanwhile");
      }
      StoredBreak resolved = session.reconciliation().findBreak(breakId).orElseThrow();
      Table table = new Table("id", "status", "note", "adjustment_entry_id")
          .row(resolved.id(), resolved.status(), resolved.resolutionNote(), resolved.adjustmentEntryId());
      print(BreakJson.write(resolved, true), table);
      return ExitCode.OK;
    }
  }
}
