package dev.ledger.db;

import static dev.ledger.db.jooq.Tables.ACCOUNTS;
import static dev.ledger.db.jooq.Tables.BALANCES;

import dev.ledger.account.Account;
import dev.ledger.account.AccountCode;
import dev.ledger.account.CreateStatus;
import dev.ledger.account.Side;
import dev.ledger.journal.Balance;
import dev.ledger.journal.BalanceQuery;
import dev.ledger.journal.BatchResult;
import dev.ledger.journal.CurrencyBalance;
import dev.ledger.journal.Entry;
import dev.ledger.journal.HistoryLine;
import dev.ledger.journal.Ledger;
import dev.ledger.journal.PostResult;
import dev.ledger.journal.PostingRules;
import dev.ledger.journal.PendingEntry;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.RecordedEntry;
import dev.ledger.journal.TrialBalanceLine;
import dev.ledger.db.period.PeriodStore;
import dev.ledger.period.Period;
import dev.ledger.period.PeriodAction;
import dev.ledger.period.PeriodEvent;
import dev.ledger.period.PeriodResult;
import dev.ledger.period.Periods;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import javax.money.CurrencyUnit;
import javax.sql.DataSource;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.conf.Settings;
import org.jooq.impl.DSL;
import org.postgresql.PGConnection;

/**
 * The ledger port on PostgreSQL. Semantics are those of ReferenceLedger; see BatchPoster for the
 * write path. Reads of balances at a time use daily checkpoints plus an index range inside the day.
 * Thread-safe.
 */
public final class PostgresLedger implements Ledger, Periods {
  private static final int ATTEMPTS_MAX = 50;
  private static final Settings SETTINGS =
      new Settings().withExecuteLogging(false).withRenderSchema(false);

  private final DataSource dataSource;
  private final AccountCache accounts = new AccountCache();
  private final BatchPoster poster = new BatchPoster(accounts);
  private final StatisticsRefresh statistics;
  private final Sealer sealer;
  /**
   * Concurrent {@link #post} calls share a transaction (see GroupCommit): up to this many batches
   * in flight at once, of at most {@value #SHARED_BATCH_ENTRIES_MAX} entries each.
   */
  static final int SHARED_BATCHES_MAX = Integer.getInteger("ledger.sharedBatchesMax", 2);
  /** 1 turns the sharing off (the benchmark measures what it buys this way). */
  static final int SHARED_BATCH_ENTRIES_MAX = Integer.getInteger("ledger.sharedBatchEntriesMax", 100);
  private final GroupCommit groupCommit =
      new GroupCommit(SHARED_BATCHES_MAX, SHARED_BATCH_ENTRIES_MAX, this::postAll);

  public PostgresLedger(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.statistics = new StatisticsRefresh(dataSource);
    this.sealer = new Sealer(dataSource);
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T read(String action, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(true);
      return work.run(c);
    } catch (SQLException | RuntimeException e) {
      if (e instanceof IllegalArgumentException) {
        throw (IllegalArgumentException) e;
      }
      throw SqlErrors.translate(action, e);
    }
  }

  private static DSLContext dsl(Connection c) {
    return DSL.using(c, SQLDialect.POSTGRES, SETTINGS);
  }

  @Override
  public CreateStatus createAccount(Account account) {
    Objects.requireNonNull(account, "account");
    CreateStatus status = read("Creating account " + account.code(), c -> {
      String stored;
      try (PreparedStatement s = c.prepareStatement(HotSql.CREATE_ACCOUNT)) {
        s.setString(1, account.code().value());
        s.setBoolean(2, account.noOverdraft());
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          stored = rs.getString(1);
        }
      }
      CreateStatus created = CreateStatus.valueOf(stored);
      if (created == CreateStatus.CREATED) {
        Sealer.sealAll(c, false);
      }
      return created;
    });
    if (status == CreateStatus.CREATED || status == CreateStatus.EXISTS) {
      accounts.put(account.code().value(), account.noOverdraft());
    }
    return status;
  }

  @Override
  public Optional<Account> account(AccountCode code) {
    Objects.requireNonNull(code, "code");
    return read("Reading account " + code, c -> dsl(c).select(ACCOUNTS.CODE, ACCOUNTS.NO_OVERDRAFT)
        .from(ACCOUNTS).where(ACCOUNTS.CODE.eq(code.value()))
        .fetchOptional(r -> new Account(AccountCode.parse(r.value1()), r.value2())));
  }

  @Override
  public List<Account> accounts(AccountCode prefix) {
    Condition under = prefix == null
        ? DSL.noCondition()
        : ACCOUNTS.CODE.eq(prefix.value()).or(ACCOUNTS.CODE.ge(prefix.value() + ":")
            .and(ACCOUNTS.CODE.lt(prefix.value() + ";")));
    return read("Listing accounts", c -> dsl(c).select(ACCOUNTS.CODE, ACCOUNTS.NO_OVERDRAFT)
        .from(ACCOUNTS).where(under).orderBy(ACCOUNTS.CODE)
        .fetch(r -> new Account(AccountCode.parse(r.value1()), r.value2())));
  }

  /**
   * How many transactions {@link #post} has made so far ([0]) for how many posts ([1]): concurrent
   * posts share them (GroupCommit). For benchmarks.
   */
  public long[] postTransactions() {
    return groupCommit.counts();
  }

  @Override
  public PostResult post(Entry entry) {
    Objects.requireNonNull(entry, "entry");
    return groupCommit.post(entry);
  }

  @Override
  public BatchResult postAll(List<Entry> entries) {
    return submit(entries, true);
  }

  /**
   * A dry run: the same checks as {@link #postAll} against the current ledger (existing ids,
   * reversals, overdrafts), then a rollback. CREATED means "would be created".
   */
  public BatchResult check(List<Entry> entries) {
    return submit(entries, false);
  }

  private BatchResult submit(List<Entry> entries, boolean commit) {
    Objects.requireNonNull(entries, "entries");
    if (entries.isEmpty()) {
      return new BatchResult(List.of());
    }
    List<BatchPoster.Prepared> prepared = BatchPoster.prepare(entries);
    String action = "Posting " + entries.size() + " entries (first " + entries.get(0).id() + ")";
    return transaction(() -> action, c -> {
      BatchPoster.Outcome outcome = poster.attempt(c, prepared, commit);
      if (outcome.write() && commit) {
        c.commit(); // already committed by the write's round trip: ends the JDBC transaction only
        committed(c, outcome.newAccounts(), outcome.result().count(PostStatus.CREATED),
            StatisticsRefresh.rowsCreated(entries, outcome.result()));
      } else {
        c.rollback();
      }
      return outcome.result();
    });
  }

  /**
   * Posts a stream of chunks all or nothing, in one transaction, holding one chunk in memory at a
   * time; without {@code commit} it is a dry run that rolls back. Each chunk is checked against the
   * ledger plus the chunks before it, exactly as one batch would be; the first chunk with a rejection
   * rolls everything back. {@code chunks} is asked for a fresh iterator on each attempt (a
   * serialization retry starts over); an iterator that is AutoCloseable is closed after its attempt.
   */
  public PostSummary postStream(Supplier<Iterator<List<Entry>>> chunks, boolean commit) {
    return postStream(chunks, null, commit);
  }

  /**
   * As {@link #postStream(Supplier, boolean)}, told in advance every (account, currency) that the
   * stream's entries post to ({@code balanceKeys}; null when unknown). The balance rows and daily
   * checkpoints are then written once at the end instead of once per chunk (DESIGN section 10),
   * and every entry of the stream is recorded at one time. Streams that touch a no_overdraft
   * account, or hold pending entries or settlements, are posted chunk by chunk all the same.
   */
  public PostSummary postStream(Supplier<Iterator<List<Entry>>> chunks, Collection<PostingRules.Key> balanceKeys,
      boolean commit) {
    Objects.requireNonNull(chunks, "chunks");
    // Cleared when the staged totals would leave bigint: the retry, chunk by chunk, finds the entry.
    boolean[] staging = {balanceKeys != null};
    // Where the current attempt got to, for the message of a failure.
    String[] first = new String[1];
    long[] reached = new long[1];
    return transaction(() -> "Posting " + reached[0] + " entries" + (first[0] == null ? "" : " (first " + first[0] + ")"),
        c -> {
          first[0] = null;
          reached[0] = 0;
          Iterator<List<Entry>> iterator = chunks.get();
          try (ChunkPrefetch prefetch = new ChunkPrefetch(iterator)) {
            return stream(c, prefetch, staging[0] ? balanceKeys : null, commit, first, reached);
          } catch (SQLException e) {
            if (STREAM_REFUSED.equals(e.getSQLState())) {
              staging[0] = false;
              throw new SQLException("Posting again chunk by chunk for the exact results", "40001", e);
            }
            throw e;
          } finally {
            if (iterator instanceof AutoCloseable closeable) {
              try {
                closeable.close();
              } catch (Exception ignored) {
                // a read-only source: nothing was lost
              }
            }
          }
        });
  }

  private PostSummary stream(Connection c, Iterator<List<BatchPoster.Prepared>> iterator,
      Collection<PostingRules.Key> balanceKeys, boolean commit, String[] first, long[] reached)
      throws SQLException {
    java.util.Set<BatchPoster.Key> declared = balanceKeys == null || balanceKeys.isEmpty() ? null
        : balanceKeys.stream().map(k -> new BatchPoster.Key(k.account().value(), k.currency().getCurrencyCode()))
            .collect(java.util.stream.Collectors.toSet());
    boolean staged = false;
    long checked = 0;
    long created = 0;
    long createdRows = 0;
    long existing = 0;
    List<String> newAccounts = new ArrayList<>();
    // Read once: an entry in a closed period is then found before its chunk is written.
    dev.ledger.period.ClosedPeriods closed = BatchPoster.closedPeriods(c);
    while (iterator.hasNext()) {
      List<BatchPoster.Prepared> chunk = iterator.next(); // read and prepared while the last was written
      first[0] = first[0] == null ? chunk.get(0).entry().id() : first[0];
      reached[0] = checked + chunk.size();
      if (checked == 0 && declared != null) {
        staged = beginStream(c, declared); // here, so that a failure names the first entry
      }
      if (staged && !stageable(chunk, declared)) {
        throw new SQLException("The stream holds an entry its declared balance keys do not cover", STREAM_REFUSED);
      }
      BatchPoster.Outcome outcome = poster.attempt(c, chunk, false, closed);
      checked += chunk.size();
      if (!outcome.result().committed()) {
        c.rollback();
        return new PostSummary(checked, 0, 0, outcome.result().rejections(), !iterator.hasNext());
      }
      created += outcome.result().count(PostStatus.CREATED);
      createdRows += StatisticsRefresh.rowsCreated(chunk.stream().map(BatchPoster.Prepared::entry).toList(),
          outcome.result());
      existing += outcome.result().count(PostStatus.EXISTS);
      newAccounts.addAll(outcome.newAccounts());
    }
    if (staged) {
      try (PreparedStatement end = c.prepareStatement(HotSql.STREAM_END)) {
        end.execute();
      }
    }
    if (commit && created > 0) {
      c.commit();
      committed(c, newAccounts, created, createdRows);
    } else {
      c.rollback();
    }
    return new PostSummary(checked, created, existing, List.of(), true);
  }

  /** SQLSTATE of ledger_stream_end refusing totals that would leave bigint. */
  static final String STREAM_REFUSED = "LD009";

  /** Whether a staged stream may take the chunk: plain entries on declared balance keys only. */
  private static boolean stageable(List<BatchPoster.Prepared> chunk, java.util.Set<BatchPoster.Key> declared) {
    for (BatchPoster.Prepared p : chunk) {
      if (p.entry().pending() != null || p.entry().settlement() != null) {
        return false;
      }
      for (int i = 0; i < p.accounts().length; i++) {
        if (!declared.contains(new BatchPoster.Key(p.accounts()[i], p.currencies()[i]))) {
          return false;
        }
      }
    }
    return true;
  }

  /** Opens a stream (V23) over the keys, in key order; false when the database declines. */
  private static boolean beginStream(Connection c, java.util.Set<BatchPoster.Key> declared) throws SQLException {
    List<BatchPoster.Key> keys = declared.stream().sorted().toList();
    String[] accounts = new String[keys.size()];
    String[] currencies = new String[keys.size()];
    int i = 0;
    for (BatchPoster.Key key : keys) {
      accounts[i] = key.account();
      currencies[i++] = key.currency();
    }
    try (PreparedStatement begin = c.prepareStatement(HotSql.STREAM_BEGIN)) {
      begin.setArray(1, c.createArrayOf("varchar", accounts));
      begin.setArray(2, c.createArrayOf("varchar", currencies));
      try (ResultSet rs = begin.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  /**
   * After a post committed: the accounts it created go to the cache, the chain is sealed when due,
   * and the planner's statistics are refreshed when due, beside the seal.
   */
  private void committed(Connection c, List<String> newAccounts, long created, long createdRows) {
    newAccounts.forEach(code -> accounts.put(code, false));
    statistics.afterCommit(createdRows, () -> sealer.afterCommit(c, created)); // after the commit, never inside it
  }

  /** Seals what this ledger's posts left queued within the seal interval; see {@link Sealer#sealPending}. */
  public void sealPending() {
    sealer.sealPending();
  }

  /**
   * Runs {@code work} in a transaction (it commits or rolls back itself), retrying serialization
   * failures, deadlocks and unique races; anything else is rolled back and translated with
   * {@code action}, except caller mistakes (IllegalArgumentException), which pass unchanged.
   */
  private <T> T transaction(Supplier<String> action, Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection c = dataSource.getConnection()) {
        c.setAutoCommit(false);
        try {
          return work.run(c);
        } catch (SQLException | RuntimeException e) {
          rollbackQuietly(c);
          throw e;
        }
      } catch (SQLException | RuntimeException e) {
        if (e instanceof IllegalArgumentException invalid) {
          throw invalid;
        }
        if (attempt < ATTEMPTS_MAX && SqlErrors.retryable(e)) {
          backoff(attempt);
          continue;
        }
        throw SqlErrors.translate(action.get(), e);
      }
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      c.rollback();
    } catch (SQLException ignored) {
      // The connection is broken; the pool discards it and the server rolls back.
    }
  }

  private static void backoff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L + Math.min(attempt, 10) * 2L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerStoreException(LedgerStoreException.Kind.UNAVAILABLE,
          "Interrupted while retrying a batch", e);
    }
  }

  @Override
  public PostResult reverse(String entryId, String reversalId, String reason, Instant effectiveAt) {
    Objects.requireNonNull(entryId, "entryId");
    Objects.requireNonNull(effectiveAt, "effectiveAt");
    Optional<RecordedEntry> original = entry(entryId);
    if (original.isEmpty()) {
      return new PostResult(reversalId, PostStatus.REVERSAL_TARGET_NOT_FOUND,
          "Entry " + entryId + " does not exist");
    }
    // A correction of a closed period is booked in the first open instant (Ledger#reverse).
    Entry entry = original.get().entry();
    Instant open = closedPeriods().firstOpenAt(effectiveAt, PostingRules.accounts(entry));
    return post(entry.reversal(reversalId, reason, open));
  }

  @Override
  public PeriodResult close(Period period, String reason) {
    return recordPeriod(PeriodAction.CLOSE, period, reason);
  }

  @Override
  public PeriodResult reopen(Period period, String reason) {
    return recordPeriod(PeriodAction.REOPEN, period, reason);
  }

  private PeriodResult recordPeriod(PeriodAction action, Period period, String reason) {
    Objects.requireNonNull(period, "period");
    Periods.checkReason(reason);
    return read((action == PeriodAction.CLOSE ? "Closing" : "Reopening") + " the period " + period.describe(), c -> {
      PeriodResult result = PeriodStore.record(c, action, period, reason);
      if (result.event() != null) {
        Sealer.sealAll(c, false);
      }
      return result;
    });
  }

  @Override
  public List<PeriodEvent> periodEvents() {
    return read("Reading the period events", PeriodStore::events);
  }

  @Override
  public PostResult postPending(String pendingId, String postId, String amount, Instant effectiveAt) {
    Objects.requireNonNull(pendingId, "pendingId");
    Objects.requireNonNull(effectiveAt, "effectiveAt");
    Optional<RecordedEntry> pending = entry(pendingId);
    if (pending.isEmpty() || pending.get().entry().pending() == null) {
      return new PostResult(postId, PostStatus.PENDING_NOT_FOUND, "Entry " + pendingId
          + (pending.isEmpty() ? " does not exist" : " is not a pending entry"));
    }
    return post(pending.get().entry().pendingPost(postId, amount, effectiveAt));
  }

  @Override
  public PostResult voidPending(String pendingId, String voidId, String reason, Instant effectiveAt) {
    Objects.requireNonNull(pendingId, "pendingId");
    Objects.requireNonNull(effectiveAt, "effectiveAt");
    Optional<RecordedEntry> pending = entry(pendingId);
    if (pending.isEmpty() || pending.get().entry().pending() == null) {
      return new PostResult(voidId, PostStatus.PENDING_NOT_FOUND, "Entry " + pendingId
          + (pending.isEmpty() ? " does not exist" : " is not a pending entry"));
    }
    return post(pending.get().entry().pendingVoid(voidId, reason, effectiveAt));
  }

  @Override
  public List<PendingEntry> pendingEntries(boolean expired) {
    return read("Listing pending entries", c -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(HotSql.PENDING_IDS)) {
        s.setBoolean(1, expired);
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      Map<String, RecordedEntry> entries = EntryReader.recordedByIds(c, c.unwrap(PGConnection.class), ids);
      List<PendingEntry> list = new ArrayList<>(ids.size());
      for (String id : ids) {
        list.add(new PendingEntry(entries.get(id), expired));
      }
      return list;
    });
  }

  @Override
  public Optional<RecordedEntry> entry(String id) {
    Objects.requireNonNull(id, "id");
    return read("Reading entry " + id, c -> Optional.ofNullable(
        EntryReader.recordedByIds(c, c.unwrap(PGConnection.class), List.of(id)).get(id)));
  }

  /** One entry with its hashes, chain link and reversal links ({@code ledger entries show}). */
  public Optional<EntryRecord> entryRecord(String id) {
    Objects.requireNonNull(id, "id");
    return read("Reading entry " + id, c -> EntryReader.record(c, c.unwrap(PGConnection.class), id));
  }

  /** The start (UTC) of the earliest day with postings, or empty on an empty ledger (report periods). */
  public Optional<Instant> firstEffectiveAt() {
    return read("Reading the first entry", c -> {
      try (PreparedStatement s = c.prepareStatement(HotSql.FIRST_DAY);
          ResultSet rs = s.executeQuery()) {
        rs.next();
        OffsetDateTime first = rs.getObject(1, OffsetDateTime.class);
        return Optional.ofNullable(first == null ? null : first.toInstant());
      }
    });
  }

  /** The recording time of the earliest entry, or empty on an empty ledger (why --known-at found nothing). */
  public Optional<Instant> firstRecordedAt() {
    return read("Reading the first entry", c -> {
      try (PreparedStatement s = c.prepareStatement(HotSql.FIRST_RECORDED_AT);
          ResultSet rs = s.executeQuery()) {
        rs.next();
        OffsetDateTime first = rs.getObject(1, OffsetDateTime.class);
        return Optional.ofNullable(first == null ? null : first.toInstant());
      }
    });
  }

  @Override
  public Balance balance(BalanceQuery query) {
    Objects.requireNonNull(query, "query");
    Side normal = query.account().normalSide();
    List<CurrencyBalance> lines = new ArrayList<>();
    Map<String, BigInteger[]> posted = sums(query.account(), query.asOf(), query.knownAt(), query.currency());
    Map<String, BigInteger[]> pending = pendingSums(query);
    java.util.TreeSet<String> currencies = new java.util.TreeSet<>(posted.keySet());
    currencies.addAll(pending.keySet());
    BigInteger[] zero = {BigInteger.ZERO, BigInteger.ZERO};
    for (String currency : currencies) {
      BigInteger[] sum = posted.getOrDefault(currency, zero);
      BigInteger[] held = pending.getOrDefault(currency, zero);
      lines.add(CurrencyBalance.ofSums(query.account(), Rows.currency(currency), sum[0], sum[1], normal)
          .withPending(query.account(), held[0], held[1]));
    }
    return new Balance(query.account(), query.asOf(), query.knownAt(), lines);
  }

  /** Pending debits and credits per currency, as {@link dev.ledger.journal.Ledger#balance} defines them. */
  private Map<String, BigInteger[]> pendingSums(BalanceQuery query) {
    Map<String, BigInteger[]> sums = new java.util.TreeMap<>();
    if (before(query.asOf()) || before(query.knownAt())) {
      return sums;
    }
    AccountCode prefix = query.account();
    Map<String, Object> values = new HashMap<>();
    values.put("k", query.knownAt() == null ? null
        : Rows.time(unbounded(query.knownAt()) ? Rows.MAX_TIME : query.knownAt()));
    values.put("t", unbounded(query.asOf()) ? null : Rows.time(query.asOf()));
    values.put("cur", query.currency() == null ? null : query.currency().getCurrencyCode());
    values.put("p", prefix.value());
    values.put("lo", prefix.value() + ":");
    values.put("hi", prefix.value() + ";");
    return read("Reading the pending amounts of " + prefix, c -> {
      try (PreparedStatement s = HotSql.PENDING_SUMS.prepare(c, values); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          sums.put(rs.getString(1), new BigInteger[] {rs.getBigDecimal(2).toBigIntegerExact(),
              rs.getBigDecimal(3).toBigIntegerExact()});
        }
      }
      return sums;
    });
  }

  /**
   * Debits and credits per currency (sorted) of the account or prefix, in minor units. Exact:
   * PostgreSQL sums bigint as numeric, and a prefix may hold more than a long.
   */
  private Map<String, BigInteger[]> sums(AccountCode prefix, Instant asOf, Instant knownAt,
      CurrencyUnit currency) {
    Map<String, BigInteger[]> sums = new java.util.TreeMap<>();
    if (before(asOf) || before(knownAt)) {
      return sums;
    }
    Instant t = unbounded(asOf) ? null : asOf;
    Instant k = unbounded(knownAt) ? null : knownAt;
    String cur = currency == null ? null : currency.getCurrencyCode();
    return read("Reading the balance of " + prefix, c -> {
      if (t == null && k == null) {
        Condition under = BALANCES.ACCOUNT.eq(prefix.value()).or(BALANCES.ACCOUNT.ge(prefix.value() + ":")
            .and(BALANCES.ACCOUNT.lt(prefix.value() + ";")));
        if (cur != null) {
          under = under.and(BALANCES.CURRENCY.eq(cur));
        }
        dsl(c).select(BALANCES.CURRENCY, DSL.sum(BALANCES.DEBITS), DSL.sum(BALANCES.CREDITS))
            .from(BALANCES).where(under).groupBy(BALANCES.CURRENCY)
            .having(DSL.sum(BALANCES.DEBITS).ne(java.math.BigDecimal.ZERO)
                .or(DSL.sum(BALANCES.CREDITS).ne(java.math.BigDecimal.ZERO)))
            .forEach(r -> sums.put(r.value1(), new BigInteger[] {r.value2().toBigIntegerExact(),
                r.value3().toBigIntegerExact()}));
        return sums;
      }
      Map<String, Object> values = timeParameters(t, k);
      values.put("cur", cur);
      values.put("p", prefix.value());
      values.put("lo", prefix.value() + ":");
      values.put("hi", prefix.value() + ";");
      try (PreparedStatement s = HotSql.PREFIX_SUMS.prepare(c, values); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          sums.put(rs.getString(1), new BigInteger[] {rs.getBigDecimal(2).toBigIntegerExact(),
              rs.getBigDecimal(3).toBigIntegerExact()});
        }
      }
      return sums;
    });
  }

  private static Map<String, Object> timeParameters(Instant t, Instant k) {
    Instant asOf = t == null ? Rows.MAX_TIME : t;
    Map<String, Object> values = new HashMap<>();
    values.put("t", Rows.time(asOf));
    values.put("tday", Rows.time(Rows.day(asOf)));
    values.put("k", Rows.time(k));
    return values;
  }

  private static boolean before(Instant time) {
    return time != null && time.isBefore(Rows.MIN_TIME);
  }

  private static boolean unbounded(Instant time) {
    return time == null || !time.isBefore(Rows.MAX_TIME);
  }

  @Override
  public List<TrialBalanceLine> trialBalance(Instant asOf, Instant knownAt) {
    List<TrialBalanceLine> lines = new ArrayList<>();
    if (before(asOf) || before(knownAt)) {
      return lines;
    }
    Instant t = unbounded(asOf) ? null : asOf;
    Instant k = unbounded(knownAt) ? null : knownAt;
    return read("Reading the trial balance", c -> {
      if (t == null && k == null) {
        dsl(c).select(BALANCES.ACCOUNT, BALANCES.CURRENCY, BALANCES.DEBITS, BALANCES.CREDITS)
            .from(BALANCES).where(BALANCES.DEBITS.ne(0L).or(BALANCES.CREDITS.ne(0L)))
            .orderBy(BALANCES.ACCOUNT, BALANCES.CURRENCY)
            .forEach(r -> lines.add(line(r.value1(), r.value2(), BigInteger.valueOf(r.value3()),
                BigInteger.valueOf(r.value4()))));
        return lines;
      }
      Map<String, Object> values = timeParameters(t, k);
      values.put("cur", null);
      try (PreparedStatement s = HotSql.ACCOUNT_SUMS.prepare(c, values); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          lines.add(line(rs.getString(1), rs.getString(2), rs.getBigDecimal(3).toBigIntegerExact(),
              rs.getBigDecimal(4).toBigIntegerExact()));
        }
      }
      return lines;
    });
  }

  private static TrialBalanceLine line(String account, String currency, BigInteger debits,
      BigInteger credits) {
    AccountCode code = AccountCode.parse(account);
    return new TrialBalanceLine(code,
        CurrencyBalance.ofSums(code, Rows.currency(currency), debits, credits, code.normalSide()));
  }

  /**
   * The history of {@code account} streamed to {@code sink} in constant memory, a page of at most
   * {@code limit} postings after {@code after}; returns the cursor for the next page, or null when
   * this page holds the rest. See {@link HistoryReader}.
   */
  public HistoryCursor history(AccountCode account, Instant from, Instant to, HistoryCursor after, Long limit,
      java.util.function.BiConsumer<HistoryLine, HistoryCursor> sink) {
    return new HistoryReader(dataSource).stream(account, from, to, after, limit, sink);
  }

  @Override
  public List<HistoryLine> history(AccountCode account, Instant from, Instant to) {
    Objects.requireNonNull(account, "account");
    List<HistoryLine> lines = new ArrayList<>();
    if (before(to) || (from != null && from.isAfter(Rows.MAX_TIME))) {
      return lines;
    }
    Instant start = from == null || from.isBefore(Rows.MIN_TIME) ? Rows.MIN_TIME : from;
    Instant end = unbounded(to) ? Rows.MAX_TIME : to;
    Side normal = account.normalSide();
    Map<String, Long> running = new HashMap<>();
    if (start.isAfter(Rows.MIN_TIME)) {
      Instant openingAt = start.truncatedTo(ChronoUnit.MICROS).equals(start)
          ? start.minus(1, ChronoUnit.MICROS)
          : start.truncatedTo(ChronoUnit.MICROS);
      sums(account, openingAt, null, null).forEach((currency, sum) -> running.put(currency,
          CurrencyBalance.ofSums(account, Rows.currency(currency), sum[0], sum[1], normal)
              .balanceMinor()));
    }
    Map<String, Object> values = new HashMap<>();
    values.put("p", account.value());
    values.put("lo", account.value() + ":");
    values.put("hi", account.value() + ";");
    values.put("from", Rows.time(start));
    values.put("to", Rows.time(end));
    return read("Reading the history of " + account, c -> {
      try (PreparedStatement s = HotSql.HISTORY.prepare(c, values); ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          String currency = rs.getString(6);
          long amount = rs.getLong(7);
          long delta = normal == Side.DEBIT ? amount : -amount;
          long balance = HistoryLine.runningAfter(account, Rows.currency(currency),
              running.getOrDefault(currency, 0L), delta);
          running.put(currency, balance);
          lines.add(new HistoryLine(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
              rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getString(4),
              AccountCode.parse(rs.getString(5)), Rows.currency(currency),
              amount > 0 ? Side.DEBIT : Side.CREDIT, Math.abs(amount), balance));
        }
      }
      return lines;
    });
  }
}
