package dev.ledger.cli;

import dev.ledger.db.LedgerDatabase;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Stops the embedded server that stays up between commands; exit 0 also when none runs. */
@Command(name = "stop", mixinStandardHelpOptions = true,
    description = {"Stop the embedded PostgreSQL now.",
        "Commands on the embedded default leave it running for $LEDGER_IDLE_MINUTES (default 10) after",
        "the last one, so the next command answers at once; this ends it (and any session still open).",
        "Exit 0 also when nothing runs. An external database (--db, $LEDGER_DB_URL) is never stopped."})
public final class StopCommand implements Callable<Integer> {
  @Mixin DatabaseOptions database;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    if (database.url() != null) {
      out.println("Nothing to stop: the ledger is on an external database.");
      out.flush();
      return ExitCode.OK;
    }
    var home = database.dataDir();
    boolean stopped = LedgerDatabase.stopEmbedded(home);
    out.println(stopped ? "Stopped the embedded PostgreSQL in " + home + "."
        : "No embedded PostgreSQL was running in " + home + ".");
    out.flush();
    return ExitCode.OK;
  }
}
