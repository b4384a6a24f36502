package dev.ledger.statement.csv;

import dev.ledger.statement.*;

import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;

/**
 * Any CSV statement read through a {@link CsvMapping}. Quoted fields may span lines (bounded like
 * every line); each record is reported at the physical line where it starts. A CSV carries no
 * assertions of its own, so the info has no balances or summary; period = first..last date.
 */
public final class CsvStatementParser implements StatementParser {
  private final CsvMapping mapping;

  public CsvStatementParser(CsvMapping mapping) {
    if (mapping == null) {
      throw new IllegalArgumentException("a CSV mapping is required");
    }
    this.mapping = mapping;
  }

  @Override
  public void parse(InputStream input, String fileName, StatementHandler handler) {
    LineReader reader = new LineReader(input, mapping.encoding, fileName);
    for (int i = 0; i < mapping.skipLines; i++) {
      if (reader.readLine() == null) {
        throw new StatementException(fileName, reader.lineNumber(), "empty file");
      }
    }
    Map<String, Integer> names = new HashMap<>();
    int width = -1;
    if (mapping.header) {
      List<String> header = record(reader, fileName);
      if (header == null) {
        throw new StatementException(fileName, 0, "empty file: no header line");
      }
      for (int i = 0; i < header.size(); i++) {
        names.putIfAbsent(header.get(i).strip(), i);
      }
      width = header.size();
    }
    Columns c = new Columns(names, reader.lineNumber(), fileName, width);
    CurrencyUnit fixed = mapping.fixedCurrency == null ? null : Parsing.currency(mapping.fixedCurrency, fileName, 0);
    CurrencyUnit statementCurrency = fixed;
    LocalDate from = null;
    LocalDate to = null;
    long count = 0;
    long start;
    List<String> v;
    while (true) {
      start = reader.lineNumber() + 1;
      v = record(reader, fileName);
      if (v == null) {
        break;
      }
      if (v.size() == 1 && v.get(0).isBlank()) {
        continue;
      }
      if (width >= 0 && v.size() != width) {
        throw new StatementException(fileName, start, "record has " + v.size() + " fields, the header has " + width);
      }
      final long n = start;
      final List<String> row = v;
      CurrencyUnit cur = fixed != null ? fixed : Parsing.currency(c.get(row, "currency", n), fileName, n);
      if (statementCurrency == null) {
        statementCurrency = cur;
      }
      String typeText = c.opt(row, "type", n);
      LineType type = type(typeText);
      long amount;
      switch (mapping.sign) {
        case DEBIT_CREDIT:
          amount = optAmount(c.opt(row, "credit", n), cur, fileName, n, "credit")
              - optAmount(c.opt(row, "debit", n), cur, fileName, n, "debit");
          break;
        case TYPE_COLUMN:
          amount = Math.abs(amount(c.get(row, "amount", n), cur, fileName, n, "amount"));
          if (mapping.negativeTypes.contains(typeText)) {
            amount = -amount;
          }
          break;
        default:
          amount = amount(c.get(row, "amount", n), cur, fileName, n, "amount");
      }
      String feeText = c.opt(row, "fee", n);
      Long fee = feeText == null || feeText.isEmpty() ? null : amount(feeText, cur, fileName, n, "fee");
      String when = c.get(row, "datetime", n);
      LocalDate date;
      Instant at;
      try {
        if (mapping.dateHasTime) {
          LocalDateTime t = LocalDateTime.parse(when, mapping.dateFormat);
          date = t.toLocalDate();
          at = t.atZone(mapping.zone).toInstant();
        } else {
          date = LocalDate.parse(when, mapping.dateFormat);
          at = date.atStartOfDay(mapping.zone).toInstant();
        }
      } catch (DateTimeParseException e) {
        throw new StatementException(fileName, n, "datetime: '" + Parsing.abbreviate(when) + "' does not match the date_format");
      }
      from = from == null || date.isBefore(from) ? date : from;
      to = to == null || date.isAfter(to) ? date : to;
      count++;
      handler.line(new StatementLine(n, type, Parsing.emptyToNull(c.opt(row, "txn_id", n)),
          Parsing.emptyToNull(c.opt(row, "refund_id", n)), Parsing.emptyToNull(c.opt(row, "order_id", n)),
          Parsing.emptyToNull(c.opt(row, "reference", n)), at, date, cur, amount, fee, null));
    }
    if (count == 0 && reader.lineNumber() == 0) {
      throw new StatementException(fileName, 0, "empty file");
    }
    if (statementCurrency == null) {
      throw new StatementException(fileName, reader.lineNumber(), "no records and no fixed_currency");
    }
    handler.end(new StatementInfo(null, statementCurrency, null, null, null, from, to, mapping.zone, count, List.of()));
  }

  private LineType type(String typeText) {
    if (typeText == null) {
      return LineType.OTHER;
    }
    if (mapping.refundTypes.contains(typeText)) {
      return LineType.REFUND;
    }
    if (mapping.paymentTypes.contains(typeText)) {
      return LineType.PAYMENT;
    }
    if (mapping.feeTypes.contains(typeText)) {
      return LineType.FEE;
    }
    if (mapping.settlementTypes.contains(typeText)) {
      return LineType.SETTLEMENT;
    }
    return LineType.OTHER;
  }

  private long optAmount(String text, CurrencyUnit cur, String file, long n, String column) {
    return text == null || text.isEmpty() ? 0 : Math.abs(amount(text, cur, file, n, column));
  }

  private long amount(String text, CurrencyUnit cur, String file, long n, String column) {
    String t = text.strip();
    if (mapping.decimalSeparator == ',') {
      if (t.indexOf('.') >= 0) {
        throw new StatementException(file, n, column + ": '" + Parsing.abbreviate(t) + "' has a '.' but the decimal separator is ','");
      }
      t = t.replace(',', '.');
    }
    return Parsing.minor(t, cur, file, n, column);
  }

  private List<String> record(LineReader reader, String file) {
    String line = reader.readLine();
    if (line == null) {
      return null;
    }
    long start = reader.lineNumber();
    StringBuilder joined = null;
    while (true) {
      List<String> fields = Csv.split(joined == null ? line : joined.toString(), mapping.delimiter);
      if (fields != null) {
        return fields;
      }
      String next = reader.readLine();
      if (next == null) {
        throw new StatementException(file, start, "truncated: quoted field not closed");
      }
      if (joined == null) {
        joined = new StringBuilder(line);
      }
      if (joined.length() + next.length() > LineReader.DEFAULT_MAX_LINE) {
        throw new StatementException(file, start, "record longer than " + LineReader.DEFAULT_MAX_LINE + " characters");
      }
      joined.append('\n').append(next);
    }
  }

  private final class Columns {
    private final Map<String, Integer> index = new HashMap<>();
    private final String file;

    Columns(Map<String, Integer> names, long headerLine, String file, int width) {
      this.file = file;
      for (String key : new String[] {"txn_id", "refund_id", "order_id", "reference", "type", "datetime", "amount", "fee", "debit", "credit", "currency"}) {
        String ref = mapping.column(key);
        if (ref == null) {
          continue;
        }
        Integer i = ref.matches("[1-9][0-9]{0,4}") ? Integer.valueOf(Integer.parseInt(ref) - 1) : names.get(ref);
        if (i == null || (width >= 0 && i >= width)) {
          throw new StatementException(file, headerLine, "column " + ref + " (" + key + ") is not in the header");
        }
        index.put(key, i);
      }
    }

    String get(List<String> row, String key, long n) {
      String v = opt(row, key, n);
      if (v == null || v.isEmpty()) {
        throw new StatementException(file, n, key + " is empty");
      }
      return v;
    }

    String opt(List<String> row, String key, long n) {
      Integer i = index.get(key);
      if (i == null) {
        return null;
      }
      if (i >= row.size()) {
        throw new StatementException(file, n, "record has no column " + (i + 1) + " (" + key + ")");
      }
      return row.get(i).strip();
    }
  }
}
