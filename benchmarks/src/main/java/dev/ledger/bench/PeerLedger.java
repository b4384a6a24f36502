package dev.ledger.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.TreeMap;
import org.postgresql.PGConnection;

/**
 * The peer the write path is measured against: a plain row-locking ledger in SQL, written for the
 * benchmark, as a team would write one without a hash chain. A transfer is two entry rows and two
 * balance-row updates ({@link #legs} moves any balanced set of legs the same way: one entry row
 * and one balance-row update per leg); balance rows are locked FOR UPDATE in key order (no
 * deadlocks) and a no_overdraft balance is checked before the update. One transfer (or one batch)
 * per transaction.
 * It lives in the baseline schema, on the same server and with the same durability as the ledger.
 */
final class PeerLedger implements AutoCloseable {
  private static final String SCHEMA = BenchDatabase.BASELINE_SCHEMA;

  static void create(Connection c, String[] accounts, long opening) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + SCHEMA + ".peer_balances (account varchar(200) PRIMARY KEY,"
          + " balance bigint NOT NULL, no_overdraft boolean NOT NULL)");
      s.execute("CREATE TABLE " + SCHEMA + ".peer_entries (transfer_id varchar(128) NOT NULL,"
          + " account varchar(200) NOT NULL, amount bigint NOT NULL, at timestamptz NOT NULL DEFAULT now())");
      s.execute("CREATE INDEX peer_entries_account_ix ON " + SCHEMA + ".peer_entries (account, at)");
    }
    try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + SCHEMA + ".peer_balances"
        + " SELECT a, ?, true FROM unnest(?::varchar[]) AS t(a) ON CONFLICT DO NOTHING")) {
      insert.setLong(1, opening);
      insert.setArray(2, c.unwrap(PGConnection.class).createArrayOf("varchar", accounts));
      insert.executeUpdate();
    }
  }

  private final Connection connection;
  private final PreparedStatement lock;
  private final PreparedStatement entries;
  private final PreparedStatement update;

  PeerLedger(Connection connection) throws SQLException {
    this.connection = connection;
    connection.setAutoCommit(false);
    this.lock = connection.prepareStatement("SELECT account, balance, no_overdraft FROM " + SCHEMA
        + ".peer_balances WHERE account = ANY(?::varchar[]) ORDER BY account FOR UPDATE");
    this.entries = connection.prepareStatement("INSERT INTO " + SCHEMA + ".peer_entries (transfer_id, account,"
        + " amount) SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::bigint[])");
    this.update = connection.prepareStatement("UPDATE " + SCHEMA + ".peer_balances b SET balance = b.balance + t.d"
        + " FROM unnest(?::varchar[], ?::bigint[]) AS t(a, d) WHERE b.account = t.a");
  }

  /** One transfer of {@code amount} from {@code from} to {@code to}; false when it would overdraw. */
  boolean transfer(String id, String from, String to, long amount) throws SQLException {
    return batch(new String[] {id}, new String[] {from}, new String[] {to}, new long[] {amount});
  }

  /**
   * One transfer of several legs (signed amounts that sum to zero, as the ledger's postings of one
   * entry), in one transaction; false when it would overdraw.
   */
  boolean legs(String id, String[] accounts, long[] signedAmounts) throws SQLException {
    String[] ids = new String[accounts.length];
    Arrays.fill(ids, id);
    Long[] amounts = new Long[signedAmounts.length];
    Arrays.setAll(amounts, i -> signedAmounts[i]);
    return rows(ids, accounts, amounts);
  }

  /** Transfers in one transaction, all or nothing; false (rolled back) when one would overdraw. */
  boolean batch(String[] ids, String[] from, String[] to, long[] amounts) throws SQLException {
    int n = ids.length;
    String[] rowIds = new String[2 * n];
    String[] rowAccounts = new String[2 * n];
    Long[] rowAmounts = new Long[2 * n];
    for (int i = 0; i < n; i++) {
      rowIds[2 * i] = ids[i];
      rowIds[2 * i + 1] = ids[i];
      rowAccounts[2 * i] = from[i];
      rowAccounts[2 * i + 1] = to[i];
      rowAmounts[2 * i] = -amounts[i];
      rowAmounts[2 * i + 1] = amounts[i];
    }
    return rows(rowIds, rowAccounts, rowAmounts);
  }

  /** Entry rows (transfer id, account, signed amount) and their balance updates, in one transaction. */
  private boolean rows(String[] rowIds, String[] rowAccounts, Long[] rowAmounts) throws SQLException {
    TreeMap<String, Long> deltas = new TreeMap<>();
    for (int i = 0; i < rowAccounts.length; i++) {
      deltas.merge(rowAccounts[i], rowAmounts[i], Long::sum);
    }
    PGConnection pg = connection.unwrap(PGConnection.class);
    String[] keys = deltas.keySet().toArray(String[]::new);
    lock.setArray(1, pg.createArrayOf("varchar", keys));
    try (ResultSet rs = lock.executeQuery()) {
      while (rs.next()) {
        if (rs.getBoolean(3) && rs.getLong(2) + deltas.get(rs.getString(1)) < 0) {
          connection.rollback();
          return false;
        }
      }
    }
    entries.setArray(1, pg.createArrayOf("varchar", rowIds));
    entries.setArray(2, pg.createArrayOf("varchar", rowAccounts));
    entries.setArray(3, pg.createArrayOf("bigint", rowAmounts));
    entries.executeUpdate();
    update.setArray(1, pg.createArrayOf("varchar", keys));
    update.setArray(2, pg.createArrayOf("bigint", deltas.values().toArray(Long[]::new)));
    update.executeUpdate();
    connection.commit();
    return true;
  }

  @Override
  public void close() throws SQLException {
    connection.close();
  }

  static String[] names(String prefix, int count) {
    String[] names = new String[count];
    Arrays.setAll(names, i -> prefix + i);
    return names;
  }
}
