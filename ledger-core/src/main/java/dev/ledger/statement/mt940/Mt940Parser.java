package dev.ledger.statement.mt940;

import dev.ledger.money.Amounts;
import dev.ledger.statement.*;

import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.money.CurrencyUnit;

/**
 * SWIFT MT940, lenient with what real bank files do (text or {1:..}{2:..}{3:..}{4: blocks around
 * the messages, "-", "-}" or "-}{5:..}" terminators or none, an EOF byte, missing final newline,
 * empty :86:, continuation lines in :61: and :86:, several statements per file, :62M:/:60M: pages,
 * text after the closing balance, UTF-8 or ISO-8859-1) and strict about what decides money:
 * amounts, signs, value dates and currencies. A closing balance that opening + movements do not
 * reach is an {@link Inconsistency}; a statement without its :62F: is read as truncated.
 *
 * <p>Each :61: becomes a line of type OTHER with signed amount (C/RD positive, D/RC negative: a
 * reversal of a debit is money in), value date, no fee, and {@code bankReference} = the bank's
 * reference after "//" when present, else the customer reference unless it is NONREF. The :86:
 * text (or the :61: supplementary details) is the description. {@code occurredAt} stays null: MT940
 * carries dates only, not instants.
 */
public final class Mt940Parser implements StatementParser {
  private static final Pattern TAG = Pattern.compile(":([0-9]{2}[A-Z]?|NS):(.*)", Pattern.DOTALL);
  // the amount: SWIFT writes "1234,56"; real files also write "1234.56" (Rabobank), "1234," and
  // ",50", with leading zeros ("000000001000.12"); a digit is required. The separator is not
  // optional: without it "C500NTRF29-07-2014" (mt940-rs' knab_broken.sta) has no unambiguous end.
  private static final String AMOUNT = "([0-9]*[,.][0-9]*)";
  private static final Pattern BALANCE = Pattern.compile("([CD])([0-9]{6})([A-Z]{3})" + AMOUNT);
  // value date, entry date MMDD (or four blanks, as Citi writes it), mark, funds code (3rd letter of the currency), amount, type code,
  // customer reference, //bank reference, supplementary details on the next line. The type is
  // N/S/F + 3 characters; ING and Triodos write "NOV NONREF" / "NIT NONREF" (N + 2 letters and a
  // space) and Zenith Bank none at all ("CN220000,00//19239782213"), so it is optional, and so is
  // the customer reference (webschik/mt940-js base-1: ":61:020322CM20000,00NCHG").
  private static final Pattern LINE =
      Pattern.compile(
          "([0-9]{6})([0-9]{4}| {4})?(RC|RD|EC|ED|C|D)([A-Z])?" + AMOUNT
              + "((?:[NSF][A-Za-z0-9]{3})|(?:N[A-Za-z0-9]{2} ))?"
              + "([^\\n]*?)(?://([^\\n]*))?(?:\\n(.*))?",
          Pattern.DOTALL);
  // SWIFT and bank extensions that carry nothing this parser needs: :00: (some German exports'
  // leading field), :13:/:13D: date-time indication, :21: related reference, :34F: floor limit,
  // :64:/:65: available balances, :90C:/:90D: number and sum of entries, :NS: free text (Sparkasse)
  private static final Set<String> IGNORED = Set.of("00", "13", "13D", "21", "34F", "64", "65", "90C", "90D", "NS");
  // fields that open the next page or statement when they follow a closing balance without a new :20:
  private static final Set<String> STATEMENT_HEAD = Set.of("25", "28", "28C", "60F", "60M");
  private static final Set<String> AFTER_CLOSE = Set.of("64", "65", "86", "90C", "90D", "NS");
  private static final int MAX_FIELD = 16 * 1024;
  // windows-1252 agrees with ISO-8859-1 on letters and adds the euro sign and typographic quotes
  // in 0x80-0x9F; the five bytes it leaves undefined fall through to ISO-8859-1, which decodes any
  private static final List<Charset> ENCODINGS =
      List.of(StandardCharsets.UTF_8, Charset.forName("windows-1252"), StandardCharsets.ISO_8859_1);

  @Override
  public void parse(InputStream input, String fileName, StatementHandler handler) {
    // SWIFT's character set is ASCII; banks export umlauts in UTF-8 or ISO-8859-1 (cmxl's fixture)
    // or windows-1252
    new Run(LineReader.open(input, ENCODINGS, fileName, LineReader.DEFAULT_MAX_LINE), handler).parse();
  }

  private final class Run {
    private final LineReader reader;
    private final String file;
    private final StatementHandler handler;
    private String tag;
    private StringBuilder value;
    private long tagLine;
    private int statements;
    // the statement being read
    private boolean open;
    private long openedAt;
    private String reference;
    private String account;
    private String number;
    private StatementBalance opening;
    private CurrencyUnit currency;
    private long movements;
    private long count;
    private LocalDate firstBooking;
    private List<String> warnings;
    private Pending pending;
    private StatementInfo closed;

    Run(LineReader reader, StatementHandler handler) {
      this.reader = reader;
      this.file = reader.file();
      this.handler = handler;
    }

    void parse() {
      String line;
      boolean any = false;
      while ((line = reader.readLine()) != null) {
        // DOS-era exports end with an EOF character (0x1A), some messages start with SOH/ETX
        line = line.replace("\u001A", "").replace("\u0001", "").replace("\u0003", "");
        if (isTerminator(line)) {
          // "-", "-}" or "-}{5:...}" ends a message; the next one may start on the same line
          flushField();
          tag = null;
          int body = line.indexOf("{4:");
          if (body < 0) {
            continue;
          }
          line = line.substring(body + 3);
        } else {
          line = stripBlocks(line);
        }
        if (!line.isBlank()) {
          any = true;
        }
        Matcher m = TAG.matcher(line);
        if (m.matches()) {
          flushField();
          tag = m.group(1);
          value = new StringBuilder(m.group(2));
          tagLine = reader.lineNumber();
        } else if (tag != null) {
          if (value.length() + line.length() > MAX_FIELD) {
            throw new StatementException(file, reader.lineNumber(), ":" + tag + ": field longer than " + MAX_FIELD + " characters");
          }
          value.append('\n').append(line);
        }
        // lines outside any field (routing headers such as "ABNANL2A" / "940") are skipped
      }
      flushField();
      finish();
      if (open) {
        endTruncated("the file ends before the closing balance :62F: of the statement opened at line " + openedAt);
      }
      if (statements == 0) {
        throw new StatementException(file, reader.lineNumber(), any ? "no MT940 statement (:20:) found" : "empty file");
      }
    }

    private boolean isTerminator(String line) {
      String rest = line.strip();
      return rest.equals("-") || rest.startsWith("-}");
    }

    private String stripBlocks(String line) {
      int at = line.indexOf("{4:");
      if (at >= 0) {
        return line.substring(at + 3);
      }
      if (line.startsWith("{") || line.startsWith("\u0001")) {
        // {1:..}{2:..} headers, {5:..} trailers and an SOH byte some banks put first
        String rest = line.replace("\u0001", "");
        return rest.startsWith("{") ? "" : rest;
      }
      return line;
    }

    private void flushField() {
      if (tag == null) {
        return;
      }
      String t = tag;
      String v = value.toString().replace("\r", "");
      tag = null;
      field(t, v);
    }

    private StatementException error(String problem) {
      return new StatementException(file, tagLine, problem);
    }

    private void field(String t, String v) {
      if (closed != null && STATEMENT_HEAD.contains(t)) {
        // the next page (:60M: after :62M:) without a :20: of its own keeps the reference and account
        String ref = reference;
        String acct = account;
        finish();
        begin(ref);
        account = t.equals("25") ? null : acct;
      }
      switch (t) {
        case "20":
          finish();
          if (open) {
            // Only the end of a file can be cut off; a statement that stops in the middle of the
            // file lost its closing balance some other way, and its movements cannot be checked.
            throw error("the statement opened at line " + openedAt + " has no closing balance :62F: before the next"
                + " statement's :20:");
          }
          begin(v.strip());
          break;
        case "25":
          requireOpen(t);
          if (opening != null) {
            throw error("unexpected :25: after the opening balance");
          }
          account = v.strip();
          break;
        case "28":
        case "28C":
          requireOpen(t);
          number = v.strip();
          break;
        case "60F":
        case "60M":
          requireOpen(t);
          if (account == null) {
            throw error("missing :25: account before the opening balance");
          }
          if (opening != null) {
            throw error("second opening balance :" + t + ":");
          }
          opening = balance(v, t);
          currency = opening.currency();
          break;
        case "61":
          requireOpening(t);
          emitPending();
          pending = new Pending(statementLine(v));
          break;
        case "86":
          requireOpen(t);
          if (pending != null && pending.info == null) {
            pending.info = v;
          }
          break;
        case "62F":
        case "62M":
          requireOpening(t);
          emitPending();
          close(balance(v, t));
          break;
        default:
          if (IGNORED.contains(t)) {
            requireOpen(t);
          } else {
            throw error("unknown tag :" + t + ":");
          }
      }
    }

    private void begin(String ref) {
      open = true;
      openedAt = tagLine;
      reference = ref;
      account = null;
      number = null;
      opening = null;
      currency = null;
      movements = 0;
      count = 0;
      firstBooking = null;
      warnings = new ArrayList<>();
      pending = null;
    }

    /** Ends a statement that stops before its closing balance: read, but flagged (DESIGN section 4). */
    private void endTruncated(String why) {
      emitPending();
      statements++;
      open = false;
      LocalDate to = opening == null ? null : opening.date();
      handler.end(new StatementInfo(account, currency, opening, null, summary(),
          firstBooking != null ? firstBooking : to, to, null, count, warnings, List.of(), why));
    }

    private Map<String, String> summary() {
      Map<String, String> summary = new LinkedHashMap<>();
      if (reference != null) {
        summary.put("reference", reference);
      }
      if (number != null) {
        summary.put("statement_number", number);
      }
      return summary;
    }

    private void requireOpen(String t) {
      if (closed != null && !AFTER_CLOSE.contains(t)) {
        throw error(":" + t + ": after the closing balance :62F:");
      }
      if (!open) {
        throw error(":" + t + ": outside a statement (no :20: before it)");
      }
    }

    private void requireOpening(String t) {
      requireOpen(t);
      if (opening == null) {
        throw error(":" + t + ": before the opening balance :60F:");
      }
    }

    private StatementBalance balance(String v, String t) {
      // the balance is one line; text after it (a bank's note, an end-of-file banner) is not part of it
      int end = v.indexOf('\n');
      String first = (end < 0 ? v : v.substring(0, end)).strip();
      if (end >= 0 && !v.substring(end).isBlank()) {
        warnings.add("line " + tagLine + ": text after the :" + t + ": balance ignored");
      }
      Matcher m = BALANCE.matcher(first);
      if (!m.matches() || !hasDigit(m.group(4))) {
        throw error("invalid :" + t + ": balance '" + Parsing.abbreviate(first) + "', expected C/D, YYMMDD, currency, amount");
      }
      CurrencyUnit cur = Parsing.currency(m.group(3), file, tagLine);
      long amount = amount(m.group(4), cur);
      return new StatementBalance(cur, m.group(1).equals("D") ? -amount : amount, balanceDate(m.group(2), t));
    }

    private long amount(String swift, CurrencyUnit cur) {
      int separator = Math.max(swift.indexOf(','), swift.indexOf('.'));
      String whole = separator < 0 ? swift : swift.substring(0, separator);
      String fraction = separator < 0 ? "" : swift.substring(separator + 1);
      whole = whole.replaceFirst("^0+(?=[0-9])", "");
      if (whole.isEmpty()) {
        whole = "0";
      }
      return Parsing.minor(fraction.isEmpty() ? whole : whole + "." + fraction, cur, file, tagLine, "amount");
    }

    private LocalDate date(String yymmdd) {
      try {
        return LocalDate.of(year(yymmdd), Integer.parseInt(yymmdd.substring(2, 4)), Integer.parseInt(yymmdd.substring(4, 6)));
      } catch (DateTimeException e) {
        throw error("invalid date " + yymmdd + ": " + e.getMessage());
      }
    }

    /**
     * A balance date past the end of its month (Deutsche Bank's "021131" in cmxl's fixtures) is
     * read as the month's last day with a warning: the balance itself is checked against the
     * lines, and php-mt940 and cmxl read such files too. A value date decides matching, so
     * {@link #date} stays strict there (mt940-rs rejects "160230").
     */
    private LocalDate balanceDate(String yymmdd, String t) {
      int month = Integer.parseInt(yymmdd.substring(2, 4));
      int day = Integer.parseInt(yymmdd.substring(4, 6));
      if (month >= 1 && month <= 12 && day >= 1 && day <= 31) {
        YearMonth ym = YearMonth.of(year(yymmdd), month);
        if (day > ym.lengthOfMonth()) {
          LocalDate last = ym.atEndOfMonth();
          warnings.add("line " + tagLine + ": :" + t + ": date " + yymmdd + " does not exist, read as " + last);
          return last;
        }
      }
      return date(yymmdd);
    }

    private int year(String yymmdd) {
      int yy = Integer.parseInt(yymmdd.substring(0, 2));
      return yy >= 80 ? 1900 + yy : 2000 + yy;
    }

    private boolean hasDigit(String amount) {
      return amount.chars().anyMatch(Character::isDigit);
    }

    private StatementLine statementLine(String v) {
      Matcher m = LINE.matcher(v);
      if (!m.matches() || !hasDigit(m.group(5))) {
        throw error("invalid :61: statement line '" + Parsing.abbreviate(v.replace('\n', ' '))
            + "', expected value date, [entry date], C/D/RC/RD, amount with decimal comma, type, reference");
      }
      LocalDate valueDate = date(m.group(1));
      LocalDate booking = valueDate;
      if (m.group(2) != null && !m.group(2).isBlank()) {
        booking = entryDate(valueDate, m.group(2));
      }
      String mark = m.group(3);
      long amount = amount(m.group(5), currency);
      boolean credit = mark.equals("C") || mark.equals("RD") || mark.equals("EC");
      String customerRef = Parsing.emptyToNull(m.group(7).strip());
      String bankRef = m.group(8) == null ? null : Parsing.emptyToNull(m.group(8).strip());
      String reference = bankRef != null ? bankRef : "NONREF".equals(customerRef) ? null : customerRef;
      String supplementary = m.group(9) == null ? null : Parsing.emptyToNull(m.group(9).strip());
      if (firstBooking == null || booking.isBefore(firstBooking)) {
        firstBooking = booking;
      }
      try {
        movements = Math.addExact(movements, credit ? amount : -amount);
      } catch (ArithmeticException e) {
        throw error("movements overflow");
      }
      count++;
      return new StatementLine(
          tagLine, LineType.OTHER, null, null, null, reference, null, valueDate, currency,
          credit ? amount : -amount, null, supplementary);
    }

    /** The entry date has no year: take the one that puts it nearest the value date. */
    private LocalDate entryDate(LocalDate valueDate, String mmdd) {
      int month = Integer.parseInt(mmdd.substring(0, 2));
      int day = Integer.parseInt(mmdd.substring(2, 4));
      LocalDate best = null;
      for (int y = valueDate.getYear() - 1; y <= valueDate.getYear() + 1; y++) {
        try {
          LocalDate d = LocalDate.of(y, month, day);
          if (best == null || Math.abs(d.toEpochDay() - valueDate.toEpochDay())
              < Math.abs(best.toEpochDay() - valueDate.toEpochDay())) {
            best = d;
          }
        } catch (DateTimeException e) {
          // Feb 29 in a non-leap year: try the others
        }
      }
      if (best == null) {
        throw error("invalid entry date " + mmdd);
      }
      return best;
    }

    private void emitPending() {
      if (pending == null) {
        return;
      }
      StatementLine l = pending.line;
      String info = pending.info == null ? null : Parsing.emptyToNull(pending.info.strip());
      String description = info != null ? info : l.description();
      handler.line(new StatementLine(l.line(), l.type(), null, null, null, l.bankReference(), null,
          l.valueDate(), l.currency(), l.amountMinor(), null, description));
      pending = null;
    }

    private void close(StatementBalance closing) {
      long expected = opening.amountMinor() + movements;
      List<Inconsistency> inconsistencies = new ArrayList<>();
      if (!closing.currency().equals(opening.currency())) {
        inconsistencies.add(new Inconsistency(tagLine, "closing balance :62F: currency",
            closing.currency().getCurrencyCode(), opening.currency().getCurrencyCode()));
      } else if (expected != closing.amountMinor()) {
        inconsistencies.add(new Inconsistency(tagLine, "closing balance :62F:",
            Amounts.formatMinor(closing.amountMinor(), currency), Amounts.formatMinor(expected, currency)));
      }
      inconsistencies.forEach(i -> warnings.add(i.message()));
      closed = new StatementInfo(account, currency, opening, closing, summary(),
          firstBooking != null ? firstBooking : closing.date(), closing.date(), null, count, warnings,
          inconsistencies, null);
    }

    /** Ends a closed statement once nothing more can belong to it (next :20: or end of file). */
    private void finish() {
      if (closed != null) {
        statements++;
        open = false;
        StatementInfo info = closed;
        closed = null;
        handler.end(info);
      }
    }

  }

  private static final class Pending {
    final StatementLine line;
    String info;

    Pending(StatementLine line) {
      this.line = line;
    }
  }
}
