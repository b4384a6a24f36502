package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.db.LedgerStoreException.Kind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Logins that do not own the schema (issue 10, item 6): they never run Flyway's migrate, read the
 * applied version instead and refuse a schema this build does not match; their pooled connections
 * act as ledger_app or ledger_auditor. The schema owner migrates even without CREATEROLE when the
 * roles exist, and stops before Flyway with the SQL to run when they do not.
 */
class LeastPrivilegeLoginTest {
  // Roles are cluster-wide and the server is shared by the test JVM: unique names, dropped after.
  private static final String RUN = "lp_" + ProcessHandle.current().pid() + "_";
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final List<String> DATABASES = new ArrayList<>();
  private static final List<String> LOGINS = new ArrayList<>();
  private static String latest;

  @BeforeAll
  static void latestVersion() throws SQLException {
    try (Connection c = TestDatabases.superuser(TestDatabases.freshName()); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT max(version::int)::text FROM flyway_schema_history")) {
      rs.next();
      latest = rs.getString(1);
    }
  }

  @AfterAll
  static void dropWhatThisClassCreated() throws SQLException {
    try (Connection c = TestDatabases.superuser("postgres"); Statement s = c.createStatement()) {
      // Databases first: a login that owns one, or holds grants in one, cannot be dropped.
      for (String database : DATABASES) {
        s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
      }
      for (String login : LOGINS) {
        s.execute("DROP ROLE IF EXISTS " + login);
      }
    }
  }

  private static String name(String what) {
    return RUN + what + "_" + COUNTER.incrementAndGet();
  }

  /** A new login (trust authentication on the test server: no password needed). */
  private static String login(String what, String options) throws SQLException {
    String login = name(what);
    LOGINS.add(login);
    superuserRun("postgres", "CREATE ROLE " + login + " LOGIN " + options);
    return login;
  }

  /** A migrated copy of the template, owned by the superuser (so no test login owns it). */
  private static String migratedDatabase() {
    String database = TestDatabases.freshName();
    DATABASES.add(database);
    return database;
  }

  private static String emptyDatabase(String owner) throws SQLException {
    String database = name("db");
    DATABASES.add(database);
    superuserRun("postgres", "CREATE DATABASE " + database + (owner == null ? "" : " OWNER " + owner));
    return database;
  }

  /** A URL without a user: the login is the one passed to connect, as LEDGER_DB_USER would be. */
  private static String url(String database) {
    return "jdbc:postgresql://localhost:" + TestDatabases.server().port() + "/" + database;
  }

  private static void superuserRun(String database, String... sql) throws SQLException {
    try (Connection c = TestDatabases.superuser(database); Statement s = c.createStatement()) {
      for (String statement : sql) {
        s.execute(statement);
      }
    }
  }

  private static long count(String database, String sql) throws SQLException {
    try (Connection c = TestDatabases.superuser(database); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Until V13 grants it, reading the schema version needs this grant (see the report of issue 10). */
  private static void grantHistoryRead(String database) throws SQLException {
    superuserRun(database, "GRANT SELECT ON flyway_schema_history TO ledger_app, ledger_auditor");
  }

  private static String currentUser(LedgerDatabase database) throws SQLException {
    try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_user")) {
      rs.next();
      return rs.getString(1);
    }
  }

  @Test
  void anAppLoginOnACurrentSchemaOpensWithoutMigratingAndActsAsLedgerApp() throws Exception {
    String database = migratedDatabase();
    grantHistoryRead(database);
    String nightly = login("nightly", "IN ROLE ledger_app");
    long history = count(database, "SELECT count(*) FROM flyway_schema_history");
    try (LedgerDatabase ledger = LedgerDatabase.connect(url(database), nightly, null)) {
      assertThat(ledger.schemaVersion()).isEqualTo(latest);
      assertThat(currentUser(ledger)).isEqualTo("ledger_app");
      assertThat(ledger.ledger().trialBalance(Instant.now(), Instant.now())).isEmpty();
    }
    assertThat(count(database, "SELECT count(*) FROM flyway_schema_history"))
        .as("a login that does not own the schema must not write its history").isEqualTo(history);
  }

  @Test
  void anAuditorLoginActsAsLedgerAuditorAndCannotWriteEvenWithGrantsOfItsOwn() throws Exception {
    String database = migratedDatabase();
    grantHistoryRead(database);
    String audit = login("audit", "IN ROLE ledger_auditor");
    // More than the auditor role may: pooled connections must not use it.
    superuserRun(database, "GRANT INSERT, UPDATE ON accounts, balances, chain_head TO " + audit);
    try (LedgerDatabase ledger = LedgerDatabase.connect(url(database), audit, null)) {
      assertThat(currentUser(ledger)).isEqualTo("ledger_auditor");
      try (Connection c = ledger.dataSource().getConnection(); Statement s = c.createStatement()) {
        assertThatThrownBy(() -> s.execute("INSERT INTO accounts VALUES ('assets:cash', 'assets', false)"))
            .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("42501"));
      }
      assertThatThrownBy(() -> ledger.ledger().post(PostgresLedgerPostingTest.payment("a-1", "1.00",
          Instant.parse("2024-09-01T00:00:00Z"))))
          .isInstanceOfSatisfying(LedgerStoreException.class,
              e -> assertThat(e.kind()).isEqualTo(Kind.PERMISSION_DENIED));
    }
    assertThat(count(database, "SELECT count(*) FROM entries")).isZero();
    assertThat(count(database, "SELECT count(*) FROM accounts")).isZero();
  }

  @Test
  void aNonOwnerOnAnOlderSchemaIsToldToRunInitAsTheOwnerAndNothingIsMigrated() throws Exception {
    String database = migratedDatabase();
    grantHistoryRead(database);
    // As if this build were one migration ahead of the database.
    superuserRun(database, "DELETE FROM flyway_schema_history WHERE version = '" + latest + "'");
    String nightly = login("nightly", "IN ROLE ledger_app");
    String where = url(database);
    // Migration numbers may have gaps (each change reserves its own): the one now applied.
    String previous = Long.toString(count(database, "SELECT max(version::int) FROM flyway_schema_history"));
    assertThatThrownBy(() -> LedgerDatabase.connect(where, nightly, null))
        .isInstanceOfSatisfying(LedgerStoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.MIGRATION_FAILED);
          assertThat(e.getMessage()).isEqualTo("The ledger schema in " + where + " is at version " + previous
              + " but this build needs " + latest + ": run 'ledger init' as the schema owner");
        });
    assertThat(count(database, "SELECT count(*) FROM flyway_schema_history WHERE version = '" + latest + "'"))
        .isZero();
  }

  @Test
  void aNonOwnerOnANewerSchemaIsRefusedAsBefore() throws Exception {
    String database = migratedDatabase();
    grantHistoryRead(database);
    superuserRun(database, "INSERT INTO flyway_schema_history VALUES (99, '99', 'from the future', 'SQL', "
        + "'V99__from_the_future.sql', 1, 'postgres', now(), 1, true)");
    String audit = login("audit", "IN ROLE ledger_auditor");
    String where = url(database);
    assertThatThrownBy(() -> LedgerDatabase.connect(where, audit, null))
        .isInstanceOfSatisfying(LedgerStoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.MIGRATION_FAILED);
          assertThat(e.getMessage()).isEqualTo("The ledger schema on " + where + ": the schema is at version 99, "
              + "newer than this ledger (" + latest + "); run the ledger release that migrated it, or a later one");
        });
  }

  @Test
  void aNonOwnerOnADatabaseWithoutTheSchemaIsToldToRunInitAsTheOwner() throws Exception {
    String database = emptyDatabase(null);
    String nightly = login("nightly", "IN ROLE ledger_app");
    String where = url(database);
    assertThatThrownBy(() -> LedgerDatabase.connect(where, nightly, null))
        .isInstanceOfSatisfying(LedgerStoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.MIGRATION_FAILED);
          assertThat(e.getMessage())
              .isEqualTo("No ledger schema in " + where + ": run 'ledger init' as the schema owner");
        });
    assertThat(count(database, "SELECT count(*) FROM pg_class WHERE relnamespace = 'public'::regnamespace"))
        .isZero();
  }

  @Test
  void aLoginThatMayNotReadTheSchemaHistoryGetsOneLineNotFlywaysReport() throws Exception {
    String database = migratedDatabase();
    String stranger = login("stranger", "");
    String where = url(database);
    assertThatThrownBy(() -> LedgerDatabase.connect(where, stranger, null))
        .isInstanceOfSatisfying(LedgerStoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(Kind.PERMISSION_DENIED);
          assertThat(e.getMessage()).isEqualTo(stranger + " may not read the schema version in " + where
              + " (no SELECT on flyway_schema_history): run 'ledger init' as the schema owner, and log in "
              + "as a member of ledger_app or ledger_auditor");
        });
  }

  @Test
  void anOwnerWithoutCreateroleInitialisesAFreshDatabaseWhenTheRolesExist() throws Exception {
    String owner = login("owner", "NOCREATEROLE NOCREATEDB");
    String database = emptyDatabase(owner);
    try (LedgerDatabase ledger = LedgerDatabase.connect(url(database), owner, null)) {
      assertThat(ledger.schemaVersion()).isEqualTo(latest);
      // Neither role is granted to the owner: its pool runs as itself.
      assertThat(currentUser(ledger)).isEqualTo(owner);
    }
    assertThat(count(database, "SELECT count(*) FROM pg_tables WHERE tablename = 'entries' "
        + "AND tableowner = '" + owner + "'")).isEqualTo(1);
    assertThat(count(database, "SELECT count(*) FROM information_schema.role_table_grants "
        + "WHERE grantee = 'ledger_app' AND table_name = 'entries'")).isPositive();
  }

  @Test
  void anOwnerWithoutCreateroleStopsBeforeFlywayWhenTheRolesAreMissing() throws Exception {
    String owner = login("owner", "NOCREATEROLE");
    String database = emptyDatabase(owner);
    // ledger_app cannot be dropped on the shared server: point the check at two missing names.
    String app = name("app");
    String auditor = name("auditor");
    String where = url(database);
    try (Connection c = DriverManager.getConnection(where, owner, null)) {
      SchemaAccess access = SchemaAccess.probe(c, List.of(app, auditor));
      assertThat(access.migrates()).isTrue();
      assertThat(access.mayCreateRoles()).isFalse();
      assertThat(access.missingRoles()).containsExactly(app, auditor);
      assertThatThrownBy(() -> access.refuseMissingRoles(where))
          .isInstanceOfSatisfying(LedgerStoreException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.PERMISSION_DENIED);
            assertThat(e.getMessage()).isEqualTo("The ledger schema in " + where + " needs the roles " + app
                + " and " + auditor + ", which do not exist, and " + owner + " may not create roles: an "
                + "administrator runs CREATE ROLE " + app + " NOLOGIN; CREATE ROLE " + auditor + " NOLOGIN; "
                + "then run 'ledger init' again");
          });
      SchemaAccess real = SchemaAccess.probe(c, SchemaAccess.ROLES);
      assertThat(real.missingRoles()).isEmpty();
      real.refuseMissingRoles(where);
    }
  }

  @Test
  void theMissingRolesMessageNamesBothRolesAndOnlyTheSqlForTheMissingOne() {
    assertThat(SchemaAccess.missingRolesMessage("jdbc:postgresql://db/ledger", "ledger_owner",
        SchemaAccess.ROLES, List.of("ledger_auditor")))
        .isEqualTo("The ledger schema in jdbc:postgresql://db/ledger needs the roles ledger_app and "
            + "ledger_auditor; ledger_auditor does not exist, and ledger_owner may not create roles: an "
            + "administrator runs CREATE ROLE ledger_auditor NOLOGIN; then run 'ledger init' again");
    assertThatThrownBy(() -> SchemaAccess.missingRolesMessage("u", "o", SchemaAccess.ROLES, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[]");
  }

  @Test
  void theEmbeddedSuperuserStillMigratesAndActsAsLedgerApp() throws Exception {
    String database = emptyDatabase(null);
    try (LedgerDatabase ledger = LedgerDatabase.connect(TestDatabases.url(database),
        TestDatabases.server().user(), null)) {
      assertThat(ledger.schemaVersion()).isEqualTo(latest);
      assertThat(currentUser(ledger)).isEqualTo("ledger_app");
    }
  }
}
