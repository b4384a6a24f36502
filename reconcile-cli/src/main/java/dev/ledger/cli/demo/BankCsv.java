package dev.ledger.cli.demo;

import dev.ledger.money.Amounts;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A bank's own CSV export (date, text, reference, debit and credit columns) and the mapping file
 * that tells {@code --source csv} how to read it.
 */
public final class BankCsv {
  private record Line(LocalDate date, String text, String reference, long amount) {}

  private final String currency;
  private final List<Line> lines = new ArrayList<>();

  public BankCsv(String currency) {
    this.currency = currency;
  }

  /** A signed movement: credits positive. */
  public BankCsv line(LocalDate date, String text, String reference, long amountMinor) {
    lines.add(new Line(date, text, reference, amountMinor));
    return this;
  }

  public String text() {
    StringBuilder out = new StringBuilder("Date,Description,Reference,Debit,Credit\n");
    for (Line line : lines) {
      String amount = Amounts.formatMinor(Math.abs(line.amount()), Amounts.currency(currency));
      out.append(line.date()).append(',').append(line.text()).append(',').append(line.reference()).append(',')
          .append(line.amount() < 0 ? amount : "").append(',').append(line.amount() >= 0 ? amount : "").append('\n');
    }
    return out.toString();
  }

  public String mapping() {
    return String.join("\n",
        "# How to read this bank's CSV export (ledger reconcile --source csv --mapping FILE)",
        "datetime=Date",
        "date_format=yyyy-MM-dd",
        "zone=Asia/Shanghai",
        "reference=Reference",
        "debit=Debit",
        "credit=Credit",
        "sign=debit_credit",
        "fixed_currency=" + currency,
        "");
  }
}
