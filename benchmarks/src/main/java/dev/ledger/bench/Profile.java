package dev.ledger.bench;

import dev.ledger.account.AccountCode;
import dev.ledger.db.LedgerDatabase;
import dev.ledger.db.embedded.EmbeddedDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Where the posting time goes on the server: the embedded PostgreSQL with pg_stat_statements
 * (nested statements too, so trigger bodies show), bulk batches then single entries, top statements
 * by total time. Run: java -cp benchmarks/target/benchmarks.jar dev.ledger.bench.Profile [batches]
 * (add -XX:StartFlightRecording=filename=post.jfr for the JVM side). With {@code stream N}: one
 * postStream of N entries in chunks of 10,000, as {@code ledger post} writes a file. With
 * -Dprofile.disableTriggers=table.trigger,... those triggers are disabled first, to price them.
 */
public final class Profile {
  private Profile() {}

  public static void main(String[] args) throws Exception {
    boolean stream = args.length > 0 && args[0].equals("stream");
    int batches = stream ? 0 : args.length > 0 ? Integer.parseInt(args[0]) : 20;
    int streamEntries = stream && args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    Path home = Files.createTempDirectory("ledger-profile-");
    Map<String, String> settings = new java.util.HashMap<>(Map.of(
        "shared_preload_libraries", "pg_stat_statements", "pg_stat_statements.track", "all"));
    String explainDir = System.getProperty("explain.dir");
    if (explainDir != null) { // plans of slow statements, nested ones (trigger bodies) included
      settings.putAll(Map.of("shared_preload_libraries", "pg_stat_statements,auto_explain",
          "auto_explain.log_min_duration", "3ms", "auto_explain.log_nested_statements", "on",
          "auto_explain.log_analyze", "on", "logging_collector", "on", "log_directory", explainDir,
          "log_destination", "stderr"));
    }
    try (EmbeddedDatabase pg = EmbeddedDatabase.start(home.resolve("db"), Duration.ofSeconds(10), settings)) {
      String url = pg.jdbcUrl("postgres");
      try (LedgerDatabase db = LedgerDatabase.connect(url, "postgres", null);
          Connection raw = DriverManager.getConnection(url, "postgres", null);
          Statement s = raw.createStatement()) {
        s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        AccountCode[] accounts = Journal.accounts("assets:bench:a", 10_000);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 10; i++) {
          PostingBench.check(db.ledger().postAll(Journal.batch("warm-", i * 1000L, 1000, random, accounts)));
        }
        String disabled = System.getProperty("profile.disableTriggers");
        if (disabled != null && !disabled.isBlank()) { // what a trigger costs: the same run without it (never in a real ledger)
          for (String trigger : disabled.split(",")) {
            String[] tableAndName = trigger.split("\\.");
            if (tableAndName.length != 2) {
              throw new IllegalArgumentException("profile.disableTriggers wants table.trigger, but got: " + trigger);
            }
            s.execute("ALTER TABLE " + tableAndName[0] + " DISABLE TRIGGER " + tableAndName[1]);
          }
        }
        s.execute("SELECT pg_stat_statements_reset()");
        long t0 = System.nanoTime();
        if (stream) {
          java.util.List<java.util.List<dev.ledger.journal.Entry>> chunks = new java.util.ArrayList<>();
          for (int i = 0; i < streamEntries; i += 10_000) {
            chunks.add(Journal.batch("stream-", i, Math.min(10_000, streamEntries - i), random, accounts));
          }
          // The stream's balance keys, as `ledger post` collects them while it validates its file:
          // with them the balance rows are staged and written once, without them once per chunk.
          java.util.Set<dev.ledger.journal.PostingRules.Key> keys = new java.util.HashSet<>();
          for (var chunk : chunks) {
            for (var entry : chunk) {
              for (var posting : entry.postings()) {
                keys.add(new dev.ledger.journal.PostingRules.Key(posting.account(), posting.currency()));
              }
            }
          }
          t0 = System.nanoTime();
          var summary = db.ledger().postStream(chunks::iterator, keys, true);
          double seconds = (System.nanoTime() - t0) / 1e9;
          System.out.printf("stream: %,d entries (%,d created) in %.2f s = %,.0f entries/s%n", streamEntries,
              summary.created(), seconds, streamEntries / seconds);
          top(s);
          return;
        }
        for (int i = 0; i < batches; i++) {
          PostingBench.check(db.ledger().postAll(Journal.batch("bulk-", i * 1000L, 1000, random, accounts)));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("bulk: %d batches of 1,000 in %.2f s = %,.0f entries/s%n", batches, seconds,
            batches * 1000 / seconds);
        top(s);
        s.execute("SELECT pg_stat_statements_reset()");
        t0 = System.nanoTime();
        for (int i = 0; i < 300; i++) {
          db.ledger().post(Journal.entry("single-" + i, Journal.BASE, random, accounts));
        }
        seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("single: 300 entries in %.2f s = %.2f ms each%n", seconds, seconds * 1000 / 300);
        top(s);
      }
    } finally {
      try (var paths = Files.walk(home)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static void top(Statement s) throws Exception {
    try (ResultSet rs = s.executeQuery("""
        SELECT calls, round(total_exec_time::numeric, 1), round(total_plan_time::numeric, 1),
          round(mean_exec_time::numeric, 3), toplevel, regexp_replace(left(query, 110), '\\s+', ' ', 'g'),
          shared_blks_hit + shared_blks_read, shared_blks_dirtied, round(wal_bytes / 1048576.0, 1)
        FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 20""")) {
      // Buffers touched and dirtied and WAL written do not depend on the machine's load; times do.
      System.out.println("  calls | exec ms | plan ms | mean ms | top | buffers | dirtied | WAL MB | query");
      while (rs.next()) {
        System.out.printf("  %d | %s | %s | %s | %s | %d | %d | %s | %s%n", rs.getLong(1), rs.getString(2),
            rs.getString(3), rs.getString(4), rs.getBoolean(5), rs.getLong(7), rs.getLong(8), rs.getString(9),
            rs.getString(6));
      }
    }
  }
}
