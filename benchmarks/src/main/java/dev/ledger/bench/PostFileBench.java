package dev.ledger.bench;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import dev.ledger.money.Amounts;
import java.io.BufferedWriter;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.postgresql.PGConnection;

/**
 * `ledger post` of an N-entry JSON Lines file end to end, in a child JVM with -Xmx512m (validation
 * pass, streamed write in one transaction, seal). Baseline in the same run: COPY of the same file's
 * lines, as text, into a bare one-column table.
 */
final class PostFileBench {
  private final BenchDatabase db;
  private final Results results;
  private final Path work;

  PostFileBench(BenchDatabase db, Results results, Path work) {
    this.db = db;
    this.results = results;
    this.work = work;
  }

  void run(int entries) throws Exception {
    System.out.println("[1b] ledger post of a " + entries + "-entry file, child JVM -Xmx512m");
    AccountCode[] accounts = Journal.accounts("assets:file:a", 10_000);
    Path file = work.resolve("post-" + entries + ".jsonl");
    SplittableRandom random = new SplittableRandom(4);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < entries; i++) {
        out.write(json(Journal.entry("file-" + i, Journal.BASE.plusSeconds(i), random, accounts)));
        out.write('\n');
      }
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    String jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-XX:+ExitOnOutOfMemoryError", "-cp", jar,
        "dev.ledger.cli.LedgerCommand", "post", "--db", db.url, "--file", file.toString(), "--format", "json")
        .redirectOutput(work.resolve("post.json").toFile()).redirectError(work.resolve("post.err").toFile());
    db.credentials(builder);
    long t0 = System.nanoTime();
    int exit = builder.start().waitFor();
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (exit != 0) {
      throw new IllegalStateException("ledger post exited " + exit + ": " + Files.readString(work.resolve("post.err")));
    }
    double copySeconds;
    try (Connection c = db.raw(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + BenchDatabase.BASELINE_SCHEMA + ".lines (line text)");
      long c0 = System.nanoTime();
      try (InputStream in = Files.newInputStream(file)) {
        c.unwrap(PGConnection.class).getCopyAPI()
            .copyIn("COPY " + BenchDatabase.BASELINE_SCHEMA + ".lines FROM STDIN", in);
      }
      copySeconds = (System.nanoTime() - c0) / 1e9;
    }
    results.add(Figure.of("1 bulk posting", String.format("ledger post of a %,d-entry file, -Xmx512m", entries),
        entries / seconds, "entries/s", "COPY of the file's lines as text, bare table", entries / copySeconds,
        "(context)", null).note(String.format("%.1f s end to end, JVM start included", seconds)));
  }

  private static String json(Entry entry) {
    StringBuilder json = new StringBuilder(256).append("{\"id\":\"").append(entry.id())
        .append("\",\"effective_at\":\"").append(entry.effectiveAt()).append("\",\"description\":\"")
        .append(entry.description()).append("\",\"metadata\":{");
    List<String> pairs = new ArrayList<>();
    entry.metadata().forEach((k, v) -> pairs.add("\"" + k + "\":\"" + v + "\""));
    json.append(String.join(",", pairs)).append("},\"postings\":[");
    for (int i = 0; i < entry.postings().size(); i++) {
      Posting p = entry.postings().get(i);
      json.append(i == 0 ? "" : ",").append("{\"account\":\"").append(p.account().value())
          .append("\",\"currency\":\"CNY\",\"").append(p.side() == Side.DEBIT ? "debit" : "credit").append("\":\"")
          .append(Amounts.formatMinor(p.amountMinor(), Journal.CNY)).append("\"}");
    }
    return json.append("]}").toString();
  }
}
