package dev.ledger.db;

import dev.ledger.account.AccountCode;
import dev.ledger.db.embedded.EmbeddedDatabase;
import dev.ledger.journal.BalanceQuery;
import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import dev.ledger.money.Amounts;
import java.io.StringReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.money.CurrencyUnit;
import org.postgresql.PGConnection;

/**
 * Quick measurement (not a test): bulk posting vs a raw COPY of the same rows into bare tables,
 * single-entry latency, and balance-at-time latency as one account's history grows to 1M postings.
 * Args: [data dir] [history postings, default 1000000].
 */
public final class PostingBenchmarkMain {
  private static final CurrencyUnit CNY = Amounts.currency("CNY");
  private static final Instant T0 = Instant.parse("2022-01-01T00:00:00Z");
  private static final int ACCOUNTS = 10_000;

  private PostingBenchmarkMain() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args.length > 0 ? args[0] : "target/bench-postgres");
    int history = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    try (EmbeddedDatabase server = EmbeddedDatabase.start(home)) {
      String name = "bench_" + System.currentTimeMillis();
      try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres"), "postgres", null);
          Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name);
      }
      String url = server.jdbcUrl(name);
      try (LedgerDatabase database = LedgerDatabase.connect(url, "postgres", null)) {
        PostgresLedger ledger = database.ledger();
        Random random = new Random(42);
        List<List<Entry>> batches = new ArrayList<>();
        for (int b = 0; b < 40; b++) {
          List<Entry> batch = new ArrayList<>();
          for (int i = 0; i < 1000; i++) {
            batch.add(randomEntry("bulk-" + b + "-" + i, random));
          }
          batches.add(batch);
        }
        // Warm up (JIT, plan cache, account creation), then measure.
        for (List<Entry> batch : batches.subList(0, 5)) {
          ledger.postAll(batch);
        }
        long start = System.nanoTime();
        int posted = 0;
        for (List<Entry> batch : batches.subList(5, batches.size())) {
          BatchResult result = ledger.postAll(batch);
          posted += result.results().size();
        }
        double ledgerRate = posted / ((System.nanoTime() - start) / 1e9);
        double copyRate = rawCopy(url, batches.subList(5, batches.size()));
        System.out.printf("bulk posting: %.0f entries/s; raw COPY into bare tables: %.0f entries/s; ratio %.2f%n",
            ledgerRate, copyRate, ledgerRate / copyRate);

        long[] single = new long[2000];
        for (int i = 0; i < single.length; i++) {
          Entry entry = randomEntry("single-" + i, random);
          long t = System.nanoTime();
          ledger.post(entry);
          single[i] = System.nanoTime() - t;
        }
        System.out.printf("single entry: p50 %.2f ms, p99 %.2f ms%n", pct(single, 50), pct(single, 99));

        AccountCode hot = AccountCode.parse("assets:bench:hot");
        int done = 0;
        for (int target : new int[] {10_000, 100_000, history}) {
          if (target > history || target == 0) {
            continue;
          }
          long t = System.nanoTime();
          while (done < target) {
            List<Entry> batch = new ArrayList<>();
            for (int i = 0; i < 1000 && done < target; i++, done++) {
              // Spread over ~3 years, posted out of effective order.
              Instant at = T0.plusSeconds((long) random.nextInt(3 * 365) * 86_400 + random.nextInt(86_400));
              batch.add(Entry.of("hot-" + done, at, "", Map.of(), List.of(
                  Posting.debit(hot.value(), "1.00", "CNY"), Posting.credit("income:bench", "1.00", "CNY"))));
            }
            ledger.postAll(batch);
          }
          double loadRate = target / ((System.nanoTime() - t) / 1e9);
          long[] asOf = new long[1000];
          long[] knownAt = new long[1000];
          Instant known = ledger.entry("hot-" + (target / 2)).orElseThrow().recordedAt();
          for (int i = 0; i < asOf.length; i++) {
            Instant at = T0.plusSeconds(random.nextInt(3 * 365 * 86_400));
            long q = System.nanoTime();
            ledger.balance(BalanceQuery.of(hot).asOf(at));
            asOf[i] = System.nanoTime() - q;
            q = System.nanoTime();
            ledger.balance(BalanceQuery.of(hot).asOf(at).knownAt(known));
            knownAt[i] = System.nanoTime() - q;
          }
          System.out.printf("balance with %d postings on the account: as-of p50 %.2f ms p99 %.2f ms;"
                  + " as-of + known-at p50 %.2f ms p99 %.2f ms (loaded at %.0f entries/s)%n",
              target, pct(asOf, 50), pct(asOf, 99), pct(knownAt, 50), pct(knownAt, 99), loadRate);
        }
        long v = System.nanoTime();
        VerifyReport report = database.verify();
        System.out.printf("verify: %s in %.1f s%n", report.ok() ? "ok " + report.entriesChecked() + " entries"
            : report, (System.nanoTime() - v) / 1e9);
      }
    }
  }

  private static Entry randomEntry(String id, Random random) {
    long amount = 100 + random.nextInt(100_000);
    long fee = 1 + amount / 100;
    String clearing = "assets:acct:" + random.nextInt(ACCOUNTS);
    String merchant = "liabilities:acct:" + random.nextInt(ACCOUNTS);
    List<Posting> postings = new ArrayList<>(List.of(
        Posting.debit(clearing, Amounts.formatMinor(amount, CNY), "CNY"),
        Posting.credit(merchant, Amounts.formatMinor(amount - fee, CNY), "CNY"),
        Posting.credit("income:commission", Amounts.formatMinor(fee, CNY), "CNY")));
    if (random.nextBoolean()) {
      postings.set(2, Posting.credit("income:commission", Amounts.formatMinor(fee - (fee / 2), CNY), "CNY"));
      postings.add(Posting.credit("expenses:acct:" + random.nextInt(ACCOUNTS),
          Amounts.formatMinor(fee / 2, CNY), "CNY"));
      if (fee / 2 == 0) {
        postings.remove(3);
        postings.set(2, Posting.credit("income:commission", Amounts.formatMinor(fee, CNY), "CNY"));
      }
    }
    return Entry.of(id, T0.plusSeconds(random.nextInt(86_400 * 365)), "payment " + id,
        Map.of("provider", "wechatpay", "order_id", id), postings);
  }

  /** The same rows written by COPY into tables with no keys, indexes or triggers. */
  private static double rawCopy(String url, List<List<Entry>> batches) throws Exception {
    try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE bare_entries (sequence bigint, id varchar, effective_at timestamptz,"
          + " recorded_at timestamptz, description varchar, metadata jsonb, reversal_of varchar,"
          + " posting_count int, content_hash bytea, prev_hash bytea, hash bytea)");
      s.execute("CREATE TABLE bare_postings (entry_sequence bigint, posting_index int, account varchar,"
          + " currency varchar, amount bigint, effective_at timestamptz, recorded_at timestamptz)");
      var copy = c.unwrap(PGConnection.class).getCopyAPI();
      String hash = "\\\\x" + "00".repeat(32);
      long sequence = 0;
      int count = 0;
      long start = System.nanoTime();
      for (List<Entry> batch : batches) {
        StringBuilder entries = new StringBuilder();
        StringBuilder postings = new StringBuilder();
        String now = Instant.now().toString();
        for (Entry e : batch) {
          sequence++;
          entries.append(sequence).append('\t').append(e.id()).append('\t').append(e.effectiveAt()).append('\t')
              .append(now).append('\t').append(e.description()).append('\t')
              .append(Rows.metadataJson(e.metadata())).append("\t\\N\t").append(e.postings().size())
              .append('\t').append(hash).append('\t').append(hash).append('\t').append(hash).append('\n');
          int index = 0;
          for (Posting p : e.postings()) {
            postings.append(sequence).append('\t').append(index++).append('\t').append(p.account().value())
                .append("\tCNY\t").append(p.signedMinor()).append('\t').append(e.effectiveAt()).append('\t')
                .append(now).append('\n');
          }
          count++;
        }
        c.setAutoCommit(false);
        copy.copyIn("COPY bare_entries FROM STDIN", new StringReader(entries.toString()));
        copy.copyIn("COPY bare_postings FROM STDIN", new StringReader(postings.toString()));
        c.commit();
        c.setAutoCommit(true);
      }
      return count / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static double pct(long[] nanos, int percentile) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
  }
}
