package dev.ledger.statement.camt;

import dev.ledger.statement.*;

import static dev.ledger.statement.Fixtures.rejects;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_16;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Inputs are written after the ISO 20022 camt.052/053/054 message definitions and the dialects
 * seen in the Swiss (SIX), German (DK), Finnish (FFFS) and Wise samples of other parsers.
 */
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

  /** A camt.053.001.02 statement in CHF around {@code body} (balances and entries). */
  private static String stmt(String body) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>\n"
        + "<GrpHdr><MsgId>M-1</MsgId><CreDtTm>2024-09-13T06:00:00</CreDtTm></GrpHdr>\n"
        + "<Stmt><Id>S-1</Id><Acct><Id><IBAN>CH9300762011623852957</IBAN></Id><Ccy>CHF</Ccy></Acct>\n"
        + body
        + "</Stmt></BkToCstmrStmt></Document>\n";
  }

  private static String bal(String code, String amount, String indicator) {
    return "<Bal><Tp><CdOrPrtry><Cd>" + code + "</Cd></CdOrPrtry></Tp><Amt Ccy=\"CHF\">" + amount + "</Amt>"
        + (indicator == null ? "" : "<CdtDbtInd>" + indicator + "</CdtDbtInd>") + "<Dt><Dt>2024-09-12</Dt></Dt></Bal>\n";
  }

  private static String entry(String amount, String indicator, String status, String extra) {
    return "<Ntry><Amt Ccy=\"CHF\">" + amount + "</Amt><CdtDbtInd>" + indicator + "</CdtDbtInd><Sts>" + status + "</Sts>"
        + "<BookgDt><Dt>2024-09-12</Dt></BookgDt><ValDt><Dt>2024-09-12</Dt></ValDt>" + extra + "</Ntry>\n";
  }

  private ParsedStatement single(String xml) {
    List<ParsedStatement> all = Fixtures.parse(parser, xml.getBytes(UTF_8), "c.xml");
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  @Test
  void batchEntryWithDetailAmountsBecomesOneLinePerDetail() {
    ParsedStatement s = single(BATCH);

    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("100.00", "50.00");
    assertThat(s.lines()).extracting(StatementLine::bankReference).containsExactly("PAYOUT-1", "TX-2");
    assertThat(s.lines()).extracting(StatementLine::line).containsExactly(9L, 10L);
    assertThat(s.lines().get(0).valueDate()).isEqualTo(LocalDate.of(2024, 9, 13));
    assertThat(s.lines().get(0).occurredAt()).hasToString("2024-09-12T02:00:00Z");
    assertThat(s.info().account()).isEqualTo("CN0012345678");
    assertThat(s.info().openingBalance().amountMinor()).isEqualTo(10000);
    assertThat(s.info().closingBalance().amountMinor()).isEqualTo(25000);
    assertThat(s.info().inconsistencies()).isEmpty();
    assertThat(s.info().truncated()).isNull();
  }

  @Test
  void batchWhoseDetailsDoNotSumStaysOneLineWithAWarning() {
    String text = BATCH.replace("<Amt Ccy=\"CNY\">50.00</Amt>", "<Amt Ccy=\"CNY\">49.00</Amt>");

    ParsedStatement s = single(text);

    assertThat(s.lines()).singleElement().satisfies(l -> {
      assertThat(l.amount()).isEqualTo("150.00");
      assertThat(l.bankReference()).isEqualTo("BANK-1");
    });
    assertThat(s.info().warnings()).singleElement().asString().contains("batch");
  }

  @Test
  void closingThatDoesNotAddUpIsReadWithAnInconsistency() {
    ParsedStatement s = single(BATCH.replace("250.00", "250.01"));

    assertThat(s.lines()).hasSize(2);
    assertThat(s.info().inconsistencies()).singleElement().satisfies(i -> {
      assertThat(i.line()).isEqualTo(5);
      assertThat(i.figure()).isEqualTo("closing balance CLBD");
      assertThat(i.stated()).isEqualTo("250.01");
      assertThat(i.computed()).isEqualTo("250.00");
    });
    assertThat(s.info().warnings()).contains(s.info().inconsistencies().get(0).message());
  }

  @Test
  void balanceWithoutIndicatorTakesTheSignOfItsAmount() {
    ParsedStatement s = single(stmt(bal("OPBD", "-33.06", null) + bal("CLBD", "66.94", null)
        + entry("100.00", "CRDT", "BOOK", "")));

    assertThat(s.info().openingBalance().amountMinor()).isEqualTo(-3306);
    assertThat(s.info().closingBalance().amountMinor()).isEqualTo(6694);
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void debitBalanceWrittenWithAMinusAndDbitIsOneDebit() {
    ParsedStatement s = single(stmt(bal("PRCD", "-10.00", "DBIT") + bal("CLBD", "5.00", "CRDT")
        + entry("15", "CRDT", "BOOK", "")));

    assertThat(s.info().openingBalance().amountMinor()).isEqualTo(-1000);
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void xsDecimalSpellingsAreAmounts() {
    ParsedStatement s = single(stmt(bal("OPBD", ".81", "CRDT") + bal("CLBD", "+6.31", "CRDT")
        + entry("5", "CRDT", "BOOK", "") + entry("0.50", "CRDT", "BOOK", "")));

    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("5.00", "0.50");
    assertThat(s.info().openingBalance().amountMinor()).isEqualTo(81);
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void pendingAndInformationEntriesAreListedButNotCountedTowardTheBalance() {
    ParsedStatement s = single(stmt(bal("OPBD", "100.00", "CRDT") + bal("CLBD", "90.00", "CRDT")
        + entry("10.00", "DBIT", "BOOK", "") + entry("500.00", "CRDT", "PDNG", "")
        + "<Ntry><Amt Ccy=\"CHF\">7.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>INFO</Cd></Sts></Ntry>\n"));

    assertThat(s.lines()).extracting(StatementLine::amount).containsExactly("-10.00", "500.00", "-7.00");
    assertThat(s.info().inconsistencies()).isEmpty();
    assertThat(s.info().warnings()).anyMatch(w -> w.contains("2 entries not booked"));
  }

  @Test
  void reversalKeepsItsOwnDirection() {
    ParsedStatement s = single(stmt(bal("OPBD", "0", "CRDT") + bal("CLBD", "20.00", "CRDT")
        + "<Ntry><Amt Ccy=\"CHF\">20.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>true</RvslInd><Sts>BOOK</Sts>"
        + "<BookgDt><Dt>2024-09-12</Dt></BookgDt><AcctSvcrRef>R-9</AcctSvcrRef><AddtlNtryInf>Return direct debit</AddtlNtryInf></Ntry>\n"));

    assertThat(s.lines()).singleElement().satisfies(l -> {
      assertThat(l.amountMinor()).isEqualTo(2000);
      assertThat(l.bankReference()).isEqualTo("R-9");
      assertThat(l.description()).isEqualTo("reversal: Return direct debit");
    });
  }

  @Test
  void entryInAnotherCurrencyIsBookedAtItsAccountCurrencyCounterValue() {
    ParsedStatement s = single(stmt(bal("OPBD", "100.00", "CRDT") + bal("CLBD", "80.31", "CRDT")
        + "<Ntry><Amt Ccy=\"EUR\">20.97</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2024-09-12</Dt></BookgDt>"
        + "<AmtDtls><InstdAmt><Amt Ccy=\"EUR\">20.97</Amt></InstdAmt><CntrValAmt><Amt Ccy=\"CHF\">19.69</Amt></CntrValAmt></AmtDtls></Ntry>\n"));

    assertThat(s.lines()).singleElement().satisfies(l -> {
      assertThat(l.currency().getCurrencyCode()).isEqualTo("CHF");
      assertThat(l.amount()).isEqualTo("-19.69");
    });
    assertThat(s.info().inconsistencies()).isEmpty();
    assertThat(s.info().warnings()).anyMatch(w -> w.contains("20.97 EUR"));
  }

  @Test
  void entryInAnotherCurrencyWithoutCounterValueIsNotCounted() {
    ParsedStatement s = single(stmt(bal("OPBD", "100.00", "CRDT") + bal("CLBD", "100.00", "CRDT")
        + "<Ntry><Amt Ccy=\"SEK\">200000</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts></Ntry>\n"));

    assertThat(s.lines()).singleElement().satisfies(l -> assertThat(l.amount()).isEqualTo("-200000.00"));
    assertThat(s.info().inconsistencies()).isEmpty();
    assertThat(s.info().warnings()).anyMatch(w -> w.contains("not the account currency CHF"));
  }

  @Test
  void referencesFallBackFromServicerToEndToEndToPaymentInformation() {
    String details = "<NtryDtls><Btch><PmtInfId>PMT-7</PmtInfId></Btch><TxDtls><Refs><MsgId>MSG-1</MsgId>"
        + "<EndToEndId>NOTPROVIDED</EndToEndId><InstrId>NONREF</InstrId></Refs></TxDtls></NtryDtls>";
    ParsedStatement s = single(stmt(bal("OPBD", "0", "CRDT") + bal("CLBD", "3.00", "CRDT")
        + entry("1.00", "CRDT", "BOOK", "<AcctSvcrRef>ASR-1</AcctSvcrRef>")
        + entry("1.00", "CRDT", "BOOK", details)
        + entry("1.00", "CRDT", "BOOK", "<NtryRef>NR-3</NtryRef>")));

    assertThat(s.lines()).extracting(StatementLine::bankReference).containsExactly("ASR-1", "MSG-1", "NR-3");
  }

  @Test
  void datesWithAZoneAndDateTimesAreCalendarDates() {
    ParsedStatement s = single(stmt(bal("OPBD", "0", "CRDT") + bal("CLBD", "1.00", "CRDT")
        + "<Ntry><Amt Ccy=\"CHF\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
        + "<BookgDt><Dt>2024-09-12+02:00</Dt></BookgDt><ValDt><DtTm>2024-09-13T00:00:00</DtTm></ValDt></Ntry>\n"));

    assertThat(s.lines().get(0).valueDate()).isEqualTo(LocalDate.of(2024, 9, 13));
    assertThat(s.info().periodFrom()).isEqualTo(LocalDate.of(2024, 9, 12));
  }

  @Test
  void severalStatementsAndOneWithoutEntriesAreEachReported() {
    String two = stmt(bal("OPBD", "5.00", "CRDT") + bal("CLBD", "5.00", "CRDT"))
        .replace("</Stmt></BkToCstmrStmt>", "</Stmt><Stmt><Id>S-2</Id><Acct><Id><IBAN>CH56</IBAN></Id></Acct>"
            + bal("OPBD", "1.00", "CRDT") + bal("CLBD", "0.50", "CRDT") + entry("0.50", "DBIT", "BOOK", "")
            + "</Stmt></BkToCstmrStmt>");

    List<ParsedStatement> all = Fixtures.parse(parser, two.getBytes(UTF_8), "c.xml");

    assertThat(all).extracting(p -> p.info().summary().get("id")).containsExactly("S-1", "S-2");
    assertThat(all).extracting(p -> p.lines().size()).containsExactly(0, 1);
    assertThat(all).allSatisfy(p -> assertThat(p.info().inconsistencies()).isEmpty());
    assertThat(all.get(1).info().currency().getCurrencyCode()).isEqualTo("CHF");
  }

  @Test
  void statusAsTextAndAsCodeAndProprietaryBalanceTypesAreRead() {
    String v8 = stmt("<Bal><Tp><CdOrPrtry><Prtry>opbd</Prtry></CdOrPrtry></Tp><Amt Ccy=\"CHF\">1.00</Amt>"
        + "<CdtDbtInd>CRDT</CdtDbtInd><Dt><DtTm>2024-09-12T00:00:00Z</DtTm></Dt></Bal>"
        + bal("CLBD", "3.00", "CRDT") + entry("2.00", "CRDT", "<Cd>BOOK</Cd>", "") + entry("9.00", "CRDT", "<Cd>PDNG</Cd>", ""));

    ParsedStatement s = single(v8);

    assertThat(s.info().openingBalance().amountMinor()).isEqualTo(100);
    assertThat(s.info().inconsistencies()).isEmpty();
    assertThat(s.lines()).hasSize(2);
  }

  @Test
  void prefixedNamespaceAndVersionOneBalanceTypesAreRead() {
    String v1 = "<?xml version=\"1.0\"?>\n<c:Document xmlns:c=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.01\">"
        + "<c:BkToCstmrStmtV01><c:Stmt><c:Id>V1</c:Id><c:Acct><c:Id><c:PrtryAcct><c:Id>4711</c:Id></c:PrtryAcct></c:Id></c:Acct>\n"
        + "<c:Bal><c:Tp><c:Cd>OPBD</c:Cd></c:Tp><c:Amt Ccy=\"EUR\">10.00</c:Amt><c:CdtDbtInd>CRDT</c:CdtDbtInd><c:Dt><c:Dt>2008-01-01</c:Dt></c:Dt></c:Bal>\n"
        + "<c:Bal><c:Tp><c:Cd>CLBD</c:Cd></c:Tp><c:Amt Ccy=\"EUR\">7.50</c:Amt><c:CdtDbtInd>CRDT</c:CdtDbtInd><c:Dt><c:Dt>2008-01-01</c:Dt></c:Dt></c:Bal>\n"
        + "<c:Ntry><c:Amt Ccy=\"EUR\">2.50</c:Amt><c:CdtDbtInd>DBIT</c:CdtDbtInd><c:Sts>BOOK</c:Sts></c:Ntry>\n"
        + "</c:Stmt></c:BkToCstmrStmtV01></c:Document>";

    ParsedStatement s = single(v1);

    assertThat(s.info().account()).isEqualTo("4711");
    assertThat(s.info().currency().getCurrencyCode()).isEqualTo("EUR");
    assertThat(s.lines()).singleElement().satisfies(l -> assertThat(l.amount()).isEqualTo("-2.50"));
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void entryWithoutIndicatorOrCurrencyTakesThemFromItsDetailsAndAccount() {
    ParsedStatement s = single(stmt(bal("OPBD", "10.00", "CRDT") + bal("CLBD", "6.00", "CRDT")
        + "<Ntry><Amt>4.00</Amt><Sts>BOOK</Sts><NtryDtls><TxDtls><Refs><EndToEndId>E-1</EndToEndId></Refs>"
        + "<CdtDbtInd>DBIT</CdtDbtInd></TxDtls></NtryDtls></Ntry>\n"));

    assertThat(s.lines()).singleElement().satisfies(l -> {
      assertThat(l.amount()).isEqualTo("-4.00");
      assertThat(l.currency().getCurrencyCode()).isEqualTo("CHF");
      assertThat(l.bankReference()).isEqualTo("E-1");
    });
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void statementWithoutClosingBalanceIsReadUncheckedNotTruncated() {
    ParsedStatement s = single(stmt(bal("OPBD", "1.00", "CRDT") + entry("2.00", "CRDT", "BOOK", "")));

    assertThat(s.info().truncated()).isNull();
    assertThat(s.info().closingBalance()).isNull();
    assertThat(s.info().warnings()).anyMatch(w -> w.contains("without a closing balance"));
  }

  @Test
  void reportWithoutBalancesNeedsNoWarning() {
    String report = stmt(entry("2.00", "CRDT", "BOOK", "")).replace("Stmt>", "Rpt>").replace("BkToCstmrRpt", "BkToCstmrAcctRpt")
        .replace("camt.053.001.02", "camt.052.001.02");

    ParsedStatement s = single(report);

    assertThat(s.info().summary()).containsEntry("kind", "Rpt");
    assertThat(s.info().warnings()).isEmpty();
    assertThat(s.info().truncated()).isNull();
  }

  @Test
  void pageThatIsNotTheLastIsTruncated() {
    String page = stmt(bal("OPBD", "1.00", "CRDT") + bal("ITBD", "3.00", "CRDT") + entry("2.00", "CRDT", "BOOK", ""))
        .replace("</CreDtTm></GrpHdr>", "</CreDtTm><MsgPgntn><PgNb>1</PgNb><LastPgInd>false</LastPgInd></MsgPgntn></GrpHdr>");

    ParsedStatement s = single(page);

    assertThat(s.info().truncated()).contains("page 1").contains("LastPgInd false");
    assertThat(s.lines()).hasSize(1);
  }

  @Test
  void lastPageOpensWithTheInterimBalanceCarriedForward() {
    String page = stmt(bal("ITBD", "3.00", "CRDT") + bal("CLBD", "1.00", "CRDT") + entry("2.00", "DBIT", "BOOK", ""))
        .replace("</CreDtTm></GrpHdr>", "</CreDtTm><MsgPgntn><PgNb>2</PgNb><LastPgInd>true</LastPgInd></MsgPgntn></GrpHdr>");

    ParsedStatement s = single(page);

    assertThat(s.info().truncated()).isNull();
    assertThat(s.info().openingBalance().amountMinor()).isEqualTo(300);
    assertThat(s.info().inconsistencies()).isEmpty();
  }

  @Test
  void summaryCountingMoreEntriesThanPresentIsTruncated() {
    String summary = "<TxsSummry><TtlNtries><NbOfNtries>14</NbOfNtries></TtlNtries></TxsSummry>";
    ParsedStatement s = single(stmt(bal("CLBD", "2.00", "CRDT") + summary + entry("2.00", "CRDT", "BOOK", "")));

    assertThat(s.info().truncated()).contains("counts 14 entries").contains("holds 1");
  }

  @Test
  void summaryTotalsThatDisagreeAreInconsistenciesAndNegativeDebitSumsAreAccepted() {
    String summary = "<TxsSummry><TtlNtries><NbOfNtries>2</NbOfNtries><Sum>7.00</Sum><TtlNetNtryAmt>1.00</TtlNetNtryAmt>"
        + "<CdtDbtInd>CRDT</CdtDbtInd></TtlNtries><TtlDbtNtries><NbOfNtries>1</NbOfNtries><Sum>-2.00</Sum></TtlDbtNtries></TxsSummry>";
    ParsedStatement s = single(stmt(bal("OPBD", "0", "CRDT") + bal("CLBD", "1.00", "CRDT") + summary
        + entry("3.00", "CRDT", "BOOK", "") + entry("2.00", "DBIT", "BOOK", "")));

    assertThat(s.info().truncated()).isNull();
    assertThat(s.info().inconsistencies()).singleElement().satisfies(i -> {
      assertThat(i.figure()).isEqualTo("TxsSummry TtlNtries/Sum");
      assertThat(i.stated()).isEqualTo("7.00");
      assertThat(i.computed()).isEqualTo("5.00");
    });
  }

  @Test
  void otherEncodingsBomsAndLeadingWhitespaceAreRead() {
    String latin = stmt(bal("OPBD", "0", "CRDT") + bal("CLBD", "1.00", "CRDT")
        + entry("1.00", "CRDT", "BOOK", "<AddtlNtryInf>Überweisung Zürich</AddtlNtryInf>"))
        .replace("encoding=\"UTF-8\"", "encoding=\"ISO-8859-1\"");
    byte[] utf16 = stmt(bal("OPBD", "0", "CRDT") + bal("CLBD", "1.00", "CRDT") + entry("1.00", "CRDT", "BOOK", ""))
        .replace("encoding=\"UTF-8\"", "encoding=\"UTF-16\"").getBytes(UTF_16);
    byte[] bomAndBlank = ("\uFEFF\n  " + stmt(bal("OPBD", "0", "CRDT"))).getBytes(UTF_8);

    assertThat(Fixtures.parse(parser, latin.getBytes(ISO_8859_1), "l.xml").get(0).lines().get(0).description())
        .isEqualTo("Überweisung Zürich");
    assertThat(Fixtures.parse(parser, utf16, "u.xml").get(0).lines()).hasSize(1);
    assertThat(Fixtures.parse(parser, bomAndBlank, "b.xml")).hasSize(1);
  }

  @Test
  void binaryInputIsRejectedWithItsLineAndNothingOnStderr() {
    byte[] zipLike = {0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x08, 0x00, 0x0a, (byte) 0xff, (byte) 0xfe, 0x00};
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, UTF_8));
    try {
      rejects(parser, zipLike, "c.xml").hasMessageStartingWith("c.xml:1:").hasMessageContaining("XML");
    } finally {
      System.setErr(err);
    }
    assertThat(captured.toString(UTF_8)).isEmpty();
  }

  @Test
  void byteThatIsNotTheDeclaredEncodingIsRejectedAtItsLineAndNothingOnStderr() {
    byte[] latinInUtf8 = stmt(entry("1.00", "CRDT", "BOOK", "<AddtlNtryInf>\u00dcberweisung</AddtlNtryInf>"))
        .getBytes(ISO_8859_1);
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, UTF_8));
    try {
      rejects(parser, latinInUtf8, "c.xml").hasMessageStartingWith("c.xml:5:").hasMessageContaining("not UTF-8");
    } finally {
      System.setErr(err);
    }
    assertThat(captured.toString(UTF_8)).isEmpty();
  }

  @Test
  void whitespaceBeforeTheDeclarationKeepsPhysicalLineNumbers() {
    byte[] text = ("\n\n" + stmt(entry("1.00", "CRDT", "BOOK", ""))).getBytes(UTF_8);

    assertThat(Fixtures.parse(parser, text, "c.xml").get(0).lines()).singleElement()
        .satisfies(l -> assertThat(l.line()).isEqualTo(7));
  }

  @Test
  void entryWithoutDirectionIsRejected() {
    byte[] bad = stmt("<Ntry><Amt Ccy=\"CHF\">1.00</Amt><Sts>BOOK</Sts></Ntry>\n").getBytes(UTF_8);

    rejects(parser, bad, "c.xml").hasMessageStartingWith("c.xml:5:").hasMessageContaining("CdtDbtInd");
  }

  @Test
  void unknownIndicatorIsRejected() {
    byte[] bad = stmt(entry("1.00", "CREDIT", "BOOK", "")).getBytes(UTF_8);

    rejects(parser, bad, "c.xml").hasMessageContaining("'CREDIT'");
  }

  @Test
  void externalEntitiesAreNotResolved() {
    String xxe = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        + "<Document><BkToCstmrStmt><Stmt><Id>&x;</Id></Stmt></BkToCstmrStmt></Document>";

    rejects(parser, xxe.getBytes(UTF_8), "c.xml");
  }

  @Test
  void cutOffXmlIsRejectedWithLine() {
    byte[] bad = BATCH.substring(0, BATCH.indexOf("<NtryDtls>")).getBytes(UTF_8);

    rejects(parser, bad, "c.xml").hasMessageContaining("not well-formed");
  }

  @Test
  void malformedAmountIsRejected() {
    byte[] bad = BATCH.replace(">150.00<", ">1,234.5.6<").getBytes(UTF_8);

    rejects(parser, bad, "c.xml").hasMessageStartingWith("c.xml:6:").hasMessageContaining("1,234.5.6");
  }

  @Test
  void amountTotalsBeyondRangeAreRejected() {
    String huge = "92233720368547758.07";
    byte[] bad = stmt(entry(huge, "CRDT", "BOOK", "") + entry(huge, "CRDT", "BOOK", "")).getBytes(UTF_8);

    rejects(parser, bad, "c.xml").hasMessageContaining("range");
  }

  @Test
  void documentWithoutARecordIsRejected() {
    rejects(parser, "<Document><BkToCstmrStmt><GrpHdr/></BkToCstmrStmt></Document>".getBytes(UTF_8), "c.xml")
        .hasMessageContaining("no statement");
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
