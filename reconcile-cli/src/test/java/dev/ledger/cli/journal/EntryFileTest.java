package dev.ledger.cli.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation of files large enough to be parsed on several threads gives what one thread gives. */
class EntryFileTest {
  @TempDir
  Path dir;

  private static String line(int i) {
    return "{\"id\":\"big-" + i + "\",\"effective_at\":\"2024-09-12T10:00:00Z\",\"description\":\"line " + i
        + "\",\"metadata\":{\"order_id\":\"O-" + i + "\"},\"postings\":["
        + "{\"account\":\"assets:bank:icbc:main\",\"currency\":\"CNY\",\"debit\":\"1.00\"},"
        + "{\"account\":\"income:sales\",\"currency\":\"CNY\",\"credit\":\"1.00\"}]}";
  }

  /** More than the parallel threshold: {@code lines} entries, with {@code bad} (1-based) replaced. */
  private Path bigFile(String name, int lines, int badLine, String bad) throws IOException {
    Path file = dir.resolve(name);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 1; i <= lines; i++) {
        out.write(i == badLine ? bad : line(i));
        out.write(i % 1000 == 0 ? "\r\n" : "\n"); // some CRLF endings, counted as one line each
      }
    }
    assertThat(Files.size(file)).isGreaterThan(EntryFile.PARALLEL_BYTES_MIN);
    return file;
  }

  @Test
  void aLargeValidFileCountsEveryEntryOnce() throws IOException {
    Path file = bigFile("big.jsonl", 40_000, -1, null);
    EntryFile.Validation validation = EntryFile.validate(file);
    assertThat(validation.failures()).isEmpty();
    assertThat(validation.entries()).isEqualTo(40_000);
  }

  @Test
  void aBadLineLateInALargeFileIsNamedAtItsOwnLineNumber() throws IOException {
    String unbalanced = line(39_001).replace("\"credit\":\"1.00\"", "\"credit\":\"0.99\"");
    Path file = bigFile("late.jsonl", 40_000, 39_001, unbalanced);
    EntryFile.Validation validation = EntryFile.validate(file);
    assertThat(validation.entries()).isEqualTo(39_999);
    assertThat(validation.failures()).singleElement().asString()
        .startsWith(file + ":39001: Entry big-39001 is unbalanced in CNY");
  }

  @Test
  void blankLinesAndTheSequentialCountAgreeWithTheChunksThatAreWritten() throws IOException {
    Path file = bigFile("blank.jsonl", 40_000, 20_000, "   ");
    EntryFile.Validation validation = EntryFile.validate(file);
    assertThat(validation.failures()).isEmpty();
    long chunked = 0;
    var chunks = EntryFile.chunks(file, EntryFile.CHUNK_ENTRIES).get();
    while (chunks.hasNext()) {
      chunked += chunks.next().size();
    }
    assertThat(validation.entries()).isEqualTo(39_999).isEqualTo(chunked);
    assertThat(List.of(validation.name())).containsExactly(file.toString());
  }

  @Test
  void validationNamesEveryBalanceKeyOfTheFileOnOneThreadOrSeveral() throws IOException {
    String usd = line(30_000).replace("\"CNY\"", "\"USD\"").replace("assets:bank:icbc:main", "assets:bank:usd");
    Path big = bigFile("keys.jsonl", 40_000, 30_000, usd);
    Path small = dir.resolve("small.jsonl");
    Files.writeString(small, line(1) + "\n" + usd + "\n");
    for (Path file : List.of(big, small)) {
      assertThat(EntryFile.validate(file).balanceKeys()).as(file.toString())
          .extracting(k -> k.account() + " " + k.currency().getCurrencyCode())
          .containsExactlyInAnyOrder("assets:bank:icbc:main CNY", "income:sales CNY",
              "assets:bank:usd USD", "income:sales USD");
    }
  }

  @Test
  void aFileWithAPendingEntryHasNoBalanceKeysSoItIsPostedChunkByChunk() throws IOException {
    String pending = line(20_000).replace("\"postings\"", "\"pending\":{\"expires_at\":\"2024-09-13T00:00:00Z\"},\"postings\"");
    Path file = bigFile("pending.jsonl", 40_000, 20_000, pending);
    EntryFile.Validation validation = EntryFile.validate(file);
    assertThat(validation.failures()).isEmpty();
    assertThat(validation.balanceKeys()).isNull();
  }
}
