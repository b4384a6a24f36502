package dev.ledger.db;

import dev.ledger.account.AccountCode;
import dev.ledger.db.period.PeriodStore;
import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostingRules;
import dev.ledger.journal.Posting;
import dev.ledger.period.ClosedPeriods;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import dev.ledger.journal.PostResult;
import dev.ledger.journal.PostStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;

/**
 * Writes one all-or-nothing batch through the database's {@code ledger_post} function, the only
 * write path the application role has (V13). The checks are made here first, exactly as
 * ReferenceLedger makes them, so that each rejection is an enumerated result; the function makes
 * the balance checks again under its row locks (a concurrent writer may have moved a balance since
 * it was read) and refuses a batch that would overdraw or overflow, handing back the locked totals,
 * from which the exact results are computed. Closed periods are checked by the posting trigger of
 * V16 alone while nothing else rejects the batch (no read of them per post); when it refuses an
 * entry (LD008), or the batch is rejected anyway, the periods are read and the exact results
 * computed with them. The hash chain is not touched: {@link Sealer} extends it after the commit.
 */
final class BatchPoster {

  private static final String POST_AND_COMMIT = HotSql.POST + ";\nCOMMIT";
  /** SQLSTATE of ledger_post refusing a batch for its balances; DETAIL holds the totals before it. */
  static final String BALANCES_REFUSED = "LD004";
  /** SQLSTATE of a reservation or post beyond a no_overdraft account's available balance (V15). */
  static final String AVAILABLE_REFUSED = "LD006";
  /** SQLSTATE of ledger_post_pending refusing a settlement; DETAIL is the PostStatus name. */
  static final String SETTLEMENT_REFUSED = "LD007";

  /** A settlement refused by the database, with the entry it was for. */
  private static final class SettlementRefused extends SQLException {
    private final String entryId;
    private final String status;

    SettlementRefused(String entryId, String status, SQLException cause) {
      super(cause.getMessage(), SETTLEMENT_REFUSED, cause);
      this.entryId = entryId;
      this.status = status;
    }
  }
  private static final Pattern TOTAL = Pattern.compile(
      "\\[\"([^\"]*)\", \"([^\"]*)\", \"(-?\\d+)\", \"(-?\\d+)\"\\]");

  record Key(String account, String currency) implements Comparable<Key> {
    @Override
    public int compareTo(Key other) {
      int byAccount = account.compareTo(other.account);
      return byAccount != 0 ? byAccount : currency.compareTo(other.currency);
    }
  }

  /** One submitted entry with the row values computed once, outside any transaction. */
  record Prepared(Entry entry, byte[] contentHash, String[] accounts, String[] currencies,
      long[] amounts, String effectiveAt, String metadata) {
    static Prepared of(Entry entry) {
      int n = entry.postings().size();
      String[] accounts = new String[n];
      String[] currencies = new String[n];
      long[] amounts = new long[n];
      for (int i = 0; i < n; i++) {
        Posting posting = entry.postings().get(i);
        accounts[i] = posting.account().value();
        currencies[i] = posting.currency().getCurrencyCode();
        amounts[i] = posting.signedMinor();
      }
      return new Prepared(entry, Rows.contentHash(entry.canonical()), accounts, currencies, amounts,
          entry.effectiveAt().toString(), Rows.metadataJson(entry.metadata()));
    }
  }

  /** The result and whether the transaction should commit; newAccounts go to the cache after it. */
  record Outcome(BatchResult result, boolean write, List<String> newAccounts) {}

  private final AccountCache accounts;

  BatchPoster(AccountCache accounts) {
    this.accounts = accounts;
  }

  static List<Prepared> prepare(List<Entry> batch) {
    List<Prepared> prepared = new ArrayList<>(batch.size());
    for (Entry entry : batch) {
      if (entry == null) {
        throw new IllegalArgumentException("Batch contains a null entry at index " + prepared.size());
      }
      Rows.checkStorable(entry);
      prepared.add(Prepared.of(entry));
    }
    return prepared;
  }

  /**
   * Checks the batch and, unless rejected, writes it; with {@code commit} the write and COMMIT
   * go in one round trip (a failing deferred check then surfaces from that call), otherwise the
   * caller rolls back.
   */
  Outcome attempt(Connection c, List<Prepared> batch, boolean commit) throws SQLException {
    return attempt(c, batch, commit, null);
  }

  /**
   * As {@link #attempt(Connection, List, boolean)}, with the closed periods read before (a stream
   * of chunks reads them once, so that a rejection is found in Java with exact results for its
   * chunk); null leaves the check to the database.
   */
  Outcome attempt(Connection c, List<Prepared> batch, boolean commit, ClosedPeriods known) throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    if (known == null && optimistic(batch)) {
      Outcome written = writeOptimistically(c, pg, batch, commit, now);
      if (written != null) {
        return written;
      }
      c.rollback();
    }
    Map<String, byte[]> existing = existingHashes(c, pg, batch);

    // Accounts and balance keys of every entry that may be created (stored ones add nothing).
    // Hash sets: a chunk adds 35,000 postings here; the rarely needed ordered copies come later.
    Set<String> codes = new java.util.HashSet<>();
    Set<Key> keySet = new java.util.HashSet<>();
    Set<String> targets = new TreeSet<>();
    Set<String> pendingTargets = new TreeSet<>();
    for (Prepared p : batch) {
      if (existing.containsKey(p.entry().id())) {
        continue;
      }
      for (int i = 0; i < p.accounts().length; i++) {
        codes.add(p.accounts()[i]);
        keySet.add(new Key(p.accounts()[i], p.currencies()[i]));
      }
      if (p.entry().reversalOf() != null) {
        targets.add(p.entry().reversalOf());
      }
      if (p.entry().settlement() != null) {
        pendingTargets.add(p.entry().settlement().pendingId());
      }
    }
    List<String> newAccounts = readFlags(c, pg, codes.stream().filter(code -> accounts.get(code) == null).sorted().toList());
    Set<String> allTargets = new TreeSet<>(targets);
    allTargets.addAll(pendingTargets);
    Map<String, Entry> storedTargets = allTargets.isEmpty() ? Map.of() : EntryReader.byIds(c, pg, allTargets);
    Map<String, String> storedReversedBy = reversedBy(c, pg, targets);
    Map<String, String> settledBy = settledBy(c, pg, pendingTargets);

    // First pass without balances (as if no overflow or overdraft happened). When it rejects an
    // entry, the batch is rejected whatever the balances are (the balance checks come last), so
    // read the balances and make the exact pass for the exact results.
    Map<Entry, Prepared> byEntry = byEntry(batch);
    List<Entry> entries = batch.stream().map(Prepared::entry).toList();
    PostingRules.Checked checked = PostingRules.check(entries,
        new Stored(byEntry, existing, storedTargets, storedReversedBy, settledBy, null, null, now, known));
    if (checked.rejected()) {
      return new Outcome(PostingRules.check(entries, new Stored(byEntry, existing, storedTargets,
          storedReversedBy, settledBy, readBalances(c, pg, new TreeSet<>(keySet)),
          readReserved(c, pg, new TreeSet<>(keySet), now), now, closedPeriods(c))).batchResult(), false, List.of());
    }
    if (checked.created().isEmpty()) {
      return new Outcome(checked.batchResult(), false, List.of());
    }
    List<Prepared> created = checked.created().stream().map(byEntry::get).toList();
    boolean plain = created.stream().allMatch(p -> p.entry().pending() == null && p.entry().settlement() == null);
    try {
      if (plain) {
        write(c, pg, created, commit);
      } else {
        writeInOrder(c, pg, created);
      }
    } catch (SettlementRefused refused) {
      c.rollback();
      PostStatus status = PostStatus.valueOf(refused.status);
      List<PostResult> results = new ArrayList<>();
      for (PostResult r : checked.results()) {
        results.add(r.entryId().equals(refused.entryId) && r.status() == PostStatus.CREATED
            ? new PostResult(r.entryId(), status, serverMessage(refused))
            : r.status() == PostStatus.CREATED
                ? new PostResult(r.entryId(), PostStatus.REJECTED_WITH_BATCH,
                    "Not written: another entry of the batch was rejected")
                : r);
      }
      return new Outcome(new BatchResult(results), false, List.of());
    } catch (SQLException e) {
      if (PeriodStore.PERIOD_CLOSED.equals(e.getSQLState())) {
        c.rollback();
        TreeSet<Key> keys = new TreeSet<>(keySet);
        readFlags(c, pg, codes.stream().sorted().toList());
        PostingRules.Checked exact = PostingRules.check(entries, new Stored(byEntry, existing, storedTargets,
            storedReversedBy, settledBy, readBalances(c, pg, keys), readReserved(c, pg, keys, now), now,
            closedPeriods(c)));
        if (!exact.rejected()) {
          // The period was reopened since the trigger refused the entry: start over.
          throw new SQLException("The closed periods changed during the post", "40001", e);
        }
        return new Outcome(exact.batchResult(), false, List.of());
      }
      boolean balances = BALANCES_REFUSED.equals(e.getSQLState());
      if (!balances && !AVAILABLE_REFUSED.equals(e.getSQLState())) {
        throw e;
      }
      c.rollback();
      // ledger_post hands back the totals it locked before its call; with pending entries the batch
      // made several calls, so (as for a refused reservation) the totals are read again.
      boolean exactTotals = balances && plain;
      TreeSet<Key> keys = new TreeSet<>(keySet);
      Map<PostingRules.Key, PostingRules.Totals> totals = exactTotals ? totalsBefore(e) : readBalances(c, pg, keys);
      readFlags(c, pg, codes.stream().sorted().toList()); // a concurrent creator may have set no_overdraft
      PostingRules.Checked exact = PostingRules.check(entries, new Stored(byEntry, existing, storedTargets,
          storedReversedBy, settledBy, totals, readReserved(c, pg, keys, now), now, closedPeriods(c)));
      if (!exact.rejected()) {
        if (!exactTotals) {
          // A balance or reservation moved between the refusal and this read: try again.
          throw new SQLException("Available balance changed under the batch", "40001", e);
        }
        throw new IllegalStateException("ledger_post refused a batch for its balances, but the checks"
            + " against the totals it returned pass: " + totals.keySet());
      }
      return new Outcome(exact.batchResult(), false, List.of());
    }
    return new Outcome(checked.batchResult(), true, newAccounts);
  }

  /**
   * Whether the batch may be written without reading the ledger first: ordinary entries (no
   * reversal, pending entry or settlement) on accounts whose flags are cached. Such a batch is
   * rejected only by an existing id or by its balances, and ledger_post refuses both itself.
   */
  private boolean optimistic(List<Prepared> batch) {
    for (Prepared p : batch) {
      Entry entry = p.entry();
      if (entry.reversalOf() != null || entry.pending() != null || entry.settlement() != null) {
        return false;
      }
      for (String account : p.accounts()) {
        if (accounts.get(account) == null) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * Checks the batch as if none of its ids were stored and writes it in one round trip (the common
   * case of a new entry: one statement instead of two). Returns null when that is not the outcome:
   * the rules reject an entry without the ledger's state, or the database refuses the write (an id
   * that exists, balances, a closed period); the caller rolls back and makes the full attempt, which
   * reads what it needs for the exact results.
   */
  private Outcome writeOptimistically(Connection c, PGConnection pg, List<Prepared> batch, boolean commit,
      Instant now) {
    Map<Entry, Prepared> byEntry = byEntry(batch);
    List<Entry> entries = batch.stream().map(Prepared::entry).toList();
    PostingRules.Checked checked = PostingRules.check(entries,
        new Stored(byEntry, Map.of(), Map.of(), Map.of(), Map.of(), null, null, now, null));
    if (checked.rejected() || checked.created().size() != batch.size()) {
      return null;
    }
    try {
      write(c, pg, batch, commit);
    } catch (SQLException | LedgerStoreException e) {
      return null;
    }
    return new Outcome(checked.batchResult(), true, List.of());
  }

  /** The batch's prepared rows by entry (identity: two entries may be equal). */
  private static Map<Entry, Prepared> byEntry(List<Prepared> batch) {
    Map<Entry, Prepared> byEntry = new IdentityHashMap<>();
    batch.forEach(p -> byEntry.put(p.entry(), p));
    return byEntry;
  }

  private static String serverMessage(SQLException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    if (cause instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
      String message = psql.getServerErrorMessage().getMessage();
      return message.isEmpty() ? message : Character.toUpperCase(message.charAt(0)) + message.substring(1);
    }
    return e.getMessage();
  }

  /**
   * The ledger as this batch found it, for the posting rules: stored content hashes by id, stored
   * reversal targets and who reverses them, flags from the cache, and balance totals when read.
   */
  private final class Stored implements PostingRules.State {
    private final Map<Entry, Prepared> byEntry;
    private final Map<String, byte[]> existing;
    private final Map<String, Entry> targets;
    private final Map<String, String> reversedBy;
    private final Map<String, String> settledBy;
    private final Map<PostingRules.Key, PostingRules.Totals> totals;
    private final Map<PostingRules.Key, PostingRules.Totals> reserved;
    private final Instant now;
    private final ClosedPeriods closed;

    Stored(Map<Entry, Prepared> byEntry, Map<String, byte[]> existing, Map<String, Entry> targets,
        Map<String, String> reversedBy, Map<String, String> settledBy,
        Map<PostingRules.Key, PostingRules.Totals> totals, Map<PostingRules.Key, PostingRules.Totals> reserved,
        Instant now, ClosedPeriods closed) {
      this.byEntry = byEntry;
      this.existing = existing;
      this.targets = targets;
      this.reversedBy = reversedBy;
      this.settledBy = settledBy;
      this.totals = totals;
      this.reserved = reserved;
      this.now = now;
      this.closed = closed;
    }

    @Override
    public ClosedPeriods closedPeriods() {
      return closed;
    }

    @Override
    public String storedSettlementOf(String pendingId) {
      return settledBy.get(pendingId);
    }

    @Override
    public PostingRules.Totals reserved(PostingRules.Key key) {
      return reserved == null ? null : reserved.getOrDefault(key, PostingRules.Totals.ZERO);
    }

    @Override
    public Instant now() {
      return now;
    }

    @Override
    public Boolean storedSameContent(Entry entry) {
      byte[] stored = existing.get(entry.id());
      return stored == null ? null : Arrays.equals(stored, byEntry.get(entry).contentHash());
    }

    @Override
    public Entry stored(String id) {
      return targets.get(id);
    }

    @Override
    public String storedReversalOf(String id) {
      return reversedBy.get(id);
    }

    @Override
    public boolean noOverdraft(AccountCode account) {
      Boolean flag = accounts.get(account.value());
      return flag != null && flag;
    }

    @Override
    public PostingRules.Totals totals(PostingRules.Key key) {
      return totals == null ? null : totals.getOrDefault(key, PostingRules.Totals.ZERO);
    }
  }

  /** The periods closed now (after a rollback: the transaction is fresh, so this is the latest state). */
  static ClosedPeriods closedPeriods(Connection c) throws SQLException {
    return ClosedPeriods.replay(PeriodStore.events(c), null);
  }

  private static Map<String, byte[]> existingHashes(Connection c, PGConnection pg, List<Prepared> batch)
      throws SQLException {
    String[] ids = batch.stream().map(p -> p.entry().id()).distinct().toArray(String[]::new);
    Map<String, byte[]> hashes = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(HotSql.ENTRY_HASHES)) {
      s.setArray(1, pg.createArrayOf("varchar", ids));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          hashes.put(rs.getString(1), rs.getBytes(2));
        }
      }
    }
    return hashes;
  }

  /**
   * Reads the no_overdraft flags of {@code codes} into the cache and returns the codes that have no
   * account row yet: ledger_post creates those without no_overdraft.
   */
  private List<String> readFlags(Connection c, PGConnection pg, List<String> codes) throws SQLException {
    if (codes.isEmpty()) {
      return List.of();
    }
    Set<String> missing = new TreeSet<>(codes);
    try (PreparedStatement s = c.prepareStatement(HotSql.ACCOUNT_FLAGS)) {
      s.setArray(1, pg.createArrayOf("varchar", codes.toArray(String[]::new)));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          accounts.put(rs.getString(1), rs.getBoolean(2));
          missing.remove(rs.getString(1));
        }
      }
    }
    return List.copyOf(missing);
  }

  /** The totals before the batch that ledger_post returned with its refusal. */
  private static PostingRules.Key key(String account, String currency) {
    return new PostingRules.Key(AccountCode.parse(account), Rows.currency(currency));
  }

  private static Map<PostingRules.Key, PostingRules.Totals> totalsBefore(SQLException refusal) {
    String detail = refusal instanceof PSQLException psql && psql.getServerErrorMessage() != null
        ? psql.getServerErrorMessage().getDetail() : null;
    if (detail == null) {
      throw new IllegalStateException("ledger_post refused a batch without its totals", refusal);
    }
    Map<PostingRules.Key, PostingRules.Totals> totals = new HashMap<>();
    Matcher m = TOTAL.matcher(detail);
    while (m.find()) {
      totals.put(key(m.group(1), m.group(2)),
          new PostingRules.Totals(Long.parseLong(m.group(3)), Long.parseLong(m.group(4))));
    }
    return totals;
  }

  private static Map<PostingRules.Key, PostingRules.Totals> readBalances(Connection c, PGConnection pg,
      TreeSet<Key> keys) throws SQLException {
    Map<PostingRules.Key, PostingRules.Totals> totals = new HashMap<>();
    if (keys.isEmpty()) {
      return totals;
    }
    try (PreparedStatement s = c.prepareStatement(HotSql.READ_BALANCES)) {
      s.setArray(1, pg.createArrayOf("varchar", keys.stream().map(Key::account).toArray(String[]::new)));
      s.setArray(2, pg.createArrayOf("varchar", keys.stream().map(Key::currency).toArray(String[]::new)));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          totals.put(key(rs.getString(1), rs.getString(2)), new PostingRules.Totals(rs.getLong(3), rs.getLong(4)));
        }
      }
    }
    return totals;
  }

  private static Map<String, String> settledBy(Connection c, PGConnection pg, Set<String> pendingIds)
      throws SQLException {
    Map<String, String> by = new HashMap<>();
    if (pendingIds.isEmpty()) {
      return by;
    }
    try (PreparedStatement s = c.prepareStatement(HotSql.SETTLED_BY)) {
      s.setArray(1, pg.createArrayOf("varchar", pendingIds.toArray(String[]::new)));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          by.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return by;
  }

  /** What open pending entries reserve on the keys at {@code now}; capped at the summable range. */
  private static Map<PostingRules.Key, PostingRules.Totals> readReserved(Connection c, PGConnection pg,
      TreeSet<Key> keys, Instant now) throws SQLException {
    Map<PostingRules.Key, PostingRules.Totals> reserved = new HashMap<>();
    if (keys.isEmpty()) {
      return reserved;
    }
    java.math.BigDecimal max = java.math.BigDecimal.valueOf(dev.ledger.money.Amounts.MINOR_MAX);
    try (PreparedStatement s = c.prepareStatement(HotSql.RESERVED)) {
      s.setArray(1, pg.createArrayOf("varchar", keys.stream().map(Key::account).toArray(String[]::new)));
      s.setArray(2, pg.createArrayOf("varchar", keys.stream().map(Key::currency).toArray(String[]::new)));
      s.setObject(3, Rows.time(now));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          reserved.put(key(rs.getString(1), rs.getString(2)), new PostingRules.Totals(
              rs.getBigDecimal(3).min(max).longValueExact(), rs.getBigDecimal(4).min(max).longValueExact()));
        }
      }
    }
    return reserved;
  }

  /**
   * Writes entries of which some are pending or settle one, in batch order: runs of ordinary
   * entries through ledger_post, each of the others through ledger_post_pending. No commit.
   */
  private static void writeInOrder(Connection c, PGConnection pg, List<Prepared> entries) throws SQLException {
    List<Prepared> run = new ArrayList<>();
    for (Prepared p : entries) {
      Entry entry = p.entry();
      if (entry.pending() == null && entry.settlement() == null) {
        run.add(p);
        continue;
      }
      if (!run.isEmpty()) {
        write(c, pg, run, false);
        run = new ArrayList<>();
      }
      try (PreparedStatement s = c.prepareStatement(HotSql.POST_PENDING)) {
        s.setString(1, entry.id());
        s.setString(2, p.effectiveAt());
        s.setString(3, entry.description());
        s.setString(4, p.metadata());
        s.setBytes(5, p.contentHash());
        s.setObject(6, entry.pending() == null ? null : Rows.time(entry.pending().expiresAt()));
        s.setString(7, entry.settlement() == null ? null : entry.settlement().pendingId());
        s.setString(8, entry.settlement() == null ? null : entry.settlement().kind().wireName());
        s.setArray(9, pg.createArrayOf("varchar", p.accounts()));
        s.setArray(10, pg.createArrayOf("varchar", p.currencies()));
        s.setArray(11, pg.createArrayOf("bigint", java.util.Arrays.stream(p.amounts()).boxed().toArray(Long[]::new)));
        s.execute();
      } catch (SQLException e) {
        if (SETTLEMENT_REFUSED.equals(e.getSQLState())) {
          String detail = e instanceof PSQLException psql && psql.getServerErrorMessage() != null
              ? psql.getServerErrorMessage().getDetail() : null;
          throw new SettlementRefused(entry.id(), detail, e);
        }
        throw e;
      }
    }
    if (!run.isEmpty()) {
      write(c, pg, run, false);
    }
  }

  private static Map<String, String> reversedBy(Connection c, PGConnection pg, Set<String> targets)
      throws SQLException {
    Map<String, String> by = new HashMap<>();
    if (targets.isEmpty()) {
      return by;
    }
    try (PreparedStatement s = c.prepareStatement(HotSql.REVERSED_BY)) {
      s.setArray(1, pg.createArrayOf("varchar", targets.toArray(String[]::new)));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          by.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return by;
  }

  /** Hands the entries to ledger_post (and commits): one round trip. */
  private static void write(Connection c, PGConnection pg, List<Prepared> entries, boolean commit)
      throws SQLException {
    int n = entries.size();
    String[] ids = new String[n];
    String[] effective = new String[n];
    String[] descriptions = new String[n];
    String[] metadata = new String[n];
    String[] reversals = new String[n];
    Integer[] counts = new Integer[n];
    byte[][] contentHashes = new byte[n][];
    int postingCount = entries.stream().mapToInt(p -> p.entry().postings().size()).sum();
    Integer[] pEntries = new Integer[postingCount];
    Integer[] pIndexes = new Integer[postingCount];
    String[] pAccounts = new String[postingCount];
    String[] pCurrencies = new String[postingCount];
    Long[] pAmounts = new Long[postingCount];
    int k = 0;
    for (int i = 0; i < n; i++) {
      Prepared prepared = entries.get(i);
      Entry entry = prepared.entry();
      ids[i] = entry.id();
      effective[i] = prepared.effectiveAt();
      descriptions[i] = entry.description();
      metadata[i] = prepared.metadata();
      reversals[i] = entry.reversalOf();
      counts[i] = entry.postings().size();
      contentHashes[i] = prepared.contentHash();
      for (int index = 0; index < prepared.accounts().length; index++) {
        pEntries[k] = i + 1;
        pIndexes[k] = index;
        pAccounts[k] = prepared.accounts()[index];
        pCurrencies[k] = prepared.currencies()[index];
        pAmounts[k] = prepared.amounts()[index];
        k++;
      }
    }
    try (PreparedStatement s = c.prepareStatement(commit ? POST_AND_COMMIT : HotSql.POST)) {
      s.setArray(1, pg.createArrayOf("varchar", ids));
      s.setArray(2, pg.createArrayOf("text", effective));
      s.setArray(3, pg.createArrayOf("varchar", descriptions));
      s.setArray(4, pg.createArrayOf("text", metadata));
      s.setArray(5, pg.createArrayOf("varchar", reversals));
      s.setArray(6, pg.createArrayOf("int", counts));
      s.setArray(7, pg.createArrayOf("text", hex(contentHashes)));
      s.setArray(8, pg.createArrayOf("int", pEntries));
      s.setArray(9, pg.createArrayOf("int", pIndexes));
      s.setArray(10, pg.createArrayOf("varchar", pAccounts));
      s.setArray(11, pg.createArrayOf("varchar", pCurrencies));
      s.setArray(12, pg.createArrayOf("bigint", pAmounts));
      try {
        s.execute();
      } catch (SQLException e) {
        if ("22003".equals(e.getSQLState())) {
          // The balances passed the range guard, and a day's totals are a part of them: only
          // checkpoints that disagree with the balances (edited rows) can overflow here.
          throw new LedgerStoreException(LedgerStoreException.Kind.INTEGRITY_VIOLATION,
              "Posting " + ids[0] + (n > 1 ? ".." + ids[n - 1] : "") + " failed: a daily checkpoint"
                  + " (balance_days) would leave the bigint range although the balances do not;"
                  + " the stored totals disagree, run ledger verify", "22003", e);
        }
        throw e;
      }
      while (s.getMoreResults() || s.getUpdateCount() != -1) {
        // Consume every statement's result; an error in any of them was raised by execute().
      }
    }
  }

  private static String[] hex(byte[][] values) {
    java.util.HexFormat format = java.util.HexFormat.of();
    String[] text = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      text[i] = "\\x" + format.formatHex(values[i]);
    }
    return text;
  }
}
