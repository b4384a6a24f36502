package dev.ledger.reconcile;

import dev.ledger.account.AccountCode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store port of the {@link Reconciler}: the ledger-side reads a run needs and the runs and
 * breaks it stores. {@code account} is always the reconciled account's code (the clearing account
 * of a wallet, the bank account of a bank statement). ledger-db implements it on PostgreSQL;
 * {@link InMemoryRunStore} for tests. Implementations are thread-safe.
 */
public interface RunStore {
  /** The run stored for this file of this source and account, if any. */
  Optional<StoredRun> findRun(String source, String account, String fileSha256);

  /** Breaks still open for this source and account, oldest first. */
  List<OpenBreak> openBreaks(String source, String account);

  /**
   * A wallet provider's entries: per entry, net on the clearing account and fee on the fee
   * account, keyed by refund id for refunds and transaction id otherwise; entries effective in
   * [from, to), plus every entry carrying one of {@code keys} wherever it is in time. Chargebacks
   * and entries without a transaction id are not bill lines.
   */
  WalletItems walletItems(String provider, AccountCode clearing, AccountCode fee, Instant from, Instant to,
      Collection<String> keys, int expected);

  /** Movements on an account effective in [from, to), one per entry and currency, dated in {@code zone}. */
  List<BankItem> bankItems(AccountCode account, Instant from, Instant to, ZoneId zone);

  /**
   * A wallet's clearing-account movements effective in [from, to), one per entry and currency,
   * dated in {@code zone}, each referenced by what the provider's fund flow names it by: the refund
   * id, else the transaction id, else the settlement batch, else the entry id. Chargebacks included
   * (the wallet's balance moves for them too).
   */
  List<BankItem> clearingItems(String provider, AccountCode clearing, Instant from, Instant to, ZoneId zone);

  /** Provider ids and order id of the entries named, by entry id (absent ids are left out). */
  Map<String, EntryDescription> describeEntries(Collection<String> entryIds);

  /**
   * The keys matched by stored runs of this source and account, of other files than
   * {@code fileSha256}, whose period overlaps [from, to).
   */
  KeyHashes keysMatchedBefore(String source, String account, String fileSha256, Instant from, Instant to);

  /**
   * Stores the run, its new breaks and matches, and closes the earlier breaks it names, in one
   * transaction. When the same file was stored meanwhile, returns that run (existing) instead.
   */
  StoredRun saveRun(RunDraft draft);
}
