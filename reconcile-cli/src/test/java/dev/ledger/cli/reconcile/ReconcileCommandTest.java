package dev.ledger.cli.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.cli.Cli;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.demo.WechatBill;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nightly reconciliation as finance runs it, on the demo's marketplace day. */
class ReconcileCommandTest {
  private static final String MISSING_PAYMENT = "42000022024091200000024";
  private final Cli cli = new Cli();
  @TempDir Path dir;
  private JsonNode demo;

  private static JsonNode json(Cli.Run run) throws Exception {
    return Json.MAPPER.readTree(run.out());
  }

  @BeforeEach
  void runTheDemoDay() throws Exception {
    Cli.Run run = cli.run("demo", "--out", dir.toString(), "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    demo = json(run);
  }

  @Test
  void theDemoFindsExactlyThePlantedBreaksInAllThreeStatements() {
    assertThat(demo.get("breaks")).extracting(b -> b.get("source").asText() + " " + b.get("kind").asText())
        .containsExactlyInAnyOrder(
            "wechatpay MISSING_IN_LEDGER", "wechatpay FEE_MISMATCH", "wechatpay DUPLICATE_IN_STATEMENT",
            "wechatpay MISSING_IN_STATEMENT", "alipay MISSING_IN_LEDGER", "alipay AMOUNT_MISMATCH",
            "alipay MISSING_IN_LEDGER", "alipay MISSING_IN_STATEMENT", "camt053 MISSING_IN_LEDGER",
            "camt053 MISSING_IN_STATEMENT");
    assertThat(demo.get("planted")).hasSize(12); // ten in the three reconciled files, two in the tour's MT940 and CSV
    assertThat(demo.get("trial_balance").get("totals")).allMatch(t -> t.get("balanced").asBoolean());
  }

  @Test
  void rerunningTheSameFileReportsTheStoredRunAndCreatesNoDuplicateBreaks() throws Exception {
    Path bill = dir.resolve("wechatpay-2024-09-12.csv");
    Cli.Run again = cli.run("reconcile", "--source", "wechatpay", "--statement", bill.toString(), "--format", "json");
    assertThat(again.exitCode()).isEqualTo(ExitCode.BREAKS_FOUND);
    JsonNode report = json(again);
    assertThat(report.get("existing_run").asBoolean()).isTrue();
    assertThat(report.get("summary").get("breaks").asInt()).isEqualTo(4);
    assertThat(report.get("statement").get("sha256").asText()).hasSize(64);
    JsonNode fee = report.get("breaks").findParents("kind").stream()
        .filter(b -> b.get("kind").asText().equals("FEE_MISMATCH")).findFirst().orElseThrow();
    assertThat(fee.get("statement_fee").asText()).isEqualTo("0.55");
    assertThat(fee.get("ledger_fee").asText()).isEqualTo("0.54");
    assertThat(fee.get("difference").asText()).isEqualTo("0.01");
    assertThat(fee.get("statement_line").asInt()).isEqualTo(6);
    assertThat(json(cli.run("breaks", "--format", "json"))).hasSize(10);
  }

  @Test
  void nextDaysBillClosesTheMissingPaymentAndABrokenBillStoresNothing() throws Exception {
    WechatBill nextDay = new WechatBill().payment(LocalDateTime.parse("2024-09-13T00:00:01"), MISSING_PAYMENT,
        "WX-20240912-24", 30416, 182, "帆布包");
    Path bill = Files.writeString(dir.resolve("wechat-13.csv"), nextDay.text(), StandardCharsets.UTF_8);
    Cli.Run run = cli.run("reconcile", "--source", "wechatpay", "--statement", bill.toString(), "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    JsonNode report = json(run);
    assertThat(report.get("summary").get("matched").asInt()).isEqualTo(1);
    assertThat(report.get("summary").get("closed_break_ids")).hasSize(1);
    JsonNode closed = json(cli.run("breaks", "--status", "closed", "--format", "json"));
    assertThat(closed).singleElement().satisfies(b -> {
      assertThat(b.get("key").asText()).isEqualTo(MISSING_PAYMENT);
      assertThat(b.get("closed_run_id").asText()).isEqualTo(report.get("run_id").asText());
    });

    assertThat(json(cli.run("breaks", "--status", "all", "--format", "json"))).hasSize(10);
  }

  @Test
  void nextDaysAlipayDownloadAsTheProviderZipsItClosesTheMissingPayment() throws Exception {
    JsonNode missing = json(cli.run("breaks", "--source", "alipay", "--format", "json")).findParents("kind").stream()
        .filter(b -> b.get("kind").asText().equals("MISSING_IN_STATEMENT")).findFirst().orElseThrow();
    long gross = new java.math.BigDecimal(missing.get("ledger_gross").asText()).movePointRight(2).longValueExact();
    long fee = new java.math.BigDecimal(missing.get("ledger_fee").asText()).movePointRight(2).longValueExact();
    byte[] detail = new dev.ledger.cli.demo.AlipayBill("20881234567890120156", java.time.LocalDate.parse("2024-09-13"))
        .payment(LocalDateTime.parse("2024-09-13T00:00:03"), missing.get("key").asText(),
            missing.get("order_id").asText(), gross, fee, "咖啡（大杯）")
        .bytes();
    // What alipay.data.dataservice.bill.downloadurl.query hands over: a zip with GBK entry names,
    // the detail bill beside its summary.
    Path zip = dir.resolve("20881234567890120156_20240913.csv.zip");
    try (var out = new java.util.zip.ZipOutputStream(Files.newOutputStream(zip), java.nio.charset.Charset.forName("GBK"))) {
      out.putNextEntry(new java.util.zip.ZipEntry("20881234567890120156_20240913_业务明细.csv"));
      out.write(detail);
      out.closeEntry();
      out.putNextEntry(new java.util.zip.ZipEntry("20881234567890120156_20240913_业务明细(汇总).csv"));
      out.write("#支付宝业务汇总查询\r\n".getBytes(java.nio.charset.Charset.forName("GBK")));
      out.closeEntry();
    }

    Cli.Run run = cli.run("reconcile", "--source", "alipay", "--statement", zip.toString(), "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.OK);
    JsonNode report = json(run);
    assertThat(report.get("summary").get("matched").asInt()).isEqualTo(1);
    assertThat(report.get("summary").get("closed_break_ids")).containsExactly(missing.get("id"));
    assertThat(json(cli.run("breaks", "--source", "alipay", "--format", "json"))).hasSize(3);
  }

  @Test
  void aBillWhoseSummaryDisagreesIsReconciledWithAnInconsistencyBreakOrRejectedWhenStrict() throws Exception {
    WechatBill nextDay = new WechatBill().payment(LocalDateTime.parse("2024-09-13T00:00:01"), MISSING_PAYMENT,
        "WX-20240912-24", 30416, 182, "帆布包");
    String disagreeing = nextDay.text().replace("`304.16,`0.00,`0.00,", "`999.99,`0.00,`0.00,");
    assertThat(disagreeing).isNotEqualTo(nextDay.text());
    Path wrong = Files.writeString(dir.resolve("wechat-wrong.csv"), disagreeing, StandardCharsets.UTF_8);

    Cli.Run strict = cli.run("reconcile", "--source", "wechatpay", "--statement", wrong.toString(), "--strict");
    assertThat(strict.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(strict.err()).contains("wechat-wrong.csv:").contains("999.99").contains("304.16")
        .contains("nothing stored").doesNotContain("Exception");
    assertThat(json(cli.run("breaks", "--status", "all", "--format", "json"))).hasSize(10);

    Cli.Run run = cli.run("reconcile", "--source", "wechatpay", "--statement", wrong.toString(), "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.BREAKS_FOUND);
    JsonNode report = json(run);
    assertThat(report.get("summary").get("matched").asInt()).isEqualTo(1);
    assertThat(report.get("breaks")).singleElement().satisfies(b -> {
      assertThat(b.get("kind").asText()).isEqualTo("STATEMENT_INCONSISTENT");
      assertThat(b.get("stated").asText()).isEqualTo("999.99");
      assertThat(b.get("computed").asText()).isEqualTo("304.16");
      assertThat(b.get("statement_line").asInt()).isPositive();
    });
  }

  @Test
  void aTruncatedBillIsRejectedByReconcileAndPrintedWithAWarningByParse() throws Exception {
    String whole = new WechatBill().payment(LocalDateTime.parse("2024-09-13T00:00:01"), MISSING_PAYMENT,
        "WX-20240912-24", 30416, 182, "帆布包").text();
    String cut = whole.substring(0, whole.indexOf("总交易单数"));
    Path file = Files.writeString(dir.resolve("wechat-cut.csv"), cut, StandardCharsets.UTF_8);

    Cli.Run run = cli.run("reconcile", "--source", "wechatpay", "--statement", file.toString());
    assertThat(run.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(run.err()).contains("wechat-cut.csv").contains("truncated").contains("nothing stored");
    assertThat(json(cli.run("breaks", "--status", "all", "--format", "json"))).hasSize(10);

    Cli.Run parsed = Cli.runRaw("statement", "parse", "--source", "wechatpay", file.toString());
    assertThat(parsed.exitCode()).as(parsed.err()).isZero();
    assertThat(parsed.err()).contains("warning").contains("wechat-cut.csv").contains("truncated");
    JsonNode statement = json(parsed).get("statements").get(0);
    assertThat(statement.get("lines")).hasSize(1);
    assertThat(statement.get("truncated").asText()).isNotBlank();
  }

  @Test
  void aFundFlowGivenAsATradeBillIsRefusedByReconcileButReadByParse() throws Exception {
    String flow = """
        记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,账户结余（元）,资金变更提交申请人,备注,业务凭证号
        `2024-09-13 10:15:02,`4200002202409130000001,`1900000109202409130000001,`商品,`交易,`收入,`100.00,`100.00,`system,`,`WX-1
        `2024-09-13 10:15:02,`4200002202409130000001,`1900000109202409130000002,`手续费,`扣除交易手续费,`支出,`0.60,`99.40,`system,`,`WX-1
        资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额
        `2.0,`1.0,`100.00,`1.0,`0.60
        """;
    Path file = Files.writeString(dir.resolve("funds-13.csv"), flow, StandardCharsets.UTF_8);

    Cli.Run run = cli.run("reconcile", "--source", "wechatpay", "--statement", file.toString());
    assertThat(run.exitCode()).as(run.out()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(run.err()).contains("funds-13.csv").contains("fund-flow").contains("nothing stored");
    assertThat(json(cli.run("breaks", "--status", "all", "--format", "json"))).hasSize(10);

    Cli.Run parsed = Cli.runRaw("statement", "parse", "--source", "wechatpay-funds", file.toString());
    assertThat(parsed.exitCode()).as(parsed.err()).isZero();
    JsonNode statement = json(parsed).get("statements").get(0);
    assertThat(statement.get("lines")).hasSize(2);
    assertThat(statement.get("closing_balance").get("amount").asText()).isEqualTo("99.40");
    // Reconciled as what it is: the wallet's fund flow against the clearing account (nothing of it is booked).
    Cli.Run funds = cli.run("reconcile", "--source", "wechatpay-funds", "--statement", file.toString(), "--format",
        "json");
    assertThat(funds.exitCode()).as(funds.err()).isEqualTo(ExitCode.BREAKS_FOUND);
    assertThat(json(funds).get("summary").get("by_kind").get("MISSING_IN_LEDGER").asInt()).isEqualTo(2);
  }

  @Test
  void aFileThatCannotBeReadPrintsNothingOnStdout() throws Exception {
    String whole = new WechatBill().payment(LocalDateTime.parse("2024-09-13T00:00:01"), MISSING_PAYMENT,
        "WX-20240912-24", 30416, 182, "帆布包").text();
    String broken = whole.replace("`304.16,", "`30x.16,");
    Path file = Files.writeString(dir.resolve("wechat-broken.csv"), broken, StandardCharsets.UTF_8);

    Cli.Run parsed = Cli.runRaw("statement", "parse", "--source", "wechatpay", file.toString());
    assertThat(parsed.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(parsed.out()).isEmpty();
    assertThat(parsed.err()).contains("wechat-broken.csv:").doesNotContain("Exception");
  }

  @Test
  void aPersonResolvesABreakWithANoteAndAnAdjustingEntry() throws Exception {
    JsonNode open = json(cli.run("breaks", "--source", "camt053", "--format", "json"));
    JsonNode fee = open.findParents("kind").stream().filter(b -> b.get("kind").asText().equals("MISSING_IN_LEDGER"))
        .findFirst().orElseThrow();
    Path adjustment = Files.writeString(dir.resolve("adj.jsonl"), """
        {"id":"bank-fee-0912","effective_at":"2024-09-12T18:00:00+08:00","description":"ICBC maintenance fee",\
        "postings":[{"account":"expenses:fees:bank","currency":"CNY","debit":"25.00"},\
        {"account":"assets:bank:icbc:main","currency":"CNY","credit":"25.00"}]}""", StandardCharsets.UTF_8);
    String id = fee.get("id").asText();
    Cli.Run resolve = cli.run("breaks", "resolve", id, "--note", "monthly fee, booked", "--adjustment",
        adjustment.toString(), "--format", "json");
    assertThat(resolve.exitCode()).as(resolve.err()).isZero();
    assertThat(json(resolve).get("status").asText()).isEqualTo("resolved");
    assertThat(json(resolve).get("adjustment_entry_id").asText()).isEqualTo("bank-fee-0912");
    assertThat(json(cli.run("balance", "expenses:fees:bank", "--format", "json")).get("balances").get(0)
        .get("balance").asText()).isEqualTo("25.00");
    Cli.Run twice = cli.run("breaks", "resolve", id, "--note", "again");
    assertThat(twice.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(twice.err()).contains("Break " + id + " is resolved");
    assertThat(cli.run("breaks", "resolve", "999999", "--note", "x").err()).contains("Break 999999 does not exist");
  }

  @Test
  void breaksExportAsCsvAndStatementsParseToJsonWithDecimalStrings() throws Exception {
    Cli.Run csv = cli.run("breaks", "--source", "alipay", "--format", "csv");
    assertThat(csv.out().lines().findFirst().orElseThrow()).startsWith("id,kind,key,entry_id,line");
    assertThat(csv.out().lines()).hasSize(5);
    Cli.Run parsed = Cli.runRaw("statement", "parse", "--source", "alipay", dir.resolve("alipay-2024-09-12.csv").toString());
    assertThat(parsed.exitCode()).as(parsed.err()).isZero();
    JsonNode statement = json(parsed).get("statements").get(0);
    JsonNode refund = statement.get("lines").findParents("type").stream()
        .filter(l -> l.get("type").asText().equals("refund")).findFirst().orElseThrow();
    assertThat(refund.get("amount").isTextual()).isTrue();
    assertThat(refund.get("amount").asText()).startsWith("-");
    assertThat(refund.get("fee").asText()).startsWith("-");
    assertThat(json(parsed).get("file_sha256").asText()).hasSize(64);
  }

  @Test
  void bankStatementsNeedAnAccountAndUnknownSourcesAreUsageErrors() {
    Path camt = dir.resolve("camt053-2024-09-12.xml");
    assertThat(cli.run("reconcile", "--source", "camt053", "--statement", camt.toString()).exitCode())
        .isEqualTo(ExitCode.USAGE);
    Cli.Run paypal = cli.run("reconcile", "--source", "paypal", "--statement", camt.toString());
    assertThat(paypal.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(paypal.err()).contains("Unknown source 'paypal'").contains("wechatpay-funds")
        .doesNotContain("Exception");
    Cli.Run missing = cli.run("reconcile", "--source", "wechatpay", "--statement", dir.resolve("none.csv").toString());
    assertThat(missing.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(missing.err()).contains("none.csv: file not found");
  }
}
