package dev.ledger.statement.wechatpay;

import dev.ledger.statement.*;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The real WeChat Pay bills of the shared corpus (real/wechatpay/manifest.tsv): readable ones give
 * the stated number of rows and, where the bill adds up, lines that sum to its net (应结订单总金额 −
 * 退款总金额); broken ones are rejected naming the file.
 */
class WechatPayConformanceTest {
  @TestFactory
  Stream<DynamicTest> manifestRowsHold() throws IOException {
    Path dir = Conformance.dir("real/wechatpay");
    List<String> rows = Files.readAllLines(dir.resolve("manifest.tsv")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    return rows.stream().map(row -> {
      String[] f = row.split("\t", -1);
      return DynamicTest.dynamicTest(f[0], () -> holds(dir.resolve(f[0]), f));
    });
  }

  private static void holds(Path file, String[] f) {
    long expectedLines = Long.parseLong(f[1]);
    boolean reconciles = f[2].equals("1");
    boolean valid = f[3].equals("1");
    Map<String, String> extras = new HashMap<>();
    if (f.length > 6 && !f[6].isEmpty()) {
      for (String kv : f[6].split(";")) {
        String[] pair = kv.split("=", 2);
        extras.put(pair[0], pair[1]);
      }
    }
    WechatPayBillParser parser = new WechatPayBillParser();
    if (!valid) {
      assertThatThrownBy(() -> Conformance.parse(parser, file)).isInstanceOf(StatementException.class)
          .hasMessageStartingWith(file.getFileName() + ":");
      return;
    }
    List<ParsedStatement> parsed = Conformance.parse(parser, file);
    assertThat(parsed).hasSize(1);
    ParsedStatement s = parsed.get(0);
    if (expectedLines >= 0) {
      assertThat(s.lines()).hasSize((int) expectedLines);
    }
    assertThat(s.info().truncated()).isNull();
    if (reconciles) {
      assertThat(s.info().inconsistencies()).isEmpty();
      if (extras.containsKey("net")) {
        long sum = s.lines().stream().mapToLong(StatementLine::amountMinor).sum();
        assertThat(sum).isEqualTo(Conformance.minor(extras.get("net"), s.info().currency()));
      }
      if (extras.containsKey("fee")) {
        long fees = s.lines().stream().mapToLong(StatementLine::feeMinor).sum();
        assertThat(BigDecimal.valueOf(fees, 2)).isEqualByComparingTo(extras.get("fee"));
      }
    } else {
      assertThat(s.info().inconsistencies()).isNotEmpty();
    }
  }
}
