package dev.ledger.cli.pending;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.cli.Cli;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PendingCommandTest {
  private static final String FUND = """
      {"id":"fund","effective_at":"2024-09-12T08:00:00+08:00","description":"funding",\
      "postings":[{"account":"assets:wallet:wechatpay:clearing","currency":"CNY","debit":"100.00"},\
      {"account":"equity:capital","currency":"CNY","credit":"100.00"}]}""";
  private static final String WITHDRAWAL = """
      {"id":"wd-1","effective_at":"2024-09-12T18:00:00+08:00","description":"withdrawal to the bank",\
      "pending":{"expires_at":"2100-01-01T00:00:00+08:00"},\
      "postings":[{"account":"assets:bank:icbc:main","currency":"CNY","debit":"60.00"},\
      {"account":"assets:wallet:wechatpay:clearing","currency":"CNY","credit":"60.00"}]}""";

  private final Cli cli = new Cli();
  @TempDir Path dir;

  private Path file(String name, String... lines) throws Exception {
    return Files.writeString(dir.resolve(name), String.join("\n", lines));
  }

  private static JsonNode json(Cli.Run run) throws Exception {
    return Json.MAPPER.readTree(run.out());
  }

  private JsonNode wallet() throws Exception {
    Cli.Run balance = cli.run("balance", "assets:wallet:wechatpay:clearing", "--format", "json");
    assertThat(balance.exitCode()).as(balance.err()).isEqualTo(ExitCode.OK);
    return json(balance).get("balances").get(0);
  }

  private void setUp() throws Exception {
    assertThat(cli.run("accounts", "create", "assets:wallet:wechatpay:clearing", "--no-overdraft").exitCode())
        .isEqualTo(ExitCode.OK);
    Cli.Run post = cli.run("post", "--file", file("day.jsonl", FUND, WITHDRAWAL).toString());
    assertThat(post.exitCode()).as(post.err()).isEqualTo(ExitCode.OK);
  }

  @Test
  void aPendingEntryFromAFileShowsInTheBalanceAndTheList() throws Exception {
    setUp();
    JsonNode wallet = wallet();
    assertThat(wallet.get("balance").asText()).isEqualTo("100.00");
    assertThat(wallet.get("posted").asText()).isEqualTo("100.00");
    assertThat(wallet.get("pending").asText()).isEqualTo("-60.00");
    assertThat(wallet.get("available").asText()).isEqualTo("40.00");
    Cli.Run list = cli.run("pending", "list", "--format", "json");
    assertThat(list.exitCode()).as(list.err()).isEqualTo(ExitCode.OK);
    assertThat(json(list).get(0).get("id").asText()).isEqualTo("wd-1");
    assertThat(json(list).get(0).get("expires_at").asText()).isEqualTo("2099-12-31T16:00:00Z");
    assertThat(json(cli.run("pending", "list", "--expired", "--format", "json"))).isEmpty();
  }

  @Test
  void aPartialPostBooksItAndASecondSettlementExitsThree() throws Exception {
    setUp();
    Cli.Run post = cli.run("pending", "post", "wd-1", "--id", "wd-1-post", "--amount", "45.50", "--format", "json");
    assertThat(post.exitCode()).as(post.err()).isEqualTo(ExitCode.OK);
    assertThat(json(post).get("status").asText()).isEqualTo("CREATED");
    JsonNode wallet = wallet();
    assertThat(wallet.get("balance").asText()).isEqualTo("54.50");
    assertThat(wallet.get("available").asText()).isEqualTo("54.50");

    Cli.Run again = cli.run("pending", "void", "wd-1", "--id", "wd-1-void", "--reason", "late");
    assertThat(again.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(again.err()).contains("wd-1", "PENDING_ALREADY_SETTLED", "wd-1-post").doesNotContain("Exception");
    assertThat(json(cli.run("pending", "list", "--format", "json"))).isEmpty();
  }

  @Test
  void anOverdraftOfTheAvailableBalanceAndAnAmountAboveThePendingOneAreRejected() throws Exception {
    setUp();
    String spend = """
        {"id":"spend","effective_at":"2024-09-12T19:00:00+08:00","description":"spend",\
        "postings":[{"account":"expenses:fees:wechatpay","currency":"CNY","debit":"40.01"},\
        {"account":"assets:wallet:wechatpay:clearing","currency":"CNY","credit":"40.01"}]}""";
    Cli.Run overdraft = cli.run("post", "--file", file("spend.jsonl", spend).toString());
    assertThat(overdraft.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(overdraft.err()).contains("spend.jsonl:1", "OVERDRAFT", "available 40.00");

    Cli.Run above = cli.run("pending", "post", "wd-1", "--id", "wd-1-post", "--amount", "60.01");
    assertThat(above.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(above.err()).contains("PENDING_SETTLEMENT_MISMATCH", "exceeds");
    Cli.Run missing = cli.run("pending", "void", "nope", "--id", "v", "--reason", "x");
    assertThat(missing.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(missing.err()).contains("PENDING_NOT_FOUND", "nope");
    Cli.Run voided = cli.run("pending", "void", "wd-1", "--id", "wd-1-void", "--reason", "bank refused");
    assertThat(voided.exitCode()).as(voided.err()).isEqualTo(ExitCode.OK);
    assertThat(wallet().get("available").asText()).isEqualTo("100.00");
    assertThat(cli.run("verify").exitCode()).isEqualTo(ExitCode.OK);
  }
}
