package dev.ledger.cli.journal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.cli.CliException;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.db.PostSummary;
import dev.ledger.journal.PostResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "post", mixinStandardHelpOptions = true,
    description = {"Post entries from a JSON Lines file, all or nothing.",
        "Every entry is validated first; any invalid entry, id conflict or overdraft rejects the whole"
            + " file (exit 3). Entries already present with identical content are reported as existing."})
public final class PostCommand extends SessionCommand {
  @Option(names = "--file", required = true, paramLabel = "FILE", description = "entries, one JSON object per line")
  Path file;

  @Option(names = "--dry-run", description = "validate against the ledger without writing anything")
  boolean dryRun;

  private EntryFile.Validation validation;

  @Override
  protected void prepare() throws Exception {
    // Pass 1, while the database is opened: the whole file is read once and every bad line reported. Pass 2
    // streams it into one transaction, a chunk at a time: constant memory for any size.
    validation = EntryFile.validate(readable(file));
    if (!validation.failures().isEmpty()) {
      validation.failures().forEach(err()::println);
      throw CliException.inputRejected(
          file + ": " + validation.failures().size() + " invalid line(s); nothing was posted");
    }
  }

  @Override
  protected boolean opensWhilePreparing() {
    // Not on the embedded default's first run: a file that validation rejects must not leave a new
    // database behind.
    return database.url() != null || Files.isDirectory(database.dataDir());
  }

  @Override
  protected int run(LedgerSession session) {
    PostSummary result;
    try (dev.ledger.cli.Progress progress = dev.ledger.cli.Progress.start(dryRun ? "Checking" : "Posting",
        validation.entries())) {
      result = session.ledger().postStream(Chunks.counted(EntryFile.chunks(file, EntryFile.CHUNK_ENTRIES),
          progress), validation.balanceKeys(), !dryRun);
    }
    ObjectNode json = Json.object();
    json.put("file", file.toString());
    json.put("dry_run", dryRun);
    json.put("committed", result.committed() && !dryRun);
    json.put("entries", validation.entries());
    json.put("created", result.created());
    json.put("existing", result.existing());
    ArrayNode rejected = json.putArray("rejected");
    // The table lists only what needs attention; a large file would otherwise flood the terminal.
    Table table = new Table("entry_id", "status", "message");
    for (PostResult item : result.rejections()) {
      rejected.addObject().put("id", item.entryId()).put("status", item.status().name())
          .put("message", item.message());
      table.row(item.entryId(), item.status(), item.message());
    }
    print(json, table);
    if (output.format() == dev.ledger.cli.OutputFormat.TABLE) {
      out().println(file + ": " + validation.entries() + " entries, " + result.created()
          + (dryRun ? " would be created, " : " created, ") + result.existing() + " already present"
          + (result.committed() ? "" : ", " + result.rejections().size() + " rejected"));
    }
    if (!result.committed()) {
      Map<String, Long> lines = linesOf(result.rejections().stream().map(PostResult::entryId).toList());
      for (PostResult rejection : result.rejections()) {
        Long line = lines.get(rejection.entryId());
        err().println("ledger: " + file + (line == null ? "" : ":" + line) + ": entry " + rejection.entryId()
            + ": " + rejection.status() + (rejection.message().isEmpty() ? "" : ": " + rejection.message()));
      }
      if (!result.complete()) {
        err().println("ledger: " + file + ": checked the first " + result.entriesChecked() + " of "
            + validation.entries() + " entries; a rejection stops the post at the end of its chunk of "
            + EntryFile.CHUNK_ENTRIES);
      }
      err().println("ledger: " + file + ": rejected, nothing was posted");
      return ExitCode.INPUT_REJECTED;
    }
    return ExitCode.OK;
  }

  private Map<String, Long> linesOf(List<String> ids) {
    try {
      return EntryFile.linesOf(file, ids);
    } catch (IOException e) {
      return Map.of(); // the rejection still names the entry
    }
  }
}
