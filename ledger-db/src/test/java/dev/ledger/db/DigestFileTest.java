package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestFileTest {
  private static final String HASH = "0123456789abcdef".repeat(4);
  private static final String GOOD = "{\"sequence\":12,\"hash\":\"" + HASH + "\",\"recorded_at\":\"2024-09-01T08:00:00.123456Z\"}";
  @TempDir Path dir;

  private Path write(String text) throws Exception {
    return Files.writeString(dir.resolve("d.jsonl"), text, StandardCharsets.UTF_8);
  }

  @Test
  void whatDigestPrintsReadsBackLineByLine() throws Exception {
    ChainDigest digest = new ChainDigest(12, HASH, Instant.parse("2024-09-01T08:00:00.123456Z"));
    assertThat(digest.toJson()).isEqualTo(GOOD);
    DigestFile file = DigestFile.read(write("\n" + GOOD + "\n \n{ \"recorded_at\" : \"2024-09-01T16:00:00+08:00\","
        + " \"hash\": \"" + HASH.toUpperCase() + "\", \"sequence\": 0 }\n"));
    assertThat(file.lines()).extracting(DigestFile.Line::number).containsExactly(2L, 4L);
    assertThat(file.lines().get(0).digest()).isEqualTo(digest);
    assertThat(file.lines().get(1).digest()).isEqualTo(new ChainDigest(0, HASH, Instant.parse("2024-09-01T08:00:00Z")));
    assertThat(file.where(file.lines().get(1))).isEqualTo(dir.resolve("d.jsonl") + ":4");
  }

  @Test
  void everyMalformedLineRejectsTheFileNamingFileAndLine() throws Exception {
    String[][] cases = {
        {"not json", "expected '{'"},
        {GOOD + GOOD, "text after the object"},
        {GOOD + " x", "text after the object"},
        {GOOD.replace("\"sequence\":12", "\"sequence\":12,\"sequence\":13"), "duplicate key 'sequence'"},
        {GOOD.replace("\"sequence\":12,", ""), "'sequence' is missing"},
        {GOOD.replace("\"sequence\":12", "\"sequence\":\"12\""), "'sequence' must be a whole number"},
        {GOOD.replace("\"sequence\":12", "\"sequence\":-1"), "'sequence' must be a whole number"},
        {GOOD.replace("\"sequence\":12", "\"sequence\":1.5"), "'sequence' must be a whole number"},
        {GOOD.replace("\"sequence\":12", "\"sequence\":99999999999999999999"), "'sequence'"},
        {GOOD.replace(HASH, "abc"), "not 64 hex digits"},
        {GOOD.replace("2024-09-01T08:00:00.123456Z", "yesterday"), "not an ISO-8601 time"},
        {GOOD.replace("}", ",\"note\":\"x\"}"), "unknown key 'note'"},
        {GOOD.substring(0, 30), "not complete"},
    };
    for (String[] c : cases) {
      Path file = write(GOOD + "\n" + c[0] + "\n");
      assertThatThrownBy(() -> DigestFile.read(file)).as(c[0])
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith(file + ":2: invalid digest: ")
          .hasMessageContaining(c[1]);
    }
  }

  @Test
  void invalidUtf8IsNamedByItsPhysicalLineAndAnEmptyFileProvesNothing() throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.write(file, (GOOD + "\n" + GOOD + "\n").getBytes(StandardCharsets.UTF_8));
    byte[] bytes = Files.readAllBytes(file);
    byte[] broken = new byte[bytes.length + 1];
    System.arraycopy(bytes, 0, broken, 0, GOOD.length() + 1);
    broken[GOOD.length() + 1] = (byte) 0xff;
    System.arraycopy(bytes, GOOD.length() + 1, broken, GOOD.length() + 2, bytes.length - GOOD.length() - 1);
    Files.write(file, broken);
    assertThatThrownBy(() -> DigestFile.read(file)).hasMessageContaining(file + ":2");
    Path empty = write("\n\n");
    assertThatThrownBy(() -> DigestFile.read(empty)).hasMessageContaining("holds no digest");
  }
}
