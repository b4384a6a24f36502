package dev.ledger.statement.wechatpay;

import dev.ledger.statement.*;

import static dev.ledger.statement.Fixtures.rejects;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WechatPayBillParserTest {
  private static final String H27 = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,"
      + "货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,"
      + "订单金额,申请退款金额,费率备注";
  private static final String SUMMARY_HEADER = "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";

  private final WechatPayBillParser parser = new WechatPayBillParser();

  private static String all() {
    return Fixtures.text("wechatpay/all.csv", UTF_8);
  }

  private static String payment(String txn, String amount, String fee) {
    return "`2024-09-12 10:15:02,`wx2421b1c4370ec43b,`1900000109,`0,`,`" + txn + ",`O-" + txn + ",`oUpF8uMuAJO_M2pxb1Q9zNjWeS6o,"
        + "`JSAPI,`SUCCESS,`CMB_DEBIT,`CNY,`" + amount + ",`0.00,`0,`0,`0.00,`0.00,`,`,`套餐,`,`" + fee + ",`0.60%,`" + amount
        + ",`0.00,`";
  }

  private ParsedStatement parse(String text) {
    return single(Fixtures.parse(parser, text.getBytes(UTF_8), "bill.csv"));
  }

  private static ParsedStatement single(java.util.List<ParsedStatement> statements) {
    assertThat(statements).hasSize(1);
    return statements.get(0);
  }

  @Test
  void allBillWithBomAndCrlfGivesPaymentsAndRefundsWithFees() {
    ParsedStatement s = Fixtures.single(parser, "wechatpay/all.csv");

    assertThat(s.lines()).hasSize(4);
    StatementLine pay = s.lines().get(0);
    assertThat(pay.line()).isEqualTo(2);
    assertThat(pay.type()).isEqualTo(LineType.PAYMENT);
    assertThat(pay.providerTxnId()).isEqualTo("4200001234202409120000000001");
    assertThat(pay.orderId()).isEqualTo("O-1");
    assertThat(pay.amount()).isEqualTo("100.00");
    assertThat(pay.fee()).isEqualTo("0.60");
    assertThat(pay.currency().getCurrencyCode()).isEqualTo("CNY");
    assertThat(pay.occurredAt()).isEqualTo(Instant.parse("2024-09-12T02:15:02Z"));
    assertThat(pay.description()).isEqualTo("午餐套餐 A");

    StatementLine refund = s.lines().get(2);
    assertThat(refund.type()).isEqualTo(LineType.REFUND);
    assertThat(refund.providerRefundId()).isEqualTo("50000000012024091200000000001");
    assertThat(refund.providerTxnId()).isEqualTo("4200001234202409120000000001");
    assertThat(refund.key()).isEqualTo("50000000012024091200000000001");
    assertThat(refund.amount()).isEqualTo("-30.00");
    assertThat(refund.fee()).isEqualTo("-0.18");
    assertThat(s.info().inconsistencies()).isEmpty();
    assertThat(s.info().truncated()).isNull();
  }

  @Test
  void linesSumToTheBillsNetSettledMinusRefunded() {
    ParsedStatement s = Fixtures.single(parser, "wechatpay/all.csv");

    long net = s.lines().stream().mapToLong(StatementLine::amountMinor).sum();
    assertThat(net).isEqualTo(15881 - 3000);
  }

  @Test
  void productNameWithCommaStaysOneValue() {
    ParsedStatement s = Fixtures.single(parser, "wechatpay/all.csv");

    assertThat(s.lines().get(1).description()).isEqualTo("咖啡, 大杯");
    assertThat(s.lines().get(1).amount()).isEqualTo("58.80");
  }

  @Test
  void infoCarriesSummaryPeriodInShanghaiAndMerchant() {
    StatementInfo info = Fixtures.single(parser, "wechatpay/all.csv").info();

    assertThat(info.account()).isEqualTo("1900000109");
    assertThat(info.currency().getCurrencyCode()).isEqualTo("CNY");
    assertThat(info.periodFrom()).isEqualTo(LocalDate.of(2024, 9, 12));
    assertThat(info.periodTo()).isEqualTo(LocalDate.of(2024, 9, 12));
    assertThat(info.zone().getId()).isEqualTo("Asia/Shanghai");
    assertThat(info.lineCount()).isEqualTo(4);
    assertThat(info.summary()).containsEntry("总交易单数", "4").containsEntry("手续费总金额", "0.77000");
    assertThat(info.openingBalance()).isNull();
  }

  @Test
  void refundBillDatesRefundsWhenTheySucceededAndUsesRefundAmounts() {
    ParsedStatement s = Fixtures.single(parser, "wechatpay/refund.csv");

    assertThat(s.lines()).extracting(StatementLine::type).containsOnly(LineType.REFUND);
    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("-30.00", "-20.00");
    assertThat(s.lines()).extracting(StatementLine::fee).containsExactly("-0.18", "-0.12");
    // 交易时间 is the original payment (12th and 11th); the refunds happened on the 13th
    assertThat(s.lines().get(0).occurredAt()).isEqualTo(Instant.parse("2024-09-13T07:20:13Z"));
    // still PROCESSING: no 退款成功时间, so the application time
    assertThat(s.lines().get(1).occurredAt()).isEqualTo(Instant.parse("2024-09-13T09:45:00Z"));
    assertThat(s.info().periodFrom()).isEqualTo(LocalDate.of(2024, 9, 13));
    assertThat(s.info().periodTo()).isEqualTo(LocalDate.of(2024, 9, 13));
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void older24ColumnHeaderWithoutBomOrFinalNewlineKeepsDuplicateRows() {
    ParsedStatement s = Fixtures.single(parser, "wechatpay/old24.csv");

    assertThat(s.lines()).hasSize(3);
    assertThat(s.lines().get(0).key()).isEqualTo(s.lines().get(1).key());
    assertThat(s.lines()).extracting(StatementLine::line).containsExactly(2L, 3L, 4L);
    assertThat(s.lines().get(2).amount()).isEqualTo("-0.01");
    assertThat(s.info().summary()).containsEntry("总交易额", "0.02");
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void olderSummaryWithIntegerAndOneDecimalAmountsFromTheV2Documentation() {
    String bill = "交易时间,公众账号ID,商户号,子商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,总金额,"
        + "企业红包金额,微信退款单号,商户退款单号,退款金额,企业红包退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率\n"
        + "`2014-11-10 16：33：45,`wx2421b1c4370ec43b,`10000100,`0,`1000,`1001690740201411100005734289,`1415640626,"
        + "`085e9858e3ba5186aafcbaed1,`MICROPAY,`SUCCESS,`CFT,`CNY,`0.01,`0.0,`0,`0,`0,`0,`,`,`被扫支付测试,`订单额外描述,`0,`0.60%\n"
        + "`2014-11-10  16:46:14,`wx2421b1c4370ec43b,`10000100,`0,`1000,`1002780740201411100005729794,`1415635270,"
        + "`085e9858e90ca40c0b5aee463,`MICROPAY,`SUCCESS,`CFT,`CNY,`0.01,`0.0,`0,`0,`0,`0,`,`,`被扫支付测试,`订单额外描述,`0,`0.60%\n"
        + "总交易单数,总交易额,总退款金额,总企业红包退款金额,手续费总金额\n"
        + "`2,`0.02,`0.0,`0.0,`0\n";

    ParsedStatement s = parse(bill);

    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("0.01", "0.01");
    assertThat(s.lines()).extracting(StatementLine::fee).containsExactly("0.00", "0.00");
    // the documentation sample writes full-width colons and a double space; the time is still unambiguous
    assertThat(s.lines().get(0).occurredAt()).isEqualTo(Instant.parse("2014-11-10T08:33:45Z"));
    assertThat(s.lines().get(1).occurredAt()).isEqualTo(Instant.parse("2014-11-10T08:46:14Z"));
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void successBillReExportedAsGbkWithCouponsIsReadAsGb18030() {
    ParsedStatement s = Fixtures.single(parser, "wechatpay/success-gbk.csv");

    assertThat(s.lines()).hasSize(2);
    assertThat(s.lines()).extracting(StatementLine::type).containsOnly(LineType.PAYMENT);
    // 应结订单金额 is what WeChat settles: the order less the merchant-funded coupon
    assertThat(s.lines().get(1).amount()).isEqualTo("95.00");
    assertThat(s.lines().get(1).fee()).isEqualTo("0.57");
    assertThat(s.lines().get(1).description()).isEqualTo("牛肉面（大碗）");
    assertThat(s.info().summary()).containsEntry("订单总金额", "106.00");
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void tabSeparatedSandboxBillWithDecimalCountAndBareValues() {
    ParsedStatement s = Fixtures.single(parser, "wechatpay/sandbox-tab.csv");

    assertThat(s.lines()).hasSize(3);
    assertThat(s.lines().get(0).type()).isEqualTo(LineType.REFUND);
    assertThat(s.lines().get(0).providerRefundId()).isEqualTo("2001232001201605015390231647");
    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("-0.01", "0.05", "0.50");
    assertThat(s.lines().get(2).fee()).isEqualTo("0.01");
    assertThat(s.info().summary()).containsEntry("总交易单数", "3.0");
    assertThat(s.info().inconsistencies()).isEmpty();
    assertThat(s.info().truncated()).isNull();
  }

  @Test
  void valuesWithoutBacktickAndUtf8WithoutBomAreRead() {
    String bill = (H27 + "\n" + payment("4200000001", "12.50", "0.08000") + "\n" + SUMMARY_HEADER + "\n"
        + "`1,`12.50,`0.00,`0.00,`0.08000,`12.50,`0.00\n").replace("`", "");

    ParsedStatement s = parse(bill);

    assertThat(s.lines()).singleElement().satisfies(l -> {
      assertThat(l.providerTxnId()).isEqualTo("4200000001");
      assertThat(l.amount()).isEqualTo("12.50");
      assertThat(l.fee()).isEqualTo("0.08");
    });
  }

  @Test
  void trailingEmptyLinesAndLfOnlyAreIgnored() {
    String bill = H27 + "\n" + payment("4200000001", "1.00", "0.01000") + "\n" + SUMMARY_HEADER + "\n"
        + "`1,`1.00,`0.00,`0.00,`0.01000,`1.00,`0.00\n\n\n   \n";

    assertThat(parse(bill).lines()).hasSize(1);
  }

  @Test
  void billWithoutRowsIsCompleteAndEmpty() {
    String bill = H27 + "\r\n" + SUMMARY_HEADER + "\r\n" + "`0,`0.00,`0.00,`0.00,`0.00000,`0.00,`0.00\r\n";

    ParsedStatement s = parse(bill);

    assertThat(s.lines()).isEmpty();
    assertThat(s.info().lineCount()).isZero();
    assertThat(s.info().truncated()).isNull();
    assertThat(s.info().inconsistencies()).isEmpty();
    assertThat(s.info().currency().getCurrencyCode()).isEqualTo("CNY");
  }

  @Test
  void revokedMicropayWithARefundedAmountIsARefund() {
    String revoked = payment("4200000002", "0.00", "-0.06000").replace("`SUCCESS,", "`REVOKED,")
        .replace("`0,`0,`0.00,`0.00,`,`,", "`0,`0,`10.00,`0.00,`ORIGINAL,`SUCCESS,");
    String bill = H27 + "\n" + payment("4200000002", "10.00", "0.06000") + "\n" + revoked + "\n" + SUMMARY_HEADER + "\n"
        + "`2,`10.00,`10.00,`0.00,`0.00000,`10.00,`0.00\n";

    ParsedStatement s = parse(bill);

    assertThat(s.lines()).extracting(StatementLine::type).containsExactly(LineType.PAYMENT, LineType.REFUND);
    assertThat(s.lines().get(1).amount()).isEqualTo("-10.00");
    assertThat(s.lines().get(1).fee()).isEqualTo("-0.06");
    assertThat(s.lines().get(1).key()).isEqualTo("4200000002");
    assertThat(s.info().warnings()).anyMatch(w -> w.contains("line 3") && w.contains("微信退款单号"));
  }

  @Test
  void summaryCountMismatchIsAnInconsistencyNamingTheSummaryLine() {
    byte[] bad = all().replace("`4,`158.81", "`3,`158.81").getBytes(UTF_8);

    StatementInfo info = single(Fixtures.parse(parser, bad, "bill.csv")).info();

    assertThat(info.inconsistencies()).singleElement().satisfies(i -> {
      assertThat(i.line()).isEqualTo(7);
      assertThat(i.figure()).contains("总交易单数");
      assertThat(i.stated()).isEqualTo("3");
      assertThat(i.computed()).isEqualTo("4");
    });
    assertThat(info.warnings()).anyMatch(w -> w.contains("line 7") && w.contains("总交易单数"));
    assertThat(info.truncated()).isNull();
  }

  @Test
  void summaryCountingMoreRowsThanTheBillHasMeansTruncated() {
    byte[] bad = all().replace("`4,`158.81", "`5,`158.81").getBytes(UTF_8);

    StatementInfo info = single(Fixtures.parse(parser, bad, "bill.csv")).info();

    assertThat(info.truncated()).contains("5").contains("4");
    assertThat(info.lineCount()).isEqualTo(4);
  }

  @Test
  void feeTotalIsComparedInTheBillsFiveDecimalPrecision() {
    byte[] bad = all().replace("`0.77000", "`0.77400").getBytes(UTF_8);

    StatementInfo info = single(Fixtures.parse(parser, bad, "bill.csv")).info();

    assertThat(info.inconsistencies()).singleElement().satisfies(i -> {
      assertThat(i.figure()).contains("手续费总金额");
      assertThat(i.stated()).isEqualTo("0.77400");
      assertThat(i.computed()).isEqualTo("0.77000");
    });
  }

  @Test
  void settledAndRefundTotalMismatchesAreEachReported() {
    byte[] bad = all().replace("`4,`158.81,`30.00", "`4,`158.80,`31.00").getBytes(UTF_8);

    StatementInfo info = single(Fixtures.parse(parser, bad, "bill.csv")).info();

    assertThat(info.inconsistencies()).extracting(Inconsistency::figure)
        .containsExactly("summary 应结订单总金额", "summary 退款总金额");
    assertThat(info.inconsistencies().get(0).computed()).isEqualTo("158.81");
  }

  @Test
  void feesBelowTheFenAsOldBillsWriteThemAreRoundedHalfUpAndTheTotalCheckedExactly() {
    // A 2015 bill: 2% of a 0.01 order is 0.00020, and the summary totals the exact fees.
    String bill = """
        交易时间,公众账号ID,商户号,子商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,总金额,企业红包金额,微信退款单号,商户退款单号,退款金额,企业红包退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率
        `2015-03-30 21:25:32,`wx58aea38c0796394d,`10027619,`0,`,`1009360611201503300040393756,`20150330212520177109431,`oqMIVt3Ouq-2Vm0kZOZmZ2rTDlP8,`JSAPI,`SUCCESS,`CFT,`CNY,`0.01,`0.00,`0,`0,`0,`0,`,`,`洁面套装,`,`0.00020,`2.00%
        `2015-03-30 21:15:32,`wx58aea38c0796394d,`10027619,`0,`,`1010020611201503300040396072,`20150330211522713086491,`oqMIVt4q_YCy4Pep2QGItFI0DYhw,`JSAPI,`SUCCESS,`CFT,`CNY,`0.50,`0.00,`0,`0,`0,`0,`,`,`洁面套装,`,`0.01000,`2.00%
        总交易单数,总交易额,总退款金额,总企业红包退款金额,手续费总金额
        `2,`0.51,`0.00,`0.00,`0.01020
        """;

    ParsedStatement s = single(Fixtures.parse(parser, bill.getBytes(UTF_8), "old.csv"));

    assertThat(s.lines()).extracting(StatementLine::fee).containsExactly("0.00", "0.01");
    assertThat(s.info().inconsistencies()).isEmpty();
    assertThat(s.info().warnings()).singleElement().asString().contains("line 2: 0.00020").contains("half-up");

    ParsedStatement wrong = single(Fixtures.parse(parser, bill.replace("`0.01020", "`0.01000").getBytes(UTF_8),
        "old.csv"));
    assertThat(wrong.info().inconsistencies()).singleElement()
        .satisfies(i -> assertThat(i.computed()).isEqualTo("0.01020"));
  }

  @Test
  void malformedAmountIsRejectedWithLine() {
    byte[] bad = all().replace("`58.80,`0.00", "`1,234.5.6,`0.00").getBytes(UTF_8);

    rejects(parser, bad, "bill.csv").hasMessageContaining(":3:");
  }

  @Test
  void malformedSummaryCountIsRejected() {
    byte[] bad = all().replace("`4,`158.81", "`4.5,`158.81").getBytes(UTF_8);

    rejects(parser, bad, "bill.csv").hasMessageContaining(":7:").hasMessageContaining("总交易单数");
  }

  @Test
  void missingSummaryMeansTruncatedButTheRowsAreRead() {
    String text = all();
    byte[] cut = text.substring(0, text.indexOf("总交易单数")).getBytes(UTF_8);

    ParsedStatement s = single(Fixtures.parse(parser, cut, "bill.csv"));

    assertThat(s.lines()).hasSize(4);
    assertThat(s.info().truncated()).contains("no summary");
    assertThat(s.info().summary()).isNull();
  }

  @Test
  void summaryHeaderWithoutItsRowMeansTruncated() {
    String text = all();
    byte[] cut = text.substring(0, text.indexOf("`4,`158.81")).getBytes(UTF_8);

    assertThat(single(Fixtures.parse(parser, cut, "bill.csv")).info().truncated()).contains("no summary row");
  }

  @Test
  void fileCutInTheLastRowIsTruncatedWithTheCompleteRows() {
    String text = all();
    byte[] cut = text.substring(0, text.indexOf("`ICBC_CREDIT")).getBytes(UTF_8);

    ParsedStatement s = single(Fixtures.parse(parser, cut, "bill.csv"));

    assertThat(s.lines()).hasSize(1);
    assertThat(s.info().truncated()).contains("line 3").contains("cut short");
  }

  @Test
  void shortRowFollowedByMoreRowsIsBroken() {
    String text = all();
    String broken = text.replace("`ICBC_CREDIT,`CNY,", "");

    rejects(parser, broken.getBytes(UTF_8), "bill.csv").hasMessageContaining(":3:").hasMessageContaining("fields");
  }

  @Test
  void emptyFileIsRejected() {
    rejects(parser, new byte[0], "empty.csv").hasMessageContaining("empty file");
  }

  @Test
  void otherFileIsNotABill() {
    String text = all();
    byte[] bad = text.substring(text.indexOf("\r\n") + 2).getBytes(UTF_8);

    rejects(parser, bad, "bill.csv").hasMessageContaining("bill.csv:1:").hasMessageContaining("not a WeChat Pay trade bill");
  }

  @Test
  void missingRequiredColumnIsNamed() {
    byte[] bad = all().replace("手续费,费率", "服务费,费率").getBytes(UTF_8);

    rejects(parser, bad, "bill.csv").hasMessageContaining(":1:").hasMessageContaining("手续费");
  }

  @Test
  void invalidUtf8AfterABomIsRejectedAtItsLine() {
    String text = all();
    byte[] bytes = text.getBytes(UTF_8);
    int at = text.substring(0, text.indexOf("咖啡")).getBytes(UTF_8).length;
    byte[] bad = Arrays.copyOf(bytes, bytes.length);
    bad[at] = (byte) 0xff;

    rejects(parser, bad, "bill.csv").hasMessageContaining("bill.csv:3:").hasMessageContaining("UTF-8");
  }

  @Test
  void gbkWithoutBomIsReadLikeUtf8() {
    byte[] gbk = all().substring(1).getBytes(Charset.forName("GBK"));

    ParsedStatement s = single(Fixtures.parse(parser, gbk, "bill.csv"));

    assertThat(s.lines()).hasSize(4);
    assertThat(s.lines().get(1).description()).isEqualTo("咖啡, 大杯");
  }

  @Test
  void mixedCurrenciesAreRejected() {
    String bill = H27 + "\n" + payment("4200000001", "1.00", "0.01000") + "\n"
        + payment("4200000002", "1.00", "0.01000").replace("`CNY,", "`USD,") + "\n";

    rejects(parser, bill.getBytes(UTF_8), "bill.csv").hasMessageContaining(":3:").hasMessageContaining("mixed currencies");
  }

  @Test
  void tenMegabyteFieldFailsFastWithoutReadingItAll() {
    byte[] head = (all().substring(0, all().indexOf("\r\n") + 2) + "`2024-09-12 10:15:02,`").getBytes(UTF_8);

    assertThatThrownBy(
            () -> parser.parse(Fixtures.huge(head, 10L * 1024 * 1024, (byte) 'x'), "big.csv", new CollectingHandler()))
        .isInstanceOf(StatementException.class)
        .hasMessageContaining("big.csv:2:")
        .hasMessageContaining("longer than");
  }

  @Test
  void contentAfterSummaryIsRejected() {
    byte[] bad = (all() + "`2024-09-12 10:15:02,`x\r\n").getBytes(UTF_8);

    rejects(parser, bad, "bill.csv").hasMessageContaining(":8:");
  }

  @Test
  void rejectsTinyLineLimit() {
    assertThatThrownBy(() -> new WechatPayBillParser(10)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFundFlowFileGivenAsATradeBillIsReadAsWhatItIsWithAWarning() {
    ParsedStatement asTrade = Fixtures.single(parser, "wechatpay/fundflow.csv");
    ParsedStatement asFunds = Fixtures.single(new WechatPayFundsParser(), "wechatpay/fundflow.csv");

    assertThat(asTrade.lines()).isEqualTo(asFunds.lines());
    assertThat(asTrade.info().closingBalance()).isEqualTo(asFunds.info().closingBalance());
    assertThat(asTrade.info().warnings()).anySatisfy(w -> assertThat(w).contains("--source wechatpay-funds"));
  }
}
