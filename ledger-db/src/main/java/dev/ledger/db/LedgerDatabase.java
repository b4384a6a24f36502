package dev.ledger.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.db.embedded.EmbeddedDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Entry point for callers (the CLI): opens a pool on the embedded default or an external
 * PostgreSQL, migrates the schema with Flyway and hands out the ledger. When the login role may
 * act as {@code ledger_app}, pooled connections run as that role (least privilege).
 */
public final class LedgerDatabase implements AutoCloseable {
  /**
   * How long one statement may run, and one transaction sit idle, before the server cancels it.
   * Well above the slowest statement the ledger issues at the sizes of DESIGN section 7 (a
   * 1,000,000-entry all-or-nothing post writes in one round trip of well under a minute), yet it
   * bounds the work a killed or hung client leaves running on the server.
   */
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofMinutes(5);

  private final HikariDataSource dataSource;
  private final EmbeddedDatabase embedded;
  private final PostgresLedger ledger;
  private final String schemaVersion;

  private LedgerDatabase(HikariDataSource dataSource, EmbeddedDatabase embedded, String schemaVersion) {
    this.schemaVersion = schemaVersion;
    this.dataSource = dataSource;
    this.embedded = embedded;
    this.ledger = new PostgresLedger(dataSource);
  }

  /** Starts (or reuses the data of) the embedded PostgreSQL under {@code home}. */
  public static LedgerDatabase embedded(Path home) {
    return embedded(home, DEFAULT_STATEMENT_TIMEOUT);
  }

  /** As {@link #embedded(Path)}, with every statement cancelled after {@code statementTimeout}. */
  public static LedgerDatabase embedded(Path home, Duration statementTimeout) {
    String timeouts = timeoutSql(statementTimeout);
    EmbeddedDatabase database = EmbeddedDatabase.start(home);
    try {
      return open(database.jdbcUrl("postgres"), database.user(), null, database, timeouts);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** An external database; the password comes from the caller (the CLI reads the environment). */
  public static LedgerDatabase connect(String jdbcUrl, String user, String password) {
    return connect(jdbcUrl, user, password, DEFAULT_STATEMENT_TIMEOUT);
  }

  /** As {@link #connect(String, String, String)}, with its own statement timeout. */
  public static LedgerDatabase connect(String jdbcUrl, String user, String password,
      Duration statementTimeout) {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "Database URL must start with jdbc:postgresql: but was '" + jdbcUrl + "'");
    }
    return open(jdbcUrl, user, password, null, timeoutSql(statementTimeout));
  }

  /**
   * Session settings for every connection the ledger opens (pool and migrations). Server-side, so
   * a client that dies mid-statement leaves nothing running past the timeout, and the idle limit
   * frees locks (the chain head, balance rows) that a stopped client holds in an open transaction.
   */
  static String timeoutSql(Duration statementTimeout) {
    if (statementTimeout == null || statementTimeout.isNegative() || statementTimeout.isZero()
        || statementTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Statement timeout must be between 1 ms and "
          + Integer.MAX_VALUE + " ms but was " + statementTimeout);
    }
    long millis = Math.max(1, statementTimeout.toMillis());
    return "SET statement_timeout = " + millis + "; SET idle_in_transaction_session_timeout = " + millis;
  }

  private static LedgerDatabase open(String url, String user, String password, EmbeddedDatabase embedded,
      String timeouts) {
    String schemaVersion = migrate(url, user, password, timeouts);
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(16);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    config.setPoolName("ledger");
    config.setInitializationFailTimeout(-1);
    config.setConnectionInitSql(mayActAsApp(url, user, password)
        ? timeouts + "; SET ROLE ledger_app"
        : timeouts);
    try {
      return new LedgerDatabase(new HikariDataSource(config), embedded, schemaVersion);
    } catch (RuntimeException e) {
      throw SqlErrors.translate("Opening the connection pool on " + redact(url), e);
    }
  }

  /** Migrates and returns the schema version now applied. */
  private static String migrate(String url, String user, String password, String timeouts) {
    Flyway flyway = Flyway.configure()
        .dataSource(url, user, password)
        .initSql(timeouts)
        .locations("classpath:db/migration")
        .connectRetries(3)
        .load();
    try {
      flyway.migrate();
      var info = flyway.info();
      MigrationErrors.refuseNewerSchema(redact(url), info);
      var current = info.current();
      return current == null ? null : current.getVersion().getVersion();
    } catch (FlywayException e) {
      throw MigrationErrors.failure(redact(url), flyway, e);
    }
  }

  private static boolean mayActAsApp(String url, String user, String password) {
    try (Connection c = java.sql.DriverManager.getConnection(url, user, password);
        PreparedStatement s = c.prepareStatement(
            "SELECT pg_has_role(current_user, 'ledger_app', 'MEMBER')");
        ResultSet rs = s.executeQuery()) {
      return rs.next() && rs.getBoolean(1);
    } catch (SQLException e) {
      throw SqlErrors.translate("Connecting to " + redact(url), e);
    }
  }

  /** Never show credentials that a caller may have put into the URL. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }

  public PostgresLedger ledger() {
    return ledger;
  }

  /** Recomputes hashes and balances from the raw rows; see {@link VerifyReport}. */
  public VerifyReport verify() {
    try (Connection c = dataSource.getConnection()) {
      return Verifier.verify(c);
    } catch (SQLException | RuntimeException e) {
      throw SqlErrors.translate("Verifying the ledger", e);
    }
  }

  /** The pool, for stores that live beside the ledger (reconciliation runs and breaks). */
  public javax.sql.DataSource dataSource() {
    return dataSource;
  }

  /** The Flyway schema version applied when this database was opened. */
  public String schemaVersion() {
    return schemaVersion;
  }

  public String jdbcUrl() {
    return redact(dataSource.getJdbcUrl());
  }

  @Override
  public void close() {
    dataSource.close();
    if (embedded != null) {
      embedded.close();
    }
  }

}
