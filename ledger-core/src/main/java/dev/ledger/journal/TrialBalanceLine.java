package dev.ledger.journal;

import dev.ledger.account.AccountCode;

/** One account and currency of a trial balance. Immutable and thread-safe. */
public record TrialBalanceLine(AccountCode account, CurrencyBalance balance) {}
