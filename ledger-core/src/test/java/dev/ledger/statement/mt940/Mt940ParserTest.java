package dev.ledger.statement.mt940;

import dev.ledger.statement.*;

import static dev.ledger.statement.Fixtures.rejects;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
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
  void balanceMismatchIsReadWithAnInconsistencyAtTheClosingBalance() {
    byte[] bad = STATEMENT.replace(":62F:C240912CNY1260,00", ":62F:C240912CNY1260,01").getBytes(UTF_8);

    ParsedStatement s = Fixtures.parse(parser, bad, "s.sta").get(0);

    assertThat(s.lines()).hasSize(3);
    assertThat(s.info().inconsistencies()).singleElement().satisfies(i -> {
      assertThat(i.line()).isEqualTo(13);
      assertThat(i.stated()).isEqualTo("1260.01");
      assertThat(i.computed()).isEqualTo("1260.00");
    });
    assertThat(s.info().warnings()).singleElement().asString().contains("1260.01");
    assertThat(s.info().isTruncated()).isFalse();
  }

  @Test
  void statementWithoutClosingBalanceIsReadAsTruncated() {
    byte[] cut = STATEMENT.substring(0, STATEMENT.indexOf(":62F:")).getBytes(UTF_8);

    ParsedStatement s = Fixtures.parse(parser, cut, "s.sta").get(0);

    assertThat(s.lines()).hasSize(3);
    assertThat(s.info().closingBalance()).isNull();
    assertThat(s.info().truncated()).contains(":62F:");
  }

  @Test
  void aStatementWithoutClosingBalanceInTheMiddleOfTheFileIsRejected() {
    // zilverline/mt940's knab_invalid fixture: only the end of a file can be cut off
    String first = STATEMENT.substring(0, STATEMENT.indexOf(":62F:"));
    String second = STATEMENT.substring(STATEMENT.indexOf(":20:"));

    rejects(parser, (first + second).getBytes(UTF_8), "s.sta").hasMessageContaining("s.sta:13:")
        .hasMessageContaining(":62F:");
  }

  @Test
  void blankEntryDateAsCitiWritesItIsNoEntryDate() {
    byte[] citi = """
        :20:STMT240312
        :25:123456789
        :28:1/1
        :60F:C240312USD17376,67
        :61:240312    DD212,39NMSCNONREF//
        /ABC/DEF/MISCELLANEOUS
        :86:/PT/FT/PY/SOMETHING FOO BAR
        :62F:C240312USD17164,28
        """.getBytes(UTF_8);

    ParsedStatement s = Fixtures.parse(parser, citi, "citi.txt").get(0);

    assertThat(s.lines()).singleElement().satisfies(l -> {
      assertThat(l.amount()).isEqualTo("-212.39");
      assertThat(l.valueDate()).isEqualTo(java.time.LocalDate.of(2024, 3, 12));
    });
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  /** ING and Triodos (php-mt940 samples): "NOV NONREF", a type of N + two letters and a space. */
  @Test
  void typeCodeWithASpaceBeforeTheReference() {
    ParsedStatement s = single(body(":61:100722C25,03NOV NONREF\n:86:Gift\n:61:121123D10,00NIT NONREF\n",
        "C100721EUR100,00", "C100722EUR115,03"));

    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("25.03", "-10.00");
    assertThat(s.lines()).extracting(StatementLine::bankReference).containsExactly(null, null);
    assertThat(s.lines().get(0).description()).isEqualTo("Gift");
  }

  /** Zenith Bank: funds code N before the amount and no type code; ING: no customer reference. */
  @Test
  void fundsCodeMissingTypeAndMissingCustomerReference() {
    ParsedStatement s = single(body(
        ":61:2011301130CN220000,00//19239782213\n:61:020322CM20000,00NCHG\n:61:0203220322DR1,00NTRFREF-7\n",
        "C201129NGN0,00", "C201130NGN239999,00"));

    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("220000.00", "20000.00", "-1.00");
    assertThat(s.lines()).extracting(StatementLine::bankReference).containsExactly("19239782213", null, "REF-7");
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  /** RC reverses a credit (money out), RD a debit (money in). */
  @Test
  void reversalsAreSignedByTheEntryTheyProduce() {
    ParsedStatement s = single(body(":61:240912RC5,00NTRFA\n:61:240912RD7,00NTRFB\n",
        "C240911EUR10,00", "C240912EUR12,00"));

    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("-5.00", "7.00");
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  /** Rabobank writes a decimal point and zero-padded amounts; others write ",50" or "10,". */
  @Test
  void decimalPointLeadingZerosAndBareFractions() {
    ParsedStatement s = single(body(":61:030107D000000000010.50N123NONREF\n:61:030107C,50NTRFNONREF\n",
        "D030106EUR000000001000.12", "D030107EUR1010,12"));

    assertThat(s.info().openingBalance().amountMinor()).isEqualTo(-100012);
    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("-10.50", "0.50");
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  /** A December value date booked in January: the entry date MMDD falls in the next year. */
  @Test
  void entryDateInTheNextYearDoesNotMoveTheValueDate() {
    ParsedStatement s = single(body(":61:2412310102C1,00NTRFNONREF\n", "C241230EUR0,00", "C250102EUR1,00"));

    assertThat(s.lines().get(0).valueDate()).isEqualTo(LocalDate.of(2024, 12, 31));
    assertThat(s.info().periodFrom()).isEqualTo(LocalDate.of(2025, 1, 2));
  }

  /** Deutsche Bank (cmxl fixtures) closes with "021131": read as the last day of November. */
  @Test
  void impossibleBalanceDateIsReadAsTheMonthsLastDayWithAWarning() {
    ParsedStatement s = single(body("", "C021130EUR5,00", "C021131EUR5,00"));

    assertThat(s.info().closingBalance().date()).isEqualTo(LocalDate.of(2002, 11, 30));
    assertThat(s.info().warnings()).singleElement().asString().contains("021131");
  }

  @Test
  void impossibleValueDateIsRejected() {
    byte[] bad = STATEMENT.replace(":61:240912RD10", ":61:240230RD10").getBytes(UTF_8);

    rejects(parser, bad, "s.sta").hasMessageContaining("s.sta:12:").hasMessageContaining("240230");
  }

  @Test
  void amountWithoutDecimalSeparatorIsRejected() {
    byte[] bad = STATEMENT.replace("C250,5NTRF", "C250NTRF").getBytes(UTF_8);

    rejects(parser, bad, "s.sta").hasMessageContaining("s.sta:6:");
  }

  @Test
  void amountBeyondTheLedgersRangeIsRejected() {
    byte[] bad = STATEMENT.replace("C250,5NTRF", "C99999999999999999999,00NTRF").getBytes(UTF_8);

    rejects(parser, bad, "s.sta").hasMessageContaining("s.sta:6:").hasMessageContaining("range");
  }

  /** ASN: "-}{5:}" trailers with the next "{1:..}{2:..}{3:}{4:" header; a DOS EOF byte at the end. */
  @Test
  void swiftTrailersHeadersAndAnEofCharacterBetweenMessages() {
    String asn = "{1:F01ASNBNL21XXXX0000000000}{2:O940ASNBNL21XXXXN}{3:}{4:\n"
        + ":20:0000000000\n:25:NL53ASNB0781269733\n:28C:2/1\n:60F:C200102EUR13290,34\n"
        + ":61:2001020102D2000,00NOVBNL29INGB0006475121\nj blom\n:86:NL29INGB0006475121 j blom\n"
        + "Salaris december 2019\n:62F:C200102EUR11290,34\n-}{5:}\n"
        + "{1:F01ASNBNL21XXXX0000000000}{2:O940ASNBNL21XXXXN}{3:}{4:\n"
        + ":20:0000000000\n:25:NL53ASNB0781269733\n:28C:3/1\n:60F:C200103EUR11290,34\n"
        + ":62F:C200103EUR11290,34\n-}{5:}\n\u001A";

    List<ParsedStatement> all = Fixtures.parse(parser, asn.getBytes(UTF_8), "asn.sta");

    assertThat(all).hasSize(2);
    assertThat(all).allSatisfy(s -> assertThat(s.info().inconsistencies()).isEmpty());
    assertThat(all.get(0).lines()).singleElement().satisfies(l -> {
      assertThat(l.amount()).isEqualTo("-2000.00");
      assertThat(l.description()).startsWith("NL29INGB0006475121 j blom");
    });
    assertThat(all.get(1).info().summary()).containsEntry("statement_number", "3/1");
  }

  /** Text after the closing balance (Zenith Bank's ":86:", a bank's note) belongs to no line. */
  @Test
  void fieldsAndTextAfterTheClosingBalanceAreIgnored() {
    String text = body(":61:240912C1,00NTRFNONREF\n", "C240911EUR0,00", "C240912EUR1,00").replaceFirst("-\n$", "")
        + "End of statement\n:64:C240912EUR1,00\n:65:C240913EUR1,00\n:86:ZENITH BANK PLC\n";

    ParsedStatement s = single(text);

    assertThat(s.lines()).singleElement().extracting(StatementLine::description).isNull();
    assertThat(s.info().warnings()).singleElement().asString().contains("text after the :62F:");
  }

  /** A long statement in pages: :62M: then the next page's :28C: and :60M: without a new :20:. */
  @Test
  void intermediateBalancesSplitAStatementIntoPages() {
    String pages = ":20:REF\n:25:NL50RABO0123456789\n:28C:1/1\n:60F:C240911EUR0,00\n"
        + ":61:240912C1,00NTRFNONREF\n:62M:C240912EUR1,00\n"
        + ":28C:1/2\n:60M:C240912EUR1,00\n:61:240912C2,00NTRFNONREF\n:62F:C240912EUR3,00\n-\n";

    List<ParsedStatement> all = Fixtures.parse(parser, pages.getBytes(UTF_8), "p.sta");

    assertThat(all).hasSize(2);
    assertThat(all).allSatisfy(s -> assertThat(s.info().inconsistencies()).isEmpty());
    assertThat(all.get(1).info().account()).isEqualTo("NL50RABO0123456789");
    assertThat(all.get(1).info().closingBalance().amountMinor()).isEqualTo(300);
  }

  @Test
  void extraTagsOfBankExtensionsAreSkipped() {
    String text = ":20:STARTUMS\n:21:NONREF\n:25:10020030/1234567\n:28C:1\n:13D:2409121200+0100\n"
        + ":34F:EUR0,00\n:NS:22Kontoauszug\n:60F:C240911EUR0,00\n:61:240912C1,00NTRFNONREF\n"
        + ":90C:1EUR1,00\n:62F:C240912EUR1,00\n-\n";

    ParsedStatement s = single(text);

    assertThat(s.lines()).hasSize(1);
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  /** Sparkasse exports in ISO-8859-1: an umlaut byte that is not UTF-8. */
  @Test
  void iso88591TextIsDecoded() {
    String text = body(":61:240912C1,00NTRFNONREF\n:86:166?00GUTSCHRIFT?20M\u00fcller GmbH\n",
        "C240911EUR0,00", "C240912EUR1,00");

    ParsedStatement s = Fixtures.parse(parser, text.getBytes(ISO_8859_1), "s.sta").get(0);

    assertThat(s.lines().get(0).description()).contains("M\u00fcller");
  }

  /** A Windows export: the euro sign is byte 0x80 in windows-1252. */
  @Test
  void windows1252EuroSignIsDecoded() {
    String text = body(":61:240912C1,00NTRFNONREF\n:86:Gutschrift 1,00 \u20ac\n", "C240911EUR0,00", "C240912EUR1,00");

    ParsedStatement s = Fixtures.parse(parser, text.getBytes(java.nio.charset.Charset.forName("windows-1252")), "s.sta").get(0);

    assertThat(s.lines().get(0).description()).isEqualTo("Gutschrift 1,00 \u20ac");
  }

  @Test
  void windowsLineBreaksAndAColonStartingAContinuationLine() {
    String text = body(":61:240912D6800,NCHK16703074\n:86:106?20SVWZ+STARTER 03:46\n:08 Karten\n",
        "C240911EUR10000,00", "C240912EUR3200,00").replace("\n", "\r\n");

    ParsedStatement s = single(text);

    assertThat(s.lines()).singleElement().satisfies(l -> {
      assertThat(l.description()).endsWith(":08 Karten");
      assertThat(l.bankReference()).isEqualTo("16703074");
    });
  }

  private ParsedStatement single(String text) {
    List<ParsedStatement> all = Fixtures.parse(parser, text.getBytes(UTF_8), "s.sta");
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private static String body(String lines, String opening, String closing) {
    return ":20:STMT\n:25:NL91ABNA0417164300\n:28C:1/1\n:60F:" + opening + "\n" + lines + ":62F:" + closing + "\n-\n";
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
