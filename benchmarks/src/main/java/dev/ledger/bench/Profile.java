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
 * (add -XX:StartFlightRecording=filename=post.jfr for the JVM side).
 */
public final class Profile {
  /**
   * Proposed replacement for V2's ledger_check_postings(): the same checks, but entries and postings
   * are only reached through scalar subqueries (index lookups per entry of the statement). The V2
   * body lets the planner hash-join all of entries, and PL/pgSQL keeps that plan for the session.
   */
  static final String PROPOSED_CHECK_POSTINGS = """
      CREATE OR REPLACE FUNCTION ledger_check_postings() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        bad record;
      BEGIN
        SELECT t.entry_sequence, t.reason INTO bad FROM (
          SELECT n.entry_sequence, 'unbalanced in ' || n.currency AS reason
            FROM new_rows n GROUP BY n.entry_sequence, n.currency HAVING sum(n.amount) <> 0
          UNION ALL
          SELECT c.entry_sequence, 'posting count differs from the entry, or the entry is missing'
            FROM (SELECT entry_sequence, count(*) AS n FROM new_rows GROUP BY entry_sequence) c
            WHERE (SELECT e.posting_count FROM entries e WHERE e.sequence = c.entry_sequence) IS DISTINCT FROM c.n
               OR (SELECT count(*) FROM postings p WHERE p.entry_sequence = c.entry_sequence) <> c.n
        ) t LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'entry with sequence % is rejected: %', bad.entry_sequence, bad.reason
            USING ERRCODE = 'LD002';
        END IF;
        RETURN NULL;
      END
      $$""";

  private Profile() {}

  public static void main(String[] args) throws Exception {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 20;
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
        if (Boolean.getBoolean("fix.trigger")) {
          s.execute(PROPOSED_CHECK_POSTINGS);
          System.out.println("applied the proposed ledger_check_postings() to this scratch database");
        }
        AccountCode[] accounts = Journal.accounts("assets:bench:a", 10_000);
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 10; i++) {
          PostingBench.check(db.ledger().postAll(Journal.batch("warm-", i * 1000L, 1000, random, accounts)));
        }
        s.execute("SELECT pg_stat_statements_reset()");
        long t0 = System.nanoTime();
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
          round(mean_exec_time::numeric, 3), toplevel, regexp_replace(left(query, 110), '\\s+', ' ', 'g')
        FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 14""")) {
      System.out.println("  calls | exec ms | plan ms | mean ms | top | query");
      while (rs.next()) {
        System.out.printf("  %d | %s | %s | %s | %s | %s%n", rs.getLong(1), rs.getString(2), rs.getString(3),
            rs.getString(4), rs.getBoolean(5), rs.getString(6));
      }
    }
  }
}
