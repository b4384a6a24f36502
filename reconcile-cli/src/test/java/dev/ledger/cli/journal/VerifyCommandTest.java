package dev.ledger.cli.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.cli.Cli;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.db.TestDatabases;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
  private final Cli cli = new Cli();
  @TempDir Path dir;

  @Test
  void verifyPassesOnAnIntactLedgerAndNamesTheEntryAfterASuperuserTamperedWithIt() throws Exception {
    Path file = Files.writeString(dir.resolve("e.jsonl"), PostCommandTest.PAYMENT + "\n" + PostCommandTest.PAYMENT
        .replace("pay-4200001234", "pay-2").replace("4200001234", "99"), StandardCharsets.UTF_8);
    assertThat(cli.run("post", "--file", file.toString()).exitCode()).isZero();
    Cli.Run clean = cli.run("verify", "--format", "json");
    assertThat(clean.exitCode()).as(clean.err()).isZero();
    assertThat(Json.MAPPER.readTree(clean.out()).get("entries_checked").asInt()).isEqualTo(2);

    String database = URI.create(cli.url().substring("jdbc:".length())).getPath().substring(1);
    try (Connection c = TestDatabases.superuser(database); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE postings DISABLE TRIGGER ALL");
      s.execute("UPDATE postings SET amount = amount * 10 WHERE entry_sequence = "
          + "(SELECT sequence FROM entries WHERE id = 'pay-2')");
      s.execute("ALTER TABLE postings ENABLE TRIGGER ALL");
    }
    Cli.Run tampered = cli.run("verify", "--format", "json");
    assertThat(tampered.exitCode()).isEqualTo(ExitCode.INTEGRITY_VIOLATION);
    assertThat(Json.MAPPER.readTree(tampered.out()).get("entry_id").asText()).isEqualTo("pay-2");
    assertThat(tampered.err()).contains("integrity violation").contains("pay-2");
  }

  private String database() {
    return URI.create(cli.url().substring("jdbc:".length())).getPath().substring(1);
  }

  private void post(String id) throws Exception {
    Path file = Files.writeString(dir.resolve(id + ".jsonl"),
        PostCommandTest.PAYMENT.replace("pay-4200001234", id).replace("4200001234", id), StandardCharsets.UTF_8);
    Cli.Run run = cli.run("post", "--file", file.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
  }

  /** Appends the current digest to digests.jsonl, as an auditor would with `ledger digest >>`. */
  private Path keepDigest() throws Exception {
    Cli.Run digest = cli.run("digest", "--format", "json");
    assertThat(digest.exitCode()).as(digest.err()).isZero();
    Path file = dir.resolve("digests.jsonl");
    Files.writeString(file, digest.out(), StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    return file;
  }

  @Test
  void aCleanLedgerExtendsEveryDigestTakenOnTheWay() throws Exception {
    keepDigest();
    post("p-1");
    keepDigest();
    post("p-2");
    post("p-3");
    Path digests = keepDigest();
    Cli.Run run = cli.run("verify", "--digest", digests.toString(), "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    var json = Json.MAPPER.readTree(run.out());
    assertThat(json.get("digests_checked").asInt()).isEqualTo(3);
    assertThat(json.get("digest").isNull()).isTrue();
    assertThat(cli.run("verify", "--digest", digests.toString(), "--format", "table").out())
        .contains("extends all 3 digests");
  }

  @Test
  void aRewrittenAndRehashedHistoryExits4NamingTheDigestFileLineAndSequence() throws Exception {
    post("p-1");
    keepDigest();
    post("p-2");
    Path digests = keepDigest();
    post("p-3");
    dev.ledger.db.Tampering.rewriteAndRehash(database(),
        "UPDATE postings SET amount = amount * 3 WHERE entry_sequence = 2");
    assertThat(cli.run("verify").exitCode()).as("consistent in itself").isEqualTo(ExitCode.OK);

    Cli.Run run = cli.run("verify", "--digest", digests.toString(), "--format", "table");
    assertThat(run.exitCode()).isEqualTo(ExitCode.INTEGRITY_VIOLATION);
    assertThat(run.err()).contains("ledger: integrity violation: digest " + digests + ":2 (sequence "
        + sequenceAt(digests, 2) + ")", "history up to it was rewritten", "entry p-2");
    assertThat(run.out()).contains(digests + ":2");
  }

  @Test
  void aCutTailWithARewoundHeadExits4NamingTheDigest() throws Exception {
    post("p-1");
    post("p-2");
    post("p-3");
    Path digests = keepDigest();
    dev.ledger.db.Tampering.cutTailAfter(database(), 1);
    assertThat(cli.run("verify").exitCode()).as("consistent in itself").isEqualTo(ExitCode.OK);

    Cli.Run run = cli.run("verify", "--digest", digests.toString(), "--format", "json");
    assertThat(run.exitCode()).isEqualTo(ExitCode.INTEGRITY_VIOLATION);
    var digest = Json.MAPPER.readTree(run.out()).get("digest");
    assertThat(digest.get("at").asText()).isEqualTo(digests + ":1");
    long kept = sequenceAt(digests, 1);
    assertThat(digest.get("sequence").asLong()).isEqualTo(kept);
    assertThat(digest.get("problem").asText()).contains("tail was cut", "ends at sequence " + (kept - 2));
    assertThat(run.err()).contains(digests + ":1 (sequence " + kept + ")", "tail was cut");
  }

  @Test
  void aMalformedOrMissingDigestFileExits3NamingFileAndLine() throws Exception {
    Path digests = keepDigest();
    Files.writeString(digests, "{\"sequence\":1}\n", StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    Cli.Run run = cli.run("verify", "--digest", digests.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(run.err()).contains(digests + ":2: invalid digest: 'hash' is missing").doesNotContain("Exception");

    Cli.Run missing = cli.run("verify", "--digest", dir.resolve("nope.jsonl").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(missing.err()).contains("nope.jsonl: file not found");
  }

  @Test
  void aCutTailWithoutARewoundHeadIsNamedBySequenceNotWithAnEmptyMessage() throws Exception {
    post("p-1");
    post("p-2");
    try (Connection c = TestDatabases.superuser(database()); Statement s = c.createStatement()) {
      s.execute("SET session_replication_role = replica");
      s.execute("DELETE FROM postings WHERE entry_sequence = 2");
      s.execute("DELETE FROM entries WHERE sequence = 2");
    }
    Cli.Run run = cli.run("verify", "--format", "table");
    assertThat(run.exitCode()).isEqualTo(ExitCode.INTEGRITY_VIOLATION);
    assertThat(run.err()).containsPattern("ledger: integrity violation: chain at sequence \\d+: entry with"
        + " sequence 2 is sealed at \\d+ but missing \\(removed\\)");
    assertThat(run.out()).doesNotContain("null");
  }

  /** The sequence of the digest on line {@code line} (1-based) of a digest file. */
  private static long sequenceAt(Path digests, int line) throws Exception {
    return Json.MAPPER.readTree(Files.readAllLines(digests).get(line - 1)).get("sequence").asLong();
  }
}
