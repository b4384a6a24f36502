package dev.ledger.bench;

import dev.ledger.db.LedgerDatabase;
import dev.ledger.db.PostgresLedger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The ledger under test: the embedded PostgreSQL in a fresh temp directory (deleted afterwards), or
 * an external database given by URL (credentials from LEDGER_DB_USER / LEDGER_DB_PASSWORD, as the
 * CLI takes them). Raw connections log in as the given user, not as ledger_app, so the baselines can
 * create their bare tables.
 */
final class BenchDatabase implements AutoCloseable {
  static final String BASELINE_SCHEMA = "bench_baseline";

  final LedgerDatabase database;
  final String url;
  final String user;
  final String password;
  private final Path temp;

  private BenchDatabase(LedgerDatabase database, String url, String user, String password, Path temp) {
    this.database = database;
    this.url = url;
    this.user = user;
    this.password = password;
    this.temp = temp;
  }

  static BenchDatabase open(String externalUrl) throws IOException, SQLException {
    BenchDatabase db;
    if (externalUrl == null) {
      Path temp = Files.createTempDirectory("ledger-bench-");
      LedgerDatabase database = LedgerDatabase.embedded(temp);
      db = new BenchDatabase(database, database.jdbcUrl(), "postgres", null, temp);
    } else {
      String user = System.getenv("LEDGER_DB_USER");
      String password = System.getenv("LEDGER_DB_PASSWORD");
      db = new BenchDatabase(LedgerDatabase.connect(externalUrl, user, password), externalUrl, user, password, null);
    }
    try (Connection c = db.raw(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + BASELINE_SCHEMA + " CASCADE");
      s.execute("CREATE SCHEMA " + BASELINE_SCHEMA);
    }
    return db;
  }

  /** A child `ledger` process reaches this database as the benchmark does: by URL and credentials. */
  ProcessBuilder credentials(ProcessBuilder builder) {
    builder.environment().remove("LEDGER_DB_URL");
    if (user != null) {
      builder.environment().put("LEDGER_DB_USER", user);
    }
    if (password != null) {
      builder.environment().put("LEDGER_DB_PASSWORD", password);
    }
    return builder;
  }

  PostgresLedger ledger() {
    return database.ledger();
  }

  Connection raw() throws SQLException {
    return DriverManager.getConnection(url, user, password);
  }

  String query(String sql) throws SQLException {
    try (Connection c = raw(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  void describe(Results results) throws SQLException {
    results.database.put("PostgreSQL", query("SELECT version()"));
    results.database.put("database", temp == null ? "external (--db)" : "embedded, temp data directory");
    results.database.put("settings", "fsync=" + query("SHOW fsync") + ", synchronous_commit="
        + query("SHOW synchronous_commit") + ", shared_buffers=" + query("SHOW shared_buffers")
        + ", wal_level=" + query("SHOW wal_level"));
    if ("off".equals(query("SHOW fsync")) || "off".equals(query("SHOW synchronous_commit"))) {
      results.note("This PostgreSQL runs with fsync and/or synchronous_commit off (the embedded server's defaults):"
          + " commits cost no disk flush here, so no figure includes fsync. Use --db for a durable server.");
    }
    // The version actually applied, read as the benchmark's own login.
    results.database.put("schema version",
        query("SELECT version FROM flyway_schema_history WHERE success ORDER BY installed_rank DESC LIMIT 1"));
  }

  @Override
  public void close() throws IOException {
    try (Connection c = raw(); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + BASELINE_SCHEMA + " CASCADE");
    } catch (SQLException e) {
      System.err.println("Could not drop " + BASELINE_SCHEMA + ": " + e.getMessage());
    }
    database.close();
    if (temp != null) {
      try (Stream<Path> paths = Files.walk(temp)) {
        paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
