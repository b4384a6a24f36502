package dev.ledger.statement;

import java.time.LocalDate;
import javax.money.CurrencyUnit;

/** A balance a statement asserts (opening or closing), signed, in minor units. */
public record StatementBalance(CurrencyUnit currency, long amountMinor, LocalDate date) {}
