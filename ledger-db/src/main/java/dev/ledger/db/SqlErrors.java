package dev.ledger.db;

import dev.ledger.db.LedgerStoreException.Kind;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jooq.exception.DataAccessException;

/** Translates SQLSTATEs at the store boundary into {@link LedgerStoreException}. */
public final class SqlErrors {
  static final String IMMUTABLE = "LD001";
  static final String UNBALANCED = "LD002";
  /** A break event for a break that is not open (V14): only raw SQL can cause it. */
  static final String BREAK_NOT_OPEN = "LD005";
  /** query_canceled: statement_timeout (or pg_cancel_backend). */
  static final String CANCELED = "57014";
  /** idle_in_transaction_session_timeout ended the session. */
  static final String IDLE_IN_TRANSACTION_TIMEOUT = "25P03";
  /** lock_not_available: lock_timeout or NOWAIT. */
  static final String LOCK_NOT_AVAILABLE = "55P03";

  private SqlErrors() {}

  static String sqlState(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return null;
  }

  /** Serialization failures, deadlocks and unique races on entries are retried inside the ledger. */
  static boolean retryable(Throwable error) {
    String state = sqlState(error);
    return "40001".equals(state) || "40P01".equals(state) || "23505".equals(state)
        || LOCK_NOT_AVAILABLE.equals(state);
  }

  public static LedgerStoreException translate(String action, Throwable error) {
    if (error instanceof LedgerStoreException store) {
      return store;
    }
    String state = sqlState(error);
    String detail = rootMessage(error);
    Kind kind;
    if (state == null) {
      kind = error instanceof SQLTransientConnectionException || hasTransientConnection(error)
          ? Kind.UNAVAILABLE
          : Kind.STORE_FAILURE;
    } else if (state.equals(CANCELED) || state.equals(IDLE_IN_TRANSACTION_TIMEOUT)
        || state.equals(LOCK_NOT_AVAILABLE)) {
      kind = Kind.TIMED_OUT;
      detail = firstLine(detail).replaceFirst("^(ERROR|FATAL): ", "");
    } else if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P")) {
      kind = Kind.UNAVAILABLE;
    } else if (state.startsWith("23") || state.equals(IMMUTABLE) || state.equals(UNBALANCED)
        || state.equals(BREAK_NOT_OPEN)) {
      kind = Kind.INTEGRITY_VIOLATION;
    } else if (state.equals("42501")) {
      kind = Kind.PERMISSION_DENIED;
      // A login in ledger_auditor that tries to write sees this: the server's words, one line.
      detail = firstLine(detail).replaceFirst("^(ERROR|FATAL): ", "");
    } else {
      kind = Kind.STORE_FAILURE;
    }
    return new LedgerStoreException(kind, action + " failed: " + detail, state, error);
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static boolean hasTransientConnection(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable error) {
    Throwable deepest = error;
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof SQLException || t.getCause() == null) {
        deepest = t;
        if (t instanceof SQLException) {
          break;
        }
      }
    }
    if (deepest instanceof DataAccessException && deepest.getCause() != null) {
      deepest = deepest.getCause();
    }
    return String.valueOf(deepest.getMessage());
  }
}
