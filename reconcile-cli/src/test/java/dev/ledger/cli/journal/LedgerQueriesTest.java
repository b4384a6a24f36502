package dev.ledger.cli.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.cli.Cli;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an auditor asks: balances as of and as known at, trial balance, history, reversals. */
class LedgerQueriesTest {
  private final Cli cli = new Cli();
  @TempDir Path dir;
  private String knownBeforeBackdate;

  private static JsonNode json(Cli.Run run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isIn(0, 1);
    return Json.MAPPER.readTree(run.out());
  }

  @BeforeEach
  void postADayAndABackdatedCorrection() throws Exception {
    Path first = Files.writeString(dir.resolve("first.jsonl"), PostCommandTest.PAYMENT, StandardCharsets.UTF_8);
    assertThat(cli.run("post", "--file", first.toString()).exitCode()).isZero();
    Thread.sleep(5);
    knownBeforeBackdate = java.time.Instant.now().toString();
    Thread.sleep(5);
    String backdated = """
        {"id":"adj-1","effective_at":"2024-09-12T09:00:00+08:00","description":"backdated top-up",\
        "postings":[{"account":"assets:wallet:wechatpay:clearing","currency":"CNY","debit":"5.00"},\
        {"account":"equity:capital","currency":"CNY","credit":"5.00"}]}""";
    Path second = Files.writeString(dir.resolve("second.jsonl"), backdated, StandardCharsets.UTF_8);
    assertThat(cli.run("post", "--file", second.toString()).exitCode()).isZero();
  }

  @Test
  void balanceAsOfAndKnownAtShowWhatTheAuditorWouldHaveSeen() throws Exception {
    JsonNode now = json(cli.run("balance", "assets:wallet:wechatpay:clearing", "--format", "json"));
    assertThat(now.get("account").asText()).isEqualTo("assets:wallet:wechatpay:clearing");
    assertThat(now.get("balances").get(0).get("balance").asText()).isEqualTo("104.40");
    assertThat(now.get("balances").get(0).get("debits").asText()).isEqualTo("105.00");

    JsonNode morning = json(cli.run("balance", "assets:wallet:wechatpay:clearing", "--as-of",
        "2024-09-12T09:30:00+08:00", "--format", "json"));
    assertThat(morning.get("balances").get(0).get("balance").asText()).isEqualTo("5.00");

    JsonNode asKnown = json(cli.run("balance", "assets:wallet", "--known-at", knownBeforeBackdate, "--format", "json"));
    assertThat(asKnown.get("known_at").asText()).isEqualTo(knownBeforeBackdate);
    assertThat(asKnown.get("balances").get(0).get("balance").asText()).isEqualTo("99.40");
  }

  @Test
  void trialBalanceIsBalancedAndHistoryCarriesRunningBalances() throws Exception {
    JsonNode trial = json(cli.run("trial-balance", "--format", "json"));
    assertThat(trial.get("totals").get(0).get("balanced").asBoolean()).isTrue();
    assertThat(trial.get("accounts")).hasSize(4);

    JsonNode history = json(cli.run("history", "assets:wallet:wechatpay:clearing", "--format", "json"));
    assertThat(history).extracting(h -> h.get("entry_id").asText() + " " + h.get("balance").asText())
        .containsExactly("adj-1 5.00", "pay-4200001234 105.00", "pay-4200001234 104.40");
  }

  @Test
  void reverseNetsTheEntryOutAndIsAllowedOnce() throws Exception {
    Cli.Run reverse = cli.run("reverse", "adj-1", "--id", "adj-1-rev", "--reason", "booked twice", "--format", "json");
    assertThat(reverse.exitCode()).as(reverse.err()).isZero();
    assertThat(json(cli.run("balance", "equity:capital", "--format", "json")).get("balances").get(0).get("balance")
        .asText()).isEqualTo("0.00");
    Cli.Run again = cli.run("reverse", "adj-1", "--id", "adj-1-rev2", "--reason", "again");
    assertThat(again.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(again.err()).contains("ALREADY_REVERSED").contains("adj-1-rev");
    Cli.Run missing = cli.run("reverse", "nope", "--id", "x-1", "--reason", "r");
    assertThat(missing.err()).contains("REVERSAL_TARGET_NOT_FOUND");
  }

  @Test
  void accountsAreListedByPrefixWithTheirFlags() throws Exception {
    assertThat(cli.run("accounts", "create", "assets:bank:icbc:main", "--no-overdraft").exitCode()).isZero();
    assertThat(cli.run("accounts", "create", "assets:bank:icbc:main", "--no-overdraft").exitCode()).isZero();
    Cli.Run conflict = cli.run("accounts", "create", "assets:bank:icbc:main");
    assertThat(conflict.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    JsonNode list = json(cli.run("accounts", "list", "assets", "--format", "json"));
    assertThat(list).extracting(a -> a.get("account").asText() + " " + a.get("no_overdraft").asBoolean())
        .containsExactly("assets:bank:icbc:main true", "assets:wallet:wechatpay:clearing false");
    Cli.Run invalid = cli.run("accounts", "create", "asset:bank");
    assertThat(invalid.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(invalid.err()).contains("Unknown account type 'asset'");
  }

  @Test
  void csvOutputNeutralisesFormulasButKeepsNumbers() throws Exception {
    String formula = """
        {"id":"f-1","effective_at":"2024-09-12T09:00:00+08:00","description":"=HYPERLINK(\\"http://evil\\")",\
        "postings":[{"account":"assets:bank:icbc:main","currency":"CNY","debit":"1.00"},\
        {"account":"equity:capital","currency":"CNY","credit":"1.00"}]}""";
    Path file = Files.writeString(dir.resolve("f.jsonl"), formula, StandardCharsets.UTF_8);
    assertThat(cli.run("post", "--file", file.toString()).exitCode()).isZero();
    Cli.Run csv = cli.run("history", "equity:capital", "--format", "csv");
    assertThat(csv.out()).contains("\"'=HYPERLINK(\"\"http://evil\"\")\"").contains(",6.00,").doesNotContain(",=HYPERLINK");
  }
}
