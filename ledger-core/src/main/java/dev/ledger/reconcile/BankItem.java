package dev.ledger.reconcile;

import java.time.LocalDate;
import java.util.Objects;
import javax.money.CurrencyUnit;

/**
 * One entry's movement on a bank account as the ledger has it: signed (money in positive), the
 * date it is effective in the statement's zone, and the reference a bank line may carry (the
 * settlement batch, else the entry id). Entries sharing a reference form a group that one bank
 * line may settle at once. Immutable and thread-safe.
 */
public record BankItem(String entryId, CurrencyUnit currency, long amountMinor, LocalDate date, String reference) {
  public BankItem {
    Objects.requireNonNull(entryId, "entryId");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(date, "date");
    // A reference longer than a break can store cannot be a statement's key: the entry id stands in.
    reference = reference == null || reference.isEmpty() || reference.length() > Break.KEY_LENGTH_MAX ? entryId
        : reference;
  }
}
