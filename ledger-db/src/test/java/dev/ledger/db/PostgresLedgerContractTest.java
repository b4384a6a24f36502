package dev.ledger.db;

import dev.ledger.journal.Ledger;
import dev.ledger.journal.LedgerContract;
import org.junit.jupiter.api.AfterAll;

/**
 * The core model-based suite against PostgreSQL. Every generated sequence uses its own account and
 * id namespace, so one database serves all examples. The example count is
 * {@code ledger.pg.property.examples} (default 200), lower than the in-memory run's 1000 to keep
 * the build short; raise it for a deeper run.
 */
class PostgresLedgerContractTest extends LedgerContract {
  private static LedgerDatabase database;

  @Override
  protected synchronized Ledger newLedger() {
    if (database == null) {
      // Balance rows keep daily checkpoints from their third posting on (V26), so that the
      // generated sequences read rows before, across and after the switch.
      database = TestDatabases.freshWithCheckpointsFrom(3);
    }
    return database.ledger();
  }

  @Override
  protected int examples() {
    return Integer.getInteger("ledger.pg.property.examples", 200);
  }

  @AfterAll
  static void close() {
    if (database != null) {
      database.close();
    }
  }
}
