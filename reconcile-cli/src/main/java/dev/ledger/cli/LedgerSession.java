package dev.ledger.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.db.LedgerDatabase;
import dev.ledger.db.PostgresLedger;
import dev.ledger.db.VerifyReport;
import dev.ledger.db.reconcile.ReconciliationStore;
import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import java.io.PrintWriter;
import java.util.List;

/** One command's connection to the ledger: the embedded default or an external PostgreSQL. */
public final class LedgerSession implements AutoCloseable {
  private final LedgerDatabase database;
  private final ReconciliationStore reconciliation;
  private final String description;

  private LedgerSession(LedgerDatabase database, String description) {
    this.database = database;
    this.reconciliation = new ReconciliationStore(database.dataSource());
    this.description = description;
  }

  public static LedgerSession open(DatabaseOptions options) {
    String url = options.url();
    var timeout = options.statementTimeout();
    if (url != null) {
      options.checkNoPasswordInUrl(url);
      String user = System.getenv("LEDGER_DB_USER");
      String password = System.getenv("LEDGER_DB_PASSWORD");
      try {
        return new LedgerSession(LedgerDatabase.connect(url, user, password, timeout), url);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.USAGE, e.getMessage(), e);
      }
    }
    var home = options.dataDir();
    return new LedgerSession(LedgerDatabase.embedded(home, timeout), "embedded PostgreSQL in " + home);
  }

  public PostgresLedger ledger() {
    return database.ledger();
  }

  public ReconciliationStore reconciliation() {
    return reconciliation;
  }

  public String describe() {
    return description;
  }

  public String schemaVersion() {
    return database.schemaVersion();
  }

  /** Validates a batch against the ledger without writing anything. */
  public BatchResult check(List<Entry> entries) {
    return database.ledger().check(entries);
  }

  /** Prints the verify report; false when an integrity violation was found. */
  public boolean verify(OutputFormat format, PrintWriter out, PrintWriter err) {
    VerifyReport report = database.verify();
    if (format == OutputFormat.JSON) {
      ObjectNode json = Json.object();
      json.put("ok", report.ok());
      json.put("entries_checked", report.entriesChecked());
      json.put("entry_id", report.entryId());
      if (report.sequence() == null) {
        json.putNull("sequence");
      } else {
        json.put("sequence", report.sequence());
      }
      json.put("problem", report.problem());
      var mismatches = json.putArray("balance_mismatches");
      report.balanceMismatches().forEach(mismatches::add);
      Json.print(out, json);
    } else {
      Table table = new Table("ok", "entries_checked", "entry_id", "sequence", "problem");
      table.row(report.ok(), report.entriesChecked(), report.entryId(), report.sequence(), report.problem());
      report.balanceMismatches().forEach(m -> table.row(false, "", "", "", m));
      if (format == OutputFormat.CSV) {
        table.printCsv(out);
      } else {
        out.println(report);
        out.flush();
      }
    }
    if (!report.ok()) {
      err.println("ledger: integrity violation: " + (report.entryId() != null
          ? "entry " + report.entryId() + ": " + report.problem()
          : String.join("; ", report.balanceMismatches())));
      err.flush();
    }
    return report.ok();
  }

  @Override
  public void close() {
    database.close();
  }
}
