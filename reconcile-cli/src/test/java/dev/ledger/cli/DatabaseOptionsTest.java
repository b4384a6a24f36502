package dev.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.db.TestDatabases;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --statement-timeout: every statement of a command is bounded, and a timeout is one clean line. */
class DatabaseOptionsTest {
  private static final String ENTRY = """
      {"id":"blocked-1","effective_at":"2024-09-12T10:15:02+08:00","description":"waits",\
      "postings":[{"account":"assets:bank:icbc:main","currency":"CNY","debit":"1.00"},\
      {"account":"equity:capital","currency":"CNY","credit":"1.00"}]}""";

  private final Cli cli = new Cli();
  @TempDir Path dir;

  private String database() {
    return URI.create(cli.url().substring("jdbc:".length())).getPath().substring(1);
  }

  @Test
  void aPostStuckBehindALockExitsFiveWithOneLineNamingTheTimeout() throws Exception {
    Path file = Files.writeString(dir.resolve("e.jsonl"), ENTRY + "\n", StandardCharsets.UTF_8);
    assertThat(cli.run("accounts", "list", "--format", "json").exitCode()).isZero(); // migrated
    try (Connection holder = TestDatabases.superuser(database())) {
      holder.setAutoCommit(false);
      try (Statement s = holder.createStatement()) {
        s.execute("LOCK TABLE balances IN SHARE ROW EXCLUSIVE MODE"); // what a post writes first
      }
      Cli.Run run = cli.run("post", "--file", file.toString(), "--statement-timeout", "500ms");
      holder.rollback();
      assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.ENVIRONMENT);
      assertThat(run.err()).isEqualTo("ledger: Posting 1 entries (first blocked-1) failed: canceling "
          + "statement due to statement timeout (the limit is --statement-timeout or "
          + "LEDGER_STATEMENT_TIMEOUT)" + System.lineSeparator());
    }
    Cli.Run later = cli.run("post", "--file", file.toString(), "--format", "json");
    assertThat(later.exitCode()).as(later.err()).isZero();
    assertThat(Json.MAPPER.readTree(later.out()).get("created").asInt()).isEqualTo(1);
  }

  @Test
  void aTimeoutThatIsNotAPositiveDurationIsAUsageError() {
    for (String bad : new String[] {"0", "-5s", "5 parsecs", "1000h"}) {
      Cli.Run run = cli.run("accounts", "list", "--statement-timeout", bad);
      assertThat(run.exitCode()).as(bad).isEqualTo(ExitCode.USAGE);
      assertThat(run.err()).contains("--statement-timeout must be a positive duration", "'" + bad + "'");
    }
  }

  @Test
  void durationsReadAsPostgresqlWritesThem() {
    DatabaseOptions options = new DatabaseOptions();
    options.statementTimeout = "90";
    assertThat(options.statementTimeout()).hasSeconds(90);
    options.statementTimeout = "1500ms";
    assertThat(options.statementTimeout()).hasMillis(1500);
    options.statementTimeout = "5min";
    assertThat(options.statementTimeout()).hasMinutes(5);
    options.statementTimeout = "2h";
    assertThat(options.statementTimeout()).hasHours(2);
  }

  @Test
  void theIdleTimeComesFromLedgerIdleMinutesAndAnythingButWholeMinutesIsAUsageError() {
    assertThat(new DatabaseOptions(name -> null).idle()).hasMinutes(10);
    assertThat(new DatabaseOptions(name -> name.equals("LEDGER_IDLE_MINUTES") ? "0" : null).idle()).isZero();
    assertThat(new DatabaseOptions(name -> name.equals("LEDGER_IDLE_MINUTES") ? " 3 " : null).idle()).hasMinutes(3);
    for (String bad : new String[] {"-1", "ten", "1.5", "10081"}) {
      DatabaseOptions options = new DatabaseOptions(name -> name.equals("LEDGER_IDLE_MINUTES") ? bad : null);
      org.assertj.core.api.Assertions.assertThatThrownBy(options::idle)
          .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE))
          .hasMessageContaining("LEDGER_IDLE_MINUTES", "'" + bad + "'");
    }
  }

  @Test
  void theDefaultDataDirectoryFollowsHomeAsTheShellHasIt() {
    DatabaseOptions options = new DatabaseOptions(name -> name.equals("HOME") ? "/home/finance" : null);
    assertThat(options.dataDir()).isEqualTo(Path.of("/home/finance", ".ledger"));
    DatabaseOptions configured = new DatabaseOptions(name -> switch (name) {
      case "HOME" -> "/home/finance";
      case "LEDGER_HOME" -> "/srv/ledger";
      default -> null;
    });
    assertThat(configured.dataDir()).isEqualTo(Path.of("/srv/ledger"));
  }
}
