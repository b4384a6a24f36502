package dev.ledger.journal;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.money.Amounts;
import dev.ledger.period.ClosedPeriods;
import dev.ledger.period.Period;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.money.CurrencyUnit;

/**
 * The posting rules, written once for every ledger: pure code over a small {@link State} that each
 * ledger supplies from its own storage (the reference ledger from its maps, PostgreSQL from the rows
 * it read). The entries of a batch are checked in order, each against the ledger plus the entries
 * of the batch accepted before it; the order of the checks is documented on {@link PostStatus}.
 * Stateless, so immutable and thread-safe.
 */
public final class PostingRules {
  private PostingRules() {}

  /** Debits and credits of one account in one currency, each within {@link Amounts#MINOR_MAX}. */
  public record Totals(long debits, long credits) {
    public static final Totals ZERO = new Totals(0, 0);

    public Totals {
      if (debits < 0 || credits < 0 || debits > Amounts.MINOR_MAX || credits > Amounts.MINOR_MAX) {
        throw new IllegalArgumentException("Totals out of range: debits " + debits + ", credits " + credits);
      }
    }

    /** Debits minus credits: both are in 0..MINOR_MAX, so the difference fits. */
    public long net() {
      return debits - credits;
    }

    /** The totals after one posting, or null when a side would leave the range. */
    public Totals plus(Posting posting) {
      long amount = posting.amountMinor();
      if (posting.side() == Side.DEBIT) {
        return Amounts.sumFits(debits, amount) ? new Totals(debits + amount, credits) : null;
      }
      return Amounts.sumFits(credits, amount) ? new Totals(debits, credits + amount) : null;
    }
  }

  /** An account and currency: the unit of balances. */
  public record Key(AccountCode account, CurrencyUnit currency) {
    public Key {
      Objects.requireNonNull(account, "account");
      Objects.requireNonNull(currency, "currency");
    }
  }

  /** What the rules need to know of the ledger as it was before the batch. */
  public interface State {
    /** Null when no entry has {@code entry}'s id, else whether the stored one has the same content. */
    Boolean storedSameContent(Entry entry);

    /** The stored entry with this id, or null (the target of a reversal). */
    Entry stored(String id);

    /** The id of the stored entry that reverses {@code id}, or null. */
    String storedReversalOf(String id);

    boolean noOverdraft(AccountCode account);

    /**
     * The stored totals, or null when the ledger did not read them: the balance checks (OVERFLOW,
     * OVERDRAFT) are then skipped. A batch that such a pass rejects is rejected whatever the
     * balances are, because the balance checks come last.
     */
    Totals totals(Key key);

    /**
     * The periods closed now, or null when the ledger did not read them: the PERIOD_CLOSED check
     * is then skipped (PostgreSQL makes it again on write, and a rejected batch is checked again
     * with the periods read).
     */
    default ClosedPeriods closedPeriods() {
      return ClosedPeriods.NONE;
    }
  }

  /**
   * The results, one per entry in batch order (REJECTED_WITH_BATCH for the valid ones when any is
   * rejected); the entries to create, in batch order; and the totals of every key they move.
   */
  public record Checked(List<PostResult> results, List<Entry> created, Map<Key, Totals> totalsAfter,
      boolean rejected) {
    public Checked {
      results = List.copyOf(results);
      created = List.copyOf(created);
      totalsAfter = Map.copyOf(totalsAfter);
    }

    public BatchResult batchResult() {
      return new BatchResult(results);
    }
  }

  public static Checked check(List<Entry> batch, State state) {
    List<PostResult> results = new ArrayList<>(batch.size());
    Map<String, Entry> staged = new LinkedHashMap<>();
    Map<String, String> stagedReversals = new HashMap<>();
    Map<Key, Totals> working = new HashMap<>();
    boolean rejected = false;
    for (Entry entry : batch) {
      PostResult result = check(entry, state, staged, stagedReversals, working);
      if (result.status() == PostStatus.CREATED) {
        staged.put(entry.id(), entry);
        if (entry.reversalOf() != null) {
          stagedReversals.put(entry.reversalOf(), entry.id());
        }
      }
      rejected |= !result.accepted();
      results.add(result);
    }
    if (rejected) {
      results.replaceAll(r -> r.status() == PostStatus.CREATED
          ? new PostResult(r.entryId(), PostStatus.REJECTED_WITH_BATCH,
              "Not written: another entry of the batch was rejected")
          : r);
      return new Checked(results, List.of(), Map.of(), true);
    }
    return new Checked(results, new ArrayList<>(staged.values()), working, false);
  }

  private static PostResult check(Entry entry, State state, Map<String, Entry> staged,
      Map<String, String> stagedReversals, Map<Key, Totals> working) {
    String id = entry.id();
    Entry stagedSame = staged.get(id);
    Boolean same = stagedSame != null ? Boolean.valueOf(stagedSame.sameContent(entry)) : state.storedSameContent(entry);
    if (same != null) {
      return same
          ? new PostResult(id, PostStatus.EXISTS, "Entry " + id + " already exists")
          : new PostResult(id, PostStatus.EXISTS_WITH_DIFFERENT_CONTENT,
              "Entry " + id + " already exists with different content");
    }
    ClosedPeriods closed = state.closedPeriods();
    Period period = closed == null ? null : closed.covering(entry.effectiveAt(), accounts(entry));
    if (period != null) {
      return PostResult.periodClosed(id, entry.effectiveAt(), period);
    }
    if (entry.reversalOf() != null) {
      String target = entry.reversalOf();
      Entry targetEntry = state.stored(target);
      if (targetEntry == null) {
        targetEntry = staged.get(target);
      }
      if (targetEntry == null) {
        return new PostResult(id, PostStatus.REVERSAL_TARGET_NOT_FOUND,
            "Entry " + id + " reverses " + target + ", which does not exist");
      }
      String by = state.storedReversalOf(target);
      by = by != null ? by : stagedReversals.get(target);
      if (by != null) {
        return new PostResult(id, PostStatus.ALREADY_REVERSED,
            "Entry " + target + " is already reversed by " + by);
      }
      if (!entry.isReversalOf(targetEntry)) {
        return new PostResult(id, PostStatus.REVERSAL_MISMATCH,
            "Entry " + id + " does not flip every posting of " + target);
      }
    }
    // Every posting's side total must stay in range (OVERFLOW, in posting order); then no_overdraft
    // accounts must not go below zero in their normal direction after the whole entry.
    Map<Key, Totals> after = new LinkedHashMap<>();
    for (Posting posting : entry.postings()) {
      Key key = new Key(posting.account(), posting.currency());
      Totals before = after.containsKey(key) ? after.get(key) : current(key, state, working);
      if (before == null) {
        return PostResult.of(id, PostStatus.CREATED); // balances not read: checks skipped
      }
      Totals next = before.plus(posting);
      if (next == null) {
        return PostResult.overflow(id, posting.account(), posting.side(), posting.currency());
      }
      after.put(key, next);
    }
    for (Map.Entry<Key, Totals> item : after.entrySet()) {
      AccountCode account = item.getKey().account();
      if (!state.noOverdraft(account)) {
        continue;
      }
      boolean debitNormal = account.normalSide() == Side.DEBIT;
      long net = item.getValue().net();
      long normal = debitNormal ? net : -net;
      if (normal < 0) {
        CurrencyUnit currency = item.getKey().currency();
        long now = current(item.getKey(), state, working).net();
        long currentNormal = debitNormal ? now : -now;
        return new PostResult(id, PostStatus.OVERDRAFT,
            "Entry " + id + " would overdraw " + account + " in " + currency.getCurrencyCode() + ": balance "
                + Amounts.formatMinor(currentNormal, currency) + " would become "
                + Amounts.formatMinor(normal, currency));
      }
    }
    working.putAll(after);
    return PostResult.of(id, PostStatus.CREATED);
  }

  /** The accounts an entry posts to, in posting order: what a period closed under a prefix looks at. */
  public static List<AccountCode> accounts(Entry entry) {
    return entry.postings().stream().map(Posting::account).toList();
  }

  private static Totals current(Key key, State state, Map<Key, Totals> working) {
    Totals staged = working.get(key);
    if (staged != null) {
      return staged;
    }
    Totals stored = state.totals(key);
    return stored;
  }
}
