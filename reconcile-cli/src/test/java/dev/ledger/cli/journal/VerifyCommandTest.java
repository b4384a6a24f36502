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
}
