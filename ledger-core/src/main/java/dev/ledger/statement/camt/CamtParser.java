package dev.ledger.statement.camt;

import dev.ledger.money.Amounts;
import dev.ledger.statement.*;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.money.CurrencyUnit;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * ISO 20022 bank-to-customer cash management messages: camt.053 statements (Stmt), camt.052
 * reports (Rpt) and camt.054 notifications (Ntfctn), every version from 001.01 to 001.13, read by
 * local name so any namespace (or none) works, streamed with StAX (DTDs and external entities off,
 * errors thrown, never printed).
 *
 * <p>Lines: one per Ntry, except a batch entry (several TxDtls) whose details all carry an amount in
 * the entry's currency that sums to the entry amount: then one line per TxDtls. Reconciliation wants
 * the split: each detail carries its own EndToEndId, the key the ledger booked the payment under,
 * while the batch shares one bank reference; the balance check is unchanged as the details add up to
 * the entry, and a ledger that booked the batch as one entry still matches by sum (DESIGN section 4).
 * A batch that cannot be split exactly, or has more than {@value #MAX_DETAILS} details (memory stays
 * bounded), stays one line with a warning.
 *
 * <p>Amounts: the sign comes from CdtDbtInd (CRDT positive, DBIT negative); an entry with RvslInd
 * keeps its own indicator, which ISO defines as the direction of the reversal booking itself. The
 * account movement is Ntry/Amt; where that is not in the account's currency, the AmtDtls amount in
 * the account currency (CntrValAmt, TxAmt, AnncdPstngAmt, InstdAmt) is the line. xs:decimal
 * spellings such as {@code .81}, {@code 5}, {@code +5.} are accepted.
 *
 * <p>bankReference, first present of: the TxDtls Refs/AcctSvcrRef; the Ntry AcctSvcrRef (only when
 * the line is the whole entry, as a batch shares it); EndToEndId; TxId; InstrId; PmtInfId; MsgId;
 * UETR; NtryRef. Placeholders (NOTPROVIDED, NONREF) are skipped.
 *
 * <p>Balances: opening = OPBD (else PRCD; on a statement's later page, ITBD), closing = CLBD; a balance without CdtDbtInd (mandatory in
 * the schema, omitted by some producers) takes the sign of its amount. Opening + booked entries =
 * closing is checked per statement; pending (PDNG) and information (INFO) entries are read as lines
 * but, not being booked, not counted, with a warning. A mismatch, and a TxsSummry count or total
 * (TtlNtries, TtlCdtNtries, TtlDbtNtries, TtlNetNtry) that none of all, booked or non-pending
 * entries give, is an {@link Inconsistency}; the schema's sums are unsigned, a negative one is read
 * by its magnitude.
 *
 * <p>Truncation: in every camt version the balances and TxsSummry come before the first Ntry, so a
 * file cut short loses entries, not its closing balance, and is not well-formed XML (rejected).
 * Hence a camt.053 without CLBD is not treated as truncated: the schema lets Bal be any type, only
 * the national usage guides make CLBD mandatory, so it is read with a warning that the movements
 * are unchecked (camt.052/054 legitimately carry no balances at all). A statement is
 * {@code truncated} when the message says it is one page of several and not the last
 * (MsgPgntn/StmtPgntn LastPgInd false), or when TxsSummry counts more entries than it holds.
 *
 * <p>Sources: the ISO 20022 camt.052/053/054 message definitions and schemas (element order,
 * CdtDbtInd 1..1, unsigned amounts, RvslInd, pagination, Sts as text before v8 and a code choice
 * from v8); the samples of the Swiss, Finnish and German usage guides and of Wise kept by
 * viafintech/camt_parser, moov-io/iso20022 and genkgo/camt (batches, AmtDtls in two currencies,
 * PDNG/INFO entries, signed TxsSummry sums, balances in DtTm, statements without entries).
 */
public final class CamtParser implements StatementParser {
  private static final Set<String> RECORDS = Set.of("Stmt", "Ntfctn", "Rpt");
  private static final int MAX_TEXT = 64 * 1024;
  private static final int MAX_DESCRIPTION = 4096;
  private static final int MAX_DETAILS = 10_000;
  private static final int MAX_WARNINGS = 100;
  private static final Set<String> PLACEHOLDERS = Set.of("NOTPROVIDED", "NOT PROVIDED", "NONREF", "NONE");
  private static final Set<String> BALANCE_CODES = Set.of("OPBD", "PRCD", "CLBD", "ITBD", "OPAV", "CLAV", "FWAV",
      "ITAV", "INFO", "XPCD");
  private static final Pattern XS_DECIMAL = Pattern.compile("([+-]?)(?=\\.?[0-9])([0-9]*)(?:\\.([0-9]*))?");
  /** Account movements of an AmtDtls, in the order they are trusted to be the amount booked. */
  private static final List<String> AMOUNT_DETAILS = List.of("CntrValAmt", "TxAmt", "AnncdPstngAmt", "InstdAmt");

  @Override
  public void parse(InputStream input, String fileName, StatementHandler handler) {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    // recoverable problems are reported here; keep them off stderr (fatal ones are thrown)
    factory.setXMLReporter((message, type, info, location) -> { });
    XMLStreamReader xml = null;
    try {
      xml = factory.createXMLStreamReader(XmlText.open(input, fileName));
      new Run(xml, fileName, handler).parse();
    } catch (XMLStreamException e) {
      long line = e.getLocation() != null ? Math.max(0, e.getLocation().getLineNumber()) : 0;
      String why = e.getMessage() == null ? "unreadable" : e.getMessage().replaceAll("\\s+", " ")
          .replaceFirst("^ParseError at \\[row,col\\]:\\[\\d+,\\d+\\] Message: ", "");
      throw new StatementException(fileName, line, "not well-formed XML (camt expects an ISO 20022 XML message): "
          + Parsing.abbreviate(why), e);
    } catch (ArithmeticException e) {
      long line = xml == null ? 0 : Math.max(0, xml.getLocation().getLineNumber());
      throw new StatementException(fileName, line, "amounts add up beyond the range the ledger can hold", e);
    } catch (UncheckedIOException e) {
      throw new StatementException(fileName, 0, "cannot read: " + e.getCause().getMessage(), e);
    } finally {
      if (xml != null) {
        try {
          xml.close();
        } catch (XMLStreamException e) {
          // nothing left to release
        }
      }
    }
  }

  /** One TxDtls of the entry being read. */
  private static final class Detail {
    long line;
    String amount;
    String currency;
    final Map<String, String[]> amountDetails = new LinkedHashMap<>();
    String indicator;
    final Map<String, String> refs = new LinkedHashMap<>();
    final StringBuilder info = new StringBuilder();
  }

  /** An amount and its currency as written. */
  private record Written(String amount, String currency) {}

  private final class Run {
    private final XMLStreamReader xml;
    private final String file;
    private final StatementHandler handler;
    private final List<String> path = new ArrayList<>();
    private int records;
    private int recordDepth;
    private Boolean messageLastPage;
    private String messagePage;
    // record
    private String account;
    private String accountCurrency;
    private String recordId;
    private LocalDate from;
    private LocalDate to;
    private LocalDate firstBooking;
    private LocalDate lastBooking;
    private final Map<String, StatementBalance> balances = new LinkedHashMap<>();
    private final Map<String, Long> balanceLines = new LinkedHashMap<>();
    private Boolean recordLastPage;
    private String recordPage;
    private final Map<String, String> summaryFields = new LinkedHashMap<>();
    private long summaryLine;
    private boolean inRecord;
    private long lineCount;
    private final Totals all = new Totals();
    private final Totals booked = new Totals();
    private final Totals notPending = new Totals();
    private long foreignEntries;
    private long unbookedEntries;
    private List<String> warnings;
    private int warningsDropped;
    private CurrencyUnit firstCurrency;
    // balance
    private String balCode;
    private String balAmount;
    private String balCurrency;
    private String balIndicator;
    private LocalDate balDate;
    // entry
    private boolean inEntry;
    private long entryLine;
    private String amount;
    private String currency;
    private final Map<String, String[]> entryAmountDetails = new LinkedHashMap<>();
    private String indicator;
    private boolean reversal;
    private String status;
    /** Text directly inside Ntry/Sts (before v8); from v8 the code is in Sts/Cd or Sts/Prtry. */
    private StringBuilder statusText;
    private LocalDate booking;
    private Instant bookingInstant;
    private LocalDate valueDate;
    private String acctSvcrRef;
    private String ntryRef;
    private final Map<String, String> batchRefs = new LinkedHashMap<>();
    private String entryInfo;
    private final List<Detail> details = new ArrayList<>();
    private long detailCount;
    private Detail detail;

    Run(XMLStreamReader xml, String file, StatementHandler handler) {
      this.xml = xml;
      this.file = file;
      this.handler = handler;
    }

    private long line() {
      return Math.max(0, xml.getLocation().getLineNumber());
    }

    private StatementException error(long line, String problem) {
      return new StatementException(file, line, problem);
    }

    void parse() throws XMLStreamException {
      while (xml.hasNext()) {
        int event = xml.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          String name = xml.getLocalName();
          path.add(name);
          start(name);
        } else if (event == XMLStreamConstants.CHARACTERS && statusText != null && statusText.length() < 64) {
          statusText.append(xml.getText());
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          end(xml.getLocalName());
          path.remove(path.size() - 1);
        }
      }
      if (records == 0) {
        throw error(line(), "no statement, report or notification (BkToCstmr*/Stmt, Rpt or Ntfctn) in the document");
      }
    }

    /** Whether the open elements end with {@code names}. */
    private boolean at(String... names) {
      int n = path.size();
      if (n < names.length) {
        return false;
      }
      for (int i = 0; i < names.length; i++) {
        if (!path.get(n - names.length + i).equals(names[i])) {
          return false;
        }
      }
      return true;
    }

    /** Whether the open elements are exactly the record followed by {@code names}. */
    private boolean inRecordAt(String... names) {
      return path.size() == recordDepth + 1 + names.length && at(names);
    }

    private String text() throws XMLStreamException {
      long l = line();
      String t = xml.getElementText();
      path.remove(path.size() - 1);
      if (t.length() > MAX_TEXT) {
        throw error(l, "element text longer than " + MAX_TEXT + " characters");
      }
      return t.strip();
    }

    private void warn(String message) {
      if (warnings.size() < MAX_WARNINGS) {
        warnings.add(message);
      } else {
        warningsDropped++;
      }
    }

    private void start(String name) throws XMLStreamException {
      if (RECORDS.contains(name) && path.size() >= 2 && path.get(path.size() - 2).startsWith("BkToCstmr")) {
        beginRecord();
        return;
      }
      if (!inRecord) {
        if (at("GrpHdr", "MsgPgntn", "LastPgInd")) {
          messageLastPage = bool(text());
        } else if (at("GrpHdr", "MsgPgntn", "PgNb")) {
          messagePage = text();
        }
        return;
      }
      if (inEntry) {
        entryField(name);
        return;
      }
      if (name.equals("Ntry") && path.size() == recordDepth + 2) {
        beginEntry();
      } else if (name.equals("Bal") && path.size() == recordDepth + 2) {
        balCode = null;
        balAmount = null;
        balCurrency = null;
        balIndicator = null;
        balDate = null;
      } else if (path.size() > recordDepth + 2 && path.get(recordDepth + 1).equals("Bal")) {
        balanceField();
      } else if (path.size() > recordDepth + 2 && path.get(recordDepth + 1).equals("TxsSummry")) {
        summaryField();
      } else if (inRecordAt("Acct", "Id", "IBAN") || inRecordAt("Acct", "Id", "Othr", "Id")
          || inRecordAt("Acct", "Id", "PrtryAcct", "Id") || inRecordAt("Acct", "Id", "BBAN")
          || inRecordAt("Acct", "Id", "UPIC")) {
        account = text();
      } else if (inRecordAt("Acct", "Ccy")) {
        accountCurrency = text();
      } else if (inRecordAt("Id")) {
        recordId = text();
      } else if (inRecordAt("FrToDt", "FrDtTm")) {
        from = date(text());
      } else if (inRecordAt("FrToDt", "ToDtTm")) {
        to = date(text());
      } else if (at("StmtPgntn", "LastPgInd") || at("RptPgntn", "LastPgInd")
          || at("NtfctnPgntn", "LastPgInd")) {
        recordLastPage = bool(text());
      } else if (at("StmtPgntn", "PgNb") || at("RptPgntn", "PgNb") || at("NtfctnPgntn", "PgNb")) {
        recordPage = text();
      }
    }

    private void balanceField() throws XMLStreamException {
      // v2+: Tp/CdOrPrtry/Cd|Prtry; v1: Tp/Cd|Prtry directly
      if (at("Bal", "Tp", "CdOrPrtry", "Cd") || at("Bal", "Tp", "Cd")) {
        balCode = text().toUpperCase(Locale.ROOT);
      } else if (at("Bal", "Tp", "CdOrPrtry", "Prtry") || at("Bal", "Tp", "Prtry")) {
        // a proprietary type is understood only where it spells an ISO code
        String code = text().toUpperCase(Locale.ROOT);
        balCode = BALANCE_CODES.contains(code) ? code : "PRTRY:" + code;
      } else if (at("Bal", "Amt")) {
        balCurrency = xml.getAttributeValue(null, "Ccy");
        balAmount = text();
      } else if (at("Bal", "CdtDbtInd")) {
        balIndicator = text();
      } else if (at("Bal", "Dt", "Dt") || at("Bal", "Dt", "DtTm")) {
        balDate = date(text());
      }
    }

    private void summaryField() throws XMLStreamException {
      if (summaryLine == 0) {
        summaryLine = line();
      }
      String key = String.join("/", path.subList(recordDepth + 2, path.size()));
      if (Set.of("TtlNtries/NbOfNtries", "TtlNtries/Sum", "TtlNtries/TtlNetNtryAmt", "TtlNtries/CdtDbtInd",
          "TtlNtries/TtlNetNtry/Amt", "TtlNtries/TtlNetNtry/CdtDbtInd", "TtlCdtNtries/NbOfNtries", "TtlCdtNtries/Sum",
          "TtlDbtNtries/NbOfNtries", "TtlDbtNtries/Sum").contains(key)) {
        summaryFields.put(key, text());
      }
    }

    private void entryField(String name) throws XMLStreamException {
      if (detail != null) {
        detailField();
        return;
      }
      if (name.equals("TxDtls") && at("NtryDtls", "TxDtls")) {
        detailCount++;
        detail = new Detail();
        detail.line = line();
        return;
      }
      int depth = path.size() - recordDepth - 2; // 1 = a direct child of Ntry
      if (depth == 1) {
        switch (name) {
          case "Amt" -> {
            currency = xml.getAttributeValue(null, "Ccy");
            amount = text();
          }
          case "CdtDbtInd" -> indicator = text();
          case "RvslInd" -> reversal = Boolean.TRUE.equals(bool(text()));
          case "Sts" -> statusText = new StringBuilder(); // v2-v7 <Sts>BOOK</Sts>, collected as characters
          case "AcctSvcrRef" -> acctSvcrRef = text();
          case "NtryRef" -> ntryRef = text();
          case "AddtlNtryInf" -> entryInfo = text();
          default -> { }
        }
      } else if (at("Ntry", "Sts", "Cd") || at("Ntry", "Sts", "Prtry")) {
        status = text().toUpperCase(Locale.ROOT);
        statusText = null;
      } else if (at("Ntry", "BookgDt", "Dt")) {
        booking = date(text());
      } else if (at("Ntry", "BookgDt", "DtTm")) {
        String t = text();
        booking = date(t);
        bookingInstant = instant(t);
      } else if (at("Ntry", "ValDt", "Dt") || at("Ntry", "ValDt", "DtTm")) {
        valueDate = date(text());
      } else if (depth == 3 && at("Ntry", "AmtDtls", path.get(path.size() - 2), "Amt")) {
        entryAmountDetails.putIfAbsent(path.get(path.size() - 2), new String[] {xml.getAttributeValue(null, "Ccy"), text()});
      } else if (at("NtryDtls", "Btch", "PmtInfId") || at("NtryDtls", "Btch", "MsgId")) {
        batchRefs.putIfAbsent(name, text());
      }
    }

    private void detailField() throws XMLStreamException {
      if (at("TxDtls", "Amt")) {
        detail.currency = xml.getAttributeValue(null, "Ccy");
        detail.amount = text();
      } else if (at("TxDtls", "AmtDtls", path.get(path.size() - 2), "Amt")) {
        detail.amountDetails.putIfAbsent(path.get(path.size() - 2), new String[] {xml.getAttributeValue(null, "Ccy"), text()});
      } else if (at("TxDtls", "CdtDbtInd")) {
        detail.indicator = text();
      } else if (at("TxDtls", "Refs", path.get(path.size() - 1))) {
        String n = path.get(path.size() - 1);
        if (Set.of("AcctSvcrRef", "EndToEndId", "TxId", "InstrId", "PmtInfId", "MsgId", "UETR").contains(n)) {
          detail.refs.putIfAbsent(n, text());
        }
      } else if (at("RmtInf", "Ustrd") || at("TxDtls", "AddtlTxInf")) {
        String t = text();
        if (!t.isEmpty() && detail.info.length() < MAX_DESCRIPTION) {
          detail.info.append(detail.info.length() > 0 ? "\n" : "").append(t);
        }
      }
    }

    private void end(String name) {
      if (!inRecord) {
        return;
      }
      if (statusText != null && name.equals("Sts")) {
        if (status == null && !statusText.toString().isBlank()) {
          status = statusText.toString().strip().toUpperCase(Locale.ROOT);
        }
        statusText = null;
        return;
      }
      if (detail != null && name.equals("TxDtls") && at("NtryDtls", "TxDtls")) {
        if (details.size() < MAX_DETAILS) {
          details.add(detail);
        }
        detail = null;
      } else if (inEntry && name.equals("Ntry") && path.size() == recordDepth + 2) {
        endEntry();
      } else if (!inEntry && name.equals("Bal") && path.size() == recordDepth + 2) {
        endBalance();
      } else if (path.size() == recordDepth + 1 && RECORDS.contains(name)) {
        endRecord();
      }
    }

    private void beginRecord() {
      recordDepth = path.size() - 1;
      inRecord = true;
      account = null;
      accountCurrency = null;
      recordId = null;
      from = null;
      to = null;
      firstBooking = null;
      lastBooking = null;
      balances.clear();
      balanceLines.clear();
      recordLastPage = null;
      recordPage = null;
      summaryFields.clear();
      summaryLine = 0;
      lineCount = 0;
      all.clear();
      booked.clear();
      notPending.clear();
      foreignEntries = 0;
      unbookedEntries = 0;
      warnings = new ArrayList<>();
      warningsDropped = 0;
      firstCurrency = null;
    }

    private void beginEntry() {
      inEntry = true;
      entryLine = line();
      amount = null;
      currency = null;
      entryAmountDetails.clear();
      indicator = null;
      reversal = false;
      status = null;
      statusText = null;
      booking = null;
      bookingInstant = null;
      valueDate = null;
      acctSvcrRef = null;
      ntryRef = null;
      batchRefs.clear();
      entryInfo = null;
      details.clear();
      detailCount = 0;
      detail = null;
    }

    /** The account currency as far as the statement has told: Acct/Ccy, else its balances. */
    private String accountCurrency() {
      if (accountCurrency != null && !accountCurrency.isEmpty()) {
        return accountCurrency;
      }
      for (StatementBalance b : balances.values()) {
        return b.currency().getCurrencyCode();
      }
      return null;
    }

    private void endEntry() {
      inEntry = false;
      String entryIndicator = indicator;
      if (entryIndicator == null || entryIndicator.isEmpty()) {
        // CdtDbtInd is mandatory; without it only details that all agree can say the direction
        entryIndicator = details.stream().map(d -> d.indicator).distinct().count() == 1 && !details.isEmpty()
            ? details.get(0).indicator : null;
      }
      Written moved = movement(amount, currency, entryAmountDetails, accountCurrency());
      if (moved == null) {
        throw error(entryLine, "Ntry without an amount (Amt with a Ccy attribute)");
      }
      if (currency != null && !currency.isEmpty() && !moved.currency().equals(currency)) {
        warn("line " + entryLine + ": entry of " + amount + " " + currency + " booked as " + moved.amount() + " "
            + moved.currency() + " (AmtDtls) in the account currency");
      }
      long entryAmount = signed(moved.amount(), moved.currency(), entryIndicator, entryLine, "Ntry", false);
      CurrencyUnit cur = Parsing.currency(moved.currency(), file, entryLine);
      if (firstCurrency == null) {
        firstCurrency = cur;
      }
      String account = accountCurrency();
      boolean foreign = account != null && !account.equals(cur.getCurrencyCode());
      if (foreign) {
        foreignEntries++;
        warn("line " + entryLine + ": entry in " + cur.getCurrencyCode() + ", not the account currency " + account
            + ": not counted toward the balance");
      }
      // BOOK is booked; PDNG (pending), INFO (information only) and FUTR are not on the balance yet
      boolean isBooked = status == null || status.isEmpty() || status.equals("BOOK");
      if (!isBooked) {
        unbookedEntries++;
      }
      if (!foreign) {
        all.add(entryAmount);
        if (isBooked) {
          booked.add(entryAmount);
        }
        if (!"PDNG".equals(status)) {
          notPending.add(entryAmount);
        }
      } else {
        all.count++;
        if (isBooked) {
          booked.count++;
        }
        if (!"PDNG".equals(status)) {
          notPending.count++;
        }
      }
      if (booking != null) {
        if (firstBooking == null || booking.isBefore(firstBooking)) {
          firstBooking = booking;
        }
        if (lastBooking == null || booking.isAfter(lastBooking)) {
          lastBooking = booking;
        }
      }
      LocalDate value = valueDate != null ? valueDate : booking;
      if (detailCount > MAX_DETAILS) {
        warn("line " + entryLine + ": batch of " + detailCount + " transaction details: kept as one line");
      } else if (details.size() > 1) {
        long[] split = split(cur, entryAmount, entryIndicator);
        if (split != null) {
          for (int i = 0; i < details.size(); i++) {
            Detail d = details.get(i);
            emit(d.line, split[i], cur, value, reference(d, false), description(d));
          }
          return;
        }
        warn("line " + entryLine + ": batch of " + details.size()
            + " transaction details without amounts summing to the entry: kept as one line");
      }
      Detail d = details.size() == 1 ? details.get(0) : null;
      emit(entryLine, entryAmount, cur, value, reference(d, true), d != null ? description(d) : entryInfo);
    }

    /**
     * The account movement: Ntry/Amt (or TxDtls/Amt) when it is in the account currency or the
     * account currency is unknown, else the first AmtDtls amount in the account currency, else the
     * amount as written.
     */
    private Written movement(String amt, String written, Map<String, String[]> amountDetails, String accountCcy) {
      // Ccy is mandatory on every amount; a producer that leaves it off means the account's
      String ccy = written == null || written.isEmpty() ? accountCcy : written;
      if (amt != null && ccy != null && (accountCcy == null || accountCcy.equals(ccy))) {
        return new Written(amt, ccy);
      }
      if (accountCcy != null) {
        for (String kind : AMOUNT_DETAILS) {
          String[] a = amountDetails.get(kind);
          if (a != null && accountCcy.equals(a[0]) && a[1] != null) {
            return new Written(a[1], a[0]);
          }
        }
      }
      if (amt != null && ccy != null) {
        return new Written(amt, ccy);
      }
      for (String kind : AMOUNT_DETAILS) {
        String[] a = amountDetails.get(kind);
        if (a != null && a[0] != null && a[1] != null) {
          return new Written(a[1], a[0]);
        }
      }
      return null;
    }

    /** Each detail's signed amount in the entry currency, or null when they do not add up to the entry. */
    private long[] split(CurrencyUnit cur, long entryAmount, String entryIndicator) {
      long[] amounts = new long[details.size()];
      long sum = 0;
      for (int i = 0; i < details.size(); i++) {
        Detail d = details.get(i);
        Written w = movement(d.amount, d.currency, d.amountDetails, cur.getCurrencyCode());
        if (w == null || !w.currency().equals(cur.getCurrencyCode())) {
          return null;
        }
        String ind = d.indicator != null && !d.indicator.isEmpty() ? d.indicator : entryIndicator;
        amounts[i] = signed(w.amount(), w.currency(), ind, d.line, "TxDtls", false);
        sum = Math.addExact(sum, amounts[i]);
      }
      return sum == entryAmount ? amounts : null;
    }

    private String reference(Detail d, boolean wholeEntry) {
      if (d != null && usable(d.refs.get("AcctSvcrRef"))) {
        return d.refs.get("AcctSvcrRef");
      }
      if (wholeEntry && usable(acctSvcrRef)) {
        return acctSvcrRef;
      }
      if (d != null) {
        for (String n : List.of("EndToEndId", "TxId", "InstrId", "PmtInfId", "MsgId", "UETR")) {
          if (usable(d.refs.get(n))) {
            return d.refs.get(n);
          }
        }
      }
      if (wholeEntry) {
        for (String n : List.of("PmtInfId", "MsgId")) {
          if (usable(batchRefs.get(n))) {
            return batchRefs.get(n);
          }
        }
      }
      return usable(ntryRef) ? ntryRef : null;
    }

    private boolean usable(String ref) {
      return ref != null && !ref.isEmpty() && !PLACEHOLDERS.contains(ref.toUpperCase(Locale.ROOT));
    }

    private String description(Detail d) {
      return d.info.length() > 0 ? d.info.toString() : Parsing.emptyToNull(entryInfo);
    }

    private void emit(long line, long amountMinor, CurrencyUnit cur, LocalDate value, String ref, String description) {
      lineCount++;
      String text = description;
      if (reversal) {
        text = description == null ? "reversal" : "reversal: " + description;
      }
      if (text != null && text.length() > MAX_DESCRIPTION) {
        text = text.substring(0, MAX_DESCRIPTION);
      }
      handler.line(new StatementLine(line, LineType.OTHER, null, null, null, ref, bookingInstant, value, cur,
          amountMinor, null, text));
    }

    private void endBalance() {
      long l = line();
      if (balCode == null) {
        throw error(l, "balance without a type code (Bal/Tp/CdOrPrtry)");
      }
      if (balDate == null) {
        throw error(l, "balance " + balCode + " without a date (Bal/Dt)");
      }
      if (balAmount == null || (balCurrency == null || balCurrency.isEmpty()) && accountCurrency == null) {
        throw error(l, "balance " + balCode + " without an amount (Amt with a Ccy attribute)");
      }
      if (balCurrency == null || balCurrency.isEmpty()) {
        balCurrency = accountCurrency; // Ccy is mandatory; without it the balance is in the account's currency
      }
      long v = signed(balAmount, balCurrency, balIndicator, l, "balance " + balCode, true);
      // the first of each type counts: a later one of the same type (a sub-type, another date) is not the asserted figure
      if (!balances.containsKey(balCode)) {
        balances.put(balCode, new StatementBalance(Parsing.currency(balCurrency, file, l), v, balDate));
        balanceLines.put(balCode, l);
      }
    }

    /**
     * A signed amount in minor units. The indicator gives the sign of an unsigned amount; a written
     * minus (outside the schema, but some producers sign their amounts) always means debit, with
     * DBIT or without an indicator alike. A balance without CdtDbtInd is a credit unless signed.
     */
    private long signed(String text, String ccy, String ind, long line, String what, boolean balance) {
      CurrencyUnit cur = Parsing.currency(ccy, file, line);
      long v = Parsing.minor(decimal(text, line, what), cur, file, line, what + " amount");
      String code = ind == null ? "" : ind.strip().toUpperCase(Locale.ROOT);
      switch (code) {
        case "DBIT":
          return v < 0 ? v : -v;
        case "CRDT":
          if (v < 0) {
            warn("line " + line + ": " + what + " amount " + text + " is signed and marked CRDT: read as a debit");
          }
          return v;
        case "":
          if (balance || v < 0) {
            return v;
          }
          throw error(line, what + " without CdtDbtInd: cannot tell credit from debit");
        default:
          throw error(line, what + " has CdtDbtInd '" + Parsing.abbreviate(ind) + "', expected CRDT or DBIT");
      }
    }

    /** An xs:decimal ({@code .81}, {@code +5.}, {@code 007}) in the plain form Amounts reads. */
    private String decimal(String text, long line, String what) {
      Matcher m = text == null ? null : XS_DECIMAL.matcher(text.strip());
      if (m == null || !m.matches()) {
        throw error(line, what + " amount '" + Parsing.abbreviate(String.valueOf(text)) + "' is not a decimal number");
      }
      String whole = m.group(2).replaceFirst("^0+(?=.)", "");
      String fraction = m.group(3) == null ? "" : m.group(3);
      if (whole.isEmpty()) {
        whole = "0";
      }
      return ("-".equals(m.group(1)) ? "-" : "") + whole + (fraction.isEmpty() ? "" : "." + fraction);
    }

    private void endRecord() {
      long l = line();
      inRecord = false;
      // a later page of a paginated statement opens with the interim balance carried from the page before
      String openingCode = balances.containsKey("OPBD") ? "OPBD" : balances.containsKey("PRCD") ? "PRCD"
          : isStatement() && balances.containsKey("ITBD") && balances.containsKey("CLBD") ? "ITBD" : "OPBD";
      StatementBalance opening = balances.get(openingCode);
      long openingLine = balanceLines.getOrDefault(openingCode, l);
      StatementBalance closing = balances.get("CLBD");
      long closingLine = balanceLines.getOrDefault("CLBD", l);
      List<Inconsistency> inconsistencies = new ArrayList<>();
      if (opening != null && closing != null) {
        if (!closing.currency().equals(opening.currency())) {
          inconsistencies.add(new Inconsistency(closingLine, "closing balance CLBD currency",
              closing.currency().getCurrencyCode(), opening.currency().getCurrencyCode()));
        } else {
          long expected = Math.addExact(opening.amountMinor(), booked.net);
          if (expected != closing.amountMinor()) {
            inconsistencies.add(new Inconsistency(closingLine, "closing balance CLBD",
                Amounts.formatMinor(closing.amountMinor(), closing.currency()),
                Amounts.formatMinor(expected, closing.currency())));
          }
        }
        if (unbookedEntries > 0) {
          warn(unbookedEntries + " entries not booked (Sts PDNG/INFO) are listed but not counted toward the balance");
        }
      } else if (isStatement() && closing == null) {
        warn("line " + (opening != null ? openingLine : l) + ": statement without a closing balance (CLBD): "
            + "its movements are not checked");
      }
      String truncated = truncation(l, inconsistencies);
      CurrencyUnit cur = accountCurrency != null && !accountCurrency.isEmpty() ? Parsing.currency(accountCurrency, file, l)
          : opening != null ? opening.currency() : closing != null ? closing.currency()
          : !balances.isEmpty() ? balances.values().iterator().next().currency() : firstCurrency;
      if (cur == null) {
        throw error(l, recordName() + " " + Parsing.abbreviate(String.valueOf(recordId))
            + " has no currency (no Acct/Ccy, balance or entry)");
      }
      inconsistencies.forEach(i -> warnings.add(i.message()));
      if (warningsDropped > 0) {
        warnings.add("and " + warningsDropped + " more warnings");
      }
      LocalDate periodFrom = from != null ? from : firstBooking != null ? firstBooking : closing != null ? closing.date() : null;
      LocalDate periodTo = to != null ? to : lastBooking != null ? lastBooking : closing != null ? closing.date() : null;
      Map<String, String> summary = new LinkedHashMap<>();
      if (recordId != null) {
        summary.put("id", recordId);
      }
      summary.put("kind", recordName());
      summaryFields.forEach((k, v) -> summary.put("TxsSummry/" + k, v));
      records++;
      handler.end(new StatementInfo(account, cur, opening, closing, summary, periodFrom, periodTo, null, lineCount,
          warnings, inconsistencies, truncated));
    }

    private boolean isStatement() {
      return recordName().equals("Stmt");
    }

    private String recordName() {
      return path.get(recordDepth);
    }

    /**
     * Why the record looks cut short, or null; TxsSummry totals that disagree with complete
     * entries are added to {@code inconsistencies}.
     */
    private String truncation(long l, List<Inconsistency> inconsistencies) {
      Boolean last = recordLastPage != null ? recordLastPage : messageLastPage;
      String page = recordLastPage != null ? recordPage : messagePage;
      if (Boolean.FALSE.equals(last)) {
        return "page " + (page == null ? "?" : page) + " of a paginated message and not the last (LastPgInd false): "
            + "the other pages hold the rest";
      }
      String stated = summaryFields.get("TtlNtries/NbOfNtries");
      Long count = count(stated, "TtlNtries/NbOfNtries");
      if (count != null) {
        if (count > all.count) {
          return "TxsSummry counts " + count + " entries (TtlNtries/NbOfNtries) but the " + recordName() + " holds "
              + all.count;
        }
        if (count != all.count && count != booked.count && count != notPending.count) {
          inconsistencies.add(new Inconsistency(summaryLine, "TxsSummry TtlNtries/NbOfNtries", stated,
              Long.toString(all.count)));
        }
      }
      Long credits = count(summaryFields.get("TtlCdtNtries/NbOfNtries"), "TtlCdtNtries/NbOfNtries");
      Long debits = count(summaryFields.get("TtlDbtNtries/NbOfNtries"), "TtlDbtNtries/NbOfNtries");
      if (credits != null && debits != null && credits + debits > all.count) {
        return "TxsSummry counts " + (credits + debits) + " credit and debit entries but the " + recordName()
            + " holds " + all.count;
      }
      String ccy = accountCurrency();
      if (foreignEntries > 0 || ccy == null) {
        return null; // totals in one currency cannot be compared with entries in several
      }
      CurrencyUnit cur = Parsing.currency(ccy, file, l);
      List<Totals> sets = List.of(all, booked, notPending);
      checkTotal("TtlNtries/Sum", cur, sets, t -> new long[] {t.credits + t.debits, Math.abs(t.net)}, inconsistencies);
      checkTotal("TtlCdtNtries/Sum", cur, sets, t -> new long[] {t.credits}, inconsistencies);
      checkTotal("TtlDbtNtries/Sum", cur, sets, t -> new long[] {t.debits}, inconsistencies);
      String net = summaryFields.getOrDefault("TtlNtries/TtlNetNtry/Amt", summaryFields.get("TtlNtries/TtlNetNtryAmt"));
      if (net != null) {
        String ind = summaryFields.getOrDefault("TtlNtries/TtlNetNtry/CdtDbtInd", summaryFields.get("TtlNtries/CdtDbtInd"));
        long stated2 = signed(net, ccy, ind, summaryLine, "TxsSummry TtlNetNtry", true);
        if (sets.stream().noneMatch(t -> t.net == stated2)) {
          inconsistencies.add(new Inconsistency(summaryLine, "TxsSummry TtlNetNtry", Amounts.formatMinor(stated2, cur),
              Amounts.formatMinor(all.net, cur)));
        }
      }
      return null;
    }

    private void checkTotal(String key, CurrencyUnit cur, List<Totals> sets,
        java.util.function.Function<Totals, long[]> computed, List<Inconsistency> inconsistencies) {
      String text = summaryFields.get(key);
      if (text == null) {
        return;
      }
      // the schema's sums are unsigned; some producers write debit sums negative
      long stated = Math.abs(Parsing.minor(decimal(text, summaryLine, "TxsSummry " + key), cur, file, summaryLine,
          "TxsSummry " + key));
      for (Totals t : sets) {
        for (long c : computed.apply(t)) {
          if (c == stated) {
            return;
          }
        }
      }
      inconsistencies.add(new Inconsistency(summaryLine, "TxsSummry " + key, Amounts.formatMinor(stated, cur),
          Amounts.formatMinor(computed.apply(all)[0], cur)));
    }

    private Long count(String text, String what) {
      if (text == null) {
        return null;
      }
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw error(summaryLine, "TxsSummry " + what + " '" + Parsing.abbreviate(text) + "' is not a count");
      }
    }

    private Boolean bool(String t) {
      return switch (t.toLowerCase(Locale.ROOT)) {
        case "true", "1" -> Boolean.TRUE;
        case "false", "0" -> Boolean.FALSE;
        default -> throw error(line(), "'" + Parsing.abbreviate(t) + "' is not a boolean (true/false)");
      };
    }

    /** The calendar date as written: xs:date (with an optional zone) or the date part of xs:dateTime. */
    private LocalDate date(String t) {
      try {
        if (t.length() >= 10 && (t.length() == 10 || t.charAt(10) == 'T' || t.charAt(10) == 'Z'
            || t.charAt(10) == '+' || t.charAt(10) == '-')) {
          return LocalDate.parse(t.substring(0, 10));
        }
      } catch (DateTimeParseException e) {
        // reported below
      }
      throw error(line(), "invalid date '" + Parsing.abbreviate(t) + "'");
    }

    private Instant instant(String t) {
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException e) {
        return null; // a local date-time without offset names no instant
      }
    }
  }

  /** Count and sums of the entries of one kind (all, booked, not pending), in minor units. */
  private static final class Totals {
    long count;
    long credits;
    long debits;
    long net;

    void add(long amount) {
      count++;
      net = Math.addExact(net, amount);
      if (amount >= 0) {
        credits = Math.addExact(credits, amount);
      } else {
        debits = Math.subtractExact(debits, amount);
      }
    }

    void clear() {
      count = 0;
      credits = 0;
      debits = 0;
      net = 0;
    }
  }
}
