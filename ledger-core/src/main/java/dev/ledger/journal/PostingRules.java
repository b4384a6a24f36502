package dev.ledger.journal;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.money.Amounts;
import dev.ledger.period.ClosedPeriods;
import dev.ledger.period.Period;
import java.time.Instant;
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

    /** The totals without one posting (a released reservation); never below zero for stored ones. */
    public Totals minus(Posting posting) {
      long amount = posting.amountMinor();
      return posting.side() == Side.DEBIT ? new Totals(debits - amount, credits)
          : new Totals(debits, credits - amount);
    }

    /** The side that lowers a balance in {@code normal} direction: what a reservation holds back. */
    public long outflow(Side normal) {
      return normal == Side.DEBIT ? credits : debits;
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
    /** The id of the stored entry that posts or voids pending entry {@code pendingId}, or null. */
    String storedSettlementOf(String pendingId);

    /**
     * Debits and credits reserved on the key by stored pending entries that are neither settled
     * nor expired at {@link #now()}, or null when not read (the balance checks are then skipped,
     * as with {@link #totals}).
     */
    Totals reserved(Key key);

    /** The time against which expiry is judged. */
    Instant now();
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
    Map<String, String> stagedSettlements = new HashMap<>();
    Map<Key, Totals> working = new HashMap<>();
    Map<Key, Totals> reserving = new HashMap<>();
    Instant now = state.now();
    boolean rejected = false;
    for (Entry entry : batch) {
      PostResult result = check(entry, state, now, staged, stagedReversals, stagedSettlements, working,
          reserving);
      if (result.status() == PostStatus.CREATED) {
        staged.put(entry.id(), entry);
        if (entry.reversalOf() != null) {
          stagedReversals.put(entry.reversalOf(), entry.id());
        }
        if (entry.settlement() != null) {
          stagedSettlements.put(entry.settlement().pendingId(), entry.id());
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

  private static PostResult check(Entry entry, State state, Instant now, Map<String, Entry> staged,
      Map<String, String> stagedReversals, Map<String, String> stagedSettlements,
      Map<Key, Totals> working, Map<Key, Totals> reserving) {
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
      if (!targetEntry.posts()) {
        return new PostResult(id, PostStatus.REVERSAL_MISMATCH, "Entry " + target + " is "
            + (targetEntry.pending() != null ? "pending (void it instead)" : "a void")
            + ": it posted nothing to reverse");
      }
      if (!entry.isReversalOf(targetEntry)) {
        return new PostResult(id, PostStatus.REVERSAL_MISMATCH,
            "Entry " + id + " does not flip every posting of " + target);
      }
    }
    Entry settled = null;
    if (entry.settlement() != null) {
      String target = entry.settlement().pendingId();
      settled = state.stored(target);
      settled = settled != null ? settled : staged.get(target);
      if (settled == null || settled.pending() == null) {
        return new PostResult(id, PostStatus.PENDING_NOT_FOUND, "Entry " + id + " settles " + target
            + (settled == null ? ", which does not exist" : ", which is not a pending entry"));
      }
      String by = state.storedSettlementOf(target);
      by = by != null ? by : stagedSettlements.get(target);
      if (by != null) {
        return new PostResult(id, PostStatus.PENDING_ALREADY_SETTLED,
            "Pending entry " + target + " is already settled by " + by);
      }
      if (settled.pending().expiredAt(now)) {
        return new PostResult(id, PostStatus.PENDING_EXPIRED, "Pending entry " + target
            + " expired at " + settled.pending().expiresAt() + ": its reservation is released");
      }
      String mismatch = settlementMismatch(entry, settled);
      if (mismatch != null) {
        return new PostResult(id, PostStatus.PENDING_SETTLEMENT_MISMATCH,
            "Entry " + id + " " + mismatch + " of pending entry " + target);
      }
    }
    // Every posting's side total must stay in range (OVERFLOW, in posting order); then no_overdraft
    // accounts must not go below zero in their normal direction after the whole entry.
    Map<Key, Totals> after = new LinkedHashMap<>();
    if (entry.posts()) {
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
    }
    // Reservations: an unexpired pending entry adds its postings, a settlement releases the
    // pending entry's (which is open: not settled, not expired, checked above).
    Map<Key, Totals> reservedAfter = new LinkedHashMap<>();
    boolean reserves = entry.pending() != null && !entry.pending().expiredAt(now);
    for (Posting posting : reserves ? entry.postings() : settled != null ? settled.postings() : List.<Posting>of()) {
      Key key = new Key(posting.account(), posting.currency());
      Totals before = reservedAfter.containsKey(key) ? reservedAfter.get(key) : reserved(key, state, reserving);
      if (before == null) {
        return PostResult.of(id, PostStatus.CREATED); // reservations not read: checks skipped
      }
      Totals next = reserves ? before.plus(posting) : before.minus(posting);
      if (next == null) {
        return PostResult.overflow(id, posting.account(), posting.side(), posting.currency());
      }
      reservedAfter.put(key, next);
    }
    Map<Key, Boolean> touched = new LinkedHashMap<>();
    after.keySet().forEach(k -> touched.put(k, true));
    reservedAfter.keySet().forEach(k -> touched.put(k, true));
    for (Key key : touched.keySet()) {
      AccountCode account = key.account();
      if (!state.noOverdraft(account)) {
        continue;
      }
      Side normalSide = account.normalSide();
      Totals postedNow = current(key, state, working);
      Totals reservedNow = reserved(key, state, reserving);
      if (postedNow == null || reservedNow == null) {
        return PostResult.of(id, PostStatus.CREATED); // balances not read: checks skipped
      }
      Totals postedNext = after.getOrDefault(key, postedNow);
      Totals reservedNext = reservedAfter.getOrDefault(key, reservedNow);
      long available = normal(postedNext, normalSide) - reservedNext.outflow(normalSide);
      if (available < 0) {
        CurrencyUnit currency = key.currency();
        long availableNow = normal(postedNow, normalSide) - reservedNow.outflow(normalSide);
        boolean reserving0 = reservedNow.outflow(normalSide) != 0 || reservedNext.outflow(normalSide) != 0;
        return new PostResult(id, PostStatus.OVERDRAFT,
            "Entry " + id + " would overdraw " + account + " in " + currency.getCurrencyCode()
                + (reserving0 ? ": available " : ": balance ")
                + Amounts.formatMinor(availableNow, currency) + " would become "
                + Amounts.formatMinor(available, currency));
      }
    }
    working.putAll(after);
    reserving.putAll(reservedAfter);
    return PostResult.of(id, PostStatus.CREATED);
  }

  /** The accounts an entry posts to, in posting order: what a period closed under a prefix looks at. */
  public static List<AccountCode> accounts(Entry entry) {
    return entry.postings().stream().map(Posting::account).toList();
  }

  /** Balance in the normal direction; both totals are in 0..MINOR_MAX, so it fits. */
  private static long normal(Totals totals, Side normalSide) {
    return normalSide == Side.DEBIT ? totals.net() : -totals.net();
  }

  /** Why a settlement's postings do not fit the pending entry's, or null when they do. */
  private static String settlementMismatch(Entry settlement, Entry pending) {
    List<Posting> own = settlement.postings();
    List<Posting> held = pending.postings();
    if (own.size() != held.size()) {
      return "has " + own.size() + " postings, not the " + held.size();
    }
    boolean isVoid = settlement.settlement().kind() == Settlement.Kind.VOID;
    for (int i = 0; i < own.size(); i++) {
      Posting mine = own.get(i);
      Posting theirs = held.get(i);
      if (!mine.account().equals(theirs.account()) || mine.side() != theirs.side()
          || !mine.currency().equals(theirs.currency())) {
        return "posting " + i + " (" + mine.account() + " " + mine.side().wireName() + " "
            + mine.currency().getCurrencyCode() + ") is not posting " + i + " (" + theirs.account() + " "
            + theirs.side().wireName() + " " + theirs.currency().getCurrencyCode() + ")";
      }
      if (isVoid ? mine.amountMinor() != theirs.amountMinor() : mine.amountMinor() > theirs.amountMinor()) {
        return "posting " + i + " amount " + Amounts.formatMinor(mine.amountMinor(), mine.currency())
            + (isVoid ? " is not the amount " : " exceeds the amount ")
            + Amounts.formatMinor(theirs.amountMinor(), theirs.currency());
      }
    }
    return null;
  }

  private static Totals reserved(Key key, State state, Map<Key, Totals> reserving) {
    Totals staged = reserving.get(key);
    return staged != null ? staged : state.reserved(key);
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
