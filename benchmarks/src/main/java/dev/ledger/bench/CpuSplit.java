package dev.ledger.bench;

import dev.ledger.account.AccountCode;
import dev.ledger.db.LedgerDatabase;
import dev.ledger.journal.PostStatus;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Where the CPU of single-entry posts goes: this JVM's against the local PostgreSQL server's (the
 * sum over its processes in /proc), per post, for N writers; then the same for the row-locking
 * peer moving the same legs. Each side runs twice and the second round is printed (the first warms
 * the JIT). Run against a server on this machine, in a fresh database:
 * java -cp benchmarks.jar dev.ledger.bench.CpuSplit JDBC_URL WRITERS SECONDS
 */
public final class CpuSplit {
  private static final int ACCOUNTS = 10_000;

  private CpuSplit() {}

  @FunctionalInterface
  interface Post {
    void run(int writer, long n, SplittableRandom random) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int writers = Integer.parseInt(args[1]);
    int seconds = Integer.parseInt(args[2]);
    String run = Long.toString(System.currentTimeMillis(), 36);
    try (LedgerDatabase db = LedgerDatabase.connect(url, "postgres", null);
        Connection admin = DriverManager.getConnection(url, "postgres", null)) {
      AccountCode[] accounts = Journal.accounts("assets:bench:a", ACCOUNTS);
      SplittableRandom seed = new SplittableRandom(1);
      for (int i = 0; i < 10; i++) {
        PostingBench.check(db.ledger().postAll(Journal.batch("warm-" + run + "-", i * 1000L, 1000, seed, accounts)));
      }
      measure("ledger", writers, seconds, seed, (w, n, random) -> {
        var entry = Journal.entry("cpu-" + run + "-" + w + "-" + n, Journal.BASE.plusSeconds(n), random, accounts);
        if (db.ledger().post(entry).status() != PostStatus.CREATED) {
          throw new IllegalStateException("not created: " + entry.id());
        }
      });
      try (Statement s = admin.createStatement()) {
        s.execute("CREATE SCHEMA IF NOT EXISTS " + BenchDatabase.BASELINE_SCHEMA);
        s.execute("DROP TABLE IF EXISTS " + BenchDatabase.BASELINE_SCHEMA + ".peer_balances, "
            + BenchDatabase.BASELINE_SCHEMA + ".peer_entries");
      }
      String[] peerAccounts = PeerLedger.names("peer:a", ACCOUNTS);
      PeerLedger.create(admin, peerAccounts, 1_000_000_000_000L);
      PeerLedger[] peers = new PeerLedger[writers];
      try {
        for (int w = 0; w < writers; w++) {
          peers[w] = new PeerLedger(DriverManager.getConnection(url, "postgres", null));
        }
        measure("peer, same legs", writers, seconds, seed, (w, n, random) -> {
          Journal.Legs legs = Journal.legs(random, ACCOUNTS);
          String[] legAccounts = new String[legs.accounts().length];
          for (int i = 0; i < legAccounts.length; i++) {
            legAccounts[i] = peerAccounts[legs.accounts()[i]];
          }
          if (!peers[w].legs("peer-" + run + "-" + w + "-" + n, legAccounts, legs.signedAmounts())) {
            throw new IllegalStateException("peer transfer overdrew");
          }
        });
      } finally {
        for (PeerLedger peer : peers) {
          if (peer != null) {
            peer.close();
          }
        }
      }
    }
  }

  private static void measure(String name, int writers, int seconds, SplittableRandom seed, Post post)
      throws Exception {
    for (int round = 0; round < 2; round++) {
      SplittableRandom[] randoms = new SplittableRandom[writers];
      for (int t = 0; t < writers; t++) {
        randoms[t] = seed.split();
      }
      long first = round * 1_000_000_000L;
      long[] own0 = ownTicks();
      long server0 = serverTicks();
      Writers.Outcome outcome = Writers.run(writers, Duration.ofSeconds(seconds), t -> new Writers.Nothing(),
          (state, t, n) -> post.run(t, first + n, randoms[t]));
      long server1 = serverTicks();
      long[] own1 = ownTicks();
      long n = outcome.calls();
      double tickMillis = 1000.0 / 100; // USER_HZ
      if (round == 1) {
        System.out.printf("%s, %d writers: %,d in %.1f s = %,.0f/s; CPU per post: JVM %.3f ms (user %.3f,"
            + " system %.3f), server %.3f ms%n", name, writers, n, outcome.seconds(), outcome.perSecond(),
            ((own1[0] - own0[0]) + (own1[1] - own0[1])) * tickMillis / n, (own1[0] - own0[0]) * tickMillis / n,
            (own1[1] - own0[1]) * tickMillis / n, (server1 - server0) * tickMillis / n);
      }
    }
  }

  /** This process's user and system clock ticks. */
  private static long[] ownTicks() throws Exception {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12])};
  }

  /** utime + stime (clock ticks) of every process named postgres, reaped children included. */
  private static long serverTicks() throws Exception {
    long sum = 0;
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        if (!dir.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(dir.resolve("stat"));
          int close = stat.lastIndexOf(')');
          if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
            continue;
          }
          String[] f = stat.substring(close + 2).split(" ");
          // after the name: state(0) ... utime(11) stime(12) cutime(13) cstime(14)
          sum += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (java.io.IOException | RuntimeException e) {
          // a process that ended between the listing and the read
        }
      }
    }
    return sum;
  }
}
