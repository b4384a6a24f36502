package dev.ledger.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that works on the ledger database: opens it, runs, closes it. */
public abstract class SessionCommand implements Callable<Integer> {
  @Mixin protected DatabaseOptions database;
  @Mixin protected OutputOptions output;
  @Mixin protected TimeZoneOptions timeZone;
  @Spec protected CommandSpec spec;
  private LedgerSession session;
  private java.time.ZoneId zone;

  @Override
  public final Integer call() throws Exception {
    zone = timeZone.override();
    output.check();
    // A command that opens while preparing has the database opened (the embedded server started,
    // the schema checked) on a second thread while prepare() reads the input, which leaves the
    // server idle otherwise. Input errors still come first: when prepare() fails, the opening is
    // waited for, closed and its errors dropped.
    CompletableFuture<LedgerSession> opening = opensWhilePreparing()
        ? CompletableFuture.supplyAsync(() -> LedgerSession.open(database), SessionCommand::daemon) : null;
    try {
      prepare();
    } catch (Exception | Error e) {
      if (opening != null) {
        opening.handle((opened, failure) -> {
          if (opened != null) {
            try {
              opened.close();
            } catch (RuntimeException closing) {
              e.addSuppressed(closing); // the input's error is the one to report
            }
          }
          return null;
        }).join();
      }
      throw e;
    }
    try (LedgerSession session = opening == null ? LedgerSession.open(database) : opened(opening)) {
      this.session = session;
      return run(session);
    }
  }

  private static void daemon(Runnable task) {
    Thread thread = new Thread(task, "ledger-open");
    thread.setDaemon(true);
    thread.start();
  }

  /** The opened session, or what opening it threw, as LedgerSession.open would have thrown it. */
  private static LedgerSession opened(CompletableFuture<LedgerSession> opening) {
    try {
      return opening.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
  }

  /**
   * Whether the database is opened while {@link #prepare} runs: for commands whose prepare reads
   * large input (ledger post validates its whole file first).
   */
  protected boolean opensWhilePreparing() {
    return false;
  }

  /** This command's zone: --tz, else the ledger's (read once, when first needed). */
  protected java.time.ZoneId zone() {
    if (zone == null) {
      zone = session == null ? java.time.ZoneId.of("UTC") : session.zone();
    }
    return zone;
  }

  /** Checks arguments and files: before the database is opened, or beside it (opensWhilePreparing). */
  protected void prepare() throws Exception {}

  protected abstract int run(LedgerSession session) throws Exception;

  protected PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Messages for the user; control characters from input are escaped (Terminal). */
  protected PrintWriter err() {
    return Terminal.writer(spec.commandLine().getErr());
  }

  /** A readable regular file, or exit 3 naming it. */
  public static Path readable(Path file) {
    if (!Files.exists(file)) {
      throw CliException.inputRejected(file + ": file not found");
    }
    if (!Files.isRegularFile(file)) {
      throw CliException.inputRejected(file + ": not a regular file");
    }
    if (!Files.isReadable(file)) {
      throw CliException.inputRejected(file + ": not readable (permission denied)");
    }
    return file;
  }

  protected void print(Object json, Table table) {
    output.print(out(), json, table);
  }
}
