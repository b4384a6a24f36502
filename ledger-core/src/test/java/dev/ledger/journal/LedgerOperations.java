package dev.ledger.journal;

import dev.ledger.account.Account;
import dev.ledger.account.AccountCode;
import dev.ledger.account.AccountType;
import dev.ledger.money.Amounts;
import dev.ledger.period.Period;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;

/**
 * Turns generated integer rows into a concrete sequence of ledger operations inside one namespace,
 * so that every ledger (reference or real) runs exactly the same sequence.
 */
final class LedgerOperations {
  static final Instant BASE = Instant.parse("2024-09-01T00:00:00Z");
  static final List<CurrencyUnit> CURRENCIES = List.of(Amounts.currency("CNY"), Amounts.currency("JPY"));
  private static final List<String> NAMES =
      List.of("assets:%s:cash", "assets:%s:wallet", "liabilities:%s:merchant", "income:%s:commission",
          "expenses:%s:fees", "equity:%s:capital");

  /** Pending entries either far from expiry or already expired: the same on every ledger's clock. */
  static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
  static final Instant PAST = Instant.parse("2020-01-01T00:00:00Z");

  sealed interface Op permits CreateAccount, Post, PostBatch, Reverse, PostPending, VoidPending,
      ClosePeriod, ReopenPeriod {}

  /** Posts pending entry pendingId in full (amount null) or partly. */
  record PostPending(String pendingId, String postId, String amount, Instant effectiveAt) implements Op {}

  record VoidPending(String pendingId, String voidId, Instant effectiveAt) implements Op {}

  record CreateAccount(Account account) implements Op {}

  record Post(Entry entry) implements Op {}

  record PostBatch(List<Entry> entries) implements Op {}

  record Reverse(String entryId, String reversalId, Instant effectiveAt) implements Op {}

  /** Periods are always closed under a prefix of the namespace, so sequences sharing a ledger stay apart. */
  record ClosePeriod(Period period) implements Op {}

  record ReopenPeriod(Period period) implements Op {}

  private final String namespace;
  private final List<AccountCode> accounts = new ArrayList<>();
  private final List<Entry> posted = new ArrayList<>();
  private final List<Period> closed = new ArrayList<>();
  private final List<Entry> pendings = new ArrayList<>();
  private int counter;

  LedgerOperations(String namespace) {
    this.namespace = namespace;
    for (String name : NAMES) {
      accounts.add(AccountCode.parse(String.format(name, namespace)));
    }
  }

  List<AccountCode> accounts() {
    return accounts;
  }

  List<AccountCode> prefixes() {
    List<AccountCode> prefixes = new ArrayList<>();
    for (AccountType type : AccountType.values()) {
      prefixes.add(AccountCode.parse(type.segment() + ":" + namespace));
    }
    return prefixes;
  }

  /** Each row holds at least six integers; the first picks the kind of operation. */
  List<Op> build(List<List<Integer>> rows) {
    List<Op> ops = new ArrayList<>(rows.size());
    for (List<Integer> row : rows) {
      ops.add(operation(row));
    }
    return ops;
  }

  private Op operation(List<Integer> row) {
    int kind = Math.floorMod(row.get(0), 19);
    switch (kind) {
      case 12, 13:
        // A pending entry; one in four has already expired when it is posted.
        Entry pending = entry(nextId(), row).withPending(Math.floorMod(row.get(5), 4) == 0 ? PAST : FAR);
        pendings.add(pending);
        return new Post(remember(pending));
      case 14, 15:
        if (!pendings.isEmpty()) {
          Entry target = pendings.get(Math.floorMod(row.get(1), pendings.size()));
          String amount = null;
          if (target.postings().size() == 2 && Math.floorMod(row.get(2), 2) == 0) {
            // Partial, sometimes above the pending amount (a mismatch).
            Posting first = target.postings().get(0);
            long minor = 1 + Math.floorMod(row.get(3), first.amountMinor() + 2);
            amount = Amounts.format(Amounts.ofMinor(minor, first.currency()));
          }
          String id = Math.floorMod(row.get(4), 10) == 0 ? target.id() + "-settled" : nextId();
          return new PostPending(Math.floorMod(row.get(2), 9) == 0 ? namespace + "-missing" : target.id(), id,
              amount, time(row.get(3)));
        }
        break;
      case 16:
        if (!pendings.isEmpty()) {
          Entry target = pendings.get(Math.floorMod(row.get(1), pendings.size()));
          // Occasionally void an ordinary entry.
          String id = Math.floorMod(row.get(2), 7) == 0 && !posted.isEmpty()
              ? posted.get(Math.floorMod(row.get(3), posted.size())).id() : target.id();
          return new VoidPending(id, nextId(), time(row.get(3)));
        }
        break;
      case 0, 1:
        return new CreateAccount(
            new Account(accounts.get(Math.floorMod(row.get(1), 2)), Math.floorMod(row.get(2), 4) != 0));
      case 7:
        if (!posted.isEmpty()) {
          return new Post(posted.get(Math.floorMod(row.get(1), posted.size())));
        }
        break;
      case 8:
        if (!posted.isEmpty()) {
          Entry original = posted.get(Math.floorMod(row.get(1), posted.size()));
          return new Post(entry(original.id(), row));
        }
        break;
      case 9:
        if (!posted.isEmpty()) {
          // Occasionally reverse an id that was never posted.
          String target = Math.floorMod(row.get(2), 10) == 0
              ? namespace + "-missing"
              : posted.get(Math.floorMod(row.get(1), posted.size())).id();
          return new Reverse(target, nextId(), time(row.get(3)));
        }
        break;
      case 10:
        List<Entry> batch = new ArrayList<>();
        int size = 2 + Math.floorMod(row.get(1), 3);
        for (int i = 0; i < size; i++) {
          batch.add(remember(entry(nextId(), rotate(row, i + 1))));
        }
        if (Math.floorMod(row.get(2), 5) == 0) {
          batch.add(batch.get(0)); // an identical duplicate inside the batch
        }
        return new PostBatch(batch);
      case 11:
        return new Post(remember(huge(nextId(), row)));
      case 17: {
        List<AccountCode> scopes = new ArrayList<>(prefixes());
        scopes.addAll(accounts);
        Period period = Period.of(time(row.get(1)), scopes.get(Math.floorMod(row.get(2), scopes.size())));
        closed.add(period);
        return new ClosePeriod(period);
      }
      case 18:
        if (!closed.isEmpty()) {
          // Mostly a period closed before (perhaps reopened already), sometimes one never closed.
          return new ReopenPeriod(Math.floorMod(row.get(2), 6) == 0
              ? Period.of(time(row.get(1)), prefixes().get(0))
              : closed.get(Math.floorMod(row.get(1), closed.size())));
        }
        break;
      default:
        break;
    }
    return new Post(remember(entry(nextId(), row)));
  }

  private Entry remember(Entry entry) {
    posted.add(entry);
    return entry;
  }

  private String nextId() {
    return namespace + "-e" + (++counter);
  }

  private static List<Integer> rotate(List<Integer> row, int by) {
    List<Integer> rotated = new ArrayList<>(row.size());
    for (int i = 0; i < row.size(); i++) {
      rotated.add(row.get((i + by) % row.size()) * 31 + by);
    }
    return rotated;
  }

  private Instant time(int seed) {
    // Ten days of minutes: later operations are often backdated before earlier ones.
    return BASE.plusSeconds(60L * Math.floorMod(seed, 14_400));
  }

  /**
   * Half the range and a little more, from income to expenses (each alone under its type's prefix,
   * so no prefix sums two of them): a second one, or small entries after one, would take the
   * account's totals beyond Amounts.MINOR_MAX and are rejected with OVERFLOW.
   */
  private Entry huge(String id, List<Integer> row) {
    CurrencyUnit currency = CURRENCIES.get(Math.floorMod(row.get(1), CURRENCIES.size()));
    long amount = Amounts.MINOR_MAX / 2 + Math.floorMod(row.get(4), 3);
    return Entry.of(id, time(row.get(5) ^ row.get(0)), "huge " + id, Map.of(), List.of(
        Posting.of(accounts.get(4), dev.ledger.account.Side.DEBIT, Amounts.ofMinor(amount, currency)),
        Posting.of(accounts.get(3), dev.ledger.account.Side.CREDIT, Amounts.ofMinor(amount, currency))));
  }

  private Entry entry(String id, List<Integer> row) {
    CurrencyUnit currency = CURRENCIES.get(Math.floorMod(row.get(1), CURRENCIES.size()));
    AccountCode debit = accounts.get(Math.floorMod(row.get(2), accounts.size()));
    AccountCode credit = accounts.get(Math.floorMod(row.get(3), accounts.size()));
    long amount = 1 + Math.floorMod(row.get(4), 10_000);
    List<Posting> postings = new ArrayList<>();
    postings.add(Posting.of(debit, dev.ledger.account.Side.DEBIT, Amounts.ofMinor(amount, currency)));
    if (amount > 1 && Math.floorMod(row.get(5), 3) == 0) {
      AccountCode third = accounts.get(Math.floorMod(row.get(5) / 3, accounts.size()));
      long part = amount / 3 + 1;
      postings.add(Posting.of(credit, dev.ledger.account.Side.CREDIT, Amounts.ofMinor(part, currency)));
      postings.add(Posting.of(third, dev.ledger.account.Side.CREDIT,
          Amounts.ofMinor(amount - part, currency)));
    } else {
      postings.add(Posting.of(credit, dev.ledger.account.Side.CREDIT, Amounts.ofMinor(amount, currency)));
    }
    return Entry.of(id, time(row.get(5) ^ row.get(0)), "generated " + id,
        Map.of("provider", "p" + Math.floorMod(row.get(0), 3)), postings);
  }
}
