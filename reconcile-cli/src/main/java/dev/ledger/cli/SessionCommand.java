package dev.ledger.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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
    prepare();
    try (LedgerSession session = LedgerSession.open(database)) {
      this.session = session;
      return run(session);
    }
  }

  /** This command's zone: --tz, else the ledger's (read once, when first needed). */
  protected java.time.ZoneId zone() {
    if (zone == null) {
      zone = session == null ? java.time.ZoneId.of("UTC") : session.zone();
    }
    return zone;
  }

  /** Checks arguments and files before any database is opened. */
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
