package dev.ledger.cli;

import dev.ledger.db.TestDatabases;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Runs the ledger command in-process against a fresh database of the shared embedded server. */
public final class Cli {
  private final String url;

  public record Run(int exitCode, String out, String err) {}

  public Cli() {
    String base = TestDatabases.url(TestDatabases.freshName());
    this.url = base.contains("user=") ? base : base + "?user=" + TestDatabases.server().user();
  }

  public String url() {
    return url;
  }

  /** Runs a command that needs the database: --db is appended. */
  public Run run(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.add("--db");
    all.add(url);
    return runRaw(all.toArray(String[]::new));
  }

  /** Runs exactly the given arguments. */
  public static Run runRaw(String... args) {
    return runWithEnvironment(System.getenv(), args);
  }

  /**
   * Runs exactly the given arguments with LEDGER_* settings taken only from {@code environment}
   * (LEDGER_DB_URL, LEDGER_DB_USER, LEDGER_DB_PASSWORD, ...), as a shell would pass them; the test
   * JVM's own environment is not consulted for them.
   */
  public static Run runWithEnvironment(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = LedgerCommand.commandLine(environment::get);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int code = commandLine.execute(args);
    return new Run(code, out.toString(), err.toString());
  }
}
