package dev.ledger.cli.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.cli.Cli;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DigestCommandTest {
  private final Cli cli = new Cli();
  @TempDir Path dir;

  @Test
  void digestPrintsTheChainHeadAsOneJsonLineAndAsATable() throws Exception {
    Cli.Run empty = cli.run("digest", "--format", "json");
    assertThat(empty.exitCode()).as(empty.err()).isEqualTo(ExitCode.OK);
    assertThat(empty.out()).isEqualTo("{\"sequence\":0,\"hash\":\"" + "0".repeat(64)
        + "\",\"recorded_at\":\"1970-01-01T00:00:00Z\"}" + System.lineSeparator());

    Path file = Files.writeString(dir.resolve("e.jsonl"), PostCommandTest.PAYMENT, StandardCharsets.UTF_8);
    assertThat(cli.run("post", "--file", file.toString()).exitCode()).isZero();
    Cli.Run json = cli.run("digest", "--format", "json");
    assertThat(json.out().strip()).doesNotContain("\n");
    JsonNode digest = Json.MAPPER.readTree(json.out());
    // The chain seals the accounts the post created, then the entry: four records.
    assertThat(digest.get("sequence").asLong()).isEqualTo(4);
    assertThat(digest.get("hash").asText()).matches("[0-9a-f]{64}").isNotEqualTo("0".repeat(64));
    assertThat(digest.get("recorded_at").asText()).endsWith("Z");
    assertThat(digest.size()).isEqualTo(3);

    Cli.Run table = cli.run("digest", "--format", "table");
    assertThat(table.exitCode()).isZero();
    assertThat(table.out()).contains("sequence", "hash", "recorded_at", digest.get("hash").asText(),
        digest.get("recorded_at").asText());
  }
}
