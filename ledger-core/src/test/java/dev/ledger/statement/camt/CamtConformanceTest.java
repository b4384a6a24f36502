package dev.ledger.statement.camt;

import dev.ledger.statement.*;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The genkgo/camt fixtures: each message parses and agrees with the JSON dump of genkgo's model
 * (money in minor units). The dump elides repeated objects, so only the records and entries it
 * spells out are compared. The real-world samples (real/camt) are checked by
 * RealStatementsConformanceTest.
 */
class CamtConformanceTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TestFactory
  Stream<DynamicNode> messagesAgreeWithTheirExpectedJson() {
    return Conformance.tests("camt", dir -> {
      return Conformance.files(dir, ".xml").stream()
          .filter(p -> !p.getFileName().toString().endsWith(".wrong.xml"))
          .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> agrees(p)));
    });
  }

  @TestFactory
  Stream<DynamicNode> wrongMessagesAreRejected() {
    return Conformance.tests("camt", dir -> {
      return Conformance.files(dir, ".wrong.xml").stream()
          .map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () ->
              assertThatThrownBy(() -> Conformance.parse(new CamtParser(), p))
                  .isInstanceOf(StatementException.class)
                  .hasMessageStartingWith(p.getFileName() + ":")
                  .satisfies(e -> System.out.println("rejected as expected: " + e.getMessage()))));
    });
  }

  private static void agrees(Path file) throws IOException {
    List<ParsedStatement> parsed = Conformance.parse(new CamtParser(), file);
    // several fixtures assert balances in mixed currencies or that do not add up: read, with each
    // disagreement reported as an Inconsistency and a warning (DESIGN section 4)
    for (ParsedStatement p : parsed) {
      assertThat(p.info().truncated()).as("truncated").isNull();
      assertThat(p.info().lineCount()).isEqualTo(p.lines().size());
      p.info().inconsistencies().forEach(i -> assertThat(p.info().warnings()).contains(i.message()));
      if (!p.info().inconsistencies().isEmpty()) {
        System.out.println(file.getFileName() + ": read with " + p.info().inconsistencies().get(0).message());
      }
    }
    Path json = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.xml$", ".json"));
    JsonNode expected = JSON.readTree(json.toFile());

    List<JsonNode> records = new ArrayList<>();
    collectRecords(expected, records, new IdentityHashMap<>());
    for (JsonNode r : records) {
      ParsedStatement s = parsed.stream()
          .filter(p -> r.path("getId").asText().equals(p.info().summary().get("id")))
          .findFirst().orElseThrow(() -> new AssertionError("no statement " + r.path("getId")));
      JsonNode account = r.path("getAccount");
      if (account.has("getIdentification")) {
        assertThat(s.info().account()).isEqualTo(account.get("getIdentification").asText());
      }
      balanceAgrees(s.info().openingBalance(), first(r, "opening"));
      balanceAgrees(s.info().closingBalance(), first(r, "closing"));
    }

    List<StatementLine> lines = parsed.stream().flatMap(p -> p.lines().stream()).collect(Collectors.toList());
    JsonNode entries = expected.path("getEntries");
    assertThat(lines.size()).isGreaterThanOrEqualTo(entries.size());
    for (JsonNode e : entries) {
      long amount = e.at("/getAmount/getAmount").asLong();
      String currency = e.at("/getAmount/getCurrency/getCode").asText();
      LocalDate value = date(e.get("getValueDate"));
      LocalDate booking = date(e.get("getBookingDate"));
      LocalDate expectedValue = value != null ? value : booking;
      assertThat(amount < 0).isEqualTo(e.get("getCreditDebitIndicator").asText().equals("DBIT"));
      // the dump lists only some entries and not always the first: find the line it describes
      StatementLine a = lines.stream()
          .filter(l -> l.amountMinor() == amount && l.currency().getCurrencyCode().equals(currency))
          .filter(l -> java.util.Objects.equals(l.valueDate(), expectedValue))
          .findFirst().orElseThrow(() -> new AssertionError("no line for entry " + amount + " " + currency + " " + expectedValue));
      String asr = e.path("getAccountServicerReference").isNull() ? null : e.get("getAccountServicerReference").asText();
      String detailAsr = e.at("/getTransactionDetail/getReference/getAccountServicerReference").textValue();
      String endToEnd = e.at("/getTransactionDetail/getReference/getEndToEndId").textValue();
      String expectedRef = detailAsr != null ? detailAsr : asr != null ? asr : endToEnd;
      if (expectedRef != null) {
        assertThat(a.bankReference()).as("reference").isEqualTo(expectedRef);
      }
    }
  }

  private static void collectRecords(JsonNode n, List<JsonNode> out, Map<JsonNode, Boolean> seen) {
    if (n.isObject()) {
      if (n.has("getBalances") && n.has("getId") && seen.put(n, true) == null
          && out.stream().noneMatch(o -> o.path("getId").equals(n.path("getId")))) {
        out.add(n);
      }
      n.fields().forEachRemaining(f -> collectRecords(f.getValue(), out, seen));
    } else if (n.isArray()) {
      n.forEach(c -> collectRecords(c, out, seen));
    }
  }

  private static JsonNode first(JsonNode record, String type) {
    for (JsonNode b : record.path("getBalances")) {
      if (b.path("getType").asText().equals(type)) {
        return b;
      }
    }
    return null;
  }

  private static void balanceAgrees(StatementBalance actual, JsonNode expected) {
    if (expected == null) {
      assertThat(actual).isNull();
      return;
    }
    assertThat(actual).isNotNull();
    assertThat(actual.amountMinor()).isEqualTo(expected.at("/getAmount/getAmount").asLong());
    assertThat(actual.currency().getCurrencyCode()).isEqualTo(expected.at("/getAmount/getCurrency/getCode").asText());
    assertThat(actual.date()).isEqualTo(date(expected.get("getDate")));
  }

  private static LocalDate date(JsonNode dt) {
    if (dt == null || dt.isNull() || !dt.has("0")) {
      return null;
    }
    return LocalDate.parse(dt.get("0").asText().substring(0, 10));
  }
}
