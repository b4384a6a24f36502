package dev.ledger.bench;

import dev.ledger.bench.micro.HashBenchmark;
import dev.ledger.bench.micro.ParseBenchmark;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** The JMH part: short runs (1 fork, 2 x 1 s warm-up, 3 x 1 s measured); the log goes to a file. */
final class Micro {
  private Micro() {}

  static void run(Results results, Path log, int parseLines, int[] matchLines) throws Exception {
    System.out.println("[6] statement parsing, " + parseLines + " lines per format (JMH)");
    Map<String, Double> parse = new HashMap<>();
    for (RunResult r : jmh(ParseBenchmark.class.getName(), log.resolveSibling("jmh-parse.log"),
        Map.of("lines", String.valueOf(parseLines)))) {
      parse.put(method(r) + "/" + r.getParams().getParam("format"), r.getPrimaryResult().getScore());
    }
    for (String format : new String[] {"wechatpay", "alipay", "mt940", "camt053", "csv"}) {
      double ours = parseLines / (parse.get("parse/" + format) / 1000);
      double raw = parseLines / (parse.get("readLines/" + format) / 1000);
      results.add(Figure.of("6 parse", format, ours, "lines/s", "BufferedReader.readLine, same bytes", raw,
          "(context)", null));
    }

    System.out.println("[5] in-memory matching vs DuckDB FULL OUTER JOIN (JMH)");
    for (int lines : matchLines) {
      Map<String, Double> match = new HashMap<>();
      for (RunResult r : jmh(MatchBenchmark.class.getName(), log.resolveSibling("jmh-match-" + lines + ".log"),
          Map.of("lines", String.valueOf(lines)))) {
        match.put(method(r), r.getPrimaryResult().getScore());
      }
      double ours = match.get("walletMatcher");
      double duck = match.get("duckdbFullOuterJoin");
      results.add(Figure.of("5 reconciliation", String.format("matching %,d lines in memory", lines), ours, "ms",
          "DuckDB FULL OUTER JOIN, in-memory", duck, "ratio <= 2", ours / duck <= 2)
          .note("WalletItems + WalletMatcher, 1 thread; DuckDB " + Runtime.getRuntime().availableProcessors()
              + " threads"));
    }

    System.out.println("[hash] canonical text + SHA-256 (JMH)");
    Map<String, Double> hash = new HashMap<>();
    for (RunResult r : jmh(HashBenchmark.class.getName(), log.resolveSibling("jmh-hash.log"), Map.of())) {
      hash.put(method(r), r.getPrimaryResult().getScore());
    }
    results.add(Figure.of("hash chain (CPU)", "canonical text + SHA-256 per entry",
        HashBenchmark.ENTRIES / (hash.get("canonicalSha256") / 1000), "entries/s", "SHA-256 of pre-rendered bytes",
        HashBenchmark.ENTRIES / (hash.get("sha256Only") / 1000), "(context)", null));
  }

  private static String method(RunResult r) {
    String name = r.getParams().getBenchmark();
    return name.substring(name.lastIndexOf('.') + 1);
  }

  private static Collection<RunResult> jmh(String include, Path log, Map<String, String> params) throws Exception {
    OptionsBuilder builder = new OptionsBuilder();
    builder.include("^" + include.replace(".", "\\.") + "\\.")
        .forks(1)
        .warmupIterations(2)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(3)
        .measurementTime(TimeValue.seconds(1))
        .timeUnit(TimeUnit.MILLISECONDS)
        .jvmArgsAppend("-Xmx3g")
        .output(log.toString());
    params.forEach(builder::param);
    Options options = builder.build();
    return new Runner(options).run();
  }
}
