package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The fast path past Flyway is taken only for a schema at exactly this build's migrations. */
class SchemaHistoryTest {
  @Test
  void theShippedVersionsAreTheMigrationFilesInFlywayOrder() throws Exception {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("ledger.migrations.dir", "../db/migration")))) {
      long count = files.filter(f -> f.getFileName().toString().matches("V[0-9._]+__.+\\.sql")).count();
      assertThat(SchemaHistory.shippedVersions()).hasSize((int) count);
    }
    assertThat(SchemaHistory.compare("2", "10")).isNegative();
    assertThat(SchemaHistory.compare("1.0", "1")).isZero();
  }

  @Test
  void aMigratedSchemaIsCurrentAndOneMissingAMigrationOrWithAFailedOneIsNot() throws Exception {
    String name = TestDatabases.freshName();
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      assertThat(SchemaHistory.currentVersion(c)).contains(SchemaHistory.shippedVersions().last());

      s.execute("UPDATE flyway_schema_history SET checksum = 42 WHERE version = '3'");
      assertThat(SchemaHistory.currentVersion(c)).as("an edited migration goes to Flyway").isEmpty();
      s.execute("UPDATE flyway_schema_history SET checksum = " + SchemaHistory.checksum("db/migration/"
          + migration("3")) + " WHERE version = '3'");
      assertThat(SchemaHistory.currentVersion(c)).as("Flyway's checksum, computed alike").isPresent();

      s.execute("UPDATE flyway_schema_history SET success = false WHERE version = '1'");
      assertThat(SchemaHistory.currentVersion(c)).isEmpty();
      s.execute("UPDATE flyway_schema_history SET success = true WHERE version = '1'");

      s.execute("DELETE FROM flyway_schema_history WHERE version = '" + SchemaHistory.shippedVersions().last() + "'");
      assertThat(SchemaHistory.currentVersion(c)).isEmpty();
    }
  }

  private static String migration(String version) throws Exception {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("ledger.migrations.dir", "../db/migration")))) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("V" + version + "__"))
          .findFirst().orElseThrow();
    }
  }

  @Test
  void anEmptyDatabaseHasNoCurrentSchema() throws Exception {
    try (Connection c = TestDatabases.superuser("postgres")) {
      assertThat(SchemaHistory.currentVersion(c)).isEmpty();
    }
  }
}
