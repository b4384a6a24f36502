package dev.ledger.journal;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import java.time.Instant;
import javax.money.CurrencyUnit;

/**
 * One posting in an account's history with the running balance (normal direction, per currency)
 * after it. Amounts in minor units. Immutable and thread-safe.
 */
public record HistoryLine(
    String entryId,
    Instant effectiveAt,
    Instant recordedAt,
    String description,
    AccountCode account,
    CurrencyUnit currency,
    Side side,
    long amountMinor,
    long runningBalanceMinor) {}
