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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.money.CurrencyUnit;
import org.postgresql.PGConnection;
import org.postgresql.util.PSQLException;

/**
 * Writes one all-or-nothing batch through the database's {@code ledger_post} function, the only
 * write path the application role has (V13). The checks are made here first, exactly as
 * ReferenceLedger makes them, so that each rejection is an enumerated result; the function makes
 * the balance checks again under its row locks (a concurrent writer may have moved a balance since
 * it was read) and refuses a batch that would overdraw or overflow, handing back the locked totals,
 * from which the exact results are computed. The hash chain is not touched: {@link Sealer} extends
 * it after the commit.
 */
final class BatchPoster {

  /** Current totals of balance rows, unlocked: for the results of a batch rejected anyway. */
  private static final String READ_BALANCES = """
      SELECT b.account, b.currency, b.debits, b.credits
      FROM balances b JOIN unnest(?::varchar[], ?::varchar[]) AS t(a, c)
        ON b.account = t.a AND b.currency = t.c""";
  private static final String POST = """
      SELECT ledger_post(?::varchar[], ?::timestamptz[], ?::varchar[], ?::jsonb[], ?::varchar[],
        ?::int[], ?::bytea[], ?::int[], ?::int[], ?::varchar[], ?::varchar[], ?::bigint[])""";
  private static final String POST_AND_COMMIT = POST + ";\nCOMMIT";
  /** SQLSTATE of ledger_post refusing a batch for its balances; DETAIL holds the totals before it. */
  static final String BALANCES_REFUSED = "LD004";
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
    List<String> newAccounts = readFlags(c, pg, codes.stream().filter(code -> accounts.get(code) == null).toList());
    Map<String, Entry> storedTargets = targets.isEmpty() ? Map.of() : EntryReader.byIds(c, pg, targets);
    Map<String, String> storedReversedBy = reversedBy(c, pg, targets);

    // First pass without balances (as if no overflow or overdraft happened). When it rejects an
    // entry, the batch is rejected whatever the balances are (the first difference with an exact
    // pass would be an OVERFLOW or OVERDRAFT), so read the balances and make the exact pass for
    // the exact results.
    Checked checked = checkAll(batch, existing, storedTargets, storedReversedBy, null);
    if (checked.rejected()) {
      checked = checkAll(batch, existing, storedTargets, storedReversedBy, readBalances(c, pg, keys));
      if (checked.rejected()) {
        return rejected(checked);
      }
    }
    if (checked.staged().isEmpty()) {
      return new Outcome(new BatchResult(checked.results()), false, List.of());
    }
    try {
      write(c, pg, checked.staged(), commit);
    } catch (SQLException e) {
      if (!BALANCES_REFUSED.equals(e.getSQLState())) {
        throw e;
      }
      c.rollback();
      Map<Key, long[]> totals = totalsBefore(e);
      readFlags(c, pg, List.copyOf(codes)); // a concurrent creator may have set no_overdraft
      Checked exact = checkAll(batch, existing, storedTargets, storedReversedBy, totals);
      if (!exact.rejected()) {
        throw new IllegalStateException("ledger_post refused a batch for its balances, but the checks"
            + " against the totals it returned pass: " + totals.keySet());
      }
      return rejected(exact);
    }
    return new Outcome(new BatchResult(checked.results()), true, newAccounts);
  }

  /** Results of the sequential checks; staged are the entries to create, in batch order. */
  private record Checked(List<PostResult> results, List<Prepared> staged, boolean rejected) {}

  private static Outcome rejected(Checked checked) {
    List<PostResult> results = new ArrayList<>(checked.results());
    results.replaceAll(r -> r.status() == PostStatus.CREATED
        ? new PostResult(r.entryId(), PostStatus.REJECTED_WITH_BATCH,
            "Not written: another entry of the batch was rejected")
        : r);
    return new Outcome(new BatchResult(results), false, List.of());
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
   * Reads the no_overdraft flags of {@code codes} into the cache and returns the codes that have no
   * account row yet: ledger_post creates those without no_overdraft.
   */
  private List<String> readFlags(Connection c, PGConnection pg, List<String> codes) throws SQLException {
    if (codes.isEmpty()) {
      return List.of();
    }
    Set<String> missing = new TreeSet<>(codes);
    try (PreparedStatement s = c.prepareStatement(
        "SELECT code, no_overdraft FROM accounts WHERE code = ANY(?::varchar[])")) {
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
  private static Map<Key, long[]> totalsBefore(SQLException refusal) {
    String detail = refusal instanceof PSQLException psql && psql.getServerErrorMessage() != null
        ? psql.getServerErrorMessage().getDetail() : null;
    if (detail == null) {
      throw new IllegalStateException("ledger_post refused a batch without its totals", refusal);
    }
    Map<Key, long[]> totals = new HashMap<>();
    Matcher m = TOTAL.matcher(detail);
    while (m.find()) {
      totals.put(new Key(m.group(1), m.group(2)),
          new long[] {Long.parseLong(m.group(3)), Long.parseLong(m.group(4))});
    }
    return totals;
  }

  private static Map<Key, long[]> readBalances(Connection c, PGConnection pg, TreeSet<Key> keys)
      throws SQLException {
    Map<Key, long[]> totals = new HashMap<>();
    if (keys.isEmpty()) {
      return totals;
    }
    try (PreparedStatement s = c.prepareStatement(READ_BALANCES)) {
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
    try (PreparedStatement s = c.prepareStatement(commit ? POST_AND_COMMIT : POST)) {
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
