package dev.ledger.period;

import dev.ledger.account.AccountCode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Objects;

/**
 * A period that can be closed: every entry effective at or before {@code through} (the last
 * instant of the period, inclusive) that has a posting on {@code prefix} or below it, or every
 * entry when {@code prefix} is null (the whole ledger). A period is identified by both values:
 * closing through 2024-09-30 and through 2024-10-31 are two periods, each reopened on its own.
 * Immutable and thread-safe.
 */
public record Period(Instant through, AccountCode prefix) {
  public Period {
    Objects.requireNonNull(through, "through");
    if (!through.truncatedTo(ChronoUnit.MICROS).equals(through)) {
      throw new IllegalArgumentException("Period end " + through + " is finer than a microsecond");
    }
  }

  public static Period of(Instant through, AccountCode prefix) {
    return new Period(through, prefix);
  }

  /** Whether an entry effective at {@code effectiveAt} with postings on {@code accounts} falls in it. */
  public boolean covers(Instant effectiveAt, Collection<AccountCode> accounts) {
    if (effectiveAt.isAfter(through)) {
      return false;
    }
    if (prefix == null) {
      return true;
    }
    for (AccountCode account : accounts) {
      if (account.isUnder(prefix)) {
        return true;
      }
    }
    return false;
  }

  /** "through 2024-09-30T23:59:59.999999Z under assets:bank", for messages. */
  public String describe() {
    return "through " + through + (prefix == null ? "" : " under " + prefix);
  }
}
