package dev.ledger.statement.csv;

import dev.ledger.statement.*;

import static dev.ledger.statement.Fixtures.rejects;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.charset.Charset;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvStatementParserTest {
  private static final String MAPPING =
      "txn_id=Txn\norder_id=Order\nrefund_id=Refund\ntype=Kind\ndatetime=Time\namount=Amount\n"
          + "fee=Fee\nfixed_currency=CNY\nzone=Asia/Shanghai\n";
  private static final String FILE =
      "Txn,Order,Refund,Kind,Time,Amount,Fee\n"
          + "T1,O-1,,payment,2024-09-12 10:15:02,100.00,0.60\n"
          + "T1,O-1,R1,refund,2024-09-12 15:00:00,-30.00,-0.18\n"
          + "T2,\"O-2, multi\nline\",,payment,2024-09-13 09:00:00,1.5,0\n";

  private static CsvStatementParser parser(String mapping) {
    return new CsvStatementParser(CsvMapping.parse(new StringReader(mapping)));
  }

  @Test
  void mappedColumnsGiveTypedSignedLines() {
    ParsedStatement s = Fixtures.parse(parser(MAPPING), FILE.getBytes(UTF_8), "x.csv").get(0);

    assertThat(s.lines()).extracting(StatementLine::type)
        .containsExactly(LineType.PAYMENT, LineType.REFUND, LineType.PAYMENT);
    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("100.00", "-30.00", "1.50");
    assertThat(s.lines()).extracting(StatementLine::fee).containsExactly("0.60", "-0.18", "0.00");
    assertThat(s.lines().get(1).key()).isEqualTo("R1");
    assertThat(s.lines().get(0).occurredAt()).isEqualTo(Instant.parse("2024-09-12T02:15:02Z"));
    assertThat(s.lines().get(2).orderId()).isEqualTo("O-2, multi\nline");
    assertThat(s.lines()).extracting(StatementLine::line).containsExactly(2L, 3L, 4L);
    assertThat(s.info().periodTo()).isEqualTo(LocalDate.of(2024, 9, 13));
  }

  @Test
  void debitCreditColumnsWithCommaDecimalsSemicolonsAndNoHeader() {
    String mapping = "txn_id=1\ndatetime=2\ndebit=3\ncredit=4\ncurrency=5\nsign=debit_credit\n"
        + "decimal_separator=,\ndelimiter=;\nheader=no\ndate_format=dd.MM.yyyy\nencoding=GBK\n";
    byte[] file = "A;12.09.2024;;1234,56;EUR\nB;12.09.2024;0,5;;EUR\n".getBytes(Charset.forName("GBK"));

    ParsedStatement s = Fixtures.parse(parser(mapping), file, "x.csv").get(0);

    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("1234.56", "-0.50");
    assertThat(s.lines()).extracting(StatementLine::type).containsOnly(LineType.OTHER);
  }

  @Test
  void typeColumnGivesTheSignOfUnsignedAmounts() {
    String mapping = "txn_id=id\ndatetime=d\namount=a\ntype=t\nsign=type_column\nfixed_currency=JPY\ndate_format=yyyy-MM-dd\n";
    byte[] file = "id,d,a,t\n1,2024-09-12,500,D\n2,2024-09-12,700,C\n".getBytes(UTF_8);

    ParsedStatement s = Fixtures.parse(parser(mapping), file, "x.csv").get(0);

    assertThat(s.lines()).extracting(StatementLine::amountMinor).containsExactly(-500L, 700L);
  }

  @Test
  void malformedAmountIsRejectedWithLine() {
    byte[] bad = FILE.replace("100.00", "\"1,234.5.6\"").getBytes(UTF_8);

    rejects(parser(MAPPING), bad, "x.csv").hasMessageContaining("x.csv:2:").hasMessageContaining("amount");
  }

  @Test
  void unknownColumnIsRejectedAtTheHeader() {
    rejects(parser(MAPPING.replace("fee=Fee", "fee=Charges")), FILE.getBytes(UTF_8), "x.csv")
        .hasMessageContaining("x.csv:1:").hasMessageContaining("Charges");
  }

  @Test
  void unclosedQuoteIsTruncation() {
    byte[] bad = FILE.substring(0, FILE.indexOf("line\"")).getBytes(UTF_8);

    rejects(parser(MAPPING), bad, "x.csv").hasMessageContaining("x.csv:4:").hasMessageContaining("truncated");
  }

  @Test
  void emptyFileAndInvalidEncodingAreRejected() {
    rejects(parser(MAPPING), new byte[0], "x.csv").hasMessageContaining("empty");
    rejects(parser(MAPPING), new byte[] {'T', 'x', (byte) 0xC3, '\n'}, "x.csv").hasMessageContaining("UTF-8");
  }

  @Test
  void mappingMistakesAreCallerErrors() {
    assertThatThrownBy(() -> CsvMapping.of(Map.of("bogus", "1"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bogus");
    assertThatThrownBy(() -> CsvMapping.of(Map.of("datetime", "d", "fixed_currency", "CNY")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("amount");
    assertThatThrownBy(() -> CsvMapping.of(Map.of("datetime", "d", "amount", "a", "fixed_currency", "CNY", "header", "no")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index");
  }
}
