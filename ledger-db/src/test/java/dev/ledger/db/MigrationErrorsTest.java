package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.db.LedgerStoreException.Kind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A schema that Flyway refuses is reported in one line that says which migration and why. */
class MigrationErrorsTest {

  /** Opens the ledger on a migrated database after {@code sql} changed its schema history. */
  private static void openAfter(String sql, Consumer<LedgerStoreException> check) throws SQLException {
    String name = TestDatabases.freshName();
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      s.execute(sql);
    }
    String url = TestDatabases.url(name);
    assertThatThrownBy(() -> LedgerDatabase.connect(url, TestDatabases.server().user(), null))
        .isInstanceOfSatisfying(LedgerStoreException.class, e -> {
          assertThat(e.getMessage()).startsWith("The ledger schema on " + url + ": ")
              .doesNotContain("\n", "SQL State", ".jar", "http", "Flyway");
          check.accept(e);
        });
  }

  @Test
  void aSchemaMigratedByANewerLedgerIsRefusedNamingBothVersions() throws SQLException {
    openAfter("INSERT INTO flyway_schema_history VALUES (99, '99', 'from the future', 'SQL', "
        + "'V99__from_the_future.sql', 1, 'postgres', now(), 1, true)", e -> {
          assertThat(e.kind()).isEqualTo(Kind.MIGRATION_FAILED);
          assertThat(e.getMessage()).containsPattern(
              "the schema is at version 99, newer than this ledger \\(\\d+\\); run the ledger release "
                  + "that migrated it, or a later one$");
        });
  }

  @Test
  void aChangedChecksumNamesTheMigrationAndBothChecksums() throws SQLException {
    openAfter("UPDATE flyway_schema_history SET checksum = 42 WHERE version = '3'", e -> {
      assertThat(e.kind()).isEqualTo(Kind.MIGRATION_FAILED);
      assertThat(e.getMessage()).containsPattern("migration V3 \\(cheaper balance check\\) recorded in the "
          + "database \\(checksum 42\\) differs from this ledger's \\(checksum -?\\d+\\); the migration or "
          + "the schema history was changed$");
    });
  }

  @Test
  void aMigrationRecordedAsFailedIsNamedWithTheWayOut() throws SQLException {
    openAfter("UPDATE flyway_schema_history SET success = false WHERE version = '12'", e ->
        assertThat(e.getMessage()).endsWith("migration V12 (statement inconsistent breaks) failed "
            + "earlier and is recorded as failed in flyway_schema_history; undo its partial changes "
            + "and remove that row, then retry"));
  }

  @Test
  void aMigrationThatFailsNamesItAndTheServersReasonOnly() throws SQLException {
    // Forget V12 and later: V12 runs again and fails, since its column exists already.
    openAfter("DELETE FROM flyway_schema_history WHERE installed_rank >= "
        + "(SELECT installed_rank FROM flyway_schema_history WHERE version = '12')", e -> {
          assertThat(e.kind()).isEqualTo(Kind.MIGRATION_FAILED);
          assertThat(e.sqlState()).isEqualTo("42701");
          assertThat(e.getMessage()).endsWith("migration V12 (statement inconsistent breaks) failed: "
              + "column \"stated\" of relation \"reconciliation_breaks\" already exists");
        });
  }

  @Test
  void aDatabaseThatDoesNotExistIsUnavailableNotAMigrationFailure() {
    String url = TestDatabases.url("no_such_ledger");
    assertThatThrownBy(() -> LedgerDatabase.connect(url, TestDatabases.server().user(), null))
        .isInstanceOfSatisfying(LedgerStoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.UNAVAILABLE);
          assertThat(e.getMessage())
              .isEqualTo("Cannot connect to " + url + ": database \"no_such_ledger\" does not exist");
        });
  }
}
