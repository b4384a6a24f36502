package dev.ledger.reconcile;

import dev.ledger.account.AccountCode;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.money.CurrencyUnit;

/**
 * A {@link RunStore} in memory over entries given to it, with the same reads and lifecycle as the
 * PostgreSQL store: the reference for tests of the {@link Reconciler}. Thread-safe (synchronized).
 */
public final class InMemoryRunStore implements RunStore {
  private final List<Entry> entries = new ArrayList<>();
  private final List<StoredRun> runs = new ArrayList<>();
  private final Map<Long, KeyHashes> keysByRun = new HashMap<>();
  private final Map<Long, RunBreak> breaks = new LinkedHashMap<>();
  private final Map<Long, String[]> breakSourceAccount = new HashMap<>();
  private long nextRunId = 1;
  private long nextBreakId = 1;

  /** Adds entries as the ledger would hold them (ids are not checked for duplicates). */
  public synchronized InMemoryRunStore post(Collection<Entry> more) {
    entries.addAll(more);
    return this;
  }

  public synchronized InMemoryRunStore post(Entry... more) {
    return post(List.of(more));
  }

  /** Every break stored, in id order, with its status now. */
  public synchronized List<RunBreak> breaks() {
    return List.copyOf(breaks.values());
  }

  /** A person resolves an open break; false when it is not open. */
  public synchronized boolean resolve(long breakId) {
    RunBreak found = breaks.get(breakId);
    if (found == null || !found.isOpen()) {
      return false;
    }
    breaks.put(breakId, new RunBreak(breakId, found.details(), "resolved"));
    return true;
  }

  @Override
  public synchronized Optional<StoredRun> findRun(String source, String account, String fileSha256) {
    for (StoredRun run : runs) {
      if (run.source().equals(source) && run.account().equals(account) && run.fileSha256().equals(fileSha256)) {
        return Optional.of(current(run).asExisting());
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized List<OpenBreak> openBreaks(String source, String account) {
    List<OpenBreak> open = new ArrayList<>();
    for (RunBreak stored : breaks.values()) {
      String[] owner = breakSourceAccount.get(stored.id());
      if (stored.isOpen() && owner[0].equals(source) && owner[1].equals(account)) {
        open.add(new OpenBreak(stored.id(), stored.details()));
      }
    }
    return open;
  }

  @Override
  public synchronized WalletItems walletItems(String provider, AccountCode clearing, AccountCode fee, Instant from,
      Instant to, Collection<String> keys, int expected) {
    Set<String> wanted = new HashSet<>(keys);
    WalletItems items = new WalletItems(expected);
    for (Entry entry : entries) {
      Map<String, String> metadata = entry.metadata();
      if (!provider.equals(metadata.get("provider")) || "chargeback".equals(metadata.get("kind"))) {
        continue;
      }
      String refundId = metadata.get("provider_refund_id");
      String txnId = metadata.get("provider_txn_id");
      boolean inWindow = !entry.effectiveAt().isBefore(from) && entry.effectiveAt().isBefore(to);
      boolean keyed = (txnId != null && wanted.contains(txnId)) || (refundId != null && wanted.contains(refundId));
      String key = refundId != null && !refundId.isEmpty() ? refundId : txnId;
      if ((!inWindow && !keyed) || key == null || key.isEmpty() || key.length() > Break.KEY_LENGTH_MAX) {
        continue;
      }
      Map<CurrencyUnit, long[]> sums = new LinkedHashMap<>();
      for (Posting posting : entry.postings()) {
        boolean onClearing = posting.account().equals(clearing);
        boolean onFee = fee != null && posting.account().equals(fee);
        if (onClearing || onFee) {
          long[] sum = sums.computeIfAbsent(posting.currency(), c -> new long[2]);
          int slot = onClearing ? 0 : 1;
          sum[slot] = SumOverflowException.add(sum[slot], posting.signedMinor(), "the postings of entry " + entry.id(),
              posting.currency());
        }
      }
      for (Map.Entry<CurrencyUnit, long[]> sum : sums.entrySet()) {
        long gross = SumOverflowException.add(sum.getValue()[0], sum.getValue()[1],
            "the net and the fee of entry " + entry.id(), sum.getKey());
        items.add(key, entry.id(), sum.getKey(), gross, sum.getValue()[1], entry.effectiveAt());
      }
    }
    return items;
  }

  @Override
  public synchronized List<BankItem> bankItems(AccountCode account, Instant from, Instant to, ZoneId zone) {
    List<BankItem> items = new ArrayList<>();
    for (Entry entry : entries) {
      if (entry.effectiveAt().isBefore(from) || !entry.effectiveAt().isBefore(to)) {
        continue;
      }
      Map<CurrencyUnit, Long> sums = new LinkedHashMap<>();
      for (Posting posting : entry.postings()) {
        if (posting.account().equals(account)) {
          sums.merge(posting.currency(), posting.signedMinor(), (a, b) -> SumOverflowException.add(a, b,
              "the postings of entry " + entry.id(), posting.currency()));
        }
      }
      sums.forEach((currency, amount) -> {
        if (amount != 0) {
          items.add(new BankItem(entry.id(), currency, amount, entry.effectiveAt().atZone(zone).toLocalDate(),
              entry.metadata().get("settlement_batch")));
        }
      });
    }
    return items;
  }

  @Override
  public synchronized List<BankItem> clearingItems(String provider, AccountCode clearing, Instant from, Instant to,
      ZoneId zone) {
    List<BankItem> items = new ArrayList<>();
    Map<String, Entry> byId = new HashMap<>();
    entries.forEach(e -> byId.put(e.id(), e));
    for (BankItem item : bankItems(clearing, from, to, zone)) {
      Map<String, String> m = byId.get(item.entryId()).metadata();
      String reference = firstPresent(m.get("provider_refund_id"), m.get("provider_txn_id"), m.get("settlement_batch"));
      items.add(new BankItem(item.entryId(), item.currency(), item.amountMinor(), item.date(), reference));
    }
    return items;
  }

  private static String firstPresent(String... values) {
    for (String value : values) {
      if (value != null && !value.isEmpty()) {
        return value;
      }
    }
    return null;
  }

  @Override
  public synchronized Map<String, EntryDescription> describeEntries(Collection<String> entryIds) {
    Set<String> wanted = new HashSet<>(entryIds);
    Map<String, EntryDescription> found = new HashMap<>();
    for (Entry entry : entries) {
      if (wanted.contains(entry.id())) {
        Map<String, String> m = entry.metadata();
        found.put(entry.id(), new EntryDescription(m.get("provider_txn_id"), m.get("provider_refund_id"),
            m.get("order_id")));
      }
    }
    return found;
  }

  @Override
  public synchronized KeyHashes keysMatchedBefore(String source, String account, String fileSha256, Instant from,
      Instant to) {
    KeyHashes.Builder keys = KeyHashes.builder();
    for (StoredRun run : runs) {
      boolean overlaps = run.periodStart() == null || run.periodEnd() == null
          || (run.periodEnd().isAfter(from) && run.periodStart().isBefore(to));
      if (run.source().equals(source) && run.account().equals(account) && !run.fileSha256().equals(fileSha256)
          && overlaps) {
        keys.addAll(keysByRun.get(run.id()));
      }
    }
    return keys.build();
  }

  @Override
  public synchronized StoredRun saveRun(RunDraft draft) {
    Optional<StoredRun> existing = findRun(draft.source(), draft.account(), draft.fileSha256());
    if (existing.isPresent()) {
      return existing.get();
    }
    MatchOutcome outcome = draft.outcome();
    long runId = nextRunId++;
    List<RunBreak> opened = new ArrayList<>();
    for (Break item : outcome.breaks()) {
      RunBreak stored = new RunBreak(nextBreakId++, item, "open");
      breaks.put(stored.id(), stored);
      breakSourceAccount.put(stored.id(), new String[] {draft.source(), draft.account()});
      opened.add(stored);
    }
    List<Long> closed = new ArrayList<>();
    for (long id : new java.util.TreeSet<>(outcome.closedBreakIds())) {
      RunBreak open = breaks.get(id);
      String[] owner = breakSourceAccount.get(id);
      if (open != null && open.isOpen() && owner[0].equals(draft.source()) && owner[1].equals(draft.account())) {
        breaks.put(id, new RunBreak(id, open.details(), "closed"));
        closed.add(id);
      }
    }
    List<Match> matches = outcome.matches().stream().filter(m -> m.rule().storedEachMatch()).toList();
    StoredRun run = new StoredRun(runId, draft.source(), draft.account(), draft.fileName(), draft.fileSha256(),
        outcome.periodStart(), outcome.periodEnd(), outcome.lines(), outcome.matched(), opened, closed,
        outcome.matchedByRule(), matches, false);
    runs.add(run);
    keysByRun.put(runId, outcome.matchedKeys());
    return run;
  }

  /** The run with its breaks' statuses as they are now. */
  private StoredRun current(StoredRun run) {
    List<RunBreak> now = run.breaks().stream().map(b -> breaks.get(b.id())).toList();
    return new StoredRun(run.id(), run.source(), run.account(), run.fileName(), run.fileSha256(), run.periodStart(),
        run.periodEnd(), run.lines(), run.matched(), now, run.closedBreakIds(), run.matchedByRule(), run.matches(),
        run.existing());
  }
}
