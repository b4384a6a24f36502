package dev.ledger.statement.alipay;

import static dev.ledger.statement.Fixtures.rejects;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.statement.Fixtures;
import dev.ledger.statement.Inconsistency;
import dev.ledger.statement.LineType;
import dev.ledger.statement.ParsedStatement;
import dev.ledger.statement.Source;
import dev.ledger.statement.SourceProfile.SourceKind;
import dev.ledger.statement.StatementFiles;
import dev.ledger.statement.StatementLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlipayFundsParserTest {
  private static final Charset GBK = Charset.forName("GBK");
  private final AlipayFundsParser parser = new AlipayFundsParser();

  @TempDir Path dir;

  private static String funds() {
    return Fixtures.text("alipay/funds.csv", GBK);
  }

  private ParsedStatement parse(String text) {
    return Fixtures.parse(parser, text.getBytes(GBK), "f.csv").get(0);
  }

  /** The fixture's rows oldest first, as some exports list them. */
  private static String ascending(String text) {
    List<String> lines = new ArrayList<>(List.of(text.split("\r\n")));
    List<String> rows = new ArrayList<>(lines.subList(5, 13));
    Collections.reverse(rows);
    for (int i = 0; i < rows.size(); i++) {
      lines.set(5 + i, rows.get(i));
    }
    return String.join("\r\n", lines) + "\r\n";
  }

  @Test
  void newestFirstFlowGivesSignedMovementsTypesAndIds() {
    ParsedStatement s = Fixtures.single(parser, "alipay/funds.csv");

    assertThat(s.lines()).extracting(StatementLine::type).containsExactly(LineType.OTHER, LineType.SETTLEMENT,
        LineType.FEE, LineType.REFUND, LineType.FEE, LineType.PAYMENT, LineType.FEE, LineType.PAYMENT);
    assertThat(s.lines()).extracting(StatementLine::amount)
        .containsExactly("5.00", "-1000.00", "0.18", "-30.00", "-0.35", "58.80", "-0.60", "100.00");
    StatementLine payment = s.lines().get(7);
    assertThat(payment.line()).isEqualTo(13);
    assertThat(payment.providerTxnId()).isEqualTo("2024091222001412341234567890");
    assertThat(payment.orderId()).isEqualTo("O-1001");
    assertThat(payment.bankReference()).isEqualTo("20240912101500010001");
    assertThat(payment.feeMinor()).isNull();
    assertThat(payment.occurredAt()).isEqualTo(Instant.parse("2024-09-12T02:15:05Z"));
    assertThat(payment.description()).isEqualTo("午餐套餐 A");
  }

  @Test
  void openingIsTheOldestBalanceBeforeItsMovementAndClosingTheNewest() {
    ParsedStatement s = Fixtures.single(parser, "alipay/funds.csv");

    assertThat(s.info().openingBalance().amountMinor()).isEqualTo(100_000);
    assertThat(s.info().closingBalance().amountMinor()).isEqualTo(13_303);
    assertThat(s.info().openingBalance().amountMinor() + s.lines().stream().mapToLong(StatementLine::amountMinor).sum())
        .isEqualTo(s.info().closingBalance().amountMinor());
    assertThat(s.info().account()).isEqualTo("20881234567890120156");
    assertThat(s.info().periodFrom()).isEqualTo(LocalDate.of(2024, 9, 12));
    assertThat(s.info().summary()).containsEntry("支出合计", "4笔，共-1030.95元").containsEntry("收入合计", "4笔，共163.98元");
    assertThat(s.info().inconsistencies()).isEmpty();
    assertThat(s.info().truncated()).isNull();
  }

  @Test
  void oldestFirstFlowInUtf8WithBomHasTheSameBalances() {
    byte[] bytes = ("\uFEFF" + ascending(funds())).getBytes(StandardCharsets.UTF_8);

    ParsedStatement s = Fixtures.parse(parser, bytes, "f.csv").get(0);

    assertThat(s.lines().get(0).amount()).isEqualTo("100.00");
    assertThat(s.info().openingBalance().amountMinor()).isEqualTo(100_000);
    assertThat(s.info().closingBalance().amountMinor()).isEqualTo(13_303);
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void olderExportWithPositiveExpensesAndUnsignedFooterIsRead() {
    // the 2012-era layout: 支出 written as a positive figure under 支出金额（-元）, footer "共X元"
    String text = funds().replace(",-0.60,", ",0.60,").replace(",-0.35,", ",0.35,").replace(",-30.00,", ",30.00,")
        .replace(",-1000.00,", ",1000.00,").replace("共-1030.95元", "共1030.95元");

    ParsedStatement s = parse(text);

    assertThat(s.lines().get(1).amount()).isEqualTo("-1000.00");
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void brokenRunningBalanceIsAnInconsistencyNamingTheLine() {
    ParsedStatement s = parse(funds().replace(",1158.20,", ",1158.30,"));

    assertThat(s.lines()).hasSize(8);
    assertThat(s.info().inconsistencies()).extracting(Inconsistency::line).contains(11L);
    assertThat(s.info().inconsistencies().get(0).figure()).isEqualTo("running balance 账户余额（元）");
    assertThat(s.info().warnings()).anyMatch(w -> w.startsWith("line 11: running balance"));
  }

  @Test
  void footerTotalThatDisagreesIsAnInconsistency() {
    ParsedStatement s = parse(funds().replace("共163.98元", "共163.99元"));

    assertThat(s.info().inconsistencies())
        .containsExactly(new Inconsistency(16, "footer #收入合计 金额", "163.99", "163.98"));
  }

  @Test
  void footerCountingMoreRowsThanTheFileHoldsMeansTruncated() {
    ParsedStatement s = parse(funds().replace("#支出合计：4笔", "#支出合计：5笔"));

    assertThat(s.info().truncated()).isEqualTo("#支出合计 counts 5 rows but the file holds 4");
  }

  @Test
  void fileCutInsideTheRowsIsReadAsTruncated() {
    String text = funds();
    ParsedStatement s = parse(text.substring(0, text.indexOf("20240912110200010004")));

    assertThat(s.lines()).hasSize(4);
    assertThat(s.info().truncated()).contains("no #----账务明细列表结束---- marker");
  }

  @Test
  void fileCutInsideARowKeepsTheWholeRowsAndIsTruncated() {
    String text = funds();
    ParsedStatement s = parse(text.substring(0, text.indexOf(",1157.85,")));

    assertThat(s.lines()).hasSize(4);
    assertThat(s.info().truncated()).startsWith("the last row, line 10, stops after");
    assertThat(s.info().closingBalance().amountMinor()).isEqualTo(13_303);
  }

  @Test
  void dayWithoutMovementsHasNoBalancesAndIsComplete() {
    String text = funds();
    String empty = text.substring(0, text.indexOf("20240912200000010008"))
        + text.substring(text.indexOf("#-----------------------------------------账务明细列表结束"))
            .replace("4笔，共-1030.95元", "0笔，共0.00元").replace("4笔，共163.98元", "0笔，共0.00元");

    ParsedStatement s = parse(empty);

    assertThat(s.lines()).isEmpty();
    assertThat(s.info().openingBalance()).isNull();
    assertThat(s.info().truncated()).isNull();
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void merchantPortalExportWithItsColumnNamesIsRead() {
    String text = "#支付宝账务明细查询\r\n#账号：[20881234567890120156]\r\n"
        + "#起始日期：[2024年09月12日 00:00:00]   终止日期：[2024年09月12日 23:59:59]\r\n"
        + "支付宝流水号,入账时间,支付宝交易号,商户订单号,账务类型,收入（+元）,支出（-元）,账户余额（元）,服务费（元）,备注\r\n"
        + "20240912101500010001\t,2024-09-12 10:15:05,2024091222001412341234567890\t,O-1001\t,在线支付,100.00,,1100.00,0.00,\r\n"
        + "20240912101500010002\t,2024-09-12 10:15:05,2024091222001412341234567890\t,O-1001\t,收费,,-0.60,1099.40,0.00,服务费\r\n"
        + "#-----------------------------------------账务明细列表结束------------------------------------\r\n"
        + "#支出合计：1笔，共-0.60元\r\n#收入合计：1笔，共100.00元\r\n";

    ParsedStatement s = parse(text);

    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("100.00", "-0.60");
    assertThat(s.lines().get(1).type()).isEqualTo(LineType.FEE);
    assertThat(s.lines().get(1).bankReference()).isEqualTo("20240912101500010002");
    assertThat(s.info().closingBalance().amountMinor()).isEqualTo(109_940);
    assertThat(s.info().periodTo()).isEqualTo(LocalDate.of(2024, 9, 12));
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void zipDownloadReadsTheFundFlowEntry() throws IOException {
    Path zip = dir.resolve("20881234567890120156_20240912.zip");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes, GBK)) {
      out.putNextEntry(new ZipEntry("20881234567890120156_20240912_账务明细(汇总).csv"));
      out.write("#支付宝账务汇总查询\r\n类型,收入笔数,收入金额（+元）,支出笔数,支出金额（-元）\r\n合计,4,163.98,4,-1030.95\r\n".getBytes(GBK));
      out.putNextEntry(new ZipEntry("20881234567890120156_20240912_账务明细.csv"));
      out.write(Fixtures.resource("alipay/funds.csv"));
    }
    Files.write(zip, bytes.toByteArray());

    List<ParsedStatement> all = StatementFiles.parseAll(parser, zip);

    assertThat(all.get(0).lines()).hasSize(8);
    assertThat(parser.acceptsArchiveEntry("20885128171009200156_202006_账务明细_1.csv")).isTrue();
    assertThat(parser.acceptsArchiveEntry("20885128171009200156_202006_账务明细(汇总)_1.csv")).isFalse();
    assertThat(parser.acceptsArchiveEntry("2088_20240912_业务明细.csv")).isFalse();
  }

  @Test
  void sourceAlipayFundsIsAWalletFundFlowOfTheAlipayClearingAccount() {
    Source source = Source.parse("alipay-funds");

    assertThat(source).isEqualTo(Source.ALIPAY_FUNDS);
    assertThat(source.profile().kind()).isEqualTo(SourceKind.WALLET_FUNDS);
    assertThat(source.profile().clearingAccount()).isEqualTo(Alipay.CLEARING);
    assertThat(source.parser()).isInstanceOf(AlipayFundsParser.class);
  }

  @Test
  void negativeIncomeIsRejectedNamingLineAndColumn() {
    rejects(parser, funds().replace(",5.00,0.00,133.03,", ",-5.00,0.00,133.03,").getBytes(GBK), "f.csv")
        .hasMessageContaining("f.csv:6:").hasMessageContaining("收入金额");
  }

  @Test
  void journalIdThatASpreadsheetTurnedIntoANumberIsRejected() {
    rejects(parser, funds().replace("20240912183000010007\t", "2.02409E+19").getBytes(GBK), "f.csv")
        .hasMessageContaining("f.csv:7:").hasMessageContaining("账务流水号");
  }

  @Test
  void malformedBalanceIsRejected() {
    rejects(parser, funds().replace(",128.03,", ",12x.03,").getBytes(GBK), "f.csv")
        .hasMessageContaining("f.csv:7:").hasMessageContaining("账户余额");
  }

  @Test
  void missingBalanceColumnIsRejected() {
    rejects(parser, funds().replace("账户余额（元）", "余额").getBytes(GBK), "f.csv")
        .hasMessageContaining("f.csv:5:").hasMessageContaining("账户余额");
  }

  @Test
  void tradeBillIsRejectedAsNotAFundFlow() {
    rejects(parser, Fixtures.resource("alipay/detail.csv"), "f.csv").hasMessageContaining("f.csv:5:")
        .hasMessageContaining("账务明细");
  }

  @Test
  void invalidTimeIsRejected() {
    rejects(parser, funds().replace("2024-09-12 18:30:00", "2024-09-32 18:30:00").getBytes(GBK), "f.csv")
        .hasMessageContaining("f.csv:7:").hasMessageContaining("发生时间");
  }
}
