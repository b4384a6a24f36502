package dev.ledger.db;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.journal.CurrencyBalance;
import dev.ledger.journal.HistoryLine;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import javax.sql.DataSource;

/**
 * An account's history streamed from the database: one read-only snapshot, rows fetched a batch at
 * a time (JDBC fetch size on a cursor), pages by keyset on (effective time, entry sequence,
 * posting index), so memory stays constant for any number of postings and a page costs the same
 * wherever it starts. Thread-safe.
 */
final class HistoryReader {
  static final int FETCH_SIZE = 1_000;
  private final DataSource dataSource;

  HistoryReader(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Hands each posting of {@code account} (or below the prefix) effective in [from, to] and after
   * {@code after}, in key order, with its running balance, to {@code sink}; at most {@code limit}
   * (null: all). Returns the cursor of the last posting handed out when more postings follow, else
   * null.
   */
  HistoryCursor stream(AccountCode account, Instant from, Instant to, HistoryCursor after, Long limit,
      BiConsumer<HistoryLine, HistoryCursor> sink) {
    Objects.requireNonNull(account, "account");
    if (limit != null && limit < 1) {
      throw new IllegalArgumentException("--limit must be at least 1 but was " + limit);
    }
    if ((to != null && to.isBefore(Rows.MIN_TIME)) || (from != null && from.isAfter(Rows.MAX_TIME))) {
      return null;
    }
    Instant start = from == null || from.isBefore(Rows.MIN_TIME) ? Rows.MIN_TIME
        : from.truncatedTo(ChronoUnit.MICROS).equals(from) ? from : from.truncatedTo(ChronoUnit.MICROS).plus(1, ChronoUnit.MICROS);
    Instant end = to == null || !to.isBefore(Rows.MAX_TIME) ? Rows.MAX_TIME : to;
    // The keyset start: just before the first posting at `start`, or the cursor when it is later.
    Instant keyAt = start;
    long keySequence = 0;
    int keyIndex = -1;
    if (after != null && !after.effectiveAt().isBefore(start)) {
      keyAt = after.effectiveAt();
      keySequence = after.sequence();
      keyIndex = after.index();
    }
    Side normal = account.normalSide();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      c.setReadOnly(true);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        Map<String, Long> running = opening(c, account, keyAt, keySequence, keyIndex);
        Map<String, Object> values = new HashMap<>();
        values.put("p", account.value());
        values.put("lo", account.value() + ":");
        values.put("hi", account.value() + ";");
        values.put("from", Rows.time(start));
        values.put("to", Rows.time(end));
        values.put("at", Rows.time(keyAt));
        values.put("seq", keySequence);
        values.put("idx", keyIndex);
        values.put("lim", limit == null ? null : limit + 1);
        long handed = 0;
        HistoryCursor last = null;
        RowSource rows = pairsOrNull(c, account, keyAt, keySequence, keyIndex, end);
        if (rows == null) {
          rows = sorted(c, values);
        }
        try (RowSource source = rows) {
          for (Row row = source.next(); row != null; row = source.next()) {
            if (limit != null && handed == limit) {
              c.commit();
              return last;
            }
            long delta = normal == Side.DEBIT ? row.amount() : -row.amount();
            long balance = HistoryLine.runningAfter(account, Rows.currency(row.currency()),
                running.getOrDefault(row.currency(), 0L), delta);
            running.put(row.currency(), balance);
            last = new HistoryCursor(row.effectiveAt(), row.sequence(), row.index());
            sink.accept(new HistoryLine(row.id(), row.effectiveAt(), row.recordedAt(), row.description(),
                AccountCode.parse(row.account()), Rows.currency(row.currency()),
                row.amount() > 0 ? Side.DEBIT : Side.CREDIT, Math.abs(row.amount()), balance), last);
            handed++;
          }
        }
        c.commit();
        return null;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw SqlErrors.translate("Reading the history of " + account, e);
    }
  }

  /** One posting row of a history. */
  record Row(String id, Instant effectiveAt, Instant recordedAt, String description, String account,
      String currency, long amount, long sequence, int index) {
    static final java.util.Comparator<Row> ORDER = java.util.Comparator.comparing(Row::effectiveAt)
        .thenComparingLong(Row::sequence).thenComparingInt(Row::index);

    static Row read(ResultSet rs) throws SQLException {
      return new Row(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
          rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4), rs.getString(5),
          rs.getString(6), rs.getLong(7), rs.getLong(8), rs.getInt(9));
    }
  }

  /** Rows in key order; null at the end. */
  interface RowSource extends AutoCloseable {
    Row next() throws SQLException;

    @Override
    void close() throws SQLException;
  }

  /** Merging more streams than this would hold too many pages at once: the server sorts instead. */
  static final int PAIRS_MAX = 200;

  /**
   * One keyset-paged stream per (account, currency) under the prefix, merged by key: each page is
   * an ordered index range (fast to start, whatever the size), and memory holds one page per
   * stream. Null when the prefix has more than PAIRS_MAX pairs.
   */
  private static RowSource pairsOrNull(Connection c, AccountCode account, Instant at, long sequence, int index,
      Instant end) throws SQLException {
    List<String[]> pairs = new ArrayList<>();
    Map<String, Object> values = new HashMap<>();
    values.put("p", account.value());
    values.put("lo", account.value() + ":");
    values.put("hi", account.value() + ";");
    values.put("lim", PAIRS_MAX + 1);
    try (PreparedStatement s = HotSql.HISTORY_PAIRS.prepare(c, values); ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        pairs.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    if (pairs.size() > PAIRS_MAX) {
      return null;
    }
    int page = Math.max(50, Math.min(10 * FETCH_SIZE, 100_000 / Math.max(1, pairs.size())));
    java.util.PriorityQueue<PairStream> heads = new java.util.PriorityQueue<>(
        java.util.Comparator.comparing(PairStream::head, Row.ORDER));
    for (String[] pair : pairs) {
      PairStream stream = new PairStream(c, pair[0], pair[1], at, sequence, index, end, page);
      if (stream.head() != null) {
        heads.add(stream);
      }
    }
    return new RowSource() {
      @Override
      public Row next() throws SQLException {
        PairStream first = heads.poll();
        if (first == null) {
          return null;
        }
        Row row = first.take();
        if (first.head() != null) {
          heads.add(first);
        }
        return row;
      }

      @Override
      public void close() {}
    };
  }

  /** One (account, currency) history read a page at a time by keyset. */
  private static final class PairStream {
    private final Connection c;
    private final Map<String, Object> values = new HashMap<>();
    private final int page;
    private final java.util.ArrayDeque<Row> buffer = new java.util.ArrayDeque<>();
    private boolean exhausted;

    PairStream(Connection c, String account, String currency, Instant at, long sequence, int index, Instant end,
        int page) throws SQLException {
      this.c = c;
      this.page = page;
      values.put("a", account);
      values.put("c", currency);
      values.put("at", Rows.time(at));
      values.put("seq", sequence);
      values.put("idx", index);
      values.put("to", Rows.time(end));
      values.put("lim", (long) page);
      fill();
    }

    Row head() {
      return buffer.peekFirst();
    }

    Row take() throws SQLException {
      Row row = buffer.pollFirst();
      if (buffer.isEmpty() && !exhausted) {
        values.put("at", Rows.time(row.effectiveAt()));
        values.put("seq", row.sequence());
        values.put("idx", row.index());
        fill();
      }
      return row;
    }

    private void fill() throws SQLException {
      try (PreparedStatement s = HotSql.HISTORY_PAIR_PAGE.prepare(c, values); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          buffer.add(Row.read(rs));
        }
      }
      exhausted = buffer.size() < page;
    }
  }

  /** The whole range in one statement sorted by the server, streamed with a fetch size. */
  private static RowSource sorted(Connection c, Map<String, Object> values) throws SQLException {
    PreparedStatement s = HotSql.HISTORY_PAGE.prepare(c, values);
    s.setFetchSize(FETCH_SIZE);
    ResultSet rs = s.executeQuery();
    return new RowSource() {
      @Override
      public Row next() throws SQLException {
        return rs.next() ? Row.read(rs) : null;
      }

      @Override
      public void close() throws SQLException {
        rs.close();
        s.close();
      }
    };
  }

  /** Running balances (normal direction, minor units) of every posting up to the key, exclusive of later ones. */
  private static Map<String, Long> opening(Connection c, AccountCode account, Instant at, long sequence,
      int index) throws SQLException {
    Map<String, Long> running = new HashMap<>();
    Map<String, BigInteger[]> sums = new HashMap<>();
    if (at.isAfter(Rows.MIN_TIME)) {
      Map<String, Object> values = new HashMap<>();
      Instant before = at.minus(1, ChronoUnit.MICROS);
      values.put("t", Rows.time(before));
      values.put("tday", Rows.time(Rows.day(before)));
      values.put("k", null);
      values.put("cur", null);
      values.put("p", account.value());
      values.put("lo", account.value() + ":");
      values.put("hi", account.value() + ";");
      try (PreparedStatement s = HotSql.PREFIX_SUMS.prepare(c, values); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          sums.put(rs.getString(1), new BigInteger[] {rs.getBigDecimal(2).toBigIntegerExact(),
              rs.getBigDecimal(3).toBigIntegerExact()});
        }
      }
    }
    if (sequence > 0) {
      Map<String, Object> values = new HashMap<>();
      values.put("p", account.value());
      values.put("lo", account.value() + ":");
      values.put("hi", account.value() + ";");
      values.put("at", Rows.time(at));
      values.put("seq", sequence);
      values.put("idx", index);
      try (PreparedStatement s = HotSql.HISTORY_SAME_TIME_SUMS.prepare(c, values); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          BigInteger[] sum = sums.computeIfAbsent(rs.getString(1), x -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO});
          sum[0] = sum[0].add(rs.getBigDecimal(2).toBigIntegerExact());
          sum[1] = sum[1].add(rs.getBigDecimal(3).toBigIntegerExact());
        }
      }
    }
    Side normal = account.normalSide();
    sums.forEach((currency, sum) -> running.put(currency,
        CurrencyBalance.ofSums(account, Rows.currency(currency), sum[0], sum[1], normal).balanceMinor()));
    return running;
  }
}
