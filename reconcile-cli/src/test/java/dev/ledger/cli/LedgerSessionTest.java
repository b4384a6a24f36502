package dev.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.db.TestDatabases;
import java.net.URI;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Opening a session migrates the schema; a schema Flyway refuses is one clean line and exit 5. */
class LedgerSessionTest {
  private final Cli cli = new Cli();

  @Test
  void aSchemaFromANewerLedgerIsOneLineExitFiveAndTheTraceOnlyWithVerbose() throws Exception {
    assertThat(cli.run("accounts", "list").exitCode()).isZero();
    String database = URI.create(cli.url().substring("jdbc:".length())).getPath().substring(1);
    try (Connection c = TestDatabases.superuser(database); Statement s = c.createStatement()) {
      s.execute("INSERT INTO flyway_schema_history VALUES (99, '99', 'from the future', 'SQL', "
          + "'V99__from_the_future.sql', 1, 'postgres', now(), 1, true)");
    }

    Cli.Run run = cli.run("balance", "assets:bank");
    assertThat(run.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
    assertThat(run.out()).isEmpty();
    assertThat(run.err().lines()).singleElement().asString()
        .startsWith("ledger: The ledger schema on " + cli.url() + ": the schema is at version 99, "
            + "newer than this ledger (")
        .endsWith("); run the ledger release that migrated it, or a later one");

    Cli.Run verbose = cli.run("balance", "assets:bank", "--verbose");
    assertThat(verbose.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
    assertThat(verbose.err().lines().findFirst()).contains(run.err().strip());
    assertThat(verbose.err()).contains("dev.ledger.db.LedgerStoreException", "\tat ");
  }

  @Test
  void aFailedMigrationNamesItWithoutSqlStateOrJarPath() throws Exception {
    assertThat(cli.run("accounts", "list").exitCode()).isZero();
    String database = URI.create(cli.url().substring("jdbc:".length())).getPath().substring(1);
    try (Connection c = TestDatabases.superuser(database); Statement s = c.createStatement()) {
      s.execute("DELETE FROM flyway_schema_history WHERE installed_rank >= "
          + "(SELECT installed_rank FROM flyway_schema_history WHERE version = '12')");
    }
    Cli.Run run = cli.run("init");
    assertThat(run.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
    assertThat(run.err()).isEqualTo("ledger: The ledger schema on " + cli.url() + ": migration V12 "
        + "(statement inconsistent breaks) failed: column \"stated\" of relation \"reconciliation_breaks\" "
        + "already exists" + System.lineSeparator());
  }
}
