package dev.ledger.journal;

import dev.ledger.account.Account;
import dev.ledger.account.AccountCode;
import dev.ledger.account.CreateStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The ledger port. Accounts are created implicitly by their first posting (without
 * no_overdraft); create them first to set the flag. no_overdraft applies to the account's total
 * balance over all effective times. Implementations are thread-safe.
 */
public interface Ledger {

  CreateStatus createAccount(Account account);

  Optional<Account> account(AccountCode code);

  /** Accounts equal to or below {@code prefix}, or all when it is null, sorted by code. */
  List<Account> accounts(AccountCode prefix);

  PostResult post(Entry entry);

  /** All-or-nothing: either every entry is CREATED or EXISTS, or nothing is written. */
  BatchResult postAll(List<Entry> entries);

  /**
   * Posts the reversal of {@code entryId} under {@code reversalId}, effective at {@code effectiveAt}
   * or, when a closed period covers that time for the original's accounts, at the first instant
   * after it (a correction is booked in the open period; see dev.ledger.period.ClosedPeriods#firstOpenAt).
   */
  PostResult reverse(String entryId, String reversalId, String reason, Instant effectiveAt);

  /**
   * Posts pending entry {@code pendingId} under {@code postId}: in full, or {@code amount} (a decimal
   * in its currency) of a pending entry with one debit and one credit in one currency; the rest of
   * the reservation is released. Rejections are statuses (PENDING_*); an amount that cannot apply
   * to the entry is an IllegalArgumentException.
   */
  PostResult postPending(String pendingId, String postId, String amount, Instant effectiveAt);

  /** Releases pending entry {@code pendingId} by the void entry {@code voidId}. */
  PostResult voidPending(String pendingId, String voidId, String reason, Instant effectiveAt);

  /**
   * Pending entries that are not settled: those still reserving (unexpired now), or with
   * {@code expired} those whose expiry has passed; in recording order.
   */
  List<PendingEntry> pendingEntries(boolean expired);

  Optional<RecordedEntry> entry(String id);

  /**
   * Posted totals as of / as known at the query's times, with the pending totals of the pending
   * entries effective by {@code asOf} that were open (recorded, unsettled, unexpired) at
   * {@code knownAt}, or now when it is null.
   */
  Balance balance(BalanceQuery query);

  /** Every account and currency with postings, sorted by account code then currency. */
  List<TrialBalanceLine> trialBalance(Instant asOf, Instant knownAt);

  /**
   * Postings on the account (or below the prefix) effective in [from, to] (null: open), in
   * effective order then append order, with running balances that include earlier postings.
   */
  List<HistoryLine> history(AccountCode account, Instant from, Instant to);
}
