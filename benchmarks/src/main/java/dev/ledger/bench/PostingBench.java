package dev.ledger.bench;

import dev.ledger.account.Account;
import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.db.PostgresLedger;
import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.Posting;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/** Workloads 1-3: bulk posting vs COPY, single-entry latency vs a bare INSERT, a hot account. */
final class PostingBench {
  private static final int ACCOUNTS = 10_000;
  private static final int BATCH = 1_000;

  private final BenchDatabase db;
  private final PostgresLedger ledger;
  private final Results results;
  private static final String PEER_HOT = "peer:hot";
  private final AccountCode[] accounts = Journal.accounts("assets:bench:a", ACCOUNTS);
  private String[] peerAccounts;

  PostingBench(BenchDatabase db, Results results) {
    this.db = db;
    this.ledger = db.ledger();
    this.results = results;
  }

  void bulk(int warmupEntries, int entries) throws Exception {
    System.out.println("[1] bulk posting: " + entries + " entries in batches of " + BATCH);
    SplittableRandom random = new SplittableRandom(1);
    // Warm-up creates most of the 10,000 accounts and warms the JIT; not measured.
    for (int i = 0; i < warmupEntries; i += BATCH) {
      check(ledger.postAll(Journal.batch("warm-", i, BATCH, random, accounts)));
    }
    List<List<Entry>> batches = new ArrayList<>();
    for (int i = 0; i < entries; i += BATCH) {
      batches.add(Journal.batch("bulk-", i, BATCH, random, accounts));
    }
    long postings = batches.stream().flatMap(List::stream).mapToLong(e -> e.postings().size()).sum();
    long t0 = System.nanoTime();
    for (List<Entry> batch : batches) {
      check(ledger.postAll(batch));
    }
    double ledgerSeconds = (System.nanoTime() - t0) / 1e9;

    List<CopyBatch> rows = new ArrayList<>();
    for (List<Entry> batch : batches) {
      rows.add(copyRows(batch, rows.size() * (long) BATCH));
    }
    double copySeconds;
    try (Connection c = db.raw(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + BenchDatabase.BASELINE_SCHEMA + ".copy_entries (sequence bigint, id varchar(128),"
          + " effective_at timestamptz, recorded_at timestamptz, description varchar(1000), metadata jsonb,"
          + " reversal_of varchar(128), posting_count integer, content_hash bytea, prev_hash bytea, hash bytea)");
      s.execute("CREATE TABLE " + BenchDatabase.BASELINE_SCHEMA + ".copy_postings (entry_sequence bigint,"
          + " posting_index integer, account varchar(200), currency varchar(3), amount bigint,"
          + " effective_at timestamptz, recorded_at timestamptz)");
      c.setAutoCommit(false);
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      long c0 = System.nanoTime();
      for (CopyBatch batch : rows) {
        copy.copyIn("COPY " + BenchDatabase.BASELINE_SCHEMA + ".copy_entries FROM STDIN", new ByteArrayInputStream(batch.bareEntries()));
        copy.copyIn("COPY " + BenchDatabase.BASELINE_SCHEMA + ".copy_postings FROM STDIN", new ByteArrayInputStream(batch.postings()));
        c.commit();
      }
      copySeconds = (System.nanoTime() - c0) / 1e9;
    }
    double shapedSeconds = copyIntoLedgerShape(rows);
    // The row-locking peer: the same number of transfers (two postings each), 1,000 per transaction.
    String[] peerAccounts = PeerLedger.names("peer:a", ACCOUNTS);
    try (Connection c = db.raw()) {
      String[] all = java.util.Arrays.copyOf(peerAccounts, ACCOUNTS + 1);
      all[ACCOUNTS] = PEER_HOT;
      PeerLedger.create(c, all, 1_000_000_000_000L);
    }
    double peerSeconds;
    try (PeerLedger peer = new PeerLedger(db.raw())) {
      SplittableRandom peerRandom = new SplittableRandom(3);
      long p0 = System.nanoTime();
      for (int b = 0; b < entries; b += BATCH) {
        String[] ids = new String[BATCH];
        String[] from = new String[BATCH];
        String[] to = new String[BATCH];
        long[] amounts = new long[BATCH];
        for (int i = 0; i < BATCH; i++) {
          ids[i] = "peer-bulk-" + (b + i);
          from[i] = peerAccounts[peerRandom.nextInt(ACCOUNTS)];
          to[i] = peerAccounts[peerRandom.nextInt(ACCOUNTS)];
          amounts[i] = 1 + peerRandom.nextLong(100_000);
        }
        if (!peer.batch(ids, from, to, amounts)) {
          throw new IllegalStateException("peer batch overdrew");
        }
      }
      peerSeconds = (System.nanoTime() - p0) / 1e9;
    }
    this.peerAccounts = peerAccounts;
    double rate = entries / ledgerSeconds;
    double copyRate = entries / copySeconds;
    results.add(Figure.of("1 bulk posting", "postAll, batches of 1,000, against the peer", rate, "entries/s",
        "row-locking SQL ledger (no chain), 1,000 transfers per transaction", entries / peerSeconds, "(context)",
        null).note("a peer transfer is 2 postings; a bench entry 3 or 4"));
    results.add(Figure.of("1 bulk posting", "postAll, batches of 1,000", rate, "entries/s",
        "COPY of the same rows, bare tables, commit per 1,000", copyRate, ">= 20,000/s and ratio >= 0.3",
        rate >= 20_000 && rate / copyRate >= 0.3)
        .note(String.format("%.1f postings/entry, %,d accounts", postings / (double) entries, ACCOUNTS)));
    results.add(Figure.of("1 bulk posting", "postAll, batches of 1,000, against COPY into the ledger's shape", rate,
        "entries/s", "COPY of the same rows into copies of entries, postings and chain (their indexes, constraints"
        + " and triggers), commit per 1,000", entries / shapedSeconds, "(context)", null)
        .note("the floor of the ledger's own tables: what any writer of this schema pays before its own logic"));
  }

  /**
   * COPY of the same rows into tables shaped as the ledger's: copies of entries, postings and chain
   * with every index, constraint and trigger of the real ones (the triggers run the ledger's own
   * functions), and the chain rows the seal would write. No ledger logic runs. The copies live in
   * the baseline schema under the real names, first on this connection's search_path, so the
   * triggers' unqualified lookups of entries find the copy; ledger.post_checked is on, as in
   * ledger_post, which checks per batch what entries_have_postings would check per row.
   */
  private double copyIntoLedgerShape(List<CopyBatch> rows) throws Exception {
    String schema = BenchDatabase.BASELINE_SCHEMA;
    try (Connection c = db.raw(); Statement s = c.createStatement()) {
      List<String> triggers = new ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t"
          + " JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = 'public'::regnamespace"
          + " AND c.relname IN ('entries', 'postings', 'chain') AND NOT t.tgisinternal")) {
        while (rs.next()) {
          triggers.add(rs.getString(2).replace(" ON public." + rs.getString(1) + " ", " ON " + schema + "." + rs.getString(1) + " "));
        }
      }
      for (String table : List.of("entries", "postings", "chain")) {
        s.execute("CREATE TABLE " + schema + "." + table + " (LIKE public." + table + " INCLUDING ALL)");
      }
      for (String trigger : triggers) {
        s.execute(trigger);
      }
      s.execute("SET search_path = " + schema + ", public");
      s.execute("SET ledger.post_checked = on");
      c.setAutoCommit(false);
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      long c0 = System.nanoTime();
      for (CopyBatch batch : rows) {
        copy.copyIn("COPY " + schema + ".entries FROM STDIN", new ByteArrayInputStream(batch.entries()));
        copy.copyIn("COPY " + schema + ".postings FROM STDIN", new ByteArrayInputStream(batch.postings()));
        copy.copyIn("COPY " + schema + ".chain FROM STDIN", new ByteArrayInputStream(batch.chain()));
        c.commit();
      }
      double seconds = (System.nanoTime() - c0) / 1e9;
      // The baseline paid the real checks: the copy refuses postings whose entry it does not hold.
      try {
        s.execute("INSERT INTO " + schema + ".postings SELECT entry_sequence + 1000000000000, posting_index, account,"
            + " currency, amount, effective_at, recorded_at FROM " + schema + ".postings WHERE entry_sequence = 1");
        throw new IllegalStateException("COPY into the ledger's shape: the balanced trigger did not run");
      } catch (SQLException e) {
        if (!"LD002".equals(e.getSQLState())) {
          throw e;
        }
        c.rollback();
      }
      return seconds;
    }
  }

  /**
   * The COPY text of one batch: entries with their hashes inline and postings for the bare tables;
   * entries and chain rows (what a seal writes) for the ledger-shaped copies.
   */
  private record CopyBatch(byte[] bareEntries, byte[] postings, byte[] entries, byte[] chain) {}

  private static CopyBatch copyRows(List<Entry> batch, long firstSequence) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    HexFormat hex = HexFormat.of();
    String recorded = Instant.now().toString();
    StringBuilder bareEntries = new StringBuilder(batch.size() * 400);
    StringBuilder entries = new StringBuilder(batch.size() * 300);
    StringBuilder postings = new StringBuilder(batch.size() * 400);
    StringBuilder chain = new StringBuilder(batch.size() * 300);
    byte[] previous = new byte[32];
    long sequence = firstSequence;
    for (Entry e : batch) {
      sequence++;
      byte[] content = sha.digest(e.canonical().getBytes(StandardCharsets.UTF_8));
      sha.update(previous);
      sha.update(("sequence=" + sequence + "\nrecorded_at=" + recorded + "\n").getBytes(StandardCharsets.UTF_8));
      byte[] hash = sha.digest(content);
      String contentHex = "\\\\x" + hex.formatHex(content);
      String previousHex = "\\\\x" + hex.formatHex(previous);
      String hashHex = "\\\\x" + hex.formatHex(hash);
      StringBuilder metadata = new StringBuilder("{");
      e.metadata().forEach((k, v) -> metadata.append(metadata.length() > 1 ? "," : "").append('"').append(k)
          .append("\":\"").append(v).append('"'));
      metadata.append('}');
      String entry = sequence + "\t" + e.id() + "\t" + e.effectiveAt() + "\t" + recorded + "\t" + e.description()
          + "\t" + metadata + "\t\\N\t" + e.postings().size() + "\t" + contentHex;
      entries.append(entry).append('\n');
      bareEntries.append(entry).append('\t').append(previousHex).append('\t').append(hashHex).append('\n');
      chain.append(sequence).append("\tentry\t").append(sequence).append('\t').append(recorded).append('\t')
          .append(contentHex).append('\t').append(previousHex).append('\t').append(hashHex).append('\t')
          .append(recorded).append('\n');
      int index = 0;
      for (Posting p : e.postings()) {
        postings.append(sequence).append('\t').append(index++).append('\t').append(p.account().value()).append('\t')
            .append(p.currency().getCurrencyCode()).append('\t').append(p.signedMinor()).append('\t')
            .append(e.effectiveAt()).append('\t').append(recorded).append('\n');
      }
      previous = hash;
    }
    return new CopyBatch(bytes(bareEntries), bytes(postings), bytes(entries), bytes(chain));
  }

  private static byte[] bytes(StringBuilder text) {
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  void latency(int[] threadCounts, Duration duration) throws Exception {
    System.out.println("[2] single-entry posting latency, " + duration.toSeconds() + " s per thread count");
    try (Connection c = db.raw(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + BenchDatabase.BASELINE_SCHEMA + ".single (thread integer, n bigint, payload text)");
    }
    SplittableRandom seed = new SplittableRandom(2);
    // Single posts until the JIT has compiled their path (and a statistics refresh that the bulk
    // part started is over): the figures are of the steady state, as the peer's are.
    Writers.run(1, Duration.ofSeconds(Integer.getInteger("bench.singleWarmupSeconds", 5)), t -> new Writers.Nothing(),
        (state, t, n) -> ledger.post(Journal.entry("lat-warm-" + n, Journal.BASE, seed, accounts)));
    for (int threads : threadCounts) {
      SplittableRandom[] randoms = new SplittableRandom[threads];
      for (int t = 0; t < threads; t++) {
        randoms[t] = seed.split();
      }
      long[] sharedBefore = ledger.postTransactions();
      Writers.Outcome ours = Writers.run(threads, duration, t -> new Writers.Nothing(), (state, t, n) -> {
        Entry entry = Journal.entry("lat-" + threads + "-" + t + "-" + n, Journal.BASE.plusSeconds(n), randoms[t],
            accounts);
        if (ledger.post(entry).status() != PostStatus.CREATED) {
          throw new IllegalStateException("not created: " + entry.id());
        }
      });
      Writers.Outcome bare = Writers.run(threads, duration, t -> new Insert(db.raw()), (insert, t, n) -> {
        insert.statement.setInt(1, t);
        insert.statement.setLong(2, n);
        insert.statement.setString(3, "payload " + n);
        insert.statement.executeUpdate();
      });
      SplittableRandom[] peerRandoms = new SplittableRandom[threads];
      for (int t = 0; t < threads; t++) {
        peerRandoms[t] = seed.split();
      }
      Writers.Outcome peer = Writers.run(threads, duration, t -> new PeerLedger(db.raw()), (ledgerOfPeer, t, n) -> {
        SplittableRandom r = peerRandoms[t];
        if (!ledgerOfPeer.transfer("peer-" + threads + "-" + t + "-" + n, peerAccounts[r.nextInt(ACCOUNTS)],
            peerAccounts[r.nextInt(ACCOUNTS)], 1 + r.nextLong(100_000))) {
          throw new IllegalStateException("peer transfer overdrew");
        }
      });
      // The peer again, moving each transfer in the shape of this ledger's entries (3 or 4 legs, the
      // same amounts): the like-for-like comparison that the target is judged on.
      SplittableRandom[] legRandoms = new SplittableRandom[threads];
      for (int t = 0; t < threads; t++) {
        legRandoms[t] = seed.split();
      }
      Writers.Outcome peerLegs = Writers.run(threads, duration, t -> new PeerLedger(db.raw()), (ledgerOfPeer, t, n) -> {
        Journal.Legs legs = Journal.legs(legRandoms[t], ACCOUNTS);
        String[] legAccounts = new String[legs.accounts().length];
        for (int i = 0; i < legAccounts.length; i++) {
          legAccounts[i] = peerAccounts[legs.accounts()[i]];
        }
        if (!ledgerOfPeer.legs("peer-legs-" + threads + "-" + t + "-" + n, legAccounts, legs.signedAmounts())) {
          throw new IllegalStateException("peer transfer overdrew");
        }
      });
      long[] sharedAfter = ledger.postTransactions();
      double perTransaction = (sharedAfter[1] - sharedBefore[1]) / (double) Math.max(1, sharedAfter[0] - sharedBefore[0]);
      String w = threads + (threads == 1 ? " writer" : " writers");
      results.add(Figure.of("2 single entry", "post, " + w + ": throughput against the peer", ours.perSecond(),
          "entries/s", "row-locking SQL ledger, one transfer per transaction", peer.perSecond(), "(context)", null)
          .note(String.format("%.2f posts per transaction; a peer transfer is 2 legs, a bench entry 3 or 4",
              perTransaction)));
      double sameLegs = ours.perSecond() / peerLegs.perSecond();
      results.add(Figure.of("2 single entry", "post, " + w + ": throughput against the peer, same legs",
          ours.perSecond(), "entries/s", "row-locking SQL ledger, one transfer of the entry's 3 or 4 legs per"
          + " transaction", peerLegs.perSecond(), threads == 1 ? "(context)" : ">= the peer (issue 11)",
          threads == 1 ? null : sameLegs >= 1));
      results.add(Figure.of("2 single entry", "post, " + w + ": p99 against the peer, same legs",
          ours.latencies().percentileMillis(99), "ms", "row-locking SQL ledger p99, same legs",
          peerLegs.latencies().percentileMillis(99), "(context)", null));
      results.add(Figure.of("2 single entry", "post, " + w + ": p99 against the peer",
          ours.latencies().percentileMillis(99), "ms", "row-locking SQL ledger p99",
          peer.latencies().percentileMillis(99), "(context)", null));
      results.add(Figure.of("2 single entry", "post, " + w + ": throughput", ours.perSecond(), "entries/s",
          "1-row INSERT per transaction", bare.perSecond(), "(context)", null));
      results.add(Figure.of("2 single entry", "post, " + w + ": p50", ours.latencies().percentileMillis(50), "ms",
          "1-row INSERT p50", bare.latencies().percentileMillis(50), "(context)", null));
      double p99 = ours.latencies().percentileMillis(99);
      results.add(Figure.of("2 single entry", "post, " + w + ": p99", p99, "ms", "1-row INSERT p99",
          bare.latencies().percentileMillis(99), threads == 1 ? "p99 <= 5 ms (DESIGN 7)" : "(context)",
          threads == 1 ? p99 <= 5 : null));
    }
  }

  private record Insert(Connection connection, PreparedStatement statement) implements AutoCloseable {
    Insert(Connection connection) throws java.sql.SQLException {
      this(connection, connection.prepareStatement(
          "INSERT INTO " + BenchDatabase.BASELINE_SCHEMA + ".single (thread, n, payload) VALUES (?, ?, ?)"));
    }

    @Override
    public void close() throws java.sql.SQLException {
      connection.close();
    }
  }

  void hotAccount(int writers, Duration duration) throws Exception {
    System.out.println("[3] hot no_overdraft account, " + writers + " writers, " + duration.toSeconds() + " s each");
    AccountCode hot = AccountCode.parse("assets:hot:pool");
    AccountCode capital = AccountCode.parse("equity:bench:capital");
    ledger.createAccount(new Account(hot, true));
    fund(hot, capital, "fund-hot");
    AccountCode[] mine = Journal.accounts("assets:hot:w", writers);
    AccountCode[] freeA = Journal.accounts("assets:free:a", writers);
    AccountCode[] freeB = Journal.accounts("assets:free:b", writers);
    for (int w = 0; w < writers; w++) {
      ledger.createAccount(new Account(freeA[w], true));
      fund(freeA[w], capital, "fund-free-" + w);
    }
    Writers.Outcome contended = Writers.run(writers, duration, t -> new Writers.Nothing(),
        (state, t, n) -> move("hot-" + t + "-" + n, hot, mine[t], n));
    Writers.Outcome disjoint = Writers.run(writers, duration, t -> new Writers.Nothing(),
        (state, t, n) -> move("free-" + t + "-" + n, freeA[t], freeB[t], n));
    Writers.Outcome peerHot = Writers.run(writers, duration, t -> new PeerLedger(db.raw()), (peer, t, n) -> {
      boolean out = n % 2 == 0;
      String other = peerAccounts[t];
      if (!peer.transfer("peer-hot-" + t + "-" + n, out ? PEER_HOT : other, out ? other : PEER_HOT, 100)) {
        throw new IllegalStateException("peer hot transfer overdrew");
      }
    });
    results.add(Figure.of("3 hot account", writers + " writers on one no_overdraft account, against the peer",
        contended.perSecond(), "entries/s", "row-locking SQL ledger, same pattern", peerHot.perSecond(), "(context)",
        null));
    double ratio = contended.perSecond() / disjoint.perSecond();
    results.add(Figure.of("3 hot account", writers + " writers on one no_overdraft account", contended.perSecond(),
        "entries/s", writers + " writers on disjoint accounts", disjoint.perSecond(), "ratio >= 0.5", ratio >= 0.5)
        .note("single-entry posts, alternating out of / into the account"));
    results.add(Figure.of("3 hot account", "p99 on the hot account", contended.latencies().percentileMillis(99), "ms",
        "p99 on disjoint accounts", disjoint.latencies().percentileMillis(99), "(context)", null));
  }

  private void fund(AccountCode account, AccountCode capital, String id) {
    check(ledger.postAll(List.of(Entry.of(id, Journal.BASE, "funding", Map.of(), List.of(
        Journal.posting(account, Side.DEBIT, 1_000_000_000_000L),
        Journal.posting(capital, Side.CREDIT, 1_000_000_000_000L))))));
  }

  /** Alternately out of and back into {@code pool}, so a no_overdraft pool never runs dry. */
  private void move(String id, AccountCode pool, AccountCode other, long n) {
    boolean out = n % 2 == 0;
    Entry entry = Entry.of(id, Journal.BASE.plusSeconds(n), "move", Map.of(), List.of(
        Journal.posting(pool, out ? Side.CREDIT : Side.DEBIT, 100),
        Journal.posting(other, out ? Side.DEBIT : Side.CREDIT, 100)));
    if (ledger.post(entry).status() != PostStatus.CREATED) {
      throw new IllegalStateException("not created: " + id);
    }
  }

  static void check(BatchResult result) {
    if (!result.committed()) {
      throw new IllegalStateException("batch rejected: " + result.rejections());
    }
  }
}
