package dev.ledger.cli.journal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.cli.CliException;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostResult;
import dev.ledger.journal.PostStatus;
import java.nio.file.Path;
import java.util.List;
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

  private EntryFile entries;

  @Override
  protected void prepare() throws Exception {
    entries = EntryFile.read(readable(file));
    if (!entries.failures().isEmpty()) {
      entries.failures().forEach(err()::println);
      throw CliException.inputRejected(
          file + ": " + entries.failures().size() + " invalid line(s); nothing was posted");
    }
  }

  @Override
  protected int run(LedgerSession session) {
    List<Entry> list = entries.entries();
    BatchResult result = dryRun ? session.check(list) : session.ledger().postAll(list);
    ObjectNode json = Json.object();
    json.put("file", file.toString());
    json.put("dry_run", dryRun);
    json.put("committed", result.committed() && !dryRun);
    json.put("entries", list.size());
    json.put("created", result.count(PostStatus.CREATED));
    json.put("existing", result.count(PostStatus.EXISTS));
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
      out().println(file + ": " + list.size() + " entries, " + result.count(PostStatus.CREATED)
          + (dryRun ? " would be created, " : " created, ") + result.count(PostStatus.EXISTS) + " already present"
          + (result.committed() ? "" : ", " + result.rejections().size() + " rejected"));
    }
    if (!result.committed()) {
      for (PostResult rejection : result.rejections()) {
        err().println("ledger: " + entries.where(rejection.entryId()) + ": entry " + rejection.entryId() + ": "
            + rejection.status()
            + (rejection.message().isEmpty() ? "" : ": " + rejection.message()));
      }
      err().println("ledger: " + file + ": rejected, nothing was posted");
      return ExitCode.INPUT_REJECTED;
    }
    return ExitCode.OK;
  }
}
