package dev.ledger.bench;

import dev.ledger.reconcile.WalletItems;
import dev.ledger.reconcile.WalletMatcher;
import dev.ledger.statement.StatementHandler;
import dev.ledger.statement.StatementInfo;
import dev.ledger.statement.StatementLine;
import dev.ledger.statement.StatementFiles;
import dev.ledger.statement.wechatpay.WechatPayBillParser;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.money.CurrencyUnit;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Workload 5, in memory: the ledger side as loaded rows and the statement as pre-parsed lines (the
 * same generated bill as the end-to-end run). Ours builds WalletItems and streams the lines through
 * WalletMatcher; DuckDB (in-memory, its default threads) runs a FULL OUTER JOIN on the key over the
 * same rows already in its tables and returns the break rows.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MatchBenchmark {

  @State(Scope.Benchmark)
  public static class Data {
    @Param("100000")
    public int lines;

    List<StatementLine> parsed = new ArrayList<>();
    List<StatementInfo> infos = new ArrayList<>();
    String[] keys;
    String[] entryIds;
    long[] gross;
    long[] fee;
    Instant[] effective;
    CurrencyUnit currency = Journal.CNY;

    @Setup(Level.Trial)
    public void setup() throws IOException {
      WalletBill bill = new WalletBill(0, lines, LocalDateTime.of(2024, 2, 1, 0, 0), 10);
      Path file = Files.createTempFile("match-", ".csv");
      try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        bill.write(out);
      }
      dev.ledger.statement.StatementFiles.parse(new WechatPayBillParser(), file, new StatementHandler() {
            @Override
            public void line(StatementLine line) {
              parsed.add(line);
            }

            @Override
            public void end(StatementInfo info) {
              infos.add(info);
            }
          });
      Files.delete(file);
      List<Integer> withEntry = new ArrayList<>();
      for (int i = 0; i < lines; i++) {
        if (bill.kind(i) != WalletBill.Kind.MISSING_IN_LEDGER) {
          withEntry.add(i);
        }
      }
      int n = withEntry.size();
      keys = new String[n];
      entryIds = new String[n];
      gross = new long[n];
      fee = new long[n];
      effective = new Instant[n];
      for (int k = 0; k < n; k++) {
        int i = withEntry.get(k);
        keys[k] = bill.txnId(i);
        entryIds[k] = "pay-" + keys[k];
        long g = WalletBill.gross(i);
        fee[k] = WalletBill.fee(g);
        gross[k] = bill.kind(i) == WalletBill.Kind.AMOUNT_MISMATCH ? g + 1 : g;
        effective[k] = bill.at(i).atZone(WalletBill.SHANGHAI).toInstant();
      }
    }
  }

  @State(Scope.Benchmark)
  public static class Duck {
    Connection connection;

    @Setup(Level.Trial)
    public void setup(Data data) throws SQLException {
      connection = DriverManager.getConnection("jdbc:duckdb:");
      try (Statement s = connection.createStatement()) {
        s.execute("CREATE TABLE ledger (k VARCHAR, entry_id VARCHAR, gross BIGINT, fee BIGINT)");
        s.execute("CREATE TABLE stmt (k VARCHAR, line BIGINT, amount BIGINT, fee BIGINT)");
      }
      DuckDBConnection duck = connection.unwrap(DuckDBConnection.class);
      try (DuckDBAppender appender = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "ledger")) {
        for (int k = 0; k < data.keys.length; k++) {
          appender.beginRow().append(data.keys[k]).append(data.entryIds[k]).append(data.gross[k])
              .append(data.fee[k]).endRow();
        }
      }
      try (DuckDBAppender appender = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "stmt")) {
        for (StatementLine line : data.parsed) {
          appender.beginRow().append(line.key()).append(line.line()).append(line.amountMinor())
              .append(line.feeMinor() == null ? 0L : line.feeMinor()).endRow();
        }
      }
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      connection.close();
    }
  }

  @Benchmark
  public int walletMatcher(Data data) {
    WalletItems items = new WalletItems(data.keys.length);
    for (int k = 0; k < data.keys.length; k++) {
      items.add(data.keys[k], data.entryIds[k], data.currency, data.gross[k], data.fee[k], data.effective[k]);
    }
    WalletMatcher matcher = new WalletMatcher(items, List.of(), 0);
    for (StatementLine line : data.parsed) {
      matcher.line(line);
    }
    for (StatementInfo info : data.infos) {
      matcher.end(info);
    }
    return matcher.finish().breaks().size();
  }

  @Benchmark
  public int duckdbFullOuterJoin(Duck duck) throws SQLException {
    int breaks = 0;
    try (Statement s = duck.connection.createStatement(); ResultSet rs = s.executeQuery("""
        SELECT coalesce(l.k, s.k), l.entry_id, s.line, l.gross, s.amount, l.fee, s.fee
        FROM ledger l FULL OUTER JOIN stmt s ON l.k = s.k
        WHERE l.k IS NULL OR s.k IS NULL OR l.gross <> s.amount OR l.fee <> s.fee""")) {
      while (rs.next()) {
        breaks++;
      }
    }
    return breaks;
  }
}
