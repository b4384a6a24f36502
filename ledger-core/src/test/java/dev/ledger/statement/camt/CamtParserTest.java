package dev.ledger.statement.camt;

import dev.ledger.statement.*;

import static dev.ledger.statement.Fixtures.rejects;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class CamtParserTest {
  private static final String BATCH =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          + "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.08\"><BkToCstmrStmt>\n"
          + "<Stmt><Id>S-1</Id><Acct><Id><IBAN>CN0012345678</IBAN></Id><Ccy>CNY</Ccy></Acct>\n"
          + "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"CNY\">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-09-11</Dt></Dt></Bal>\n"
          + "<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"CNY\">250.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-09-12</Dt></Dt></Bal>\n"
          + "<Ntry><Amt Ccy=\"CNY\">150.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>\n"
          + "<BookgDt><DtTm>2024-09-12T10:00:00+08:00</DtTm></BookgDt><ValDt><Dt>2024-09-13</Dt></ValDt><AcctSvcrRef>BANK-1</AcctSvcrRef>\n"
          + "<NtryDtls>\n"
          + "<TxDtls><Refs><EndToEndId>PAYOUT-1</EndToEndId></Refs><Amt Ccy=\"CNY\">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></TxDtls>\n"
          + "<TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId><TxId>TX-2</TxId></Refs><Amt Ccy=\"CNY\">50.00</Amt><CdtDbtInd>CRDT</CdtDbtInd></TxDtls>\n"
          + "</NtryDtls></Ntry>\n"
          + "</Stmt></BkToCstmrStmt></Document>\n";

  private final CamtParser parser = new CamtParser();

  @Test
  void batchEntryWithDetailAmountsBecomesOneLinePerDetail() {
    ParsedStatement s = Fixtures.parse(parser, BATCH.getBytes(UTF_8), "c.xml").get(0);

    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("100.00", "50.00");
    assertThat(s.lines()).extracting(StatementLine::bankReference).containsExactly("PAYOUT-1", "TX-2");
    assertThat(s.lines()).extracting(StatementLine::line).containsExactly(9L, 10L);
    assertThat(s.lines().get(0).valueDate()).isEqualTo(LocalDate.of(2024, 9, 13));
    assertThat(s.lines().get(0).occurredAt()).hasToString("2024-09-12T02:00:00Z");
    assertThat(s.info().account()).isEqualTo("CN0012345678");
    assertThat(s.info().openingBalance().amountMinor()).isEqualTo(10000);
    assertThat(s.info().closingBalance().amountMinor()).isEqualTo(25000);
  }

  @Test
  void batchWhoseDetailsDoNotSumStaysOneLineWithAWarning() {
    String text = BATCH.replace("<Amt Ccy=\"CNY\">50.00</Amt>", "<Amt Ccy=\"CNY\">49.00</Amt>");

    ParsedStatement s = Fixtures.parse(parser, text.getBytes(UTF_8), "c.xml").get(0);

    assertThat(s.lines()).singleElement().satisfies(l -> {
      assertThat(l.amount()).isEqualTo("150.00");
      assertThat(l.bankReference()).isEqualTo("BANK-1");
    });
    assertThat(s.info().warnings()).singleElement().asString().contains("batch");
  }

  @Test
  void closingThatDoesNotAddUpIsRejected() {
    byte[] bad = BATCH.replace("250.00", "250.01").getBytes(UTF_8);

    rejects(parser, bad, "c.xml").hasMessageContaining("balance mismatch");
  }

  @Test
  void externalEntitiesAreNotResolved() {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<Document><BkToCstmrStmt><Stmt><Id>&x;</Id></Stmt></BkToCstmrStmt></Document>";

    rejects(parser, xxe.getBytes(UTF_8), "c.xml");
  }

  @Test
  void truncatedXmlIsRejectedWithLine() {
    byte[] bad = BATCH.substring(0, BATCH.indexOf("<NtryDtls>")).getBytes(UTF_8);

    rejects(parser, bad, "c.xml").hasMessageContaining("not well-formed");
  }

  @Test
  void malformedAmountIsRejected() {
    byte[] bad = BATCH.replace(">150.00<", ">1,234.5.6<").getBytes(UTF_8);

    rejects(parser, bad, "c.xml").hasMessageContaining("1,234.5.6");
  }

  @Test
  void emptyFileIsRejected() {
    rejects(parser, new byte[0], "c.xml");
  }

  @Test
  void hugeTextIsRejected() {
    byte[] head = BATCH.substring(0, BATCH.indexOf("</NtryDtls>")).replace("<NtryDtls>", "<AddtlNtryInf>").getBytes(UTF_8);

    assertThatThrownBy(() -> parser.parse(Fixtures.huge(head, 10L << 20, (byte) 'x'), "c.xml", new CollectingHandler()))
        .isInstanceOf(StatementException.class)
        .hasMessageStartingWith("c.xml");
  }
}
