package dev.ledger.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs every workload against its baseline and writes benchmarks/results/latest.md and .json.
 * Usage: java -jar benchmarks.jar [--db JDBC_URL] [--quick] [--only micro,posting,single,bulk,balance,reconcile]
 * [--recon-sizes 100000,1000000] [--profile] [--out DIR]
 */
public final class Main {
  /** Workload sizes: full for the published table, quick for development on a shared machine. */
  record Sizes(int bulkWarmup, int bulkEntries, Duration writerTime, long[] balance, int balanceQueries,
      int[] recon, int parseLines, int[] match, int postFile) {
    static Sizes full() {
      return new Sizes(5_000, 20_000, Duration.ofSeconds(4), new long[] {10_000, 100_000, 1_000_000}, 1000,
          new int[] {100_000, 1_000_000}, 100_000, new int[] {100_000, 1_000_000}, 200_000);
    }

    static Sizes quick() {
      return new Sizes(2_000, 5_000, Duration.ofSeconds(1), new long[] {1_000, 10_000, 30_000}, 200,
          new int[] {10_000, 30_000}, 10_000, new int[] {10_000}, 20_000);
    }
  }

  private Main() {}

  public static void main(String[] args) throws Exception {
    String db = null;
    Sizes sizes = Sizes.full();
    List<String> only = List.of("micro", "posting", "balance", "reconcile");
    int[] recon = null;
    boolean profile = false;
    Path out = Path.of("benchmarks", "results");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--db" -> db = args[++i];
        case "--quick" -> sizes = Sizes.quick();
        case "--only" -> only = Arrays.asList(args[++i].split(","));
        case "--recon-sizes" -> recon = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
        case "--profile" -> profile = true;
        case "--out" -> out = Path.of(args[++i]);
        default -> {
          System.err.println("Unknown argument " + args[i]
              + "; usage: [--db JDBC_URL] [--quick] [--only micro,posting,single,bulk,balance,reconcile] [--recon-sizes N,M]"
              + " [--profile] [--out DIR]");
          System.exit(2);
        }
      }
    }
    if (recon != null) {
      sizes = new Sizes(sizes.bulkWarmup(), sizes.bulkEntries(), sizes.writerTime(), sizes.balance(),
          sizes.balanceQueries(), recon, sizes.parseLines(), sizes.match(), sizes.postFile());
    }
    if (!Files.isDirectory(out.getParent() == null ? Path.of(".") : out.getParent())) {
      out = Path.of("results"); // run from inside benchmarks/
    }
    Files.createDirectories(out);
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    Results results = new Results();
    Machine.describe(results);
    List<String> command = new ArrayList<>(List.of("java", "-jar", "benchmarks/target/benchmarks.jar"));
    command.addAll(Arrays.asList(args));

    // CPU-only measurements first, while no database competes for the two cores.
    if (only.contains("micro")) {
      Micro.run(results, out.resolve("jmh.log"), sizes.parseLines(), sizes.match());
    }
    Path work = Files.createTempDirectory("ledger-bench-files-");
    try (BenchDatabase database = BenchDatabase.open(db)) {
      database.describe(results);
      System.out.println("PostgreSQL: " + results.database.get("PostgreSQL"));
      if (only.contains("posting")) {
        PostingBench posting = new PostingBench(database, results);
        posting.bulk(sizes.bulkWarmup(), sizes.bulkEntries());
        posting.latency(writerCounts(), sizes.writerTime());
        posting.hotAccount(8, sizes.writerTime());
        new PostFileBench(database, results, work).run(sizes.postFile());
      } else if (only.contains("single")) {
        // Workloads 2 and 3 alone (the peer's accounts are created by workload 1's peer part).
        PostingBench posting = new PostingBench(database, results);
        posting.bulk(sizes.bulkWarmup(), 1_000);
        posting.latency(writerCounts(), sizes.writerTime());
        posting.hotAccount(8, sizes.writerTime());
      } else if (only.contains("bulk")) {
        // Workload 1 alone (postAll against COPY, then ledger post of a file): for iterating on it.
        new PostingBench(database, results).bulk(sizes.bulkWarmup(), sizes.bulkEntries());
        new PostFileBench(database, results, work).run(sizes.postFile());
      }
      if (only.contains("balance")) {
        new BalanceBench(database, results).run(sizes.balance(), sizes.balanceQueries());
      }
      if (only.contains("reconcile")) {
        new ReconcileBench(database, results, work, profile).run(sizes.recon());
      }
    } finally {
      if (!profile) {
        try (var files = Files.walk(work)) {
          files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      } else {
        System.out.println("Profiles and outputs kept in " + work);
      }
    }
    results.machine.put("load average at end (1/5/15 min)", Machine.loadAverage());
    Duration wall = Duration.ofNanos(System.nanoTime() - t0);
    Report.write(out, results, started, wall, String.join(" ", command));
    System.out.printf("Done in %d s; wrote %s%n", wall.toSeconds(), out.resolve("latest.md").toAbsolutePath());
  }

  /** Writer counts of workload 2: 1, 4 and 8 (DESIGN section 7), or -Dbench.writers=1,2,3 to look closer. */
  private static int[] writerCounts() {
    return java.util.Arrays.stream(System.getProperty("bench.writers", "1,4,8").split(","))
        .mapToInt(w -> Integer.parseInt(w.trim())).toArray();
  }
}
