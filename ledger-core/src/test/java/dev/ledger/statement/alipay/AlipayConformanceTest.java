package dev.ledger.statement.alipay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.money.Amounts;
import dev.ledger.statement.Conformance;
import dev.ledger.statement.ParsedStatement;
import dev.ledger.statement.StatementException;
import dev.ledger.statement.StatementFiles;
import dev.ledger.statement.StatementLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The shared corpus's Alipay 业务明细 samples (real/alipay/manifest.tsv, DESIGN section 9), where
 * present: each readable file gives the stated number of lines and, where its figures agree,
 * lines that sum to the bill's net (交易合计 商家实收 + 退款合计 商家实收退款); each broken one is
 * rejected. Skipped visibly while the corpus has no Alipay folder.
 */
class AlipayConformanceTest {

  @TestFactory
  Stream<DynamicTest> manifestRowsAreReadAsStated() throws IOException {
    Path dir = Conformance.dir("real/alipay");
    List<String> rows = Files.readAllLines(dir.resolve("manifest.tsv"), StandardCharsets.UTF_8);
    return rows.stream()
        .filter(r -> !r.isBlank() && !r.startsWith("#"))
        .map(r -> r.split("\t", -1))
        .map(f -> DynamicTest.dynamicTest(f[0], () -> check(dir.resolve(f[0]), f)));
  }

  private static void check(Path file, String[] row) {
    AlipayBillParser parser = new AlipayBillParser();
    if (row[3].equals("0")) {
      assertThatThrownBy(() -> StatementFiles.parseAll(parser, file)).isInstanceOf(StatementException.class);
      return;
    }
    List<ParsedStatement> parsed = StatementFiles.parseAll(parser, file);
    List<StatementLine> lines = parsed.stream().flatMap(s -> s.lines().stream()).toList();
    long expected = Long.parseLong(row[1]);
    if (expected >= 0) {
      assertThat(lines).hasSize((int) expected);
    }
    Map<String, String> extras = new HashMap<>();
    if (row.length > 6 && !row[6].isEmpty()) {
      for (String kv : row[6].split(";")) {
        String[] pair = kv.split("=", 2);
        extras.put(pair[0], pair.length > 1 ? pair[1] : "");
      }
    }
    if (row[2].equals("1") && extras.containsKey("net")) {
      long net = Conformance.minor(extras.get("net"), Amounts.currency("CNY"));
      assertThat(lines.stream().mapToLong(StatementLine::amountMinor).sum()).isEqualTo(net);
      assertThat(parsed).allSatisfy(s -> assertThat(s.info().inconsistencies()).isEmpty());
    }
  }
}
