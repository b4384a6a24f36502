package dev.ledger.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.db.embedded.EmbeddedDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Entry point for callers (the CLI): opens a pool on the embedded default or an external
 * PostgreSQL, migrates the schema with Flyway when the login owns it (or may create it), and hands
 * out the ledger. Any other login only checks that the schema is at this build's version. Pooled
 * connections of a login in {@code ledger_app} run as that role, those of a login only in
 * {@code ledger_auditor} as that one (least privilege; see {@link SchemaAccess}).
 */
public final class LedgerDatabase implements AutoCloseable {
  /**
   * How long one statement may run, and one transaction sit idle, before the server cancels it.
   * Well above the slowest statement the ledger issues at the sizes of DESIGN section 7 (a
   * 1,000,000-entry all-or-nothing post writes in one round trip of well under a minute), yet it
   * bounds the work a killed or hung client leaves running on the server.
   */
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofMinutes(5);

  /** Connections of a pool unless the caller asks otherwise. */
  public static final int DEFAULT_POOL_SIZE = 16;

  /** Retries of the first connection, as Flyway's connectRetries(3) made them before. */
  private static final int CONNECT_RETRIES = 3;

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
      return open(database.jdbcUrl("postgres"), database.user(), null, database, timeouts, DEFAULT_POOL_SIZE);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /**
   * The shared embedded server of {@code home} (the CLI's default): the running one, else a new one
   * that stays up for {@code idle} after the last command (zero: stopped when this closes); see
   * {@link EmbeddedDatabase#shared}. A pool of {@code poolSize} connections (one-shot commands need
   * few).
   */
  public static LedgerDatabase embeddedShared(Path home, Duration statementTimeout, Duration idle, int poolSize) {
    String timeouts = timeoutSql(statementTimeout);
    EmbeddedDatabase database = EmbeddedDatabase.shared(home, idle);
    try {
      return open(database.jdbcUrl("postgres"), database.user(), null, database, timeouts, poolSize);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** The schema version this build migrates to (its latest migration), or null if unknown. */
  public static String shippedSchemaVersion() {
    var versions = SchemaHistory.shippedVersions();
    return versions.isEmpty() ? null : versions.last();
  }

  /** Stops the shared embedded server of {@code home} now; false when none was running. */
  public static boolean stopEmbedded(Path home) {
    return EmbeddedDatabase.stopShared(home);
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
    return open(jdbcUrl, user, password, null, timeoutSql(statementTimeout), DEFAULT_POOL_SIZE);
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
      String timeouts, int poolSize) {
    String where = redact(url);
    String schemaVersion;
    String actingRole;
    try (Connection c = connectWithRetries(url, user, password, where)) {
      SchemaAccess access = SchemaAccess.probe(c, SchemaAccess.ROLES);
      java.util.Optional<String> current = SchemaHistory.currentVersion(c);
      if (current.isPresent()) {
        schemaVersion = current.get(); // already at this build's version: no Flyway on this path
      } else if (access.migrates()) {
        access.refuseMissingRoles(where);
        schemaVersion = migrate(url, user, password, timeouts);
      } else {
        access.refuseUnreadableSchema(where);
        schemaVersion = requireCurrent(url, user, password, timeouts);
      }
      // After the migration: on a fresh database V2 has only now created the roles.
      actingRole = SchemaAccess.actingRole(c);
    } catch (SQLException e) {
      throw SqlErrors.translate("Reading the ledger schema of " + where, e);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    config.setPoolName("ledger");
    config.setInitializationFailTimeout(-1);
    config.setConnectionInitSql(actingRole == null ? timeouts : timeouts + "; SET ROLE " + actingRole);
    try {
      return new LedgerDatabase(new HikariDataSource(config), embedded, schemaVersion);
    } catch (RuntimeException e) {
      throw SqlErrors.translate("Opening the connection pool on " + where, e);
    }
  }

  private static Connection connectWithRetries(String url, String user, String password, String where)
      throws SQLException {
    for (int attempt = 0; ; attempt++) {
      try {
        return java.sql.DriverManager.getConnection(url, user, password);
      } catch (SQLException e) {
        String state = e.getSQLState();
        // A server that is starting up or not yet listening may be there in a moment; a wrong
        // database, login or password will not.
        boolean transientFailure = state != null && (state.startsWith("08") || state.equals("57P03"));
        if (!transientFailure || attempt >= CONNECT_RETRIES) {
          throw MigrationErrors.cannotConnect(where, e);
        }
        try {
          Thread.sleep(1_000L * (attempt + 1));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw MigrationErrors.cannotConnect(where, e);
        }
      }
    }
  }

  private static Flyway flyway(String url, String user, String password, String timeouts) {
    return Flyway.configure()
        .dataSource(url, user, password)
        .initSql(timeouts)
        .locations("classpath:db/migration")
        .connectRetries(3)
        .load();
  }

  /** Migrates and returns the schema version now applied. Only for a login that owns the schema. */
  private static String migrate(String url, String user, String password, String timeouts) {
    Flyway flyway = flyway(url, user, password, timeouts);
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

  /**
   * For a login that may not migrate: reads (never writes) the schema history and returns the
   * applied version, refusing a schema older or newer than this build or one Flyway would not
   * validate, so that such a login never works under rules other than this build's.
   */
  private static String requireCurrent(String url, String user, String password, String timeouts) {
    Flyway flyway = flyway(url, user, password, timeouts);
    try {
      return MigrationErrors.requireCurrent(redact(url), flyway.info());
    } catch (FlywayException e) {
      throw MigrationErrors.failure(redact(url), flyway, e);
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
    ledger.sealPending(); // what the seal interval left queued: every command ends sealed
    dataSource.close();
    if (embedded != null) {
      embedded.close();
    }
  }

}
