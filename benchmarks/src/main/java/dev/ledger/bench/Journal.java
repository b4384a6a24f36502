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
    long x = 1 + random.nextLong(100_000);
    long y = 1 + random.nextLong(100_000);
    List<Posting> postings = new ArrayList<>(4);
    if (random.nextBoolean()) {
      postings.add(posting(pick(random, accounts), Side.DEBIT, x + y));
      postings.add(posting(pick(random, accounts), Side.CREDIT, x));
      postings.add(posting(pick(random, accounts), Side.CREDIT, y));
    } else {
      postings.add(posting(pick(random, accounts), Side.DEBIT, x));
      postings.add(posting(pick(random, accounts), Side.CREDIT, x));
      postings.add(posting(pick(random, accounts), Side.DEBIT, y));
      postings.add(posting(pick(random, accounts), Side.CREDIT, y));
    }
    return Entry.of(id, at, "bench " + id, Map.of("order_id", "O-" + id), postings);
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

  private static AccountCode pick(SplittableRandom random, AccountCode[] accounts) {
    return accounts[random.nextInt(accounts.length)];
  }
}
