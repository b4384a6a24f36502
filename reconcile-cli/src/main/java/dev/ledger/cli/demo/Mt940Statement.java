package dev.ledger.cli.demo;

import dev.ledger.money.Amounts;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** Writes one SWIFT MT940 customer statement (text form, no {1:} blocks) for one day. */
public final class Mt940Statement {
  private static final DateTimeFormatter YYMMDD = DateTimeFormatter.ofPattern("yyMMdd");
  private static final DateTimeFormatter MMDD = DateTimeFormatter.ofPattern("MMdd");

  private record Movement(long amount, LocalDate value, String customerReference, String bankReference,
      String text) {}

  private final String account;
  private final String currency;
  private final LocalDate day;
  private final long opening;
  private final List<Movement> movements = new ArrayList<>();

  public Mt940Statement(String account, String currency, LocalDate day, long openingMinor) {
    this.account = account;
    this.currency = currency;
    this.day = day;
    this.opening = openingMinor;
  }

  /** A signed movement (credits positive); {@code text} goes into :86:. */
  public Mt940Statement movement(long amountMinor, LocalDate valueDate, String customerReference,
      String bankReference, String text) {
    movements.add(new Movement(amountMinor, valueDate, customerReference, bankReference, text));
    return this;
  }

  public String text() {
    long closing = opening;
    StringBuilder out = new StringBuilder();
    out.append(":20:DEMO").append(day.format(YYMMDD)).append('\n');
    out.append(":25:").append(account).append('\n');
    out.append(":28C:00001/001\n");
    out.append(":60F:").append(balance(opening, day.minusDays(1))).append('\n');
    for (Movement m : movements) {
      closing += m.amount();
      out.append(":61:").append(m.value().format(YYMMDD)).append(day.format(MMDD))
          .append(m.amount() >= 0 ? 'C' : 'D').append(amount(Math.abs(m.amount()))).append("NTRF")
          .append(m.customerReference()).append("//").append(m.bankReference()).append('\n');
      out.append(":86:").append(m.text()).append('\n');
    }
    out.append(":62F:").append(balance(closing, day)).append('\n');
    out.append("-\n");
    return out.toString();
  }

  private String balance(long amount, LocalDate date) {
    return (amount >= 0 ? "C" : "D") + date.format(YYMMDD) + currency + amount(Math.abs(amount));
  }

  /** SWIFT writes a decimal comma. */
  private String amount(long minor) {
    return Amounts.formatMinor(minor, Amounts.currency(currency)).replace('.', ',');
  }
}
