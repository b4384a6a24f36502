package dev.ledger.statement.mt940;

import dev.ledger.statement.*;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The mt940-rs fixtures: every full file agrees with its expected JSON. Several of them are
 * anonymised so that opening + movements no longer equals closing; those are read and report the
 * mismatch as an {@link Inconsistency} (DESIGN section 4), the others report none.
 */
class Mt940ConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicNode> fullFilesAgreeWithTheirExpectedJson() {
    return Conformance.tests("mt940/full", dir -> {
      return Conformance.files(dir, ".sta").stream()
          .filter(p -> !p.getFileName().toString().endsWith("_broken.sta"))
          .map(p -> DynamicTest.dynamicTest(dir.relativize(p).toString(), () -> agrees(p)));
    });
  }

  /**
   * mt940-rs rejects these special cases, but real banks write them: a :61: without customer
   * reference (webschik/mt940-js' ING sample), ISO-8859-1 text (cmxl's fixture) and :86: longer
   * than SWIFT's 6 x 65 characters (ASN, Rabobank). They are read; their balances do not add up.
   */
  private static final Set<String> READ_THOUGH_MT940_RS_REJECTS =
      Set.of("incomplete_tag_61.sta", "invalid_utf8.sta", "overly_long_details.sta");

  @TestFactory
  Stream<DynamicNode> specialCasesAndBrokenFilesAreRejected() {
    return Conformance.tests("mt940", root -> {
      return Conformance.files(root, ".sta").stream()
          .filter(p -> p.toString().contains("special-cases") || p.getFileName().toString().endsWith("_broken.sta"))
          .filter(p -> !READ_THOUGH_MT940_RS_REJECTS.contains(p.getFileName().toString()))
          .map(p -> DynamicTest.dynamicTest(root.relativize(p).toString(), () -> rejected(p)));
    });
  }

  @TestFactory
  Stream<DynamicNode> realWorldSpecialCasesAreReadWithTheirInconsistency() {
    return Conformance.tests("mt940/special-cases", dir -> {
      return Conformance.files(dir, ".sta").stream()
          .filter(p -> READ_THOUGH_MT940_RS_REJECTS.contains(p.getFileName().toString()))
          .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            List<ParsedStatement> parsed = Conformance.parse(new Mt940Parser(), p);
            assertThat(parsed).isNotEmpty().allSatisfy(s -> {
              assertThat(s.lines()).isNotEmpty();
              assertThat(s.info().isTruncated()).isFalse();
            });
            assertThat(parsed).anySatisfy(s -> assertThat(s.info().inconsistencies()).isNotEmpty());
          }));
    });
  }

  private static void rejected(Path file) {
    String name = file.getFileName().toString();
    assertThatThrownBy(() -> Conformance.parse(new Mt940Parser(), file))
        .isInstanceOf(StatementException.class)
        .hasMessageStartingWith(name + ":")
        .satisfies(e -> System.out.println("rejected as expected: " + e.getMessage()));
  }

  private static void agrees(Path file) throws IOException {
    String json = file.getFileName().toString().replaceFirst("\\.sta$", ".json");
    JsonNode expected = JSON.readTree(file.resolveSibling(json).toFile());
    boolean balanced = true;
    for (JsonNode s : expected) {
      balanced &= balances(s);
    }
    List<ParsedStatement> parsed = Conformance.parse(new Mt940Parser(), file);
    if (balanced) {
      assertThat(parsed).allSatisfy(p -> assertThat(p.info().inconsistencies()).isEmpty());
    } else {
      assertThat(parsed).anySatisfy(p -> assertThat(p.info().inconsistencies()).isNotEmpty());
    }
    assertThat(parsed).allSatisfy(p -> assertThat(p.info().isTruncated()).isFalse());
    assertThat(parsed).hasSize(expected.size());
    for (int i = 0; i < parsed.size(); i++) {
      statementAgrees(parsed.get(i), expected.get(i));
    }
  }

  private static boolean balances(JsonNode s) {
    JsonNode open = s.get("opening_balance");
    JsonNode close = s.get("closing_balance");
    if (!open.get("iso_currency_code").equals(close.get("iso_currency_code"))) {
      return false;
    }
    var cur = dev.ledger.money.Amounts.currency(open.get("iso_currency_code").asText());
    long sum = signedBalance(open, cur);
    for (JsonNode l : s.get("statement_lines")) {
      sum += signedLine(l, cur);
    }
    return sum == signedBalance(close, cur);
  }

  private static long signedBalance(JsonNode b, javax.money.CurrencyUnit cur) {
    long v = Conformance.minor(b.get("amount").asText(), cur);
    return b.get("debit_credit_indicator").asText().equals("Credit") ? v : -v;
  }

  private static long signedLine(JsonNode l, javax.money.CurrencyUnit cur) {
    long v = Conformance.minor(l.get("amount").asText(), cur);
    String ind = l.get("ext_debit_credit_indicator").asText();
    // mt940-rs names the SWIFT marks by the entry they produce: RC (reversal of a credit) is a
    // debit entry it calls ReverseDebit, RD is ReverseCredit
    return ind.equals("Credit") || ind.equals("ReverseCredit") ? v : -v;
  }

  private static void statementAgrees(ParsedStatement actual, JsonNode expected) {
    StatementInfo info = actual.info();
    var cur = info.currency();
    assertThat(info.account()).isEqualTo(expected.get("account_id").asText());
    balanceAgrees(info.openingBalance(), expected.get("opening_balance"));
    balanceAgrees(info.closingBalance(), expected.get("closing_balance"));
    JsonNode lines = expected.get("statement_lines");
    assertThat(actual.lines()).hasSize(lines.size());
    assertThat(info.lineCount()).isEqualTo(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      StatementLine a = actual.lines().get(i);
      JsonNode e = lines.get(i);
      assertThat(a.amountMinor()).as("amount of line %d", a.line()).isEqualTo(signedLine(e, cur));
      assertThat(a.valueDate()).isEqualTo(LocalDate.parse(e.get("value_date").asText()));
      assertThat(a.type()).isEqualTo(LineType.OTHER);
      assertThat(a.feeMinor()).isNull();
      String bankRef = strip(text(e, "bank_ref"));
      String customerRef = strip(text(e, "customer_ref"));
      String reference = bankRef != null ? bankRef : "NONREF".equals(customerRef) ? null : customerRef;
      assertThat(a.bankReference()).as("reference of line %d", a.line()).isEqualTo(reference);
      boolean hasInfo = !e.get("information_to_account_owner").isNull() || text(e, "supplementary_details") != null;
      assertThat(a.description() != null).as("description of line %d", a.line()).isEqualTo(hasInfo);
    }
  }

  private static void balanceAgrees(StatementBalance actual, JsonNode expected) {
    var cur = dev.ledger.money.Amounts.currency(expected.get("iso_currency_code").asText());
    assertThat(actual.currency()).isEqualTo(cur);
    assertThat(actual.amountMinor()).isEqualTo(signedBalance(expected, cur));
    assertThat(actual.date()).isEqualTo(LocalDate.parse(expected.get("date").asText()));
  }

  private static String strip(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
