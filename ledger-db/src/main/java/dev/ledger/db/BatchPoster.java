package dev.ledger.db;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostResult;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.Posting;
import dev.ledger.money.Amounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.money.CurrencyUnit;
import org.postgresql.PGConnection;

/**
 * Writes one all-or-nothing batch. Locks are taken in a fixed order so writers never deadlock:
 * new account rows (sorted), every touched balance row (sorted, one statement), then the chain
 * head, which serialises only the final inserts. The checks mirror ReferenceLedger exactly.
 */
final class BatchPoster {

  private static final String LOCK_BALANCES = """
      INSERT INTO balances AS b (account, currency, debits, credits)
      SELECT a, c, 0, 0 FROM unnest(?::varchar[], ?::varchar[]) AS t(a, c) ORDER BY a, c
      ON CONFLICT (account, currency) DO UPDATE SET debits = b.debits
      RETURNING account, currency, debits, credits""";
  private static final String INSERT_ENTRIES = """
      INSERT INTO entries (sequence, id, effective_at, recorded_at, description, metadata,
        reversal_of, posting_count, content_hash, prev_hash, hash)
      SELECT s, i, e::timestamptz, ?::timestamptz, d, m::jsonb, r, n, decode(ch, 'hex'),
        decode(ph, 'hex'), decode(h, 'hex')
      FROM unnest(?::bigint[], ?::varchar[], ?::text[], ?::varchar[], ?::text[], ?::varchar[],
        ?::int[], ?::text[], ?::text[], ?::text[]) AS t(s, i, e, d, m, r, n, ch, ph, h)""";
  private static final String INSERT_POSTINGS = """
      INSERT INTO postings (entry_sequence, posting_index, account, currency, amount, effective_at,
        recorded_at)
      SELECT s, x, a, c, m, e::timestamptz, ?::timestamptz
      FROM unnest(?::bigint[], ?::int[], ?::varchar[], ?::varchar[], ?::bigint[], ?::text[])
        AS t(s, x, a, c, m, e)""";
  private static final String UPDATE_HEAD = """
      UPDATE chain_head SET last_sequence = ?, last_hash = ?, last_recorded_at = ?::timestamptz
      WHERE id = 1""";
  /**
   * Adds a batch's deltas to its balance rows (creating missing ones) in key order, which also
   * locks them, and returns the new totals; then locks the chain head. One round trip, one new
   * tuple version per touched row, and the lock order stays accounts, balances, chain head. A row
   * whose debits or credits would leave bigint is locked but not updated (the WHERE; MAX - delta
   * cannot overflow as deltas are never negative) and so missing from RETURNING: the batch is then
   * rejected with OVERFLOW instead of the database raising 22003.
   */
  private static final String APPLY_BALANCES_AND_LOCK_HEAD = """
      INSERT INTO balances AS b (account, currency, debits, credits)
      SELECT a, c, d, k FROM unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::bigint[])
        AS t(a, c, d, k) ORDER BY a, c
      ON CONFLICT (account, currency) DO UPDATE SET debits = b.debits + excluded.debits,
        credits = b.credits + excluded.credits
        WHERE b.debits <= 9223372036854775807 - excluded.debits
          AND b.credits <= 9223372036854775807 - excluded.credits
      RETURNING account, currency, debits, credits;
      SELECT last_sequence, last_hash,
        greatest(clock_timestamp(), last_recorded_at + interval '1 microsecond')
      FROM chain_head WHERE id = 1 FOR UPDATE""";
  /** Totals of balance rows this transaction already locked (those the guard did not update). */
  private static final String READ_BALANCES = """
      SELECT b.account, b.currency, b.debits, b.credits
      FROM balances b JOIN unnest(?::varchar[], ?::varchar[]) AS t(a, c)
        ON b.account = t.a AND b.currency = t.c""";
  private static final String UPSERT_DAYS = """
      INSERT INTO balance_days AS b (account, currency, day, debits, credits, min_recorded_at,
        max_recorded_at)
      SELECT a, c, d::timestamptz, dd, cc, ?::timestamptz, ?::timestamptz
      FROM unnest(?::varchar[], ?::varchar[], ?::text[], ?::bigint[], ?::bigint[])
        AS t(a, c, d, dd, cc) ORDER BY a, c, d
      ON CONFLICT (account, currency, day) DO UPDATE SET debits = b.debits + excluded.debits,
        credits = b.credits + excluded.credits,
        min_recorded_at = least(b.min_recorded_at, excluded.min_recorded_at),
        max_recorded_at = greatest(b.max_recorded_at, excluded.max_recorded_at)""";
  /** The writes under the chain head lock, sent in one round trip (errors stop the rest). */
  private static final String WRITE = String.join(";\n", INSERT_ENTRIES, INSERT_POSTINGS,
      UPSERT_DAYS, UPDATE_HEAD);
  private static final String WRITE_AND_COMMIT = WRITE + ";\nCOMMIT";

  record Key(String account, String currency) implements Comparable<Key> {
    @Override
    public int compareTo(Key other) {
      int byAccount = account.compareTo(other.account);
      return byAccount != 0 ? byAccount : currency.compareTo(other.currency);
    }
  }

  private record DayKey(String account, String currency, Instant day) implements Comparable<DayKey> {
    @Override
    public int compareTo(DayKey other) {
      int byKey = new Key(account, currency).compareTo(new Key(other.account, other.currency));
      return byKey != 0 ? byKey : day.compareTo(other.day);
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
   * Checks the batch and, unless rejected, writes it; with {@code commit} the writes and COMMIT
   * go in one round trip (a failing deferred check then surfaces from that call), otherwise the
   * caller rolls back.
   */
  Outcome attempt(Connection c, List<Prepared> batch, boolean commit) throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    Map<String, byte[]> existing = existingHashes(c, pg, batch);

    // Accounts and balance keys of every entry that may be created (stored ones add nothing).
    TreeSet<String> codes = new TreeSet<>();
    TreeSet<Key> keys = new TreeSet<>();
    Set<String> targets = new TreeSet<>();
    for (Prepared p : batch) {
      if (existing.containsKey(p.entry().id())) {
        continue;
      }
      for (int i = 0; i < p.accounts().length; i++) {
        codes.add(p.accounts()[i]);
        keys.add(new Key(p.accounts()[i], p.currencies()[i]));
      }
      if (p.entry().reversalOf() != null) {
        targets.add(p.entry().reversalOf());
      }
    }
    List<String> newAccounts = createMissingAccounts(c, pg, codes);
    Map<String, Entry> storedTargets = targets.isEmpty() ? Map.of() : EntryReader.byIds(c, pg, targets);
    Map<String, String> storedReversedBy = reversedBy(c, pg, targets);

    // First pass without balances (as if no overflow or overdraft happened). When it rejects an
    // entry, the batch is rejected whatever the balances are (the first difference with an exact
    // pass would be an OVERFLOW or OVERDRAFT), so read the locked balances and make the exact pass
    // for the exact results.
    Checked checked = checkAll(batch, existing, storedTargets, storedReversedBy, null);
    if (checked.rejected()) {
      Map<Key, long[]> totals = lockBalances(c, pg, keys);
      checked = checkAll(batch, existing, storedTargets, storedReversedBy, totals);
      if (checked.rejected()) {
        return rejected(checked);
      }
    }
    if (checked.staged().isEmpty()) {
      return new Outcome(new BatchResult(checked.results()), false, List.of());
    }

    // Apply the deltas of the entries to create (which locks their balance rows) and lock the chain
    // head. The totals before this batch are the new totals minus the deltas; the exact pass with
    // them decides, and a rejection rolls the deltas back with the transaction.
    List<Prepared> staged = checked.staged();
    TreeMap<Key, long[]> deltas = new TreeMap<>();
    boolean deltaOverflows = false;
    for (Prepared p : staged) {
      for (int i = 0; i < p.accounts().length; i++) {
        long[] delta = deltas.computeIfAbsent(new Key(p.accounts()[i], p.currencies()[i]),
            x -> new long[2]);
        long amount = p.amounts()[i];
        int side = amount > 0 ? 0 : 1;
        if (Amounts.sumFits(delta[side], Math.abs(amount))) {
          delta[side] += Math.abs(amount);
        } else {
          deltaOverflows = true; // the batch alone overflows: the exact pass names the entry
        }
      }
    }
    if (deltaOverflows) {
      Checked exact = checkAll(batch, existing, storedTargets, storedReversedBy,
          lockBalances(c, pg, keys));
      if (!exact.rejected()) {
        throw new IllegalStateException("A batch whose deltas overflow passed the exact checks");
      }
      return rejected(exact);
    }
    Head head = applyBalancesAndLockHead(c, pg, deltas);
    Checked exact = checkAll(batch, existing, storedTargets, storedReversedBy, head.totalsBefore());
    if (exact.rejected()) {
      return rejected(exact); // the rollback also undoes the deltas applied above
    }
    if (head.guarded()) {
      throw new IllegalStateException("A balance row refused its delta but the exact checks passed");
    }
    if (!sameEntries(exact.staged(), staged)) {
      throw new IllegalStateException("The checks of a batch differ between passes without overdraft");
    }
    write(c, pg, staged, head, commit);
    return new Outcome(new BatchResult(exact.results()), true, newAccounts);
  }

  /** Results of the sequential checks; staged are the entries to create, in batch order. */
  private record Checked(List<PostResult> results, List<Prepared> staged, boolean rejected) {}

  /**
   * The chain head locked for this batch and the balance totals ({debits, credits}) before it;
   * guarded when a row refused its delta because a total would have left bigint.
   */
  private record Head(long sequence, byte[] hash, OffsetDateTime recordedAt,
      Map<Key, long[]> totalsBefore, boolean guarded) {}

  private static Outcome rejected(Checked checked) {
    List<PostResult> results = new ArrayList<>(checked.results());
    results.replaceAll(r -> r.status() == PostStatus.CREATED
        ? new PostResult(r.entryId(), PostStatus.REJECTED_WITH_BATCH,
            "Not written: another entry of the batch was rejected")
        : r);
    return new Outcome(new BatchResult(results), false, List.of());
  }

  private static boolean sameEntries(List<Prepared> a, List<Prepared> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Sequential checks, exactly as the reference ledger makes them; totals are {debits, credits} per
   * key, null skips the balance checks (overflow, overdraft).
   */
  private Checked checkAll(List<Prepared> batch, Map<String, byte[]> existing,
      Map<String, Entry> storedTargets, Map<String, String> storedReversedBy, Map<Key, long[]> totals) {
    List<PostResult> results = new ArrayList<>(batch.size());
    Map<String, Prepared> staged = new LinkedHashMap<>();
    Map<String, String> stagedReversals = new HashMap<>();
    Map<Key, long[]> working = new HashMap<>();
    boolean rejected = false;
    for (Prepared p : batch) {
      PostResult result = check(p, existing, staged, stagedReversals, storedTargets, storedReversedBy,
          totals, working);
      if (result.status() == PostStatus.CREATED) {
        staged.put(p.entry().id(), p);
        if (p.entry().reversalOf() != null) {
          stagedReversals.put(p.entry().reversalOf(), p.entry().id());
        }
      }
      rejected |= !result.accepted();
      results.add(result);
    }
    return new Checked(results, new ArrayList<>(staged.values()), rejected);
  }

  private static Head applyBalancesAndLockHead(Connection c, PGConnection pg, TreeMap<Key, long[]> deltas)
      throws SQLException {
    int n = deltas.size();
    String[] accountCodes = new String[n];
    String[] currencies = new String[n];
    Long[] debits = new Long[n];
    Long[] credits = new Long[n];
    int i = 0;
    for (Map.Entry<Key, long[]> item : deltas.entrySet()) {
      accountCodes[i] = item.getKey().account();
      currencies[i] = item.getKey().currency();
      debits[i] = item.getValue()[0];
      credits[i] = item.getValue()[1];
      i++;
    }
    Map<Key, long[]> before = new HashMap<>(n * 2);
    try (PreparedStatement s = c.prepareStatement(APPLY_BALANCES_AND_LOCK_HEAD)) {
      s.setArray(1, pg.createArrayOf("varchar", accountCodes));
      s.setArray(2, pg.createArrayOf("varchar", currencies));
      s.setArray(3, pg.createArrayOf("bigint", debits));
      s.setArray(4, pg.createArrayOf("bigint", credits));
      if (!s.execute()) {
        throw new SQLException("Applying balances returned no rows", "LD003");
      }
      try (ResultSet rs = s.getResultSet()) {
        while (rs.next()) {
          Key key = new Key(rs.getString(1), rs.getString(2));
          long[] delta = deltas.get(key);
          before.put(key, new long[] {rs.getLong(3) - delta[0], rs.getLong(4) - delta[1]});
        }
      }
      if (!s.getMoreResults()) {
        throw new SQLException("chain_head was not read", "LD003");
      }
      Head head;
      try (ResultSet rs = s.getResultSet()) {
        if (!rs.next()) {
          throw new SQLException("chain_head row is missing", "LD003");
        }
        head = new Head(rs.getLong(1), rs.getBytes(2), rs.getObject(3, OffsetDateTime.class), before,
            before.size() < n);
      }
      if (head.guarded()) {
        readRefused(c, pg, deltas, before);
      }
      return head;
    }
  }

  /** Adds to {@code before} the current totals of the rows the guard left unchanged (still locked). */
  private static void readRefused(Connection c, PGConnection pg, TreeMap<Key, long[]> deltas,
      Map<Key, long[]> before) throws SQLException {
    List<Key> refused = deltas.keySet().stream().filter(key -> !before.containsKey(key)).toList();
    try (PreparedStatement s = c.prepareStatement(READ_BALANCES)) {
      s.setArray(1, pg.createArrayOf("varchar", refused.stream().map(Key::account).toArray()));
      s.setArray(2, pg.createArrayOf("varchar", refused.stream().map(Key::currency).toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          before.put(new Key(rs.getString(1), rs.getString(2)),
              new long[] {rs.getLong(3), rs.getLong(4)});
        }
      }
    }
  }

  private static Map<String, byte[]> existingHashes(Connection c, PGConnection pg, List<Prepared> batch)
      throws SQLException {
    String[] ids = batch.stream().map(p -> p.entry().id()).distinct().toArray(String[]::new);
    Map<String, byte[]> hashes = new HashMap<>();
    try (PreparedStatement s = c.prepareStatement(
        "SELECT id, content_hash FROM entries WHERE id = ANY(?::varchar[])")) {
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
   * Inserts accounts first seen here (without no_overdraft) before reading flags, so an account
   * created concurrently either is seen with its flag or waits for this batch and finds it existing.
   */
  private List<String> createMissingAccounts(Connection c, PGConnection pg, TreeSet<String> codes)
      throws SQLException {
    List<String> unknown = codes.stream().filter(code -> accounts.get(code) == null).toList();
    if (unknown.isEmpty()) {
      return List.of();
    }
    String[] types = unknown.stream().map(code -> AccountCode.parse(code).type().segment())
        .toArray(String[]::new);
    List<String> inserted = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement("""
        INSERT INTO accounts (code, type, no_overdraft)
        SELECT code, type, false FROM unnest(?::varchar[], ?::varchar[]) AS t(code, type)
        ORDER BY code ON CONFLICT (code) DO NOTHING RETURNING code""")) {
      s.setArray(1, pg.createArrayOf("varchar", unknown.toArray(String[]::new)));
      s.setArray(2, pg.createArrayOf("varchar", types));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          inserted.add(rs.getString(1));
        }
      }
    }
    if (inserted.size() < unknown.size()) {
      try (PreparedStatement s = c.prepareStatement(
          "SELECT code, no_overdraft FROM accounts WHERE code = ANY(?::varchar[])")) {
        s.setArray(1, pg.createArrayOf("varchar", unknown.toArray(String[]::new)));
        try (ResultSet rs = s.executeQuery()) {
          Set<String> ours = new TreeSet<>(inserted);
          while (rs.next()) {
            if (!ours.contains(rs.getString(1))) {
              accounts.put(rs.getString(1), rs.getBoolean(2)); // committed by someone else
            }
          }
        }
      }
    }
    return inserted;
  }

  private static Map<Key, long[]> lockBalances(Connection c, PGConnection pg, TreeSet<Key> keys)
      throws SQLException {
    Map<Key, long[]> totals = new HashMap<>();
    if (keys.isEmpty()) {
      return totals;
    }
    try (PreparedStatement s = c.prepareStatement(LOCK_BALANCES)) {
      s.setArray(1, pg.createArrayOf("varchar", keys.stream().map(Key::account).toArray(String[]::new)));
      s.setArray(2, pg.createArrayOf("varchar", keys.stream().map(Key::currency).toArray(String[]::new)));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          totals.put(new Key(rs.getString(1), rs.getString(2)),
              new long[] {rs.getLong(3), rs.getLong(4)});
        }
      }
    }
    return totals;
  }

  private static Map<String, String> reversedBy(Connection c, PGConnection pg, Set<String> targets)
      throws SQLException {
    Map<String, String> by = new HashMap<>();
    if (targets.isEmpty()) {
      return by;
    }
    try (PreparedStatement s = c.prepareStatement(
        "SELECT reversal_of, id FROM entries WHERE reversal_of = ANY(?::varchar[])")) {
      s.setArray(1, pg.createArrayOf("varchar", targets.toArray(String[]::new)));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          by.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return by;
  }

  private PostResult check(Prepared p, Map<String, byte[]> existing, Map<String, Prepared> staged,
      Map<String, String> stagedReversals, Map<String, Entry> storedTargets,
      Map<String, String> storedReversedBy, Map<Key, long[]> totals, Map<Key, long[]> working) {
    Entry entry = p.entry();
    String id = entry.id();
    byte[] storedHash = existing.get(id);
    Prepared stagedSame = staged.get(id);
    if (storedHash != null || stagedSame != null) {
      byte[] hash = storedHash != null ? storedHash : stagedSame.contentHash();
      return Arrays.equals(hash, p.contentHash())
          ? new PostResult(id, PostStatus.EXISTS, "Entry " + id + " already exists")
          : new PostResult(id, PostStatus.EXISTS_WITH_DIFFERENT_CONTENT,
              "Entry " + id + " already exists with different content");
    }
    if (entry.reversalOf() != null) {
      String target = entry.reversalOf();
      Entry targetEntry = storedTargets.get(target);
      if (targetEntry == null && staged.containsKey(target)) {
        targetEntry = staged.get(target).entry();
      }
      if (targetEntry == null) {
        return new PostResult(id, PostStatus.REVERSAL_TARGET_NOT_FOUND,
            "Entry " + id + " reverses " + target + ", which does not exist");
      }
      String by = storedReversedBy.getOrDefault(target, stagedReversals.get(target));
      if (by != null) {
        return new PostResult(id, PostStatus.ALREADY_REVERSED,
            "Entry " + target + " is already reversed by " + by);
      }
      if (!entry.isReversalOf(targetEntry)) {
        return new PostResult(id, PostStatus.REVERSAL_MISMATCH,
            "Entry " + id + " does not flip every posting of " + target);
      }
    }
    if (totals == null) {
      return PostResult.of(id, PostStatus.CREATED); // the pass that ignores balances
    }
    // Every posting's side total must stay within bigint (OVERFLOW, checked first, in posting
    // order as ReferenceLedger does); then no_overdraft accounts must not go below zero.
    Map<Key, long[]> after = new TreeMap<>();
    for (int i = 0; i < p.accounts().length; i++) {
      Key key = new Key(p.accounts()[i], p.currencies()[i]);
      long[] total = after.get(key);
      if (total == null) {
        total = current(key, totals, working).clone();
        after.put(key, total);
      }
      long amount = p.amounts()[i];
      int side = amount > 0 ? 0 : 1;
      if (!Amounts.sumFits(total[side], Math.abs(amount))) {
        Posting posting = entry.postings().get(i);
        return PostResult.overflow(id, posting.account(), posting.side(), posting.currency());
      }
      total[side] += Math.abs(amount);
    }
    for (Map.Entry<Key, long[]> item : after.entrySet()) {
      Boolean noOverdraft = accounts.get(item.getKey().account());
      if (noOverdraft == null || !noOverdraft) {
        continue;
      }
      AccountCode code = AccountCode.parse(item.getKey().account());
      boolean debitNormal = code.normalSide() == Side.DEBIT;
      long net = item.getValue()[0] - item.getValue()[1]; // both within 0..MAX: fits
      long normal = debitNormal ? net : -net;
      if (normal < 0) {
        CurrencyUnit currency = Rows.currency(item.getKey().currency());
        long[] now = current(item.getKey(), totals, working);
        long currentNormal = debitNormal ? now[0] - now[1] : now[1] - now[0];
        return new PostResult(id, PostStatus.OVERDRAFT,
            "Entry " + id + " would overdraw " + code + " in " + currency.getCurrencyCode()
                + ": balance " + Amounts.formatMinor(currentNormal, currency) + " would become "
                + Amounts.formatMinor(normal, currency));
      }
    }
    working.putAll(after);
    return PostResult.of(id, PostStatus.CREATED);
  }

  private static final long[] ZERO_TOTALS = new long[2];

  /** {debits, credits} of a key so far in this batch; callers must not change the array. */
  private static long[] current(Key key, Map<Key, long[]> totals, Map<Key, long[]> working) {
    long[] staged = working.get(key);
    return staged != null ? staged : totals.getOrDefault(key, ZERO_TOTALS);
  }

  private static String[] hex(byte[][] values) {
    java.util.HexFormat format = java.util.HexFormat.of();
    String[] text = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      text[i] = format.formatHex(values[i]);
    }
    return text;
  }

  /** Inserts entries and postings, adds the daily checkpoints and moves the chain head: one round trip. */
  private static void write(Connection c, PGConnection pg, List<Prepared> entries, Head head,
      boolean commit) throws SQLException {
    long sequence = head.sequence();
    byte[] previous = head.hash();
    OffsetDateTime recordedAt = head.recordedAt();
    Instant recorded = recordedAt.toInstant();
    String recordedText = recorded.toString();

    int n = entries.size();
    Long[] sequences = new Long[n];
    String[] ids = new String[n];
    String[] effective = new String[n];
    String[] descriptions = new String[n];
    String[] metadata = new String[n];
    String[] reversals = new String[n];
    Integer[] counts = new Integer[n];
    byte[][] contentHashes = new byte[n][];
    byte[][] prevHashes = new byte[n][];
    byte[][] hashes = new byte[n][];
    int postingCount = entries.stream().mapToInt(p -> p.entry().postings().size()).sum();
    Long[] pSequences = new Long[postingCount];
    Integer[] pIndexes = new Integer[postingCount];
    String[] pAccounts = new String[postingCount];
    String[] pCurrencies = new String[postingCount];
    Long[] pAmounts = new Long[postingCount];
    String[] pEffective = new String[postingCount];
    Map<DayKey, long[]> days = new TreeMap<>();
    int k = 0;
    for (int i = 0; i < n; i++) {
      Prepared prepared = entries.get(i);
      Entry entry = prepared.entry();
      sequence++;
      sequences[i] = sequence;
      ids[i] = entry.id();
      effective[i] = prepared.effectiveAt();
      descriptions[i] = entry.description();
      metadata[i] = prepared.metadata();
      reversals[i] = entry.reversalOf();
      counts[i] = entry.postings().size();
      contentHashes[i] = entries.get(i).contentHash();
      prevHashes[i] = previous;
      hashes[i] = Rows.chainHash(previous, sequence, recorded, contentHashes[i]);
      previous = hashes[i];
      Instant day = Rows.day(entry.effectiveAt());
      for (int index = 0; index < prepared.accounts().length; index++) {
        String account = prepared.accounts()[index];
        String currency = prepared.currencies()[index];
        long amount = prepared.amounts()[index];
        pSequences[k] = sequence;
        pIndexes[k] = index;
        pAccounts[k] = account;
        pCurrencies[k] = currency;
        pAmounts[k] = amount;
        pEffective[k] = effective[i];
        k++;
        long[] dayDelta = days.computeIfAbsent(new DayKey(account, currency, day), x -> new long[2]);
        int side = amount > 0 ? 0 : 1;
        // Exact: a day's delta is part of a balance delta that was range-checked above.
        dayDelta[side] = Math.addExact(dayDelta[side], Math.abs(amount));
      }
    }

    try (PreparedStatement s = c.prepareStatement(commit ? WRITE_AND_COMMIT : WRITE)) {
      s.setString(1, recordedText);
      s.setArray(2, pg.createArrayOf("bigint", sequences));
      s.setArray(3, pg.createArrayOf("varchar", ids));
      s.setArray(4, pg.createArrayOf("text", effective));
      s.setArray(5, pg.createArrayOf("varchar", descriptions));
      s.setArray(6, pg.createArrayOf("text", metadata));
      s.setArray(7, pg.createArrayOf("varchar", reversals));
      s.setArray(8, pg.createArrayOf("int", counts));
      s.setArray(9, pg.createArrayOf("text", hex(contentHashes)));
      s.setArray(10, pg.createArrayOf("text", hex(prevHashes)));
      s.setArray(11, pg.createArrayOf("text", hex(hashes)));
      s.setString(12, recordedText);
      s.setArray(13, pg.createArrayOf("bigint", pSequences));
      s.setArray(14, pg.createArrayOf("int", pIndexes));
      s.setArray(15, pg.createArrayOf("varchar", pAccounts));
      s.setArray(16, pg.createArrayOf("varchar", pCurrencies));
      s.setArray(17, pg.createArrayOf("bigint", pAmounts));
      s.setArray(18, pg.createArrayOf("text", pEffective));
      s.setString(19, recordedText);
      s.setString(20, recordedText);
      s.setArray(21, pg.createArrayOf("varchar", days.keySet().stream().map(DayKey::account).toArray()));
      s.setArray(22, pg.createArrayOf("varchar", days.keySet().stream().map(DayKey::currency).toArray()));
      s.setArray(23, pg.createArrayOf("text", days.keySet().stream().map(d -> d.day().toString()).toArray()));
      s.setArray(24, pg.createArrayOf("bigint", days.values().stream().map(d -> d[0]).toArray()));
      s.setArray(25, pg.createArrayOf("bigint", days.values().stream().map(d -> d[1]).toArray()));
      s.setLong(26, sequence);
      s.setBytes(27, previous);
      s.setString(28, recordedText);
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
}
