package dev.ledger.statement.alipay;

import static dev.ledger.statement.Fixtures.rejects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.statement.CollectingHandler;
import dev.ledger.statement.Fixtures;
import dev.ledger.statement.Inconsistency;
import dev.ledger.statement.LineType;
import dev.ledger.statement.ParsedStatement;
import dev.ledger.statement.StatementException;
import dev.ledger.statement.StatementFiles;
import dev.ledger.statement.StatementInfo;
import dev.ledger.statement.StatementLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlipayBillParserTest {
  private static final Charset GBK = Charset.forName("GBK");
  private static final String HEADER = "支付宝交易号,商户订单号,业务类型,商品名称,创建时间,完成时间,门店编号,门店名称,操作员,终端号,"
      + "对方账户,订单金额（元）,商家实收（元）,支付宝红包（元）,集分宝（元）,支付宝优惠（元）,商家优惠（元）,券核销金额（元）,券名称,"
      + "商家红包消费金额（元）,卡消费金额（元）,退款批次号/请求号,服务费（元）,分润（元）,备注";
  private static final String END = "#-----------------------------------------业务明细列表结束------------------------------------";
  private final AlipayBillParser parser = new AlipayBillParser();

  @TempDir Path dir;

  private static String detail() {
    return Fixtures.text("alipay/detail.csv", GBK);
  }

  private static byte[] gbk(String text) {
    return text.getBytes(GBK);
  }

  private ParsedStatement parse(String text) {
    return Fixtures.parse(parser, gbk(text), "a.csv").get(0);
  }

  /** A row of the 25-column layout as Alipay writes it: ids and names end in a tab. */
  private static String row(String txn, String kind, String received, String refundId, String fee) {
    return txn + "\t," + "M" + txn.substring(20) + "\t," + kind + "\t,商品,2024-09-12 10:00:00,2024-09-12 10:00:05,\t,\t,\t,\t,"
        + "buy***@163.com\t," + received + "," + received + ",0.00,0.00,0.00,0.00,0.00,,0.00\t,0.00," + refundId + "\t,"
        + fee + ",0.00,";
  }

  private static String bill(List<String> rows, String... footers) {
    StringBuilder b = new StringBuilder("#支付宝业务明细查询\r\n#账号：[20881234567890120156]\r\n"
        + "#起始日期：[2024年09月12日 00:00:00]   终止日期：[2024年09月13日 00:00:00]\r\n"
        + "#-----------------------------------------业务明细列表----------------------------------------\r\n")
        .append(HEADER).append("\r\n");
    rows.forEach(r -> b.append(r).append("\r\n"));
    b.append(END).append("\r\n");
    for (String footer : footers) {
      b.append(footer).append("\r\n");
    }
    return b.toString();
  }

  @Test
  void realFooterWordingOfTheRejectedBillIsReadAndItsLinesSumToTheNet() {
    // the bill: 33 payments of 商家实收 17572.77 and 3 refunds of -558.43
    List<String> rows = new java.util.ArrayList<>();
    long paid = 0;
    for (int i = 0; i < 33; i++) {
      long cents = i < 32 ? 53_000 + i * 7 : 1_757_277 - paid;
      paid += cents;
      rows.add(row("20240912220014123412%08d".formatted(i), "交易", BigDecimal.valueOf(cents, 2).toPlainString(), "",
          "-" + BigDecimal.valueOf(cents * 6 / 1000, 2).toPlainString()));
    }
    rows.add(row("2024091222001412341200000001", "退款", "-200.00", "RF-1", "1.20"));
    rows.add(row("2024091222001412341200000002", "退款", "-300.00", "RF-2", "1.80"));
    rows.add(row("2024091222001412341200000003", "退款", "-58.43", "RF-3", "0.35"));
    String text = bill(rows, "#交易合计：33笔，商家实收共17572.77元，商家优惠共0.00元",
        "#退款合计：3笔，商家实收退款共-558.43元，商家优惠退款共0.00元", "#导出时间：[2024年09月13日 06:27:10]");

    ParsedStatement s = parse(text);

    assertThat(s.lines()).hasSize(36);
    assertThat(s.lines().stream().mapToLong(StatementLine::amountMinor).sum()).isEqualTo(1_757_277 - 55_843);
    assertThat(s.info().inconsistencies()).isEmpty();
    assertThat(s.info().truncated()).isNull();
    assertThat(s.info().summary()).containsEntry("交易合计", "33笔，商家实收共17572.77元，商家优惠共0.00元");
  }

  @Test
  void gbkDetailGivesPaymentsAtMerchantReceivedAndSignedRefundWithFeeReturned() {
    ParsedStatement s = Fixtures.single(parser, "alipay/detail.csv");

    assertThat(s.lines()).hasSize(4);
    StatementLine pay = s.lines().get(0);
    assertThat(pay.line()).isEqualTo(6);
    assertThat(pay.type()).isEqualTo(LineType.PAYMENT);
    assertThat(pay.providerTxnId()).isEqualTo("2024091222001412341234567890");
    assertThat(pay.orderId()).isEqualTo("O-1001");
    assertThat(pay.amount()).isEqualTo("100.00");
    assertThat(pay.fee()).isEqualTo("0.60");
    assertThat(pay.occurredAt()).isEqualTo(Instant.parse("2024-09-12T02:15:05Z"));
    assertThat(pay.description()).isEqualTo("午餐套餐 A");

    StatementLine discounted = s.lines().get(1);
    assertThat(discounted.amount()).as("商家实收, not 订单金额 60.00").isEqualTo("58.80");

    StatementLine refund = s.lines().get(2);
    assertThat(refund.type()).isEqualTo(LineType.REFUND);
    assertThat(refund.amount()).isEqualTo("-30.00");
    assertThat(refund.fee()).isEqualTo("-0.18");
    assertThat(refund.providerRefundId()).isEqualTo("REF-1001-1");
    assertThat(refund.providerTxnId()).isEqualTo("2024091222001412341234567890");
    assertThat(refund.key()).isEqualTo("REF-1001-1");
  }

  @Test
  void infoHasAccountPeriodAndFootersAndNoProblems() {
    StatementInfo info = Fixtures.single(parser, "alipay/detail.csv").info();

    assertThat(info.account()).isEqualTo("20881234567890120156");
    assertThat(info.periodFrom()).isEqualTo(LocalDate.of(2024, 9, 12));
    assertThat(info.periodTo()).isEqualTo(LocalDate.of(2024, 9, 12));
    assertThat(info.summary())
        .containsEntry("交易合计", "3笔，商家实收共158.81元，商家优惠共1.20元")
        .containsEntry("导出时间", "2024年09月13日 09:12:11");
    assertThat(info.lineCount()).isEqualTo(4);
    assertThat(info.inconsistencies()).isEmpty();
    assertThat(info.warnings()).isEmpty();
    assertThat(info.truncated()).isNull();
  }

  @Test
  void utf8WithAndWithoutBomReadsLikeGbk() {
    String text = detail();
    byte[] plain = text.getBytes(StandardCharsets.UTF_8);
    byte[] bom = ("\uFEFF" + text).getBytes(StandardCharsets.UTF_8);

    for (byte[] bytes : List.of(plain, bom)) {
      ParsedStatement s = Fixtures.parse(parser, bytes, "u.csv").get(0);
      assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("100.00", "58.80", "-30.00", "0.01");
      assertThat(s.lines().get(1).description()).isEqualTo("咖啡（大杯）");
    }
  }

  @Test
  void olderShorterLayoutIsReadByItsHeader() {
    ParsedStatement s = Fixtures.single(parser, "alipay/detail-older-layout.csv");

    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("12.50", "-12.50", "8.00");
    assertThat(s.lines().get(1).providerRefundId()).isEqualTo("re_test_1473130600001");
    assertThat(s.lines().get(2).fee()).isEqualTo("0.05");
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void newerLayoutWithExtraColumnsAndHalfWidthParenthesesIsRead() {
    String text = detail().replace("备注\r\n", "备注,实收净额(元),交易方式\r\n")
        .replace("订单金额（元）", "订单金额(元)").replace("商家实收（元）", "商家实收(元)")
        .replaceAll("([0-9]{28}\t,[^\r\n]*)\r\n", "$1,0.00,ALI_NATIVE\r\n");

    ParsedStatement s = parse(text);

    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("100.00", "58.80", "-30.00", "0.01");
  }

  @Test
  void excelResavedFileWithPaddedLinesAndSlashTimesIsRead() {
    String text = detail().replaceAll("(#[^\r\n]*)\r\n", "$1,,,,\r\n")
        .replace("2024-09-12 11:02:41", "2024/9/12 11:02");

    ParsedStatement s = parse(text);

    assertThat(s.lines()).hasSize(4);
    assertThat(s.lines().get(1).occurredAt()).isEqualTo(Instant.parse("2024-09-12T03:02:00Z"));
    assertThat(s.info().summary()).containsEntry("退款合计", "1笔，商家实收退款共-30.00元，商家优惠退款共0.00元");
    assertThat(s.info().truncated()).isNull();
  }

  @Test
  void commaInsideAProductNameIsTakenByTheOnlyColumnWhereItFits() {
    ParsedStatement s = parse(detail().replace("咖啡（大杯）", "咖啡,大杯"));

    assertThat(s.lines().get(1).description()).isEqualTo("咖啡,大杯");
    assertThat(s.lines().get(1).amount()).isEqualTo("58.80");
  }

  @Test
  void refundWrittenWithoutItsMinusIsStillARefundOfThatAmount() {
    ParsedStatement s = parse(detail().replace("-30.00,-30.00", "30.00,30.00"));

    assertThat(s.lines().get(2).amount()).isEqualTo("-30.00");
    assertThat(s.info().inconsistencies()).isEmpty();
    assertThat(s.info().warnings()).anyMatch(w -> w.contains("positive amount"));
  }

  @Test
  void refundFooterWithoutMinusAgrees() {
    ParsedStatement s = parse(detail().replace("商家实收退款共-30.00元", "商家实收退款共30.00元"));

    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void olderFooterWordingWithoutColumnNameIsChecked() {
    ParsedStatement s = parse(detail().replace("3笔，商家实收共158.81元，商家优惠共1.20元", "3笔，共158.81元")
        .replace("1笔，商家实收退款共-30.00元，商家优惠退款共0.00元", "1笔，共-30.00元"));

    assertThat(s.info().inconsistencies()).isEmpty();
    assertThat(s.info().truncated()).isNull();
  }

  @Test
  void footerSumThatDisagreesIsAnInconsistencyNamingItsLine() {
    ParsedStatement s = parse(detail().replace("商家实收共158.81元", "商家实收共158.82元"));

    assertThat(s.lines()).hasSize(4);
    assertThat(s.info().inconsistencies())
        .containsExactly(new Inconsistency(11, "footer #交易合计 商家实收", "158.82", "158.81"));
    assertThat(s.info().warnings()).anyMatch(w -> w.startsWith("line 11: footer #交易合计"));
    assertThat(s.info().truncated()).isNull();
  }

  @Test
  void merchantDiscountFooterIsCheckedToo() {
    ParsedStatement s = parse(detail().replace("商家优惠共1.20元", "商家优惠共0.00元"));

    assertThat(s.info().inconsistencies()).extracting(Inconsistency::figure).containsExactly("footer #交易合计 商家优惠");
  }

  @Test
  void footerCountingFewerRowsThanTheFileHoldsIsAnInconsistency() {
    ParsedStatement s = parse(detail().replace("#交易合计：3笔", "#交易合计：2笔"));

    assertThat(s.info().inconsistencies()).extracting(Inconsistency::figure).contains("footer #交易合计 笔数");
    assertThat(s.info().truncated()).isNull();
  }

  @Test
  void footerCountingMoreRowsThanTheFileHoldsMeansTruncated() {
    ParsedStatement s = parse(detail().replace("#退款合计：1笔", "#退款合计：2笔"));

    assertThat(s.lines()).hasSize(4);
    assertThat(s.info().truncated()).contains("#退款合计 counts 2 rows but the file holds 1");
  }

  @Test
  void fileCutBeforeTheEndMarkerIsReadAsTruncated() {
    String text = detail();
    ParsedStatement s = parse(text.substring(0, text.indexOf("2024091222001412341234567892")));

    assertThat(s.lines()).hasSize(3);
    assertThat(s.info().truncated()).contains("no #----业务明细列表结束---- marker");
    assertThat(s.info().warnings()).anyMatch(w -> w.startsWith("truncated"));
  }

  @Test
  void fileCutInsideARowKeepsTheWholeRowsAndIsTruncated() {
    String text = detail();
    ParsedStatement s = parse(text.substring(0, text.indexOf(",-0.35,")));

    assertThat(s.lines()).hasSize(1);
    assertThat(s.info().truncated()).isEqualTo("the last row, line 7, stops after 22 of 25 fields");
  }

  @Test
  void missingRefundFooterMeansTruncated() {
    String text = detail();
    ParsedStatement s = parse(text.substring(0, text.indexOf("#退款合计")));

    assertThat(s.info().truncated()).isEqualTo("no #退款合计 footer after the rows");
  }

  @Test
  void dayWithoutTradesHasZeroLinesAndAgrees() {
    ParsedStatement s = parse(bill(List.of(), "#交易合计：0笔，商家实收共0.00元，商家优惠共0.00元",
        "#退款合计：0笔，商家实收退款共0.00元，商家优惠退款共0.00元", "#导出时间：[2024年09月13日 06:27:10]"));

    assertThat(s.lines()).isEmpty();
    assertThat(s.info().lineCount()).isZero();
    assertThat(s.info().inconsistencies()).isEmpty();
    assertThat(s.info().truncated()).isNull();
    assertThat(s.info().periodFrom()).isEqualTo(LocalDate.of(2024, 9, 12));
  }

  @Test
  void zipDownloadReadsTheDetailEntryNotTheSummary() throws IOException {
    Path zip = dir.resolve("20881234567890120156_20240912.zip");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream out = new ZipOutputStream(bytes, GBK)) {
      out.putNextEntry(new ZipEntry("20881234567890120156_20240912_业务明细(汇总).csv"));
      out.write(gbk("#支付宝业务汇总查询\r\n门店编号,门店名称,交易订单总笔数,退款订单总笔数\r\n合计,,3,1\r\n"));
      out.putNextEntry(new ZipEntry("20881234567890120156_20240912_业务明细.csv"));
      out.write(Fixtures.resource("alipay/detail.csv"));
    }
    Files.write(zip, bytes.toByteArray());

    List<ParsedStatement> all = StatementFiles.parseAll(parser, zip);

    assertThat(all).hasSize(1);
    assertThat(all.get(0).lines()).hasSize(4);
    assertThat(parser.acceptsArchiveEntry("bill/2088_20240912_业务明细_1.csv")).isTrue();
    assertThat(parser.acceptsArchiveEntry("2088_20240912_业务明细(汇总).csv")).isFalse();
    assertThat(parser.acceptsArchiveEntry("2088_20240912_账务明细.csv")).isFalse();
  }

  @Test
  void rowsAfterTheFootersAreRejected() {
    rejects(parser, gbk(detail() + row("2024091222001412341299999999", "交易", "1.00", "", "0.00") + "\r\n"), "a.csv")
        .hasMessageContaining("a.csv:14:").hasMessageContaining("after the end marker");
  }

  @Test
  void paymentWithNegativeAmountIsRejectedNamingLineAndColumn() {
    rejects(parser, gbk(detail().replace("60.00,58.80", "60.00,-58.80")), "a.csv")
        .hasMessageContaining("a.csv:7:").hasMessageContaining("商家实收（元）");
  }

  @Test
  void malformedAmountNamesLineAndColumn() {
    rejects(parser, gbk(detail().replace("60.00,58.80", "60.00,58.8.0")), "a.csv")
        .hasMessageContaining("a.csv:7:").hasMessageContaining("商家实收");
  }

  @Test
  void amountWithMoreDecimalsThanCnyIsRejected() {
    rejects(parser, gbk(detail().replace("60.00,58.80", "60.00,58.805")), "a.csv").hasMessageContaining("a.csv:7:");
  }

  @Test
  void missingAmountColumnsAreNamed() {
    rejects(parser, gbk(detail().replace("订单金额（元）", "金额A").replace("商家实收（元）", "金额B")), "a.csv")
        .hasMessageContaining("a.csv:5:").hasMessageContaining("商家实收（元）");
  }

  @Test
  void otherFileKindIsRejectedAtItsHeader() {
    // the 汇总 (summary) file of the same download
    rejects(parser, gbk("#支付宝业务汇总查询\r\n门店编号,门店名称,交易订单总笔数,退款订单总笔数\r\n,,33,3\r\n"), "a.csv")
        .hasMessageContaining("a.csv:2:").hasMessageContaining("支付宝交易号");
  }

  @Test
  void transactionIdThatASpreadsheetTurnedIntoANumberIsRejected() {
    rejects(parser, gbk(detail().replace("2024091222001412341234567891\t", "2.02409E+27")), "a.csv")
        .hasMessageContaining("a.csv:7:").hasMessageContaining("spreadsheet");
  }

  @Test
  void emptyFileIsRejected() {
    rejects(parser, new byte[0], "a.csv").hasMessageContaining("empty file");
  }

  @Test
  void unknownHashLineAmongTheRowsIsRejected() {
    rejects(parser, gbk(detail().replace("2024091222001412341234567892\t", "#oops\r\n2024091222001412341234567892\t")),
        "a.csv").hasMessageContaining("a.csv:9:").hasMessageContaining("'#' line");
  }

  @Test
  void rowWithMissingFieldsIsRejected() {
    rejects(parser, gbk(detail().replace(",-0.35,0.00,会员价", "")), "a.csv")
        .hasMessageContaining(":7:").hasMessageContaining("fields");
  }

  @Test
  void hugeFieldFailsFast() {
    String text = detail();
    byte[] head = gbk(text.substring(0, text.indexOf("2024091222001412341234567890")));

    assertThatThrownBy(
            () -> parser.parse(Fixtures.huge(head, 10L << 20, (byte) 'x'), "big.csv", new CollectingHandler()))
        .isInstanceOf(StatementException.class)
        .hasMessageContaining("big.csv:6:")
        .hasMessageContaining("longer than");
  }

  @Test
  void brokenGbkByteNamesItsLine() {
    byte[] bytes = Fixtures.resource("alipay/detail.csv");
    byte[] head = gbk(detail().substring(0, detail().indexOf("2024091222001412341234567892")));
    bytes[head.length + 40] = (byte) 0xFF;

    rejects(parser, bytes, "a.csv").hasMessageContaining("a.csv:9:").hasMessageContaining("GBK");
  }

  @Test
  void aFundFlowFileGivenAsATradeBillIsReadAsWhatItIsWithAWarning() {
    ParsedStatement asTrade = Fixtures.single(parser, "alipay/funds.csv");
    ParsedStatement asFunds = Fixtures.single(new AlipayFundsParser(), "alipay/funds.csv");

    assertThat(asTrade.lines()).isEqualTo(asFunds.lines());
    assertThat(asTrade.info().closingBalance()).isEqualTo(asFunds.info().closingBalance());
    assertThat(asTrade.info().warnings()).anySatisfy(w -> assertThat(w).contains("--source alipay-funds"));
  }
}
