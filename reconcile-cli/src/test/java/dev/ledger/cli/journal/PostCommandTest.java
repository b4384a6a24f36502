package dev.ledger.cli.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.cli.Cli;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostCommandTest {
  static final String PAYMENT = """
      {"id":"pay-4200001234","effective_at":"2024-09-12T10:15:02+08:00","description":"order O-1 paid",\
      "metadata":{"provider":"wechatpay","provider_txn_id":"4200001234","order_id":"O-1"},\
      "postings":[{"account":"assets:wallet:wechatpay:clearing","currency":"CNY","debit":"100.00"},\
      {"account":"liabilities:merchant:m-88:payable","currency":"CNY","credit":"100.00"},\
      {"account":"expenses:fees:wechatpay","currency":"CNY","debit":"0.60"},\
      {"account":"assets:wallet:wechatpay:clearing","currency":"CNY","credit":"0.60"}]}""";
  static final String PAYOUT = """
      {"id":"payout-1","effective_at":"2024-09-12T18:00:00+08:00","description":"payout",\
      "postings":[{"account":"liabilities:merchant:m-88:payable","currency":"CNY","debit":"150.00"},\
      {"account":"assets:bank:icbc:main","currency":"CNY","credit":"150.00"}]}""";

  private final Cli cli = new Cli();
  @TempDir Path dir;

  private Path file(String name, String... lines) throws Exception {
    return Files.write(dir.resolve(name), String.join("\n", lines).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private static JsonNode json(Cli.Run run) throws Exception {
    return Json.MAPPER.readTree(run.out());
  }

  @Test
  void postsAFileAndReportsARepostAsExisting() throws Exception {
    Path entries = file("day.jsonl", PAYMENT, "", PAYMENT.replace("pay-4200001234", "pay-2").replace("4200001234", "42000012345"));
    Cli.Run first = cli.run("post", "--file", entries.toString(), "--format", "json");
    assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCode.OK);
    assertThat(json(first).get("created").asInt()).isEqualTo(2);

    Cli.Run again = cli.run("post", "--file", entries.toString(), "--format", "json");
    assertThat(again.exitCode()).isEqualTo(ExitCode.OK);
    assertThat(json(again).get("created").asInt()).isZero();
    assertThat(json(again).get("existing").asInt()).isEqualTo(2);
  }

  @Test
  void aFileWithOneBadEntryWritesNothingAndNamesTheLineAndEntry() throws Exception {
    String unbalanced = PAYMENT.replace("pay-4200001234", "pay-bad").replace("\"credit\":\"100.00\"", "\"credit\":\"99.00\"");
    Path entries = file("bad.jsonl", PAYMENT, unbalanced, "{\"id\":\"float\",\"effective_at\":\"2024-09-12T10:00:00Z\","
        + "\"postings\":[{\"account\":\"assets:bank:icbc:main\",\"currency\":\"CNY\",\"debit\":100.5},"
        + "{\"account\":\"equity:capital\",\"currency\":\"CNY\",\"credit\":\"100.50\"}]}");
    Cli.Run run = cli.run("post", "--file", entries.toString(), "--format", "json");
    assertThat(run.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(run.err())
        .contains("bad.jsonl:2: Entry pay-bad is unbalanced in CNY: debits 100.60 != credits 99.60")
        .contains("bad.jsonl:3: entry float: posting 1: amount on assets:bank:icbc:main must be a decimal string")
        .doesNotContain("Exception");
    Cli.Run balance = cli.run("balance", "assets:wallet:wechatpay:clearing", "--format", "json");
    assertThat(json(balance).get("balances")).isEmpty();
  }

  @Test
  void aConflictingRepostIsRejectedWithExitThree() throws Exception {
    cli.run("post", "--file", file("a.jsonl", PAYMENT).toString());
    Cli.Run run = cli.run("post", "--file", file("b.jsonl", PAYMENT.replace("order O-1 paid", "changed")).toString(),
        "--format", "json");
    assertThat(run.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(run.err()).contains("b.jsonl:1: entry pay-4200001234: EXISTS_WITH_DIFFERENT_CONTENT");
  }

  @Test
  void twoObjectsOnOneLineOrTrailingGarbageRejectTheFileNamingTheLine() throws Exception {
    String second = PAYMENT.replace("pay-4200001234", "pay-b").replace("4200001234", "4200009999");
    Path both = file("two.jsonl", PAYOUT.replace("payout-1", "ok-first").replace("150.00", "1.00"), PAYMENT + second);
    Cli.Run run = cli.run("post", "--file", both.toString(), "--format", "json");
    assertThat(run.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(run.err()).contains("two.jsonl:2: invalid JSON: more after the first JSON object")
        .doesNotContain("Exception").doesNotContain("jackson");

    Path garbage = file("garbage.jsonl", PAYMENT + " trailing");
    Cli.Run trailing = cli.run("post", "--file", garbage.toString());
    assertThat(trailing.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(trailing.err()).contains("garbage.jsonl:1: invalid JSON");
    assertThat(json(cli.run("accounts", "list", "--format", "json"))).isEmpty();
  }

  @Test
  void duplicateKeysRejectTheFileInsteadOfTheLastOneWinning() throws Exception {
    Path debit = file("dup.jsonl", PAYMENT.replace("\"debit\":\"100.00\"", "\"debit\":\"999.00\",\"debit\":\"100.00\""));
    Cli.Run run = cli.run("post", "--file", debit.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(run.err()).contains("dup.jsonl:1: invalid JSON").contains("debit");

    Path ids = file("ids.jsonl", PAYMENT.replace("{\"id\":\"pay-4200001234\",", "{\"id\":\"x\",\"id\":\"pay-4200001234\","));
    assertThat(cli.run("post", "--file", ids.toString()).err()).contains("ids.jsonl:1: invalid JSON").contains("id");
    assertThat(json(cli.run("accounts", "list", "--format", "json"))).isEmpty();
  }

  @Test
  void invalidUtf8IsReportedAtItsOwnLine() throws Exception {
    byte[] good = (PAYOUT + "\n" + PAYOUT.replace("payout-1", "payout-2") + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] bad = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xE9, '"', '}', '\n'};
    byte[] all = java.util.Arrays.copyOf(good, good.length + bad.length);
    System.arraycopy(bad, 0, all, good.length, bad.length);
    Path latin = Files.write(dir.resolve("third.jsonl"), all);
    Cli.Run run = cli.run("post", "--file", latin.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(run.err()).contains("third.jsonl:3: not valid UTF-8");
  }

  @Test
  void anOverdraftRejectsTheWholeFile() throws Exception {
    assertThat(cli.run("accounts", "create", "liabilities:merchant:m-88:payable", "--no-overdraft").exitCode()).isZero();
    Cli.Run run = cli.run("post", "--file", file("p.jsonl", PAYMENT, PAYOUT).toString(), "--format", "json");
    assertThat(run.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(run.err()).contains("p.jsonl:2: entry payout-1: OVERDRAFT").contains("liabilities:merchant:m-88:payable")
        .contains("100.00").contains("-50.00");
    assertThat(json(cli.run("balance", "liabilities:merchant:m-88:payable", "--format", "json")).get("balances"))
        .isEmpty();
  }

  @Test
  void amountsThatWouldOverflowAreRejectedAsInputNamingLineEntryAndAccount() throws Exception {
    String half = """
        {"id":"big-%d","effective_at":"2024-09-12T10:00:00Z","postings":[\
        {"account":"assets:bank:icbc:main","currency":"CNY","debit":"50000000000000000.00"},\
        {"account":"equity:capital","currency":"CNY","credit":"50000000000000000.00"}]}""";
    Cli.Run run = cli.run("post", "--file", file("big.jsonl", half.formatted(1), half.formatted(2)).toString(),
        "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(run.err()).contains("big.jsonl:2: entry big-2: OVERFLOW").contains("assets:bank:icbc:main")
        .doesNotContain("Exception");
    assertThat(json(cli.run("balance", "assets:bank:icbc:main", "--format", "json")).get("balances")).isEmpty();

    Path wide = file("wide.jsonl", PAYMENT, half.formatted(3).replace("50000000000000000.00", "1234567890123456789012345"));
    Cli.Run tooWide = cli.run("post", "--file", wide.toString());
    assertThat(tooWide.exitCode()).as(tooWide.err()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(tooWide.err()).contains("wide.jsonl:2:").contains("1234567890123456789012345")
        .contains("out of range").doesNotContain("Exception");
    assertThat(json(cli.run("balance", "assets:wallet:wechatpay:clearing", "--format", "json")).get("balances"))
        .isEmpty();

    // Two accounts may each hold half the range: the trial balance totals them exactly.
    Path apart = file("apart.jsonl", half.formatted(4), half.formatted(5).replace("assets:bank:icbc:main", "assets:bank:boc:main")
        .replace("equity:capital", "equity:reserve"));
    assertThat(cli.run("post", "--file", apart.toString()).exitCode()).isZero();
    JsonNode totals = json(cli.run("trial-balance", "--format", "json")).get("totals").get(0);
    assertThat(totals.get("debits").asText()).isEqualTo("100000000000000000.00");
    assertThat(totals.get("credits").asText()).isEqualTo("100000000000000000.00");
    assertThat(totals.get("balanced").asBoolean()).isTrue();
  }

  @Test
  void aDryRunValidatesAgainstTheLedgerButWritesNothing() throws Exception {
    Cli.Run run = cli.run("post", "--file", file("d.jsonl", PAYMENT).toString(), "--dry-run", "--format", "json");
    assertThat(run.exitCode()).isZero();
    assertThat(json(run).get("created").asInt()).isEqualTo(1);
    assertThat(json(run).get("committed").asBoolean()).isFalse();
    assertThat(json(cli.run("accounts", "list", "--format", "json"))).isEmpty();
  }

  @Test
  void aMissingFileAndAnInvalidUtf8FileAreRejectedWithoutAStackTrace() throws Exception {
    Cli.Run missing = cli.run("post", "--file", dir.resolve("nope.jsonl").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(missing.err()).contains("nope.jsonl: file not found").doesNotContain("at dev.ledger");
    Path latin = Files.write(dir.resolve("latin.jsonl"), new byte[] {'{', (byte) 0xE9, '}'});
    Cli.Run invalid = cli.run("post", "--file", latin.toString());
    assertThat(invalid.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(invalid.err()).contains("latin.jsonl:1: not valid UTF-8");
  }

  @Test
  void verboseAddsTheStackTrace() {
    Cli.Run run = Cli.runRaw("post", "--file", dir.resolve("x").toString(), "--db", "jdbc:postgresql://127.0.0.1:1/none",
        "--verbose");
    assertThat(run.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(run.err()).contains("at dev.ledger");
  }

  @Test
  void unknownOptionsAreUsageErrors() {
    Cli.Run run = Cli.runRaw("post", "--file", "x.jsonl", "--bogus");
    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).contains("--bogus");
  }

  @Test
  void anInvalidFileIsReportedAndNotTheUnreachableDatabaseOpenedBesideItsValidation() throws Exception {
    Path entries = file("bad.jsonl", PAYMENT, "{\"id\":\"x\"");
    Cli.Run run = Cli.runRaw("post", "--file", entries.toString(), "--db", "jdbc:postgresql://127.0.0.1:1/none?user=x");
    assertThat(run.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(run.err()).contains("bad.jsonl:2:").contains("nothing was posted").doesNotContain("127.0.0.1:1")
        .doesNotContain("\tat ");
  }

  @Test
  void anInvalidFileOnTheEmbeddedDefaultsFirstRunLeavesNoDatabaseBehind() throws Exception {
    Path entries = file("bad.jsonl", "{\"id\":\"x\"");
    Path home = dir.resolve("first-run");
    Cli.Run run = Cli.runWithEnvironment(java.util.Map.of(), "post", "--file", entries.toString(), "--data-dir",
        home.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(run.err()).contains("bad.jsonl:1:");
    assertThat(home).doesNotExist();
  }

  @Test
  void anUnreachableDatabaseIsAnEnvironmentFailureWithoutAStackTrace() throws Exception {
    Path entries = file("ok.jsonl", PAYMENT);
    Cli.Run run = Cli.runRaw("post", "--file", entries.toString(), "--db", "jdbc:postgresql://127.0.0.1:1/none?user=x");
    assertThat(run.exitCode()).isEqualTo(ExitCode.ENVIRONMENT);
    assertThat(run.err()).startsWith("ledger: ").contains("127.0.0.1:1").doesNotContain("\tat ");
  }
}
