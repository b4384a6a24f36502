package dev.ledger.statement.wechatpay;

import dev.ledger.statement.*;

import static dev.ledger.statement.Fixtures.rejects;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WechatPayBillParserTest {
  private final WechatPayBillParser parser = new WechatPayBillParser();

  private static String all() {
    return Fixtures.text("wechatpay/all.csv", UTF_8);
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
  void refundBillUsesRefundAmountsNotOrderAmounts() {
    ParsedStatement s = Fixtures.single(parser, "wechatpay/refund.csv");

    assertThat(s.lines()).extracting(StatementLine::type).containsOnly(LineType.REFUND);
    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("-30.00", "-20.00");
    assertThat(s.lines()).extracting(StatementLine::fee).containsExactly("-0.18", "-0.12");
  }

  @Test
  void older24ColumnHeaderWithoutBomOrFinalNewlineKeepsDuplicateRows() {
    ParsedStatement s = Fixtures.single(parser, "wechatpay/old24.csv");

    assertThat(s.lines()).hasSize(3);
    assertThat(s.lines().get(0).key()).isEqualTo(s.lines().get(1).key());
    assertThat(s.lines()).extracting(StatementLine::line).containsExactly(2L, 3L, 4L);
    assertThat(s.lines().get(2).amount()).isEqualTo("-0.01");
    assertThat(s.info().summary()).containsEntry("总交易额", "0.02");
  }

  @Test
  void summaryCountMismatchNamesTheSummaryLine() {
    byte[] bad = all().replace("`4,`158.81", "`5,`158.81").getBytes(UTF_8);

    rejects(parser, bad, "bill.csv").hasMessageContaining("bill.csv:7:").hasMessageContaining("总交易单数");
  }

  @Test
  void summaryFeeTotalMismatchIsRejected() {
    byte[] bad = all().replace("`0.77000", "`0.78000").getBytes(UTF_8);

    rejects(parser, bad, "bill.csv").hasMessageContaining(":7:").hasMessageContaining("手续费总金额");
  }

  @Test
  void summarySettledTotalMismatchIsRejected() {
    byte[] bad = all().replace("`4,`158.81", "`4,`158.80").getBytes(UTF_8);

    rejects(parser, bad, "bill.csv").hasMessageContaining("应结订单总金额");
  }

  @Test
  void feeThatIsNotWholeFenIsAnErrorNotRounded() {
    byte[] bad = all().replace("`0.35000", "`0.35100").getBytes(UTF_8);

    rejects(parser, bad, "bill.csv").hasMessageContaining(":3:").hasMessageContaining("手续费");
  }

  @Test
  void malformedAmountIsRejectedWithLine() {
    byte[] bad = all().replace("`58.80,`0.00", "`1,234.5.6,`0.00").getBytes(UTF_8);

    rejects(parser, bad, "bill.csv").hasMessageContaining(":3:").hasMessageContaining("1,234.5.6");
  }

  @Test
  void missingSummaryMeansTruncated() {
    String text = all();
    byte[] bad = text.substring(0, text.indexOf("总交易单数")).getBytes(UTF_8);

    rejects(parser, bad, "bill.csv").hasMessageContaining("truncated");
  }

  @Test
  void rowCutInTheMiddleIsRejected() {
    String text = all();
    byte[] bad = text.substring(0, text.indexOf("`ICBC_CREDIT")).getBytes(UTF_8);

    rejects(parser, bad, "bill.csv").hasMessageContaining(":3:").hasMessageContaining("fields");
  }

  @Test
  void emptyFileIsRejected() {
    rejects(parser, new byte[0], "empty.csv").hasMessageContaining("empty file");
  }

  @Test
  void missingHeaderIsRejected() {
    String text = all();
    byte[] bad = text.substring(text.indexOf("\r\n") + 2).getBytes(UTF_8);

    rejects(parser, bad, "bill.csv").hasMessageContaining("bill.csv:1:").hasMessageContaining("header");
  }

  @Test
  void missingRequiredColumnIsNamed() {
    byte[] bad = all().replace("手续费,费率", "服务费,费率").getBytes(UTF_8);

    rejects(parser, bad, "bill.csv").hasMessageContaining(":1:").hasMessageContaining("手续费");
  }

  @Test
  void invalidUtf8IsRejectedAtItsLine() {
    byte[] bytes = all().getBytes(UTF_8);
    String text = all();
    int at = text.substring(0, text.indexOf("咖啡")).getBytes(UTF_8).length;
    byte[] bad = Arrays.copyOf(bytes, bytes.length);
    bad[at] = (byte) 0xff;

    rejects(parser, bad, "bill.csv").hasMessageContaining("bill.csv:3:").hasMessageContaining("UTF-8");
  }

  @Test
  void gbkBillIsRejectedAsNotUtf8() {
    byte[] gbk = all().substring(1).getBytes(java.nio.charset.Charset.forName("GBK"));

    rejects(parser, gbk, "bill.csv").hasMessageContaining("bill.csv:1:").hasMessageContaining("UTF-8");
  }

  @Test
  void tenMegabyteFieldFailsFastWithoutReadingItAll() {
    byte[] head = (all().substring(0, all().indexOf("\r\n") + 2) + "`2024-09-12 10:15:02,`").getBytes(UTF_8);

    assertThatThrownBy(
            () ->
                parser.parse(
                    Fixtures.huge(head, 10L * 1024 * 1024, (byte) 'x'), "big.csv", new CollectingHandler()))
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
}
