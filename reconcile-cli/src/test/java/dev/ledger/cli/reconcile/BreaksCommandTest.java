package dev.ledger.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.cli.Cli;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.db.reconcile.StoredBreak;
import dev.ledger.db.reconcile.TrackedBreak;
import dev.ledger.money.Amounts;
import dev.ledger.reconcile.Break;
import dev.ledger.reconcile.BreakKind;
import dev.ledger.reconcile.BreakStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The break workflow through the command line, on the demo's marketplace day. */
class BreaksCommandTest {
  private final Cli cli = new Cli();
  @TempDir Path dir;

  private static JsonNode json(Cli.Run run) throws Exception {
    return Json.MAPPER.readTree(run.out());
  }

  @BeforeEach
  void runTheDemoDay() {
    Cli.Run run = cli.run("demo", "--out", dir.toString(), "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
  }

  private String breakOf(String source, String kind) throws Exception {
    return json(cli.run("breaks", "--source", source, "--format", "json")).findParents("kind").stream()
        .filter(b -> b.get("kind").asText().equals(kind)).findFirst().orElseThrow().get("id").asText();
  }

  /** A command with LEDGER_USER set, as a shell would pass it. */
  private Cli.Run runAs(String user, String... args) {
    Map<String, String> env = new HashMap<>();
    env.put("LEDGER_USER", user);
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--db");
    all.add(cli.url());
    return Cli.runWithEnvironment(env, all.toArray(String[]::new));
  }

  @Test
  void aBreakIsAssignedCommentedAndResolvedAndItsHistoryKeepsWhoDidWhatInOrder() throws Exception {
    String id = breakOf("wechatpay", "DUPLICATE_IN_STATEMENT");
    Cli.Run assign = cli.run("breaks", "assign", id, "--to", "li.wei", "--as", "zhang.min", "--format", "json");
    assertThat(assign.exitCode()).as(assign.err()).isZero();
    assertThat(json(assign).get("status").asText()).isEqualTo("assigned");
    assertThat(json(assign).get("assignee").asText()).isEqualTo("li.wei");
    Cli.Run comment = runAs("li.wei", "breaks", "comment", id, "--text", "WeChat Pay lists the payment twice",
        "--format", "json");
    assertThat(comment.exitCode()).as(comment.err()).isZero();
    assertThat(cli.run("breaks", "comment", id, "--text", "ticket 4711 opened", "--format", "json").exitCode()).isZero();

    JsonNode assigned = json(cli.run("breaks", "--status", "assigned", "--format", "json"));
    assertThat(assigned).singleElement().satisfies(b -> assertThat(b.get("id").asText()).isEqualTo(id));
    assertThat(json(cli.run("breaks", "--format", "json"))).as("open and assigned by default").hasSize(10);
    assertThat(json(cli.run("breaks", "--status", "open", "--format", "json"))).hasSize(9);

    Cli.Run resolve = runAs("li.wei", "breaks", "resolve", id, "--note", "provider duplicate, no booking",
        "--format", "json");
    assertThat(resolve.exitCode()).as(resolve.err()).isZero();
    JsonNode shown = json(cli.run("breaks", "show", id, "--format", "json"));
    assertThat(shown.get("status").asText()).isEqualTo("resolved");
    assertThat(shown.get("events")).extracting(e -> e.get("kind").asText() + " by " + e.get("by").asText())
        .containsExactly("assigned by zhang.min", "comment by li.wei",
            "comment by " + shown.get("events").get(2).get("database_user").asText(), "resolved by li.wei");
    assertThat(shown.get("events").get(1).get("text").asText()).isEqualTo("WeChat Pay lists the payment twice");
    assertThat(shown.get("age_days").asLong()).isZero();

    Cli.Run again = cli.run("breaks", "assign", id, "--to", "wang.fang");
    assertThat(again.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(again.err()).contains("Break " + id + " is resolved, so it cannot be assigned; nothing written");
    Cli.Run unknown = cli.run("breaks", "comment", "999999", "--text", "hello");
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(unknown.err()).contains("Break 999999 does not exist");
    assertThat(cli.run("verify").exitCode()).as("every workflow event verifies").isZero();

    Cli.Run demo = cli.run("demo", "--out", dir.toString(), "--format", "table");
    assertThat(demo.out()).containsPattern("DUPLICATE_IN_STATEMENT .* resolved")
        .contains("Try next:\n  ledger breaks --format table\n")
        .contains("\n  ledger verify")
        .doesNotContain("| ledger");
  }

  @Test
  void anAdjustmentThatDoesNotMoveTheBreaksAmountOnItsAccountIsRejectedAndNothingIsPosted() throws Exception {
    String id = breakOf("alipay", "AMOUNT_MISMATCH");
    // Alipay billed 472.31, the ledger has 480.31: 8.00 too much on the clearing account.
    Path bankFee = Files.writeString(dir.resolve("bank-fee.jsonl"), """
        {"id":"adj-wrong","effective_at":"2024-09-12T18:00:00+08:00","description":"bank fee",\
        "postings":[{"account":"expenses:fees:bank","currency":"CNY","debit":"8.00"},\
        {"account":"assets:bank:icbc:main","currency":"CNY","credit":"8.00"}]}""", StandardCharsets.UTF_8);
    Cli.Run wrong = cli.run("breaks", "resolve", id, "--note", "fee", "--adjustment", bankFee.toString());
    assertThat(wrong.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(wrong.err()).contains("bank-fee.jsonl: break " + id + " (AMOUNT_MISMATCH, key 20240912220014100000006)"
        + " needs -8.00 CNY (statement minus ledger) on assets:wallet:alipay:clearing and expenses:fees:alipay;"
        + " the file moves 0.00 CNY there (the file posts to assets:bank:icbc:main, expenses:fees:bank,"
        + " not to assets:wallet:alipay:clearing); nothing written, break " + id + " left open");
    assertThat(json(cli.run("balance", "expenses:fees:bank", "--format", "json")).get("balances")).isEmpty();

    Path refund = Files.writeString(dir.resolve("refund.jsonl"), """
        {"id":"adj-right","effective_at":"2024-09-12T18:00:00+08:00","description":"order booked 8.00 too high",\
        "postings":[{"account":"income:commission","currency":"CNY","debit":"7.95"},\
        {"account":"assets:wallet:alipay:clearing","currency":"CNY","credit":"7.95"},\
        {"account":"income:commission","currency":"CNY","debit":"0.05"},\
        {"account":"expenses:fees:alipay","currency":"CNY","credit":"0.05"}]}""", StandardCharsets.UTF_8);
    Cli.Run right = cli.run("breaks", "resolve", id, "--note", "order amount corrected", "--adjustment",
        refund.toString(), "--format", "json");
    assertThat(right.exitCode()).as(right.err()).isZero();
    assertThat(json(right).get("adjustment_entry_id").asText()).isEqualTo("adj-right");
  }

  @Test
  void breaksAreFilteredByAgeAndSourceAndTheTableFitsAHundredColumns() throws Exception {
    assertThat(json(cli.run("breaks", "--older-than", "0", "--format", "json"))).hasSize(10);
    assertThat(json(cli.run("breaks", "--older-than", "1", "--format", "json"))).as("all opened today").isEmpty();
    JsonNode camt = json(cli.run("breaks", "--source", "camt053", "--format", "json"));
    assertThat(camt).hasSize(2).allSatisfy(b -> {
      assertThat(b.get("age_days").asLong()).isZero();
      assertThat(b.get("opened_at").asText()).endsWith("Z");
    });
    Cli.Run table = cli.run("breaks", "--format", "table");
    assertThat(table.out().lines()).hasSize(12).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
    assertThat(table.out().lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("id", "source", "kind", "key", "difference", "status", "age", "assignee");
    String csvHeader = cli.run("breaks", "--format", "csv").out().lines().findFirst().orElseThrow();
    assertThat(csvHeader).startsWith("id,kind,key,entry_id,line").contains("status", "account", "age_days",
        "opened_at", "provider_txn_id", "note");
    Cli.Run usage = cli.run("breaks", "--status", "done");
    assertThat(usage.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(usage.err()).contains("Unknown --status 'done': use open, assigned, resolved, closed or all");
  }

  @Test
  void aLongKeyAndAssigneeAreCutWithAnEllipsisSoTheTableStillFits() {
    Break item = new Break(BreakKind.MISSING_IN_LEDGER, "K".repeat(200), null, 3, Amounts.currency("CNY"),
        123_456_789L, null, null, null, null, null, null);
    StoredBreak stored = new StoredBreak(1234, "wechatpay-funds", "assets:wallet:wechatpay:clearing", item,
        BreakStatus.ASSIGNED, 7, null, null, null, null, "a.very.long.assignee.name@example.com");
    Instant now = Instant.parse("2024-10-12T00:00:00Z");
    TrackedBreak tracked = new TrackedBreak(stored, Instant.parse("2024-09-12T00:00:00Z"), null);
    var out = new java.io.StringWriter();
    BreakTable.of(List.of(tracked), now, 100).printTable(new java.io.PrintWriter(out));
    assertThat(out.toString().lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(100));
    assertThat(out.toString()).contains("…").contains("30d").contains("1234567.89 CNY");
    assertThat(dev.ledger.cli.Table.width("160")).isEqualTo(160);
    assertThat(dev.ledger.cli.Table.width("junk")).isEqualTo(100);
  }
}
