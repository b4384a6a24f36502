package dev.ledger.cli.reconcile;

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

/** Bank statements (MT940 and a mapped CSV) against the ledger's movements on the bank account. */
class BankReconcileTest {
  private static final String BANK = "assets:bank:icbc:main";
  private final Cli cli = new Cli();
  @TempDir Path dir;

  private static String entry(String id, String time, String amount, String batch) {
    boolean credit = !amount.startsWith("-");
    String value = credit ? amount : amount.substring(1);
    return "{\"id\":\"" + id + "\",\"effective_at\":\"" + time + "\",\"description\":\"" + id + "\","
        + "\"metadata\":{" + (batch == null ? "" : "\"settlement_batch\":\"" + batch + "\"") + "},"
        + "\"postings\":[{\"account\":\"" + BANK + "\",\"currency\":\"CNY\",\"" + (credit ? "debit" : "credit")
        + "\":\"" + value + "\"},{\"account\":\"equity:capital\",\"currency\":\"CNY\",\""
        + (credit ? "credit" : "debit") + "\":\"" + value + "\"}]}";
  }

  @BeforeEach
  void bookTheDay() throws Exception {
    Path entries = Files.writeString(dir.resolve("bank.jsonl"), String.join("\n",
        entry("open", "2024-09-10T10:00:00+08:00", "50000.00", null),
        entry("set-wx-a", "2024-09-12T12:00:00+08:00", "600.00", "WX-0912"),
        entry("set-wx-b", "2024-09-12T12:00:00+08:00", "400.00", "WX-0912"),
        entry("set-ali", "2024-09-12T13:00:00+08:00", "1234.56", "ALI-0912"),
        entry("payout-1", "2024-09-12T15:00:00+08:00", "-300.00", null),
        entry("payout-2", "2024-09-12T15:00:00+08:00", "-300.00", null),
        entry("payout-3", "2024-09-12T16:00:00+08:00", "-777.00", null)), StandardCharsets.UTF_8);
    Cli.Run post = cli.run("post", "--file", entries.toString());
    assertThat(post.exitCode()).as(post.err()).isZero();
  }

  @Test
  void mt940MatchesByReferenceAmountAndBatchAndReportsAmbiguityAndGaps() throws Exception {
    String mt940 = String.join("\r\n",
        ":20:STMT0912", ":25:CN-ICBC-0001", ":28C:00001/001", ":60F:C240911CNY50000,00",
        ":61:2409120912C1000,00NTRFNONREF//BK001", ":86:TENPAY SETTLEMENT",
        ":61:2409120912C1234,56NTRFNONREF//BK002", ":86:ALIPAY ALI-0912",
        ":61:2409120912D300,00NTRFNONREF//BK003", ":86:PAYOUT",
        ":61:2409120912D25,00NCHGNONREF//BK004", ":86:ACCOUNT FEE",
        ":62F:C240912CNY51909,56", "-");
    Path file = Files.writeString(dir.resolve("icbc.sta"), mt940, StandardCharsets.UTF_8);
    Cli.Run run = cli.run("reconcile", "--source", "mt940", "--statement", file.toString(), "--account", BANK,
        "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.BREAKS_FOUND);
    JsonNode report = Json.MAPPER.readTree(run.out());
    assertThat(report.get("summary").get("matched").asInt()).isEqualTo(2);
    assertThat(report.get("breaks")).extracting(b -> b.get("kind").asText() + " " + b.get("key").asText())
        .containsExactlyInAnyOrder("AMBIGUOUS_MATCH BK003", "MISSING_IN_LEDGER BK004",
            "MISSING_IN_STATEMENT payout-3");
  }

  @Test
  void aMappedCsvStatementReconcilesWithTheSameRules() throws Exception {
    Path csv = Files.writeString(dir.resolve("bank.csv"), String.join("\n",
        "date;text;amount;ref",
        "12.09.2024;TENPAY WX-0912;1000,00;R1",
        "12.09.2024;ALIPAY ALI-0912;1234,56;R2",
        "12.09.2024;PAYOUT;-777,00;R3"), StandardCharsets.UTF_8);
    Path mapping = Files.writeString(dir.resolve("bank.properties"), String.join("\n",
        "datetime=date", "date_format=dd.MM.yyyy", "amount=amount", "reference=ref", "fixed_currency=CNY",
        "decimal_separator=,", "delimiter=;", "sign=signed", "zone=Asia/Shanghai"), StandardCharsets.UTF_8);
    Cli.Run run = cli.run("reconcile", "--source", "csv", "--statement", csv.toString(), "--mapping",
        mapping.toString(), "--account", BANK, "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.BREAKS_FOUND);
    JsonNode report = Json.MAPPER.readTree(run.out());
    assertThat(report.get("summary").get("matched").asInt()).isEqualTo(3);
    assertThat(report.get("breaks")).extracting(b -> b.get("kind").asText())
        .containsOnly("MISSING_IN_STATEMENT").hasSize(2);
  }
}
