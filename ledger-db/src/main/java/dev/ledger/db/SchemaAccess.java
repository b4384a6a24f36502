package dev.ledger.db;

import dev.ledger.db.LedgerStoreException.Kind;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What the login may do with the ledger schema, read from the catalog before Flyway runs. Only the
 * schema owner (or a login that may create the schema in an empty database) migrates; every other
 * login, such as one in {@code ledger_app} or {@code ledger_auditor}, only reads the applied version,
 * because Flyway's migrate locks and may write flyway_schema_history, which such a login must not.
 *
 * @param user the login (current_user of a fresh connection)
 * @param migrates whether the login owns the ledger's tables, or there are none yet and it may
 *     create them in its current schema
 * @param historyExists whether flyway_schema_history exists in the current schema
 * @param mayReadHistory whether the login may SELECT flyway_schema_history (directly or through a
 *     role it inherits from)
 * @param mayCreateRoles whether the login is a superuser or has CREATEROLE
 * @param roles the roles the schema grants to (normally {@link #ROLES})
 * @param missingRoles those of {@code roles} that do not exist, in the same order
 */
record SchemaAccess(String user, boolean migrates, boolean historyExists, boolean mayReadHistory,
    boolean mayCreateRoles, List<String> roles, List<String> missingRoles) {

  /** The roles V2 creates and every later migration grants to. */
  static final List<String> ROLES = List.of("ledger_app", "ledger_auditor");

  // The ledger's tables are owned by whoever migrated them; entries is the oldest one, and
  // flyway_schema_history stands in for it when a first migration failed half way. Unqualified
  // names, because Flyway works in the connection's current schema too.
  private static final String PROBE = """
      WITH ledger_table AS (
        SELECT c.relowner FROM pg_class c
        WHERE c.oid = coalesce(to_regclass('entries'), to_regclass('flyway_schema_history'))
      )
      SELECT current_user,
        CASE WHEN EXISTS (SELECT 1 FROM ledger_table)
          THEN (SELECT pg_has_role(current_user, relowner, 'USAGE') FROM ledger_table)
          ELSE coalesce(has_schema_privilege(current_schema(), 'CREATE'), false) END,
        to_regclass('flyway_schema_history') IS NOT NULL,
        coalesce(has_table_privilege(to_regclass('flyway_schema_history'), 'SELECT'), false),
        (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user),
        ARRAY(SELECT r FROM unnest(?::text[]) WITH ORDINALITY AS wanted(r, n)
          WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) ORDER BY n)
      """;

  SchemaAccess {
    Objects.requireNonNull(user, "user");
    roles = List.copyOf(roles);
    missingRoles = List.copyOf(missingRoles);
  }

  /** Reads the access of the connection's login; {@code roles} are the roles the schema needs. */
  static SchemaAccess probe(Connection c, List<String> roles) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(PROBE)) {
      s.setArray(1, c.createArrayOf("text", roles.toArray()));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        List<String> missing = new ArrayList<>();
        Array array = rs.getArray(6);
        for (Object role : (Object[]) array.getArray()) {
          missing.add((String) role);
        }
        return new SchemaAccess(rs.getString(1), rs.getBoolean(2), rs.getBoolean(3), rs.getBoolean(4),
            rs.getBoolean(5), roles, missing);
      }
    }
  }

  /**
   * The role pooled connections act as: {@code ledger_app} for its members (the embedded superuser
   * included), else {@code ledger_auditor} for its members, so that an auditor login cannot write
   * even when it holds more grants of its own; null for a login in neither (the schema owner).
   */
  static String actingRole(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("""
        SELECT r.rolname FROM pg_roles r
        WHERE r.rolname IN ('ledger_app', 'ledger_auditor') AND pg_has_role(current_user, r.oid, 'MEMBER')
        ORDER BY r.rolname = 'ledger_app' DESC LIMIT 1""");
        ResultSet rs = s.executeQuery()) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /**
   * Before a migration by a login without CREATEROLE: V2 would try to create the missing roles and
   * fail half way with Flyway's report, so refuse first and say what an administrator runs.
   */
  void refuseMissingRoles(String where) {
    if (migrates && !mayCreateRoles && !missingRoles.isEmpty()) {
      throw new LedgerStoreException(Kind.PERMISSION_DENIED,
          missingRolesMessage(where, user, roles, missingRoles), "42501", null);
    }
  }

  /** One line: the roles the schema needs, which are missing, and the SQL that creates them. */
  static String missingRolesMessage(String where, String user, List<String> roles, List<String> missing) {
    if (missing.isEmpty() || !roles.containsAll(missing)) {
      throw new IllegalArgumentException("Missing roles " + missing + " must be some of " + roles);
    }
    String which = missing.size() == roles.size()
        ? ", which do not exist,"
        : "; " + String.join(" and ", missing) + (missing.size() == 1 ? " does" : " do") + " not exist,";
    String sql = missing.stream().map(r -> "CREATE ROLE " + r + " NOLOGIN;").collect(Collectors.joining(" "));
    return "The ledger schema in " + where + " needs the roles " + String.join(" and ", roles) + which
        + " and " + user + " may not create roles: an administrator runs " + sql
        + " then run 'ledger init' again";
  }

  /**
   * For a login that does not migrate: a schema it can read, or one line saying who has to act.
   * The version check itself needs Flyway's list of known migrations and comes after this.
   */
  void refuseUnreadableSchema(String where) {
    if (!historyExists) {
      throw new LedgerStoreException(Kind.MIGRATION_FAILED,
          "No ledger schema in " + where + ": run 'ledger init' as the schema owner", null);
    }
    if (!mayReadHistory) {
      throw new LedgerStoreException(Kind.PERMISSION_DENIED, user + " may not read the schema version in "
          + where + " (no SELECT on flyway_schema_history): run 'ledger init' as the schema owner, "
          + "and log in as a member of ledger_app or ledger_auditor", "42501", null);
    }
  }
}
