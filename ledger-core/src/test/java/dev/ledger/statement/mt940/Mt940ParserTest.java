package dev.ledger.statement.mt940;

import dev.ledger.statement.*;

import static dev.ledger.statement.Fixtures.rejects;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class Mt940ParserTest {
  private static final String STATEMENT =
      "{1:F01BANKDEFFAXXX0000000000}{2:O9401200240912BANKDEFFAXXX00000000002409121200N}{4:\r\n"
          + ":20:REF1\r\n"
          + ":25:DE89370400440532013000\r\n"
          + ":28C:12/1\r\n"
          + ":60F:C240911CNY1000,00\r\n"
          + ":61:2409120912C250,5NTRFORDER-1//BANK-REF-1\r\n"
          + "SUPPLEMENTARY\r\n"
          + ":86:WECHATPAY SETTLEMENT\r\n"
          + "BATCH 2024-09-12\r\n"
          + ":61:2409120912D0,50NCHGNONREF\r\n"
          + ":86:\r\n"
          + ":61:240912RD10,NTRFCUST-9\r\n"
          + ":62F:C240912CNY1260,00\r\n"
          + ":64:C240912CNY1260,00\r\n"
          + "-}";

  private final Mt940Parser parser = new Mt940Parser();

  @Test
  void swiftBlockStatementGivesSignedLinesAndCheckedBalances() {
    List<ParsedStatement> all = Fixtures.parse(parser, STATEMENT.getBytes(UTF_8), "s.sta");

    assertThat(all).hasSize(1);
    ParsedStatement s = all.get(0);
    assertThat(s.info().account()).isEqualTo("DE89370400440532013000");
    assertThat(s.info().openingBalance().amountMinor()).isEqualTo(100000);
    assertThat(s.info().closingBalance().amountMinor()).isEqualTo(126000);
    assertThat(s.info().closingBalance().date()).isEqualTo(LocalDate.of(2024, 9, 12));
    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("250.50", "-0.50", "10.00");
    assertThat(s.lines()).extracting(StatementLine::bankReference).containsExactly("BANK-REF-1", null, "CUST-9");
    assertThat(s.lines()).extracting(StatementLine::line).containsExactly(6L, 10L, 12L);
    assertThat(s.lines().get(0).description()).isEqualTo("WECHATPAY SETTLEMENT\nBATCH 2024-09-12");
    assertThat(s.lines().get(0).valueDate()).isEqualTo(LocalDate.of(2024, 9, 12));
    assertThat(s.lines().get(0).feeMinor()).isNull();
    assertThat(s.lines().get(2).description()).isNull();
  }

  @Test
  void twoStatementsInOneFileEachEnd() {
    String two = STATEMENT.replace("-}", "-") + "\n" + STATEMENT.substring(STATEMENT.indexOf(":20:")).replace("-}", "");

    assertThat(Fixtures.parse(parser, two.getBytes(UTF_8), "s.sta")).hasSize(2);
  }

  @Test
  void balanceMismatchIsRejectedAtTheClosingBalance() {
    byte[] bad = STATEMENT.replace(":62F:C240912CNY1260,00", ":62F:C240912CNY1260,01").getBytes(UTF_8);

    rejects(parser, bad, "s.sta").hasMessageContaining("s.sta:13:").hasMessageContaining("balance mismatch");
  }

  @Test
  void balanceMismatchBecomesAWarningWhenAskedFor() {
    byte[] bad = STATEMENT.replace(":62F:C240912CNY1260,00", ":62F:C240912CNY1260,01").getBytes(UTF_8);

    ParsedStatement s = Fixtures.parse(new Mt940Parser(), bad, "s.sta").get(0);

    assertThat(s.info().warnings()).singleElement().asString().contains("balance mismatch");
  }

  @Test
  void truncatedStatementIsRejected() {
    byte[] bad = STATEMENT.substring(0, STATEMENT.indexOf(":62F:")).getBytes(UTF_8);

    rejects(parser, bad, "s.sta").hasMessageContaining("truncated");
  }

  @Test
  void amountWithTwoSeparatorsIsRejected() {
    byte[] bad = STATEMENT.replace("C250,5NTRF", "C1,234,5NTRF").getBytes(UTF_8);

    rejects(parser, bad, "s.sta").hasMessageContaining("s.sta:6:");
  }

  @Test
  void moreDecimalsThanTheCurrencyHasIsRejected() {
    byte[] bad = STATEMENT.replace("C250,5NTRF", "C250,505NTRF").getBytes(UTF_8);

    rejects(parser, bad, "s.sta").hasMessageContaining("s.sta:6:").hasMessageContaining("decimals");
  }

  @Test
  void emptyFileIsRejected() {
    rejects(parser, new byte[0], "s.sta").hasMessageContaining("empty file");
  }

  @Test
  void hugeFieldFailsFast() {
    byte[] head = STATEMENT.substring(0, STATEMENT.indexOf(":86:") + 4).getBytes(UTF_8);

    assertThatThrownBy(() -> parser.parse(Fixtures.huge(head, 10L << 20, (byte) 'x'), "s.sta", new CollectingHandler()))
        .isInstanceOf(StatementException.class)
        .hasMessageContaining("s.sta:8:")
        .hasMessageContaining("longer than");
  }
}
