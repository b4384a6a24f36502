package dev.ledger.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * The ledger's time zone, kept in the one-row {@code ledger_settings} table (V19): readable by
 * every role, written only by the schema owner. Thread-safe.
 */
public final class LedgerZone {
  /** What {@link #choose} did. */
  public enum Change {
    /** The zone was the default and is now the one asked for. */
    CHOSEN,
    /** The zone already was the one asked for. */
    UNCHANGED,
    /** A chosen zone was replaced (the caller confirmed it). */
    CHANGED,
    /** A chosen zone differs and the caller did not confirm the change: nothing written. */
    REFUSED
  }

  /** The outcome of {@link #choose}: what happened and the zone before it. */
  public record Choice(Change change, ZoneId previous, ZoneId zone) {}

  private final DataSource dataSource;

  public LedgerZone(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /**
   * A zone id as commands accept it: a region such as Asia/Shanghai, or UTC. Fixed offsets
   * (+08:00) are refused because they know no daylight saving time and PostgreSQL names them
   * differently; the caller's mistake names the value.
   */
  public static ZoneId parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("A time zone is required, such as Asia/Shanghai or UTC");
    }
    if (text.equals("UTC")) {
      return ZoneId.of("UTC");
    }
    if (ZoneId.getAvailableZoneIds().contains(text)) {
      try {
        return ZoneId.of(text);
      } catch (DateTimeException e) {
        // listed yet unusable: fall through to the message
      }
    }
    throw new IllegalArgumentException("Unknown time zone '" + text
        + "': use a region such as Asia/Shanghai, Europe/Berlin, America/New_York, or UTC"
        + suggestion(text));
  }

  private static String suggestion(String text) {
    Set<String> close = new TreeSet<>();
    String lower = text.toLowerCase(java.util.Locale.ROOT);
    for (String id : ZoneId.getAvailableZoneIds()) {
      if (id.toLowerCase(java.util.Locale.ROOT).equals(lower)
          || (lower.length() >= 4 && id.toLowerCase(java.util.Locale.ROOT).contains(lower))) {
        close.add(id);
      }
    }
    return close.isEmpty() || close.size() > 5 ? "" : " (did you mean " + String.join(", ", close) + "?)";
  }

  /** The stored zone (UTC until {@code ledger init --zone} chose one). */
  public ZoneId zone() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT zone FROM ledger_settings WHERE id = 1");
        ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        return ZoneId.of("UTC");
      }
      String zone = rs.getString(1);
      try {
        return parse(zone);
      } catch (IllegalArgumentException e) {
        throw new LedgerStoreException(LedgerStoreException.Kind.STORE_FAILURE,
            "The ledger's stored time zone '" + zone + "' is unknown to this Java runtime: run "
                + "'ledger init --zone ZONE --change-zone' as the schema owner, or pass --tz", e);
      }
    } catch (SQLException e) {
      throw SqlErrors.translate("Reading the ledger's time zone", e);
    }
  }

  /**
   * Pooled connections act as ledger_app or ledger_auditor even for the owner's login (least
   * privilege, LedgerDatabase); for this one transaction, a login that owns the schema acts as
   * itself again. SET LOCAL ends with the transaction, so the connection goes back to the pool
   * with its role. Any other login is refused here, before it touches the row.
   */
  private static void actAsOwner(Connection c) throws SQLException {
    String login;
    boolean owner;
    try (PreparedStatement s = c.prepareStatement("""
            SELECT session_user, pg_has_role(session_user, t.relowner, 'USAGE')
            FROM pg_class t WHERE t.oid = 'ledger_settings'::regclass""");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      login = rs.getString(1);
      owner = rs.getBoolean(2);
    }
    if (!owner) {
      throw new LedgerStoreException(LedgerStoreException.Kind.PERMISSION_DENIED,
          login + " may not set the ledger's zone: only the schema owner may (ledger init --zone)", "42501", null);
    }
    try (var s = c.createStatement()) {
      s.execute("SET LOCAL ROLE \"" + login.replace("\"", "\"\"") + "\"");
    }
  }

  /**
   * Sets the zone: freely while it is the default, otherwise only with {@code change}. Needs the
   * schema owner; any other login gets a PERMISSION_DENIED store failure.
   */
  public Choice choose(ZoneId zone, boolean change) {
    Objects.requireNonNull(zone, "zone");
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        actAsOwner(c);
        ZoneId previous;
        boolean chosen;
        try (PreparedStatement s = c.prepareStatement(
                "SELECT zone, zone_chosen FROM ledger_settings WHERE id = 1 FOR UPDATE");
            ResultSet rs = s.executeQuery()) {
          if (!rs.next()) {
            throw new LedgerStoreException(LedgerStoreException.Kind.STORE_FAILURE,
                "ledger_settings has no row: the schema was altered outside the ledger", null);
          }
          previous = ZoneId.of(rs.getString(1));
          chosen = rs.getBoolean(2);
        }
        Change outcome;
        if (previous.getId().equals(zone.getId())) {
          outcome = chosen ? Change.UNCHANGED : Change.CHOSEN;
        } else if (!chosen) {
          outcome = Change.CHOSEN;
        } else {
          outcome = change ? Change.CHANGED : Change.REFUSED;
        }
        if (outcome == Change.CHOSEN || outcome == Change.CHANGED) {
          try (PreparedStatement s = c.prepareStatement(
              "UPDATE ledger_settings SET zone = ?, zone_chosen = true WHERE id = 1")) {
            s.setString(1, zone.getId());
            s.executeUpdate();
          }
        }
        c.commit();
        return new Choice(outcome, previous, outcome == Change.REFUSED ? previous : zone);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.translate("Setting the ledger's time zone", e);
    }
  }
}
