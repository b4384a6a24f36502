package dev.ledger.db;

import dev.ledger.db.embedded.EmbeddedDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL per test JVM; each caller gets a fresh database cloned from a migrated
 * template, which is far cheaper than a server or a migration per test class.
 */
public final class TestDatabases {
  private static final String TEMPLATE = "ledger_template";
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static EmbeddedDatabase server;

  private TestDatabases() {}

  public static synchronized EmbeddedDatabase server() {
    if (server == null) {
      Path home = Path.of(System.getProperty("ledger.test.pg", "target/test-postgres"));
      // Durability is irrelevant for tests: trade it for speed.
      server = EmbeddedDatabase.start(home, Duration.ofSeconds(60), Map.of(
          "fsync", "off", "synchronous_commit", "off", "full_page_writes", "off"));
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      try (Connection c = superuser("postgres"); Statement s = c.createStatement()) {
        List<String> stale = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(
            "SELECT datname FROM pg_database WHERE datname LIKE 't\\_%' OR datname = '" + TEMPLATE + "'")) {
          while (rs.next()) {
            stale.add(rs.getString(1));
          }
        }
        for (String name : stale) {
          s.execute("DROP DATABASE \"" + name + "\" WITH (FORCE)");
        }
        s.execute("CREATE DATABASE " + TEMPLATE);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
      LedgerDatabase.connect(server.jdbcUrl(TEMPLATE), server.user(), null).close();
    }
    return server;
  }

  /** Name of a new, migrated, empty database. */
  public static String freshName() {
    EmbeddedDatabase db = server();
    String name = "t_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    try (Connection c = superuser("postgres"); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name + " TEMPLATE " + TEMPLATE);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return name;
  }

  public static LedgerDatabase fresh() {
    String name = freshName();
    return LedgerDatabase.connect(server().jdbcUrl(name), server().user(), null);
  }

  /**
   * A fresh ledger whose balance rows keep daily checkpoints from their {@code postingsMin}-th
   * posting on (V26; 0: from the first, as every row did before V26).
   */
  public static LedgerDatabase freshWithCheckpointsFrom(int postingsMin) {
    LedgerDatabase database = fresh();
    try (Connection c = superuser(databaseOf(database));
        java.sql.PreparedStatement s = c.prepareStatement(
            "UPDATE ledger_settings SET checkpoint_postings_min = ? WHERE id = 1")) {
      s.setInt(1, postingsMin);
      s.executeUpdate();
    } catch (SQLException e) {
      database.close();
      throw new IllegalStateException(e);
    }
    return database;
  }

  public static String url(String database) {
    return server().jdbcUrl(database);
  }

  public static Connection superuser(String database) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(database), server.user(), null);
  }

  /** The database name of a ledger opened by {@link #fresh()}. */
  public static String databaseOf(LedgerDatabase database) {
    String url = database.jdbcUrl();
    String path = url.substring(url.lastIndexOf('/') + 1);
    int query = path.indexOf('?');
    return query < 0 ? path : path.substring(0, query);
  }
}
