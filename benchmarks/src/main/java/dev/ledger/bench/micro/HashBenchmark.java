package dev.ledger.bench.micro;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import dev.ledger.money.Amounts;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The CPU part of the hash chain: canonical text + SHA-256 of 1,000 entries (3-4 postings) per
 * operation; baseline: SHA-256 alone over the same pre-rendered bytes.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class HashBenchmark {
  public static final int ENTRIES = 1000;
  private final List<Entry> entries = new ArrayList<>();
  private byte[][] canonical;
  private MessageDigest sha;

  @Setup
  public void setup() throws NoSuchAlgorithmException {
    SplittableRandom random = new SplittableRandom(6);
    var cny = Amounts.currency("CNY");
    for (int i = 0; i < ENTRIES; i++) {
      List<Posting> postings = new ArrayList<>();
      long x = 1 + random.nextLong(100_000);
      long y = 1 + random.nextLong(100_000);
      postings.add(Posting.of(AccountCode.parse("assets:bench:a" + random.nextInt(10_000)), Side.DEBIT,
          Amounts.ofMinor(x + y, cny)));
      postings.add(Posting.of(AccountCode.parse("assets:bench:a" + random.nextInt(10_000)), Side.CREDIT,
          Amounts.ofMinor(x, cny)));
      postings.add(Posting.of(AccountCode.parse("assets:bench:a" + random.nextInt(10_000)), Side.CREDIT,
          Amounts.ofMinor(y, cny)));
      entries.add(Entry.of("hash-" + i, Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i), "bench hash-" + i,
          Map.of("order_id", "O-" + i), postings));
    }
    canonical = entries.stream().map(e -> e.canonical().getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    sha = MessageDigest.getInstance("SHA-256");
  }

  @Benchmark
  public void canonicalSha256(Blackhole hole) {
    for (Entry entry : entries) {
      hole.consume(sha.digest(entry.canonical().getBytes(StandardCharsets.UTF_8)));
    }
  }

  @Benchmark
  public void sha256Only(Blackhole hole) {
    for (byte[] bytes : canonical) {
      hole.consume(sha.digest(bytes));
    }
  }
}
