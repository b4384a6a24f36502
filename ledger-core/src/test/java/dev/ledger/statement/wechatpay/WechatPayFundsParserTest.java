package dev.ledger.statement.wechatpay;

import dev.ledger.statement.*;

import static dev.ledger.statement.Fixtures.rejects;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.Charset;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class WechatPayFundsParserTest {
  private final WechatPayFundsParser parser = new WechatPayFundsParser();

  private static String flow() {
    return Fixtures.text("wechatpay/fundflow.csv", UTF_8);
  }

  private ParsedStatement parse(String text) {
    return parse(text.getBytes(UTF_8));
  }

  private ParsedStatement parse(byte[] bytes) {
    List<ParsedStatement> all = Fixtures.parse(parser, bytes, "funds.csv");
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void everyMovementIsASignedLineTypedByItsBusinessType() {
    ParsedStatement s = Fixtures.single(parser, "wechatpay/fundflow.csv");

    assertThat(s.lines()).extracting(StatementLine::type)
        .containsExactly(LineType.PAYMENT, LineType.FEE, LineType.REFUND, LineType.SETTLEMENT);
    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("100.00", "-0.60", "-29.82", "-1000.00");
    assertThat(s.lines()).extracting(StatementLine::fee).containsOnlyNulls();
    StatementLine trade = s.lines().get(0);
    assertThat(trade.line()).isEqualTo(2);
    assertThat(trade.providerTxnId()).isEqualTo("4200001234202409120000000001");
    assertThat(trade.bankReference()).isEqualTo("1900000109202409120154221386");
    assertThat(trade.orderId()).isEqualTo("O-1");
    assertThat(trade.occurredAt()).isEqualTo(Instant.parse("2024-09-12T02:15:03Z"));
    assertThat(trade.valueDate()).isEqualTo(LocalDate.of(2024, 9, 12));
    StatementLine refund = s.lines().get(2);
    assertThat(refund.providerRefundId()).isEqualTo("50000000012024091200000000001");
    assertThat(refund.key()).isEqualTo("50000000012024091200000000001");
    assertThat(refund.description()).isEqualTo("退款: 退款总金额30.00元;含手续费0.18元");
    StatementLine withdrawal = s.lines().get(3);
    assertThat(withdrawal.providerTxnId()).isNull();
    assertThat(withdrawal.key()).isEqualTo("1900000109202409120154250077");
  }

  @Test
  void openingIsTheFirstBalanceBeforeItsMovementAndClosingTheLast() {
    StatementInfo info = Fixtures.single(parser, "wechatpay/fundflow.csv").info();

    assertThat(info.openingBalance().amountMinor()).isEqualTo(100000);
    assertThat(info.closingBalance().amountMinor()).isEqualTo(6958);
    assertThat(info.closingBalance().date()).isEqualTo(LocalDate.of(2024, 9, 12));
    assertThat(info.currency().getCurrencyCode()).isEqualTo("CNY");
    assertThat(info.zone().getId()).isEqualTo("Asia/Shanghai");
    assertThat(info.summary()).containsEntry("支出金额", "1030.42");
    assertThat(info.inconsistencies()).isEmpty();
    assertThat(info.truncated()).isNull();
  }

  @Test
  void openingPlusLinesGivesClosing() {
    ParsedStatement s = Fixtures.single(parser, "wechatpay/fundflow.csv");

    long sum = s.lines().stream().mapToLong(StatementLine::amountMinor).sum();
    assertThat(s.info().openingBalance().amountMinor() + sum).isEqualTo(s.info().closingBalance().amountMinor());
  }

  @Test
  void documentationLayoutWithFullWidthParenthesesBlankLinesAndDecimalCounts() {
    ParsedStatement s = Fixtures.single(parser, "wechatpay/fundflow-v2.csv");

    assertThat(s.lines()).extracting(StatementLine::line).containsExactly(3L, 5L);
    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("-0.02", "0.35");
    assertThat(s.lines().get(0).type()).isEqualTo(LineType.REFUND);
    assertThat(s.info().openingBalance().amountMinor()).isEqualTo(19);
    assertThat(s.info().closingBalance().amountMinor()).isEqualTo(52);
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void gbkReExportIsRead() {
    byte[] gbk = flow().getBytes(Charset.forName("GBK"));

    ParsedStatement s = parse(gbk);

    assertThat(s.lines()).hasSize(4);
    assertThat(s.lines().get(1).description()).isEqualTo("扣除交易手续费: 交易手续费");
  }

  @Test
  void brokenRunningBalanceIsAnInconsistencyNamingItsLineAndReportedOnce() {
    // the refund row moves 0.10 less than its balance says: the chain breaks there and only there
    String bad = flow().replace("`29.82,`1069.58", "`29.72,`1069.58");

    StatementInfo info = parse(bad).info();

    assertThat(info.inconsistencies()).filteredOn(i -> i.figure().startsWith("账户结余")).singleElement().satisfies(i -> {
      assertThat(i.line()).isEqualTo(4);
      assertThat(i.stated()).isEqualTo("1069.58");
      assertThat(i.computed()).isEqualTo("1069.68");
    });
    assertThat(info.inconsistencies()).extracting(Inconsistency::figure).contains("summary 支出金额");
    assertThat(info.warnings()).anyMatch(w -> w.startsWith("line 4:"));
    assertThat(info.closingBalance().amountMinor()).isEqualTo(6958);
  }

  @Test
  void summaryAmountsAndCountsThatDisagreeAreInconsistencies() {
    String bad = flow().replace("`4,`1,`100.00,`3,`1030.42", "`4,`2,`100.00,`3,`1030.40");

    StatementInfo info = parse(bad).info();

    assertThat(info.inconsistencies()).extracting(Inconsistency::figure)
        .containsExactly("summary 收入笔数", "summary 支出金额");
    assertThat(info.inconsistencies().get(1).computed()).isEqualTo("1030.42");
  }

  @Test
  void fewerRowsThanTheSummaryCountsMeansTruncated() {
    // the shape of the wechatpay-go fixture: the summary counts three movements, two are listed
    String bad = flow().replace("`4,`1,`100.00", "`5,`1,`100.00");

    StatementInfo info = parse(bad).info();

    assertThat(info.truncated()).contains("5").contains("4");
  }

  @Test
  void missingSummaryMeansTruncated() {
    String text = flow();
    ParsedStatement s = parse(text.substring(0, text.indexOf("资金流水总笔数")));

    assertThat(s.lines()).hasSize(4);
    assertThat(s.info().truncated()).contains("no summary");
  }

  @Test
  void emptyFlowWithItsSummaryHasNoBalances() {
    String text = flow();
    String header = text.substring(0, text.indexOf('\n') + 1);
    ParsedStatement s = parse(header + "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额\n`0,`0,`0.00,`0,`0.00\n");

    assertThat(s.lines()).isEmpty();
    assertThat(s.info().openingBalance()).isNull();
    assertThat(s.info().closingBalance()).isNull();
    assertThat(s.info().truncated()).isNull();
  }

  @Test
  void unknownDirectionIsRejected() {
    String bad = flow().replace("`收入,`100.00", "`其他,`100.00");

    rejects(parser, bad.getBytes(UTF_8), "funds.csv").hasMessageContaining(":2:").hasMessageContaining("收支类型");
  }

  @Test
  void signedAmountIsRejectedAsAmbiguous() {
    String bad = flow().replace("`支出,`0.60", "`支出,`-0.60");

    rejects(parser, bad.getBytes(UTF_8), "funds.csv").hasMessageContaining(":3:").hasMessageContaining("unsigned");
  }

  @Test
  void tradeBillIsNotAFundFlow() {
    rejects(parser, Fixtures.resource("wechatpay/all.csv"), "funds.csv")
        .hasMessageContaining(":1:").hasMessageContaining("not a WeChat Pay fund-flow bill")
        .hasMessageContaining("--source wechatpay)");
  }

  @Test
  void businessTypesMapToLineTypes() {
    assertThat(WechatPayFundsParser.type("交易")).isEqualTo(LineType.PAYMENT);
    assertThat(WechatPayFundsParser.type("退款")).isEqualTo(LineType.REFUND);
    assertThat(WechatPayFundsParser.type("扣除交易手续费")).isEqualTo(LineType.FEE);
    assertThat(WechatPayFundsParser.type("手续费")).isEqualTo(LineType.FEE);
    assertThat(WechatPayFundsParser.type("提现")).isEqualTo(LineType.SETTLEMENT);
    assertThat(WechatPayFundsParser.type("企业付款到银行")).isEqualTo(LineType.SETTLEMENT);
    assertThat(WechatPayFundsParser.type("充值")).isEqualTo(LineType.OTHER);
  }

  @Test
  void sourceNamesTheFundFlowProfile() {
    assertThat(Source.parse("wechatpay-funds").profile()).isSameAs(WechatPay.FUND_FLOW);
    assertThat(WechatPay.FUND_FLOW.kind()).isEqualTo(SourceProfile.SourceKind.WALLET_FUNDS);
    assertThat(WechatPay.FUND_FLOW.clearingAccount()).isEqualTo(WechatPay.CLEARING);
    assertThat(Source.WECHATPAY_FUNDS.parser()).isInstanceOf(WechatPayFundsParser.class);
  }

  @Test
  void rejectsTinyLineLimit() {
    assertThatThrownBy(() -> new WechatPayFundsParser(10)).isInstanceOf(IllegalArgumentException.class);
  }
}
