package dev.ledger.db;

/**
 * The one unchecked exception the PostgreSQL store throws for failures that are not business
 * rejections. Callers switch on {@link #kind()}; JDBC and jOOQ exceptions never escape.
 */
public final class LedgerStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public enum Kind {
    /** The database cannot be reached, refused the connection or is shutting down. */
    UNAVAILABLE,
    /** A row violates a ledger rule enforced by the database (immutability, balance, uniqueness). */
    INTEGRITY_VIOLATION,
    /** The database role lacks a privilege for the operation. */
    PERMISSION_DENIED,
    /** Another process holds the embedded data directory. */
    DATA_DIRECTORY_LOCKED,
    /**
     * A statement ran past the statement timeout, a transaction sat idle past it, or a lock was not
     * granted in time; the server cancelled the work and nothing of it was written.
     */
    TIMED_OUT,
    /** The schema could not be created or migrated. */
    MIGRATION_FAILED,
    /** Anything else the database reported. */
    STORE_FAILURE
  }

  private final Kind kind;
  private final String sqlState;

  public LedgerStoreException(Kind kind, String message, String sqlState, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.sqlState = sqlState;
  }

  public LedgerStoreException(Kind kind, String message, Throwable cause) {
    this(kind, message, null, cause);
  }

  public Kind kind() {
    return kind;
  }

  /** The SQLSTATE behind the failure, or null when there was none. */
  public String sqlState() {
    return sqlState;
  }
}
