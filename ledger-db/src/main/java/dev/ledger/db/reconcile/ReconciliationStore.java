package dev.ledger.db.reconcile;

import dev.ledger.account.AccountCode;
import dev.ledger.db.LedgerStoreException;
import dev.ledger.money.Amounts;
import dev.ledger.reconcile.BankItem;
import dev.ledger.reconcile.Break;
import dev.ledger.reconcile.BreakKind;
import dev.ledger.reconcile.MatchOutcome;
import dev.ledger.reconcile.OpenBreak;
import dev.ledger.reconcile.WalletItems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.money.CurrencyUnit;
import javax.sql.DataSource;

/**
 * Persistence of reconciliation runs and breaks, and the ledger-side reads a run needs. Runs are
 * idempotent per (source, account, file hash); a run and its break changes commit together.
 * Thread-safe.
 */
public final class ReconciliationStore {
  private static final int FETCH_SIZE = 10_000;
  private final DataSource dataSource;

  public ReconciliationStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The ledger's items for a wallet provider: per entry, net on the clearing account and fee on the
   * fee account, keyed by refund id for refunds and transaction id otherwise. Entries effective in
   * [from, to), plus every entry carrying one of {@code keys} wherever it is in time.
   */
  public WalletItems walletItems(String provider, AccountCode clearing, AccountCode fee, Instant from,
      Instant to, Collection<String> keys, int expected) {
    WalletItems items = new WalletItems(expected);
    String select = """
        SELECT e.id, e.effective_at, e.metadata ->> 'provider_txn_id', e.metadata ->> 'provider_refund_id',
               p.currency,
               coalesce(sum(p.amount) FILTER (WHERE p.account = ?), 0),
               coalesce(sum(p.amount) FILTER (WHERE p.account = ?), 0)
        FROM entries e JOIN postings p ON p.entry_sequence = e.sequence
        WHERE %s AND p.account IN (?, ?)
          AND coalesce(e.metadata ->> 'kind', '') <> 'chargeback'
        GROUP BY e.sequence, e.id, e.effective_at, e.metadata, p.currency
        ORDER BY e.sequence
        """;
    String[] keyArray = keys.toArray(String[]::new);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false); // lets the driver stream with a fetch size
      try (PreparedStatement statement = connection.prepareStatement(String.format(select,
          "e.metadata ->> 'provider' = ? AND ((e.effective_at >= ? AND e.effective_at < ?)"
              + " OR e.metadata ->> 'provider_txn_id' = ANY (?) OR e.metadata ->> 'provider_refund_id' = ANY (?))"))) {
        statement.setFetchSize(FETCH_SIZE);
        int i = 0;
        statement.setString(++i, clearing.value());
        statement.setString(++i, fee.value());
        statement.setString(++i, provider);
        statement.setTimestamp(++i, Timestamp.from(from));
        statement.setTimestamp(++i, Timestamp.from(to));
        statement.setArray(++i, connection.createArrayOf("varchar", keyArray));
        statement.setArray(++i, connection.createArrayOf("varchar", keyArray));
        statement.setString(++i, clearing.value());
        statement.setString(++i, fee.value());
        try (ResultSet rows = statement.executeQuery()) {
          Map<String, CurrencyUnit> currencies = new HashMap<>();
          while (rows.next()) {
            String txnId = rows.getString(3);
            String refundId = rows.getString(4);
            String key = refundId != null && !refundId.isEmpty() ? refundId : txnId;
            if (key == null || key.isEmpty()) {
              continue; // settlements and other provider entries are not bill lines
            }
            long net = rows.getLong(6);
            long feeAmount = rows.getLong(7);
            CurrencyUnit currency = currencies.computeIfAbsent(rows.getString(5), Amounts::currency);
            items.add(key, rows.getString(1), currency, net + feeAmount, feeAmount,
                rows.getTimestamp(2).toInstant());
          }
        }
      } finally {
        connection.rollback();
      }
    } catch (SQLException e) {
      throw failure("load wallet items for " + provider, e);
    }
    return items;
  }

  /**
   * Movements on a bank account effective in [from, to) per entry, dated in {@code zone}, with
   * the settlement batch as reference.
   */
  public List<BankItem> bankItems(AccountCode account, Instant from, Instant to, ZoneId zone) {
    String sql = """
        SELECT e.id, e.effective_at, e.metadata ->> 'settlement_batch', p.currency, sum(p.amount)
        FROM postings p JOIN entries e ON e.sequence = p.entry_sequence
        WHERE p.account = ? AND p.effective_at >= ? AND p.effective_at < ?
        GROUP BY e.sequence, e.id, e.effective_at, e.metadata, p.currency
        HAVING sum(p.amount) <> 0
        ORDER BY e.sequence
        """;
    List<BankItem> items = new ArrayList<>();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, account.value());
      statement.setTimestamp(2, Timestamp.from(from));
      statement.setTimestamp(3, Timestamp.from(to));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          items.add(new BankItem(rows.getString(1), Amounts.currency(rows.getString(4)), rows.getLong(5),
              rows.getTimestamp(2).toInstant().atZone(zone).toLocalDate(), rows.getString(3)));
        }
      }
    } catch (SQLException e) {
      throw failure("load bank movements of " + account, e);
    }
    return items;
  }

  public Optional<RunRecord> findRun(String source, String account, String fileSha256) {
    String sql = "SELECT id FROM reconciliation_runs WHERE source = ? AND account = ? AND file_sha256 = ?";
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, source);
      statement.setString(2, account);
      statement.setString(3, fileSha256);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(loadRun(connection, rows.getLong(1)).asExisting());
      }
    } catch (SQLException e) {
      throw failure("find run", e);
    }
  }

  public List<OpenBreak> openBreaks(String source, String account) {
    List<OpenBreak> open = new ArrayList<>();
    for (StoredBreak stored : breaks("open", source, account)) {
      open.add(new OpenBreak(Long.toString(stored.id()), stored.details()));
    }
    return open;
  }

  /**
   * Stores a run, its new breaks and the closing of earlier ones in one transaction. When the
   * same file was stored meanwhile (a concurrent run), returns that run instead.
   */
  public RunRecord saveRun(String source, String account, String fileName, String fileSha256,
      long toleranceMinor, MatchOutcome outcome) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        long runId;
        try (PreparedStatement insert = connection.prepareStatement("""
            INSERT INTO reconciliation_runs (source, account, file_name, file_sha256, period_start,
              period_end, lines, matched, break_count, tolerance)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT ON CONSTRAINT reconciliation_runs_file_uk DO NOTHING
            RETURNING id""")) {
          insert.setString(1, source);
          insert.setString(2, account);
          insert.setString(3, fileName);
          insert.setString(4, fileSha256);
          setTime(insert, 5, outcome.periodStart());
          setTime(insert, 6, outcome.periodEnd());
          insert.setLong(7, outcome.lines());
          insert.setLong(8, outcome.matched());
          insert.setLong(9, outcome.breaks().size());
          insert.setLong(10, toleranceMinor);
          try (ResultSet rows = insert.executeQuery()) {
            if (!rows.next()) {
              connection.rollback();
              return findRun(source, account, fileSha256).orElseThrow();
            }
            runId = rows.getLong(1);
          }
        }
        try (PreparedStatement insert = connection.prepareStatement("""
            INSERT INTO reconciliation_breaks (run_id, source, account, kind, match_key, entry_id,
              statement_line, currency, statement_gross, ledger_gross, statement_fee, ledger_fee,
              provider_txn_id, provider_refund_id, order_id, status)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')""")) {
          int pending = 0;
          for (Break item : outcome.breaks()) {
            int i = 0;
            insert.setLong(++i, runId);
            insert.setString(++i, source);
            insert.setString(++i, account);
            insert.setString(++i, item.kind().name());
            insert.setString(++i, truncate(item.key(), 200));
            insert.setString(++i, item.entryId());
            setLong(insert, ++i, item.statementLine() == 0 ? null : item.statementLine());
            insert.setString(++i, item.currency() == null ? null : item.currency().getCurrencyCode());
            setLong(insert, ++i, item.statementGross());
            setLong(insert, ++i, item.ledgerGross());
            setLong(insert, ++i, item.statementFee());
            setLong(insert, ++i, item.ledgerFee());
            insert.setString(++i, truncate(item.providerTxnId(), 200));
            insert.setString(++i, truncate(item.providerRefundId(), 200));
            insert.setString(++i, truncate(item.orderId(), 200));
            insert.addBatch();
            if (++pending == 1000) {
              insert.executeBatch();
              pending = 0;
            }
          }
          if (pending > 0) {
            insert.executeBatch();
          }
        }
        if (!outcome.closedBreakIds().isEmpty()) {
          try (PreparedStatement close = connection.prepareStatement(
              "UPDATE reconciliation_breaks SET status = 'closed', closed_run_id = ?"
                  + " WHERE id = ANY (?) AND status = 'open'")) {
            close.setLong(1, runId);
            close.setArray(2, connection.createArrayOf("bigint",
                outcome.closedBreakIds().stream().map(Long::valueOf).toArray()));
            close.executeUpdate();
          }
        }
        connection.commit();
        return loadRun(connection, runId);
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw failure("store reconciliation run", e);
    }
  }

  /** Breaks by status (open, closed, resolved or null for all) and optionally source and account. */
  public List<StoredBreak> breaks(String status, String source, String account) {
    StringBuilder sql = new StringBuilder(BREAK_COLUMNS).append(" WHERE true");
    List<Object> binds = new ArrayList<>();
    if (status != null) {
      sql.append(" AND status = ?");
      binds.add(status);
    }
    if (source != null) {
      sql.append(" AND source = ?");
      binds.add(source);
    }
    if (account != null) {
      sql.append(" AND account = ?");
      binds.add(account);
    }
    sql.append(" ORDER BY id");
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql.toString())) {
      for (int i = 0; i < binds.size(); i++) {
        statement.setObject(i + 1, binds.get(i));
      }
      return readBreaks(statement);
    } catch (SQLException e) {
      throw failure("list breaks", e);
    }
  }

  public Optional<StoredBreak> findBreak(long id) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(BREAK_COLUMNS + " WHERE id = ?")) {
      statement.setLong(1, id);
      return readBreaks(statement).stream().findFirst();
    } catch (SQLException e) {
      throw failure("find break " + id, e);
    }
  }

  /** Marks an open break resolved by a person; false when it was not open. */
  public boolean resolve(long id, String note, String adjustmentEntryId) {
    String sql = "UPDATE reconciliation_breaks SET status = 'resolved', resolved_at = clock_timestamp(),"
        + " resolution_note = ?, adjustment_entry_id = ? WHERE id = ? AND status = 'open'";
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, note);
      statement.setString(2, adjustmentEntryId);
      statement.setLong(3, id);
      return statement.executeUpdate() == 1;
    } catch (SQLException e) {
      throw failure("resolve break " + id, e);
    }
  }

  /** Provider ids and order id of entries, to describe MISSING_IN_STATEMENT breaks. */
  public Map<String, String[]> entryIds(Collection<String> entryIds) {
    Map<String, String[]> ids = new HashMap<>();
    if (entryIds.isEmpty()) {
      return ids;
    }
    String sql = "SELECT id, metadata ->> 'provider_txn_id', metadata ->> 'provider_refund_id',"
        + " metadata ->> 'order_id' FROM entries WHERE id = ANY (?)";
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setArray(1, connection.createArrayOf("varchar", entryIds.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          ids.put(rows.getString(1), new String[] {rows.getString(2), rows.getString(3), rows.getString(4)});
        }
      }
    } catch (SQLException e) {
      throw failure("read entry ids", e);
    }
    return ids;
  }

  private static final String BREAK_COLUMNS = """
      SELECT id, source, account, kind, match_key, entry_id, statement_line, currency, statement_gross,
        ledger_gross, statement_fee, ledger_fee, provider_txn_id, provider_refund_id, order_id, status,
        run_id, closed_run_id, resolved_at, resolution_note, adjustment_entry_id
      FROM reconciliation_breaks""";

  private static List<StoredBreak> readBreaks(PreparedStatement statement) throws SQLException {
    List<StoredBreak> result = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        String currency = rows.getString(8);
        Break details = new Break(BreakKind.valueOf(rows.getString(4)), rows.getString(5), rows.getString(6),
            longOrZero(rows, 7), currency == null ? null : Amounts.currency(currency), nullableLong(rows, 9),
            nullableLong(rows, 10), nullableLong(rows, 11), nullableLong(rows, 12), rows.getString(13),
            rows.getString(14), rows.getString(15));
        Timestamp resolvedAt = rows.getTimestamp(19);
        result.add(new StoredBreak(rows.getLong(1), rows.getString(2), rows.getString(3), details,
            rows.getString(16), rows.getLong(17), nullableLong(rows, 18),
            resolvedAt == null ? null : resolvedAt.toInstant(), rows.getString(20), rows.getString(21)));
      }
    }
    return result;
  }

  private RunRecord loadRun(Connection connection, long runId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(
        "SELECT source, account, file_name, file_sha256, period_start, period_end, lines, matched"
            + " FROM reconciliation_runs WHERE id = ?")) {
      statement.setLong(1, runId);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        List<StoredBreak> breaks;
        try (PreparedStatement breakQuery = connection.prepareStatement(BREAK_COLUMNS + " WHERE run_id = ? ORDER BY id")) {
          breakQuery.setLong(1, runId);
          breaks = readBreaks(breakQuery);
        }
        List<Long> closed = new ArrayList<>();
        try (PreparedStatement closedQuery = connection.prepareStatement(
            "SELECT id FROM reconciliation_breaks WHERE closed_run_id = ? ORDER BY id")) {
          closedQuery.setLong(1, runId);
          try (ResultSet closedRows = closedQuery.executeQuery()) {
            while (closedRows.next()) {
              closed.add(closedRows.getLong(1));
            }
          }
        }
        Timestamp start = rows.getTimestamp(5);
        Timestamp end = rows.getTimestamp(6);
        return new RunRecord(runId, rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
            start == null ? null : start.toInstant(), end == null ? null : end.toInstant(), rows.getLong(7),
            rows.getLong(8), breaks, closed, false);
      }
    }
  }

  private static void setTime(PreparedStatement statement, int index, Instant time) throws SQLException {
    if (time == null) {
      statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      statement.setTimestamp(index, Timestamp.from(time));
    }
  }

  private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }

  private static Long nullableLong(ResultSet rows, int index) throws SQLException {
    long value = rows.getLong(index);
    return rows.wasNull() ? null : value;
  }

  private static long longOrZero(ResultSet rows, int index) throws SQLException {
    return rows.getLong(index);
  }

  private static String truncate(String value, int length) {
    return value == null || value.length() <= length ? value : value.substring(0, length);
  }

  private static LedgerStoreException failure(String action, SQLException e) {
    return new LedgerStoreException(LedgerStoreException.Kind.STORE_FAILURE,
        "Could not " + action + ": " + e.getMessage(), e.getSQLState(), e);
  }
}
