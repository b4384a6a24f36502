package dev.ledger.bench;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import dev.ledger.money.Amounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.money.CurrencyUnit;

/** Generated journal entries: 3 or 4 postings in CNY over a set of accounts. */
final class Journal {
  static final CurrencyUnit CNY = Amounts.currency("CNY");
  static final Instant BASE = Instant.parse("2024-01-01T00:00:00Z");

  private Journal() {}

  static AccountCode[] accounts(String prefix, int count) {
    AccountCode[] codes = new AccountCode[count];
    for (int i = 0; i < count; i++) {
      codes[i] = AccountCode.parse(prefix + i);
    }
    return codes;
  }

  /** 3 postings (one debit split into two credits) or 4 (two debit/credit pairs), half each. */
  static Entry entry(String id, Instant at, SplittableRandom random, AccountCode[] accounts) {
    Legs legs = legs(random, accounts.length);
    List<Posting> postings = new ArrayList<>(4);
    for (int i = 0; i < legs.accounts().length; i++) {
      long signed = legs.signedAmounts()[i];
      postings.add(posting(accounts[legs.accounts()[i]], signed > 0 ? Side.DEBIT : Side.CREDIT, Math.abs(signed)));
    }
    return Entry.of(id, at, "bench " + id, Map.of("order_id", "O-" + id), postings);
  }

  /** The legs of one {@link #entry}: account indexes and signed amounts (debit positive). */
  record Legs(int[] accounts, long[] signedAmounts) {}

  /** The legs of the next entry, so that the row-locking peer can move the same money in the same shape. */
  static Legs legs(SplittableRandom random, int accountCount) {
    long x = 1 + random.nextLong(100_000);
    long y = 1 + random.nextLong(100_000);
    if (random.nextBoolean()) {
      return new Legs(
          new int[] {random.nextInt(accountCount), random.nextInt(accountCount), random.nextInt(accountCount)},
          new long[] {x + y, -x, -y});
    }
    return new Legs(
        new int[] {random.nextInt(accountCount), random.nextInt(accountCount), random.nextInt(accountCount),
            random.nextInt(accountCount)},
        new long[] {x, -x, y, -y});
  }

  static List<Entry> batch(String prefix, long first, int size, SplittableRandom random, AccountCode[] accounts) {
    List<Entry> batch = new ArrayList<>(size);
    for (long i = first; i < first + size; i++) {
      batch.add(entry(prefix + i, BASE.plusSeconds(i), random, accounts));
    }
    return batch;
  }

  static Posting posting(AccountCode account, Side side, long minor) {
    return Posting.of(account, side, Amounts.ofMinor(minor, CNY));
  }
}
