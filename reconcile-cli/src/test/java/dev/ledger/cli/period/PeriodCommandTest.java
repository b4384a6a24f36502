package dev.ledger.cli.period;

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

/** ledger period close / reopen / list, and what a closed period does to post, reverse and verify. */
class PeriodCommandTest {
  private static final String SEPTEMBER_FEE = """
      {"id":"fee-sep","effective_at":"2024-09-30T23:00:00Z","description":"bank fee",\
      "postings":[{"account":"expenses:fees:bank","currency":"CNY","debit":"1.00"},\
      {"account":"assets:bank:icbc:main","currency":"CNY","credit":"1.00"}]}
      """;
  private static final String OCTOBER_FEE = """
      {"id":"fee-oct","effective_at":"2024-10-01T00:00:00Z","description":"bank fee",\
      "postings":[{"account":"expenses:fees:bank","currency":"CNY","debit":"1.00"},\
      {"account":"assets:bank:icbc:main","currency":"CNY","credit":"1.00"}]}
      """;
  private static final String LATE_PAYMENT = """
      {"id":"pay-late","effective_at":"2024-09-30T23:59:59.999999Z","description":"late payment",\
      "postings":[{"account":"assets:wallet:wechatpay:clearing","currency":"CNY","debit":"9.00"},\
      {"account":"liabilities:merchant:m-1:payable","currency":"CNY","credit":"9.00"}]}
      """;

  private final Cli cli = new Cli();
  @TempDir Path dir;

  private Path file(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  @Test
  void aPostIntoAClosedPeriodExitsThreeNamingFileLineAndEntryAndWritesNothing() throws Exception {
    assertThat(cli.run("post", "--file", file("sep.jsonl", SEPTEMBER_FEE).toString()).exitCode()).isZero();
    Cli.Run close = cli.run("period", "close", "--through", "2024-09-30", "--reason", "September reported");
    assertThat(close.exitCode()).as(close.err()).isZero();
    assertThat(close.out()).contains("CLOSED", "2024-09-30");

    Path mixed = file("mixed.jsonl", OCTOBER_FEE + LATE_PAYMENT);
    Cli.Run post = cli.run("post", "--file", mixed.toString());

    assertThat(post.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(post.err()).contains(mixed + ":2", "entry pay-late", "PERIOD_CLOSED", "closed period");
    JsonNode october = Json.MAPPER.readTree(cli.run("balance", "assets:bank", "--as-of", "2024-10-02",
        "--format", "json").out());
    assertThat(october.get("balances").get(0).get("balance").asText()).as("fee-oct not written").isEqualTo("-1.00");
    // The replay of an entry booked before the close is still fine.
    assertThat(cli.run("post", "--file", dir.resolve("sep.jsonl").toString()).exitCode()).isZero();
  }

  @Test
  void aPrefixCloseListsReopensAndIsShownAsItWasKnown() throws Exception {
    assertThat(cli.run("period", "close", "--through", "2024-09-30", "--prefix", "assets:bank",
        "--reason", "bank reconciled").exitCode()).isZero();
    Cli.Run again = cli.run("period", "close", "--through", "2024-09-30", "--prefix", "assets:bank",
        "--reason", "rerun");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("ALREADY_CLOSED");
    assertThat(cli.run("post", "--file", file("sep.jsonl", SEPTEMBER_FEE).toString()).exitCode())
        .isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(cli.run("post", "--file", file("late.jsonl", LATE_PAYMENT).toString()).exitCode())
        .as("no posting under assets:bank").isZero();

    JsonNode listed = Json.MAPPER.readTree(cli.run("period", "list", "--format", "json").out());
    assertThat(listed).hasSize(1);
    assertThat(listed.get(0).get("through").asText()).isEqualTo("2024-09-30");
    assertThat(listed.get(0).get("prefix").asText()).isEqualTo("assets:bank");
    assertThat(listed.get(0).get("state").asText()).isEqualTo("closed");
    assertThat(listed.get(0).get("reason").asText()).isEqualTo("bank reconciled");
    assertThat(listed.get(0).get("who").asText()).isNotBlank();
    String closedAt = listed.get(0).get("when").asText();

    Cli.Run reopen = cli.run("period", "reopen", "--through", "2024-09-30", "--prefix", "assets:bank",
        "--reason", "late bank charge");
    assertThat(reopen.exitCode()).as(reopen.err()).isZero();
    assertThat(cli.run("post", "--file", dir.resolve("sep.jsonl").toString()).exitCode()).isZero();
    Cli.Run csv = cli.run("period", "list", "--format", "csv");
    assertThat(csv.out()).startsWith("through,prefix,state,reason,who,when").contains("open", "late bank charge");

    JsonNode asKnown = Json.MAPPER.readTree(cli.run("period", "list", "--known-at", closedAt, "--format", "json").out());
    assertThat(asKnown.get(0).get("state").asText()).isEqualTo("closed");
    JsonNode before = Json.MAPPER.readTree(cli.run("period", "list", "--known-at", "2024-01-01", "--format", "json").out());
    assertThat(before).isEmpty();

    Cli.Run notClosed = cli.run("period", "reopen", "--through", "2024-09-30", "--prefix", "assets:bank",
        "--reason", "twice");
    assertThat(notClosed.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(notClosed.err()).contains("not closed", "nothing recorded");
    assertThat(cli.run("verify").exitCode()).isZero();
  }

  @Test
  void aReversalOfAnEntryInAClosedPeriodIsBookedAfterIt() throws Exception {
    assertThat(cli.run("post", "--file", file("sep.jsonl", SEPTEMBER_FEE).toString()).exitCode()).isZero();
    cli.run("period", "close", "--through", "2024-09-30", "--reason", "reported");

    Cli.Run reverse = cli.run("reverse", "fee-sep", "--id", "fee-sep-rev", "--reason", "charged twice",
        "--effective-at", "2024-09-30T23:30:00Z", "--format", "json");

    assertThat(reverse.exitCode()).as(reverse.err()).isZero();
    JsonNode json = Json.MAPPER.readTree(reverse.out());
    assertThat(json.get("effective_at").asText()).isEqualTo("2024-10-01T00:00:00Z");
    assertThat(json.get("message").asText()).contains("closed period");
  }

  @Test
  void badArgumentsAreUsageErrorsAndRecordNothing() throws Exception {
    assertThat(cli.run("period", "close", "--through", "2024-09-30T12:00:00Z", "--reason", "r").exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(cli.run("period", "close", "--through", "2024-09-31", "--reason", "r").exitCode())
        .isEqualTo(ExitCode.USAGE);
    Cli.Run prefix = cli.run("period", "close", "--through", "2024-09-30", "--prefix", "Assets:Bank", "--reason", "r");
    assertThat(prefix.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(prefix.err()).contains("--prefix");
    assertThat(cli.run("period", "close", "--through", "2024-09-30", "--reason", " ").exitCode())
        .isEqualTo(ExitCode.USAGE);
    assertThat(cli.run("period", "close", "--through", "2024-09-30").exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(cli.run("period").exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(Json.MAPPER.readTree(cli.run("period", "list", "--format", "json").out())).isEmpty();
  }
}
