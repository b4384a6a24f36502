package dev.ledger.statement.alipay;

import dev.ledger.statement.*;

import static dev.ledger.statement.Fixtures.rejects;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class AlipayBillParserTest {
  private static final Charset GBK = Charset.forName("GBK");
  private final AlipayBillParser parser = new AlipayBillParser();

  private static String detail() {
    return Fixtures.text("alipay/detail.csv", GBK);
  }

  private static byte[] gbk(String text) {
    return text.getBytes(GBK);
  }

  @Test
  void gbkDetailGivesPaymentsAndSignedRefundWithFeeReturned() {
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

    StatementLine refund = s.lines().get(2);
    assertThat(refund.type()).isEqualTo(LineType.REFUND);
    assertThat(refund.amount()).isEqualTo("-30.00");
    assertThat(refund.fee()).isEqualTo("-0.18");
    assertThat(refund.providerRefundId()).isEqualTo("REF-1001-1");
    assertThat(refund.providerTxnId()).isEqualTo("2024091222001412341234567890");
    assertThat(refund.key()).isEqualTo("REF-1001-1");
  }

  @Test
  void infoHasAccountPeriodFromHeaderAndFooterTotals() {
    StatementInfo info = Fixtures.single(parser, "alipay/detail.csv").info();

    assertThat(info.account()).isEqualTo("20881234567890120156");
    assertThat(info.periodFrom()).isEqualTo(LocalDate.of(2024, 9, 12));
    assertThat(info.periodTo()).isEqualTo(LocalDate.of(2024, 9, 12));
    assertThat(info.summary()).containsEntry("交易合计", "3笔，共158.81元").containsKey("导出时间");
    assertThat(info.lineCount()).isEqualTo(4);
  }

  @Test
  void valuesWithCommasInsideTabTerminatedFieldsStayWhole() {
    String text = detail().replace("咖啡（大杯）", "咖啡,大杯");

    ParsedStatement s = Fixtures.parse(parser, gbk(text), "a.csv").get(0);

    assertThat(s.lines().get(1).description()).isEqualTo("咖啡,大杯");
  }

  @Test
  void paymentFooterMismatchNamesFooterLine() {
    byte[] bad = gbk(detail().replace("共158.81元", "共158.82元"));

    rejects(parser, bad, "a.csv").hasMessageContaining("a.csv:11:").hasMessageContaining("交易合计");
  }

  @Test
  void refundFooterCountMismatchIsRejected() {
    byte[] bad = gbk(detail().replace("#退款合计：1笔", "#退款合计：2笔"));

    rejects(parser, bad, "a.csv").hasMessageContaining(":12:").hasMessageContaining("退款合计");
  }

  @Test
  void refundFooterWithoutMinusIsAccepted() {
    byte[] ok = gbk(detail().replace("共-30.00元", "共30.00元"));

    assertThat(Fixtures.parse(parser, ok, "a.csv")).hasSize(1);
  }

  @Test
  void utf8FileIsRejectedAsNotAnAlipayGbkFile() {
    byte[] utf8 = detail().getBytes(StandardCharsets.UTF_8);

    rejects(parser, utf8, "a.csv").hasMessageContaining("GBK");
  }

  @Test
  void truncatedBeforeEndMarkerIsRejected() {
    String text = detail();
    byte[] bad = gbk(text.substring(0, text.indexOf("#-----------------------------------------业务明细列表结束")));

    rejects(parser, bad, "a.csv").hasMessageContaining("truncated");
  }

  @Test
  void missingFooterIsRejected() {
    String text = detail();
    byte[] bad = gbk(text.substring(0, text.indexOf("#退款合计")));

    rejects(parser, bad, "a.csv").hasMessageContaining("退款合计");
  }

  @Test
  void malformedAmountNamesLineAndColumn() {
    byte[] bad = gbk(detail().replace("58.80\t,58.80", "1,234.5.6\t,58.80"));

    rejects(parser, bad, "a.csv").hasMessageContaining("a.csv:7:").hasMessageContaining("订单金额");
  }

  @Test
  void missingRequiredColumnIsNamed() {
    byte[] bad = gbk(detail().replace("服务费（元）", "手续费（元）"));

    rejects(parser, bad, "a.csv").hasMessageContaining("a.csv:5:").hasMessageContaining("服务费（元）");
  }

  @Test
  void fileWithoutMarkerIsRejected() {
    byte[] bad = gbk("支付宝交易号,商户订单号\r\n1,2\r\n");

    rejects(parser, bad, "a.csv").hasMessageContaining("a.csv:1:").hasMessageContaining("missing header");
  }

  @Test
  void emptyFileIsRejected() {
    rejects(parser, new byte[0], "a.csv").hasMessageContaining("empty file");
  }

  @Test
  void refundWithPositiveAmountIsRejected() {
    byte[] bad = gbk(detail().replace("-30.00\t,-30.00", "30.00\t,-30.00"));

    rejects(parser, bad, "a.csv").hasMessageContaining(":8:").hasMessageContaining("positive");
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
  void rowWithMissingFieldsIsRejected() {
    byte[] bad = gbk(detail().replace(",-0.35\t,0.00\t,会员价\t", ""));

    rejects(parser, bad, "a.csv").hasMessageContaining(":7:").hasMessageContaining("fields");
  }
}
