package dev.ledger.cli;

import dev.ledger.db.ChainAudit;
import dev.ledger.db.LedgerDatabase;
import dev.ledger.db.PostgresLedger;
import dev.ledger.db.reconcile.BreakWorkflow;
import dev.ledger.db.reconcile.ReconciliationStore;
import dev.ledger.db.reconcile.RunFigures;
import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import java.util.List;

/** One command's connection to the ledger: the embedded default or an external PostgreSQL. */
public final class LedgerSession implements AutoCloseable {
  private final LedgerDatabase database;
  /** Made on first use: its jOOQ queries cost a command that never reconciles half a second of start-up. */
  private ReconciliationStore reconciliation;
  private final String description;
  private java.time.ZoneId zone;

  private LedgerSession(LedgerDatabase database, String description) {
    this.database = database;
    this.description = description;
  }

  public static LedgerSession open(DatabaseOptions options) {
    String url = options.url();
    var timeout = options.statementTimeout();
    if (url != null) {
      options.checkNoPasswordInUrl(url);
      String user = options.env("LEDGER_DB_USER");
      String password = options.env("LEDGER_DB_PASSWORD");
      try {
        return new LedgerSession(LedgerDatabase.connect(url, user, password, timeout), url);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.USAGE, e.getMessage(), e);
      }
    }
    var home = options.dataDir();
    // The server outlives the command (idle time), so the next one only connects. One command
    // uses a handful of connections at most (its work, the sealer, a streamed read).
    return new LedgerSession(LedgerDatabase.embeddedShared(home, timeout, options.idle(), 4),
        "embedded PostgreSQL in " + home);
  }

  public PostgresLedger ledger() {
    return database.ledger();
  }

  public ReconciliationStore reconciliation() {
    if (reconciliation == null) {
      reconciliation = new ReconciliationStore(database.dataSource());
    }
    return reconciliation;
  }

  /** Assigning, commenting on and resolving breaks; breaks with their age. */
  public BreakWorkflow workflow() {
    return new BreakWorkflow(database.dataSource());
  }

  /** Stored runs and what they matched, for reports. */
  public RunFigures runFigures() {
    return new RunFigures(database.dataSource());
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

  /** Digests of the chain head and verification, also against digests (ChainAudit). */
  public ChainAudit audit() {
    return new ChainAudit(database.dataSource());
  }

  /** The ledger's time zone (V19), read once per session. */
  public java.time.ZoneId zone() {
    if (zone == null) {
      zone = new dev.ledger.db.LedgerZone(database.dataSource()).zone();
    }
    return zone;
  }

  /** Sets the ledger's time zone (the schema owner only); see {@link dev.ledger.db.LedgerZone#choose}. */
  public dev.ledger.db.LedgerZone.Choice chooseZone(java.time.ZoneId zone, boolean change) {
    dev.ledger.db.LedgerZone.Choice choice = new dev.ledger.db.LedgerZone(database.dataSource()).choose(zone, change);
    this.zone = choice.zone();
    return choice;
  }

  @Override
  public void close() {
    database.close();
  }
}
