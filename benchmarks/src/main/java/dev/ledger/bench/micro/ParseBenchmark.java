package dev.ledger.bench.micro;

import dev.ledger.statement.StatementHandler;
import dev.ledger.statement.StatementInfo;
import dev.ledger.statement.StatementLine;
import dev.ledger.statement.StatementParser;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Workload 6: one statement of {@code lines} lines from memory; baseline: readLine over the same bytes. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ParseBenchmark {
  @Param({"wechatpay", "alipay", "mt940", "camt053", "csv"})
  public String format;

  @Param("100000")
  public int lines;

  private byte[] bytes;
  private StatementParser parser;
  private Charset charset;

  @Setup
  public void setup() {
    bytes = StatementFiles.generate(format, lines);
    parser = StatementFiles.parser(format);
    charset = StatementFiles.charset(format);
    long parsed = parse();
    if (parsed != lines) {
      throw new IllegalStateException(format + ": parsed " + parsed + " of " + lines + " lines");
    }
  }

  @Benchmark
  public long parse() {
    long[] count = {0};
    parser.parse(new ByteArrayInputStream(bytes), "bench." + format, new StatementHandler() {
      @Override
      public void line(StatementLine line) {
        count[0]++;
      }

      @Override
      public void end(StatementInfo info) {}
    });
    return count[0];
  }

  @Benchmark
  public long readLines() throws IOException {
    long count = 0;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes), charset),
        1 << 16)) {
      while (reader.readLine() != null) {
        count++;
      }
    }
    return count;
  }
}
