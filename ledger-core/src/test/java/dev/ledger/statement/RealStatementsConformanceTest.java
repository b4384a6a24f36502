package dev.ledger.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.money.Amounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every row of {@code conformance/real/<folder>/manifest.tsv} (files that banks and wallets
 * produced, published by other open-source projects), checked the way {@code real/check.py} checks
 * the jar: a file to be read is read with the stated number of lines and, where its balances add
 * up, opening plus the line amounts equals closing (bills: the lines sum to the bill's net); where
 * they do not, the disagreement is reported as an {@link Inconsistency}; a broken file is rejected
 * with its name. Each folder ends with a line giving its pass count; an absent folder is skipped.
 */
class RealStatementsConformanceTest {
  private static final Map<String, Source> FOLDERS = new java.util.LinkedHashMap<>();

  static {
    FOLDERS.put("mt940", Source.MT940);
    FOLDERS.put("camt", Source.CAMT053);
    FOLDERS.put("wechatpay", Source.WECHATPAY);
    FOLDERS.put("alipay", Source.ALIPAY);
  }

  /** One manifest row. */
  record Row(String file, int lines, boolean balances, boolean valid, Map<String, String> extras) {
    static Row parse(String tsv) {
      String[] f = tsv.split("\t", -1);
      Map<String, String> extras = new HashMap<>();
      if (f.length > 6 && !f[6].isBlank()) {
        for (String pair : f[6].split(";")) {
          String[] kv = pair.split("=", 2);
          extras.put(kv[0].trim(), kv.length > 1 ? kv[1].trim() : "");
        }
      }
      return new Row(f[0], Integer.parseInt(f[1].trim()), f[2].trim().equals("1"), f[3].trim().equals("1"), extras);
    }
  }

  @TestFactory
  Stream<DynamicNode> everyRealFileIsReadAsItsManifestStates() {
    return Conformance.tests("real", real -> {
      List<DynamicNode> folders = new ArrayList<>();
      FOLDERS.forEach((folder, source) -> {
        Path manifest = real.resolve(folder).resolve("manifest.tsv");
        if (Files.isRegularFile(manifest)) {
          folders.add(folder(real.resolve(folder), source, rows(manifest)));
        } else {
          String message = "conformance real/" + folder + " is absent";
          System.err.println("SKIPPED: " + message);
          folders.add(DynamicTest.dynamicTest("real/" + folder + " (absent)", () -> Assumptions.abort(message)));
        }
      });
      return folders.stream();
    });
  }

  private static DynamicContainer folder(Path dir, Source source, List<Row> rows) {
    AtomicInteger passed = new AtomicInteger();
    List<DynamicNode> tests = new ArrayList<>();
    for (Row row : rows) {
      tests.add(DynamicTest.dynamicTest(row.file(), () -> {
        check(dir.resolve(row.file()), source, row);
        passed.incrementAndGet();
      }));
    }
    tests.add(DynamicTest.dynamicTest("pass count", () -> {
      String line = "conformance real/" + dir.getFileName() + ": " + passed.get() + "/" + rows.size()
          + " files read as the manifest states";
      System.out.println(line);
      assertThat(passed.get()).as(line).isEqualTo(rows.size());
    }));
    return DynamicContainer.dynamicContainer("real/" + dir.getFileName() + " (" + source.wireName() + ")", tests);
  }

  private static void check(Path file, Source source, Row row) {
    StatementParser parser = source.parser();
    if (!row.valid()) {
      assertThatThrownBy(() -> StatementFiles.parseAll(parser, file))
          .isInstanceOf(StatementException.class)
          .hasMessageStartingWith(file.getFileName().toString());
      return;
    }
    List<ParsedStatement> statements = StatementFiles.parseAll(parser, file);
    long lines = statements.stream().mapToLong(s -> s.lines().size()).sum();
    long alternative = Long.parseLong(row.extras().getOrDefault("alt_lines", Integer.toString(row.lines())));
    if (row.lines() >= 0) {
      assertThat(lines).as("statement lines").isIn((long) row.lines(), alternative);
    }
    boolean bill = source.profile().kind() != SourceProfile.SourceKind.BANK;
    for (ParsedStatement statement : statements) {
      StatementInfo info = statement.info();
      if (row.balances()) {
        assertThat(info.truncated()).as("truncated").isNull();
        assertThat(info.inconsistencies()).as("inconsistencies of a file that adds up").isEmpty();
      }
      if (bill) {
        continue;
      }
      StatementBalance opening = info.openingBalance();
      StatementBalance closing = info.closingBalance();
      if (row.balances()) {
        assertThat(opening).as("opening balance").isNotNull();
        assertThat(closing).as("closing balance").isNotNull();
      }
      if (opening != null && closing != null && opening.currency().equals(closing.currency())) {
        long sum = opening.amountMinor();
        for (StatementLine line : statement.lines()) {
          sum = Math.addExact(sum, line.amountMinor());
        }
        if (row.balances()) {
          assertThat(sum).as("opening + lines = closing").isEqualTo(closing.amountMinor());
        } else if (sum != closing.amountMinor()) {
          // read, and the file says why its figures disagree (a page of a longer statement, entries
          // left out of the balance, or an inconsistency)
          assertThat(!info.inconsistencies().isEmpty() || info.isTruncated() || !info.warnings().isEmpty())
              .as("a closing balance the lines do not reach is reported: " + info.warnings()).isTrue();
        }
      }
    }
    if (bill && row.balances() && row.extras().containsKey("net")) {
      BigDecimal sum = BigDecimal.ZERO;
      for (ParsedStatement statement : statements) {
        for (StatementLine line : statement.lines()) {
          sum = sum.add(new BigDecimal(Amounts.formatMinor(line.amountMinor(), line.currency())));
        }
      }
      assertThat(sum).as("sum of line amounts = the bill's net").isEqualByComparingTo(row.extras().get("net"));
    }
    if (bill && row.balances() && row.extras().containsKey("fee")) {
      BigDecimal fees = BigDecimal.ZERO;
      for (ParsedStatement statement : statements) {
        for (StatementLine line : statement.lines()) {
          fees = line.feeMinor() == null ? fees
              : fees.add(new BigDecimal(Amounts.formatMinor(line.feeMinor(), line.currency())));
        }
      }
      assertThat(fees).as("sum of line fees = the bill's fee total").isEqualByComparingTo(row.extras().get("fee"));
    }
  }

  private static List<Row> rows(Path manifest) {
    try {
      List<Row> rows = new ArrayList<>();
      for (String line : Files.readAllLines(manifest, StandardCharsets.UTF_8)) {
        if (!line.isBlank() && !line.startsWith("#")) {
          rows.add(Row.parse(line));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
