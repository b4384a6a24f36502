package dev.ledger.statement.camt;

import dev.ledger.money.Amounts;
import dev.ledger.statement.*;

import java.io.InputStream;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.money.CurrencyUnit;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * ISO 20022 bank-to-customer messages: camt.053 statements (Stmt), camt.052 reports (Rpt) and
 * camt.054 notifications (Ntfctn), versions 1 to 8, read by local name so any namespace works,
 * streamed with StAX (DTDs and external entities off).
 *
 * <p>Lines: one per Ntry, except a batch entry whose TxDtls all carry an amount in the entry's
 * currency that sums to the entry amount: then one line per TxDtls with its own amount. A batch
 * that cannot be split exactly stays one line and the info records a warning. Sign from CdtDbtInd
 * (CRDT positive, DBIT negative; a reversal's indicator already gives its direction). Type OTHER,
 * fee null, value date = ValDt (else BookgDt), occurredAt = BookgDt/DtTm when given, else null.
 * bankReference, first present of: the TxDtls Refs/AcctSvcrRef; the Ntry AcctSvcrRef (only when
 * the line is the whole entry, as it is shared by a batch); EndToEndId (unless NOTPROVIDED); TxId;
 * InstrId; NtryRef.
 *
 * <p>Balances: opening = OPBD (else PRCD), closing = CLBD; where both exist, opening + lines =
 * closing is checked per statement; a mismatch is reported as an {@link Inconsistency}.
 */
public final class CamtParser implements StatementParser {
  private static final Set<String> RECORDS = Set.of("Stmt", "Ntfctn", "Rpt");
  private static final int MAX_TEXT = 64 * 1024;

  @Override
  public void parse(InputStream input, String fileName, StatementHandler handler) {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    XMLStreamReader xml = null;
    Run run = null;
    try {
      xml = factory.createXMLStreamReader(input);
      run = new Run(xml, fileName, handler);
      run.parse();
    } catch (XMLStreamException e) {
      long line = e.getLocation() != null ? Math.max(0, e.getLocation().getLineNumber()) : 0;
      throw new StatementException(fileName, line, "not well-formed XML: " + e.getMessage().replaceAll("\\s+", " "), e);
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

  private static final class Detail {
    long line;
    String amount;
    String currency;
    String indicator;
    String acctSvcrRef;
    String endToEndId;
    String txId;
    String instrId;
    StringBuilder info = new StringBuilder();
  }

  private final class Run {
    private final XMLStreamReader xml;
    private final String file;
    private final StatementHandler handler;
    private final List<String> path = new ArrayList<>();
    private int records;
    private int recordDepth;
    // record
    private String account;
    private String accountCurrency;
    private String recordId;
    private LocalDate from;
    private LocalDate to;
    private LocalDate firstBooking;
    private LocalDate lastBooking;
    private StatementBalance opbd;
    private StatementBalance prcd;
    private StatementBalance clbd;
    private Map<String, Long> sums;
    private long lineCount;
    private List<String> warnings;
    private CurrencyUnit firstCurrency;
    // balance
    private String balCode;
    private String balAmount;
    private String balCurrency;
    private String balIndicator;
    private LocalDate balDate;
    // entry
    private long entryLine;
    private String amount;
    private String currency;
    private String indicator;
    private LocalDate booking;
    private java.time.Instant bookingInstant;
    private LocalDate valueDate;
    private String acctSvcrRef;
    private String ntryRef;
    private String entryInfo;
    private List<Detail> details;
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
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          end(xml.getLocalName());
          path.remove(path.size() - 1);
        }
      }
      if (records == 0) {
        throw error(line(), "no statement, report or notification (Stmt/Rpt/Ntfctn) in the document");
      }
    }

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

    private boolean inRecord() {
      return sums != null;
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

    private void start(String name) throws XMLStreamException {
      if (RECORDS.contains(name) && path.size() >= 2 && path.get(path.size() - 2).startsWith("BkToCstmr")) {
        beginRecord();
        return;
      }
      if (!inRecord()) {
        return;
      }
      if (name.equals("Ntry") && at("Stmt", "Ntry") || at("Rpt", "Ntry") || at("Ntfctn", "Ntry")) {
        beginEntry();
      } else if (name.equals("TxDtls") && details != null) {
        detail = new Detail();
        detail.line = line();
      } else if (name.equals("Bal") && path.size() >= 2 && RECORDS.contains(path.get(path.size() - 2))) {
        balCode = null;
        balAmount = null;
        balCurrency = null;
        balIndicator = null;
        balDate = null;
      } else if (name.equals("Amt") && !path.contains("Ntry") && at("Bal", "Amt")) {
        balCurrency = xml.getAttributeValue(null, "Ccy");
        balAmount = text();
      } else if (at("Bal", "Tp", "CdOrPrtry", "Cd") || at("Bal", "Tp", "CdOrPrtry", "Prtry")) {
        balCode = text();
      } else if (at("Bal", "CdtDbtInd")) {
        balIndicator = text();
      } else if (at("Bal", "Dt", "Dt") || at("Bal", "Dt", "DtTm")) {
        balDate = date(text());
      } else if (at(recordName(), "Acct", "Id", "IBAN") || at(recordName(), "Acct", "Id", "Othr", "Id")
          || at(recordName(), "Acct", "Id", "PrtryAcct", "Id")) {
        account = text();
      } else if (at(recordName(), "Acct", "Ccy")) {
        accountCurrency = text();
      } else if (at(recordName(), "Id")) {
        recordId = text();
      } else if (at(recordName(), "FrToDt", "FrDtTm")) {
        from = date(text());
      } else if (at(recordName(), "FrToDt", "ToDtTm")) {
        to = date(text());
      } else if (details != null) {
        entryField(name);
      }
    }

    private String recordName() {
      return path.get(recordDepth);
    }


    private void entryField(String name) throws XMLStreamException {
      if (detail != null) {
        if (at("TxDtls", "Amt") || at("TxDtls", "AmtDtls", "TxAmt", "Amt")) {
          if (detail.amount == null || at("TxDtls", "Amt")) {
            detail.currency = xml.getAttributeValue(null, "Ccy");
            detail.amount = text();
          }
        } else if (at("TxDtls", "CdtDbtInd")) {
          detail.indicator = text();
        } else if (at("TxDtls", "Refs", "AcctSvcrRef")) {
          detail.acctSvcrRef = text();
        } else if (at("TxDtls", "Refs", "EndToEndId")) {
          detail.endToEndId = text();
        } else if (at("TxDtls", "Refs", "TxId")) {
          detail.txId = text();
        } else if (at("TxDtls", "Refs", "InstrId")) {
          detail.instrId = text();
        } else if (at("RmtInf", "Ustrd") || at("TxDtls", "AddtlTxInf")) {
          String t = text();
          if (!t.isEmpty()) {
            detail.info.append(detail.info.length() > 0 ? "\n" : "").append(t);
          }
        }
        return;
      }
      if (at("Ntry", "Amt")) {
        currency = xml.getAttributeValue(null, "Ccy");
        amount = text();
      } else if (at("Ntry", "CdtDbtInd")) {
        indicator = text();
      } else if (at("Ntry", "BookgDt", "Dt")) {
        booking = date(text());
      } else if (at("Ntry", "BookgDt", "DtTm")) {
        String t = text();
        booking = date(t);
        bookingInstant = instant(t);
      } else if (at("Ntry", "ValDt", "Dt") || at("Ntry", "ValDt", "DtTm")) {
        valueDate = date(text());
      } else if (at("Ntry", "AcctSvcrRef")) {
        acctSvcrRef = text();
      } else if (at("Ntry", "NtryRef")) {
        ntryRef = text();
      } else if (at("Ntry", "AddtlNtryInf")) {
        entryInfo = text();
      }
    }

    private void end(String name) {
      if (!inRecord()) {
        return;
      }
      if (name.equals("TxDtls") && detail != null) {
        details.add(detail);
        detail = null;
      } else if (name.equals("Ntry") && details != null && path.size() == recordDepth + 2) {
        endEntry();
      } else if (name.equals("Bal") && path.size() == recordDepth + 2) {
        endBalance();
      } else if (path.size() == recordDepth + 1 && RECORDS.contains(name)) {
        endRecord();
      }
    }

    private void beginRecord() {
      recordDepth = path.size() - 1;
      account = null;
      accountCurrency = null;
      recordId = null;
      from = null;
      to = null;
      firstBooking = null;
      lastBooking = null;
      opbd = null;
      prcd = null;
      clbd = null;
      sums = new LinkedHashMap<>();
      lineCount = 0;
      warnings = new ArrayList<>();
      firstCurrency = null;
    }

    private void beginEntry() {
      entryLine = line();
      amount = null;
      currency = null;
      indicator = null;
      booking = null;
      bookingInstant = null;
      valueDate = null;
      acctSvcrRef = null;
      ntryRef = null;
      entryInfo = null;
      details = new ArrayList<>();
      detail = null;
    }

    private long signed(String text, String ccy, String ind, long line, String what) {
      if (text == null || ccy == null) {
        throw error(line, what + " without an amount (Amt with Ccy)");
      }
      CurrencyUnit cur = Parsing.currency(ccy, file, line);
      long v = Parsing.minor(text, cur, file, line, what + " amount");
      if (v < 0) {
        throw error(line, what + " amount must not be negative: " + text);
      }
      if ("DBIT".equals(ind)) {
        return -v;
      }
      if (!"CRDT".equals(ind)) {
        throw error(line, what + " has CdtDbtInd '" + ind + "', expected CRDT or DBIT");
      }
      return v;
    }

    private void endEntry() {
      long entryAmount = signed(amount, currency, indicator, entryLine, "Ntry");
      CurrencyUnit cur = Parsing.currency(currency, file, entryLine);
      if (firstCurrency == null) {
        firstCurrency = cur;
      }
      LocalDate value = valueDate != null ? valueDate : booking;
      if (booking != null) {
        if (firstBooking == null || booking.isBefore(firstBooking)) {
          firstBooking = booking;
        }
        if (lastBooking == null || booking.isAfter(lastBooking)) {
          lastBooking = booking;
        }
      }
      sums.merge(currency, entryAmount, Math::addExact);
      List<Detail> ds = details;
      details = null;
      if (ds.size() > 1 && splittable(ds, entryAmount)) {
        for (Detail d : ds) {
          long a = signed(d.amount, d.currency, d.indicator != null ? d.indicator : indicator, d.line, "TxDtls");
          emit(d.line, a, cur, value, reference(d, false), description(d));
        }
        return;
      }
      if (ds.size() > 1) {
        warnings.add("line " + entryLine + ": batch of " + ds.size()
            + " transaction details without amounts summing to the entry: kept as one line");
      }
      Detail d = ds.isEmpty() ? null : ds.get(0);
      emit(entryLine, entryAmount, cur, value, reference(ds.size() == 1 ? d : null, true),
          ds.size() == 1 ? description(d) : entryInfo);
    }

    private boolean splittable(List<Detail> ds, long entryAmount) {
      long sum = 0;
      for (Detail d : ds) {
        if (d.amount == null || !currency.equals(d.currency)) {
          return false;
        }
        sum += signed(d.amount, d.currency, d.indicator != null ? d.indicator : indicator, d.line, "TxDtls");
      }
      return sum == entryAmount;
    }

    private String reference(Detail d, boolean wholeEntry) {
      if (d != null && d.acctSvcrRef != null && !d.acctSvcrRef.isEmpty()) {
        return d.acctSvcrRef;
      }
      if (wholeEntry && acctSvcrRef != null && !acctSvcrRef.isEmpty()) {
        return acctSvcrRef;
      }
      if (d != null) {
        if (d.endToEndId != null && !d.endToEndId.isEmpty() && !d.endToEndId.equals("NOTPROVIDED")) {
          return d.endToEndId;
        }
        if (d.txId != null && !d.txId.isEmpty()) {
          return d.txId;
        }
        if (d.instrId != null && !d.instrId.isEmpty()) {
          return d.instrId;
        }
      }
      return Parsing.emptyToNull(ntryRef);
    }

    private String description(Detail d) {
      return d.info.length() > 0 ? d.info.toString() : Parsing.emptyToNull(entryInfo);
    }

    private void emit(long line, long amountMinor, CurrencyUnit cur, LocalDate value, String ref, String description) {
      lineCount++;
      handler.line(new StatementLine(line, LineType.OTHER, null, null, null, ref, bookingInstant, value, cur,
          amountMinor, null, description));
    }

    private void endBalance() {
      long l = line();
      if (balCode == null || balDate == null) {
        throw error(l, "balance without type code or date");
      }
      long v = signed(balAmount, balCurrency, balIndicator, l, "balance " + balCode);
      StatementBalance b = new StatementBalance(Parsing.currency(balCurrency, file, l), v, balDate);
      switch (balCode) {
        case "OPBD":
          opbd = b;
          break;
        case "PRCD":
          prcd = b;
          break;
        case "CLBD":
          clbd = b;
          break;
        default:
          // available, interim, forward and information balances are not asserted movements
      }
    }

    private void endRecord() {
      long l = line();
      StatementBalance opening = opbd != null ? opbd : prcd;
      List<Inconsistency> inconsistencies = new ArrayList<>();
      if (opening != null && clbd != null) {
        String ccy = opening.currency().getCurrencyCode();
        long expected = opening.amountMinor() + sums.getOrDefault(ccy, 0L);
        if (!clbd.currency().equals(opening.currency())) {
          inconsistencies.add(new Inconsistency(l, "closing balance CLBD currency", clbd.currency().getCurrencyCode(),
              opening.currency().getCurrencyCode()));
        } else if (expected != clbd.amountMinor()) {
          inconsistencies.add(new Inconsistency(l, "closing balance CLBD",
              Amounts.formatMinor(clbd.amountMinor(), clbd.currency()), Amounts.formatMinor(expected, clbd.currency())));
        }
        inconsistencies.forEach(i -> warnings.add(i.message()));
      }
      CurrencyUnit cur = accountCurrency != null ? Parsing.currency(accountCurrency, file, l)
          : opening != null ? opening.currency() : clbd != null ? clbd.currency() : firstCurrency;
      if (cur == null) {
        throw error(l, "statement " + recordId + " has no currency (no Acct/Ccy, balance or entry)");
      }
      LocalDate periodFrom = from != null ? from : firstBooking != null ? firstBooking : clbd != null ? clbd.date() : null;
      LocalDate periodTo = to != null ? to : lastBooking != null ? lastBooking : clbd != null ? clbd.date() : null;
      Map<String, String> summary = new LinkedHashMap<>();
      if (recordId != null) {
        summary.put("id", recordId);
      }
      summary.put("kind", recordName());
      records++;
      handler.end(new StatementInfo(account, cur, opening, clbd, summary, periodFrom, periodTo, null, lineCount, warnings,
          inconsistencies, null));
      sums = null;
    }


    private LocalDate date(String t) {
      try {
        if (t.length() == 10) {
          return LocalDate.parse(t);
        }
        if (t.length() > 10 && t.charAt(10) == 'T') {
          return LocalDate.parse(t.substring(0, 10));
        }
      } catch (DateTimeParseException e) {
        // reported below
      }
      throw error(line(), "invalid date '" + Parsing.abbreviate(t) + "'");
    }

    private java.time.Instant instant(String t) {
      try {
        return OffsetDateTime.parse(t).toInstant();
      } catch (DateTimeParseException e) {
        return null; // a local date-time without offset says no instant
      }
    }
  }
}
