package dev.ledger.cli.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ledger.cli.Json;
import dev.ledger.journal.Entry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The token-stream reader agrees with the tree reader on every line it accepts, and declines the rest. */
class EntryJsonTest {
  private static final ObjectReader STRICT = Json.MAPPER.reader()
      .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private static final String USUAL = "{\"id\":\"e-1\",\"effective_at\":\"2024-09-12T10:15:02+08:00\","
      + "\"description\":\"pay \\\"x\\\" \\u00e9\",\"metadata\":{\"provider\":\"wechat\",\"order\":\"o-1\"},"
      + "\"postings\":[{\"account\":\"assets:wallet:wechat\",\"currency\":\"CNY\",\"debit\":\"100.00\"},"
      + "{\"credit\":\"100\",\"account\":\"income:sales\",\"currency\":\"CNY\"}]}";

  @Test
  void theUsualShapeIsReadExactlyAsTheTreeReaderReadsIt() throws Exception {
    Entry usual = EntryJson.readUsual(USUAL);
    assertThat(usual).isNotNull();
    assertThat(usual.canonical()).isEqualTo(EntryJson.read(STRICT.readTree(USUAL)).canonical());
    String reversal = "{\"id\":\"r-1\",\"reversal_of\":\"e-1\",\"effective_at\":\"2024-09-12T02:15:02.5Z\","
        + "\"postings\":[{\"account\":\"assets:a\",\"currency\":\"JPY\",\"credit\":\"7\"},"
        + "{\"account\":\"income:b\",\"currency\":\"JPY\",\"debit\":\"7\"}]}  ";
    assertThat(EntryJson.readUsual(reversal).canonical())
        .isEqualTo(EntryJson.read(STRICT.readTree(reversal)).canonical());
  }

  @Test
  void everyLineTheTreeReaderRefusesOrReadsDifferentlyIsDeclined() {
    List<String> lines = new ArrayList<>(List.of(
        USUAL.replace("\"id\":\"e-1\",", "\"id\":\"e-1\",\"id\":\"e-2\","),                 // duplicate key
        USUAL.replace("\"provider\":\"wechat\"", "\"provider\":\"wechat\",\"provider\":\"x\""), // duplicate metadata key
        USUAL + " {}",                                                                    // trailing object
        USUAL.replace("\"description\":\"pay \\\"x\\\" \\u00e9\"", "\"description\":null"),
        USUAL.replace("\"debit\":\"100.00\"", "\"debit\":100.00"),                        // number amount
        USUAL.replace("\"debit\":\"100.00\"", "\"debit\":\"100.00\",\"credit\":\"1\""),   // both sides
        USUAL.replace("\"id\":\"e-1\",", "\"id\":\"e-1\",\"colour\":\"red\","),           // unknown field
        USUAL.replace("\"id\":\"e-1\",", "\"id\":\"e-1\",\"pending\":{\"expires_at\":\"2024-09-13T00:00:00Z\"},"),
        USUAL.replace("\"debit\":\"100.00\"", "\"debit\":\"100.001\""),                   // too many decimals
        USUAL.replace("\"debit\":\"100.00\"", "\"debit\":\"99.00\""),                     // unbalanced
        USUAL.replace("assets:wallet:wechat", "Assets:Wallet"),
        USUAL.replace("2024-09-12T10:15:02+08:00", "2024-02-30T10:15:02+08:00"),
        USUAL.replace("2024-09-12T10:15:02+08:00", "2024-09-12T10:15:02"),               // no offset
        USUAL.replace("\"provider\":\"wechat\"", "\"provider\":7"),
        USUAL.replace("\"id\":\"e-1\"", "\"id\":\"e 1\""),
        "[" + USUAL + "]",
        "{\"id\":\"e-1\"",
        "{}",
        "nonsense"));
    for (String line : lines) {
      Entry tree;
      try {
        tree = EntryJson.read(STRICT.readTree(line));
      } catch (Exception e) {
        tree = null;
      }
      Entry usual = EntryJson.readUsual(line);
      if (tree == null) {
        assertThat(usual).as(line).isNull();
      } else if (usual != null) {
        assertThat(usual.canonical()).as(line).isEqualTo(tree.canonical());
      }
    }
  }

  @Test
  void timesReadByHandAreTheInstantsTheIsoParserGives() {
    List<String> times = new ArrayList<>(List.of("2024-09-12T10:15:02Z", "2024-09-12T10:15:02+08:00",
        "2024-09-12T10:15:02.123456-05:30", "2024-09-12T10:15:02.1+00:00", "2024-09-12T10:15:02-00:00",
        "2024-02-29T23:59:59+14:00", "2023-02-29T10:15:02Z", "2024-09-12T24:00:00Z", "2024-09-12T10:15:60Z",
        "2024-09-12T10:15:02.Z", "2024-09-12T10:15:02.1234567891Z", "2024-09-12T10:15:02+19:00",
        "2024-09-12T10:15:02+08:60", "2024-09-12t10:15:02z", "2024-09-12T10:15+08:00", "0000-01-01T00:00:00Z",
        "2024-13-01T00:00:00Z", "2024-09-12T10:15:02+0800", "2024-09-12T10:15:02+08:00:00", "+2024-09-12T10:15:02Z"));
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 2_000; i++) {
      times.add(String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", random.nextInt(1900, 2100), random.nextInt(0, 14),
          random.nextInt(0, 33), random.nextInt(0, 25), random.nextInt(0, 61), random.nextInt(0, 61),
          random.nextBoolean() ? "" : "." + random.nextInt(0, 1_000_000),
          random.nextInt(3) == 0 ? "Z" : String.format("%s%02d:%02d", random.nextBoolean() ? "+" : "-",
              random.nextInt(0, 20), random.nextInt(0, 61))));
    }
    int accepted = 0;
    for (String text : times) {
      Instant iso;
      try {
        iso = EntryJson.time(text);
      } catch (IllegalArgumentException e) {
        iso = null;
      }
      Instant byHand;
      try {
        byHand = EntryJson.usualTime(text);
      } catch (IllegalArgumentException e) {
        byHand = null;
      }
      assertThat(byHand).as(text).isEqualTo(iso);
      accepted += iso == null ? 0 : 1;
    }
    assertThat(accepted).as("times accepted").isGreaterThan(500);
  }
}
