package dev.ledger.db;

import dev.ledger.db.LedgerStoreException.Kind;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.internal.exception.FlywayMigrateException;

/**
 * Turns Flyway's multi-line reports (SQL state, error code, jar paths, links) into one line that
 * says what is wrong with the schema: which migration failed and why, or how the recorded history
 * differs from the migrations this ledger carries. The original stays the cause, for --verbose.
 */
final class MigrationErrors {
  private MigrationErrors() {}

  /** A failure of {@code flyway.migrate()} on the database at {@code where} (a redacted URL). */
  static LedgerStoreException failure(String where, Flyway flyway, FlywayException error) {
    String state = SqlErrors.sqlState(error);
    if (isConnectFailure(state)) {
      return cannotConnect(where, error);
    }
    Kind kind = "42501".equals(state) ? Kind.PERMISSION_DENIED : Kind.MIGRATION_FAILED;
    FlywayMigrateException failed = find(error, FlywayMigrateException.class);
    String what;
    if (failed != null && failed.getMigration() != null) {
      what = "migration " + name(failed.getMigration()) + " failed: " + sqlMessage(error);
    } else {
      what = historyProblem(flyway);
      if (what == null) {
        what = state != null ? sqlMessage(error) : firstLine(error.getMessage());
      }
    }
    return new LedgerStoreException(kind, "The ledger schema on " + where + ": " + what, state, error);
  }

  /** The first connection failed: the server, the database or the login is not there. */
  static LedgerStoreException cannotConnect(String where, Throwable error) {
    return new LedgerStoreException(Kind.UNAVAILABLE, "Cannot connect to " + where + ": " + sqlMessage(error),
        SqlErrors.sqlState(error), error);
  }

  private static boolean isConnectFailure(String state) {
    return state != null && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("28")
        || state.startsWith("3D"));
  }

  /**
   * For a login that does not migrate: the applied version, if it is exactly this build's. Older
   * means the owner has to run init first; newer, or a history Flyway would not validate, means
   * this build must not write under it.
   */
  static String requireCurrent(String where, MigrationInfoService info) {
    refuseNewerSchema(where, info);
    String problem = historyProblem(info);
    if (problem != null) {
      throw new LedgerStoreException(Kind.MIGRATION_FAILED, "The ledger schema on " + where + ": " + problem,
          null);
    }
    MigrationInfo current = info.current();
    if (info.pending().length > 0) {
      MigrationInfo[] pending = info.pending();
      String needed = pending[pending.length - 1].getVersion().getVersion();
      throw new LedgerStoreException(Kind.MIGRATION_FAILED, current == null
          ? "No ledger schema in " + where + ": run 'ledger init' as the schema owner"
          : "The ledger schema in " + where + " is at version " + current.getVersion().getVersion()
              + " but this build needs " + needed + ": run 'ledger init' as the schema owner", null);
    }
    return current == null ? null : current.getVersion().getVersion();
  }

  /**
   * Flyway ignores applied migrations it does not know (a newer ledger migrated the database),
   * but this ledger must not write under rules it does not know: refuse instead.
   */
  static void refuseNewerSchema(String where, MigrationInfoService info) {
    List<MigrationInfo> future = new ArrayList<>();
    for (MigrationInfo migration : info.applied()) {
      if (isFuture(migration.getState())) {
        future.add(migration);
      }
    }
    if (!future.isEmpty()) {
      throw new LedgerStoreException(Kind.MIGRATION_FAILED, "The ledger schema on " + where + ": "
          + newer(future.get(future.size() - 1), info), null);
    }
  }

  private static String newer(MigrationInfo newest, MigrationInfoService info) {
    String known = null;
    for (MigrationInfo migration : info.all()) {
      if (migration.getVersion() != null && migration.getState().isResolved()) {
        known = migration.getVersion().getVersion();
      }
    }
    return "the schema is at version " + newest.getVersion().getVersion() + ", newer than this ledger ("
        + (known == null ? "none" : known) + "); run the ledger release that migrated it, or a later one";
  }

  /** Why Flyway's validation failed, from the recorded history against the known migrations. */
  private static String historyProblem(Flyway flyway) {
    try {
      return historyProblem(flyway.info());
    } catch (FlywayException e) {
      return null;
    }
  }

  private static String historyProblem(MigrationInfoService info) {
    List<String> problems = new ArrayList<>();
    MigrationInfo newest = null;
    for (MigrationInfo migration : info.all()) {
      MigrationState state = migration.getState();
      if (isFuture(state)) {
        newest = migration;
      } else if (state == MigrationState.FAILED) {
        problems.add("migration " + name(migration) + " failed earlier and is recorded as failed in "
            + "flyway_schema_history; undo its partial changes and remove that row, then retry");
      } else if (state == MigrationState.MISSING_SUCCESS || state == MigrationState.MISSING_FAILED) {
        problems.add("migration " + name(migration) + " was applied to the database but is unknown "
            + "to this ledger");
      } else if (state == MigrationState.IGNORED) {
        problems.add("migration " + name(migration) + " of this ledger was never applied, although "
            + "later ones were");
      } else if (state.isApplied() && state.isResolved() && !migration.isChecksumMatching()) {
        problems.add("migration " + name(migration) + " recorded in the database (checksum "
            + migration.getAppliedChecksum() + ") differs from this ledger's (checksum "
            + migration.getResolvedChecksum() + "); the migration or the schema history was changed");
      } else if (state.isApplied() && state.isResolved()
          && (!migration.isDescriptionMatching() || !migration.isTypeMatching())) {
        problems.add("migration " + name(migration) + " recorded in the database differs in "
            + "description or type from this ledger's");
      }
    }
    if (newest != null) {
      problems.add(0, newer(newest, info));
    }
    if (problems.isEmpty()) {
      return null;
    }
    return problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems)" : "");
  }

  private static boolean isFuture(MigrationState state) {
    return state == MigrationState.FUTURE_SUCCESS || state == MigrationState.FUTURE_FAILED;
  }

  private static String name(MigrationInfo migration) {
    return (migration.getVersion() == null ? "R" : "V" + migration.getVersion().getVersion())
        + " (" + migration.getDescription() + ")";
  }

  /** The server's own words, first line, without the "ERROR: " prefix. */
  private static String sqlMessage(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getMessage() != null) {
        return firstLine(sql.getMessage()).replaceFirst("^(ERROR|FATAL): ", "");
      }
    }
    return firstLine(String.valueOf(error.getMessage()));
  }

  private static String firstLine(String message) {
    String trimmed = message == null ? "" : message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
  }

  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
