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
import dev.ledger.journal.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
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

  /** Files this large are validated beside the write rather than before it (see prepare). */
  static final long OVERLAP_BYTES_MIN = 8L * 1024 * 1024;

  private EntryFile.Validation validation;
  private FutureTask<EntryFile.Validation> validating;

  @Override
  protected void prepare() throws Exception {
    Path readable = readable(file);
    if (Files.size(readable) < OVERLAP_BYTES_MIN) {
      // Before connecting: the whole file is read once and every bad line reported. The write
      // then streams it into one transaction, a chunk at a time: constant memory for any size.
      validation = EntryFile.validate(readable);
      rejectIfInvalid(validation);
      return;
    }
    // A large file: the validation pass runs on a thread of its own beside the write, which parses
    // the file again inside the transaction. The commit waits for the validation, and a bad line
    // anywhere rolls the whole write back and is reported with every other, as if the validation
    // had run first; the two passes no longer take turns (about a fifth of a 200,000-entry post).
    validating = new FutureTask<>(() -> EntryFile.validate(readable, 1));
    Thread thread = new Thread(validating, "ledger-validate");
    thread.setDaemon(true);
    thread.start();
  }

  private void rejectIfInvalid(EntryFile.Validation checked) {
    if (!checked.failures().isEmpty()) {
      checked.failures().forEach(err()::println);
      throw CliException.inputRejected(
          file + ": " + checked.failures().size() + " invalid line(s); nothing was posted");
    }
  }

  /** The validation running beside the write, once it is done. */
  private EntryFile.Validation validated() throws IOException {
    try {
      return validating.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while validating " + file, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IOException("Validating " + file + " failed: " + e.getCause(), e.getCause());
    }
  }

  /**
   * The chunks of a file whose validation runs beside the write: the end of the stream is not
   * reported before the validation is done (the commit comes after it), and no chunk is handed over
   * once it has found a bad line. Either ends the stream in an IllegalArgumentException, and its
   * transaction is rolled back.
   */
  private Supplier<Iterator<List<Entry>>> gated(Supplier<Iterator<List<Entry>>> chunks) {
    return () -> new Gate(chunks.get());
  }

  private final class Gate implements Iterator<List<Entry>>, AutoCloseable {
    private final Iterator<List<Entry>> source;

    Gate(Iterator<List<Entry>> source) {
      this.source = source;
    }

    @Override
    public boolean hasNext() {
      if (source.hasNext()) {
        return true;
      }
      checkValid(); // waits for the validation
      return false;
    }

    @Override
    public List<Entry> next() {
      if (validating.isDone()) {
        checkValid();
      }
      return source.next();
    }

    @Override
    public void close() throws Exception {
      if (source instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }

    private void checkValid() {
      EntryFile.Validation done;
      try {
        done = validating.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while validating " + file, e);
      } catch (ExecutionException e) {
        throw new IllegalArgumentException(file + ": the validation failed: " + e.getCause(), e.getCause());
      }
      if (!done.failures().isEmpty()) {
        throw new IllegalArgumentException(file + ": invalid lines; the write is rolled back");
      }
    }
  }

  @Override
  protected int run(LedgerSession session) throws IOException {
    PostSummary result;
    Supplier<Iterator<List<Entry>>> chunks = EntryFile.chunks(file, EntryFile.CHUNK_ENTRIES);
    long expected = validation != null ? validation.entries()
        : System.console() == null ? 0 : EntryFile.lineCount(file); // only a progress bar needs it
    try (dev.ledger.cli.Progress progress = dev.ledger.cli.Progress.start(dryRun ? "Checking" : "Posting",
        expected)) {
      result = session.ledger().postStream(Chunks.counted(validating == null ? chunks : gated(chunks), progress),
          !dryRun);
    } catch (RuntimeException e) {
      if (validating != null) {
        rejectIfInvalid(validated()); // bad lines come first, as when the validation ran first
      }
      throw e;
    }
    if (validating != null) {
      validation = validated(); // done: the stream ended, or stopped at a rejection
      rejectIfInvalid(validation);
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
