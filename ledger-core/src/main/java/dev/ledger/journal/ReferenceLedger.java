package dev.ledger.journal;

import dev.ledger.account.Account;
import dev.ledger.account.AccountCode;
import dev.ledger.account.CreateStatus;
import dev.ledger.account.Side;
import dev.ledger.money.Amounts;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.money.CurrencyUnit;

/**
 * The in-memory reference ledger: every read scans every entry, so it is slow but simple enough to
 * trust. The property suite compares other implementations against it. Thread-safe (every method
 * is synchronized).
 */
public final class ReferenceLedger implements Ledger {
  private final Clock clock;
  private final Map<AccountCode, Account> accounts = new TreeMap<>();
  private final Map<String, RecordedEntry> entries = new HashMap<>();
  private final List<RecordedEntry> appendOrder = new ArrayList<>();
  private final Map<String, String> reversedBy = new HashMap<>();
  private final Map<Key, Totals> totals = new HashMap<>();
  private Instant lastRecordedAt = Instant.EPOCH;

  private record Key(AccountCode account, CurrencyUnit currency) {}

  /** Debits and credits of one account and currency, each within Amounts.MINOR_MAX. */
  private record Totals(long debits, long credits) {
    static final Totals ZERO = new Totals(0, 0);

    long net() {
      return debits - credits; // both are in 0..MINOR_MAX, so the difference fits
    }

    /** The totals after one posting, or null when a side would leave the range. */
    Totals plus(Posting posting) {
      long amount = posting.amountMinor();
      if (posting.side() == Side.DEBIT) {
        return Amounts.sumFits(debits, amount) ? new Totals(debits + amount, credits) : null;
      }
      return Amounts.sumFits(credits, amount) ? new Totals(debits, credits + amount) : null;
    }
  }

  public ReferenceLedger() {
    this(Clock.systemUTC());
  }

  public ReferenceLedger(Clock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized CreateStatus createAccount(Account account) {
    Account existing = accounts.get(account.code());
    if (existing == null) {
      accounts.put(account.code(), account);
      return CreateStatus.CREATED;
    }
    return existing.equals(account) ? CreateStatus.EXISTS : CreateStatus.EXISTS_WITH_DIFFERENT_CONTENT;
  }

  @Override
  public synchronized Optional<Account> account(AccountCode code) {
    return Optional.ofNullable(accounts.get(code));
  }

  @Override
  public synchronized List<Account> accounts(AccountCode prefix) {
    return accounts.values().stream()
        .filter(a -> prefix == null || a.code().isUnder(prefix))
        .toList();
  }

  @Override
  public PostResult post(Entry entry) {
    return postAll(List.of(entry)).results().get(0);
  }

  @Override
  public synchronized BatchResult postAll(List<Entry> batch) {
    List<PostResult> results = new ArrayList<>(batch.size());
    Map<String, Entry> staged = new HashMap<>();
    Map<String, String> stagedReversals = new HashMap<>();
    Map<Key, Totals> working = new HashMap<>();
    boolean rejected = false;
    for (Entry entry : batch) {
      PostResult result = check(entry, staged, stagedReversals, working);
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
      results.replaceAll(
          r -> r.status() == PostStatus.CREATED
              ? new PostResult(r.entryId(), PostStatus.REJECTED_WITH_BATCH,
                  "Not written: another entry of the batch was rejected")
              : r);
      return new BatchResult(results);
    }
    if (staged.isEmpty()) {
      return new BatchResult(results);
    }
    Instant recordedAt = nextRecordedAt();
    for (Entry entry : batch) {
      if (staged.remove(entry.id()) == null) {
        continue;
      }
      RecordedEntry recorded = new RecordedEntry(entry, recordedAt, appendOrder.size() + 1L);
      entries.put(entry.id(), recorded);
      appendOrder.add(recorded);
      if (entry.reversalOf() != null) {
        reversedBy.put(entry.reversalOf(), entry.id());
      }
      for (Posting posting : entry.postings()) {
        accounts.computeIfAbsent(posting.account(), code -> new Account(code, false));
      }
    }
    totals.putAll(working);
    return new BatchResult(results);
  }

  private PostResult check(
      Entry entry, Map<String, Entry> staged, Map<String, String> stagedReversals,
      Map<Key, Totals> working) {
    String id = entry.id();
    RecordedEntry stored = entries.get(id);
    Entry existing = stored != null ? stored.entry() : staged.get(id);
    if (existing != null) {
      return existing.sameContent(entry)
          ? new PostResult(id, PostStatus.EXISTS, "Entry " + id + " already exists")
          : new PostResult(id, PostStatus.EXISTS_WITH_DIFFERENT_CONTENT,
              "Entry " + id + " already exists with different content");
    }
    if (entry.reversalOf() != null) {
      String target = entry.reversalOf();
      RecordedEntry targetStored = entries.get(target);
      Entry targetEntry = targetStored != null ? targetStored.entry() : staged.get(target);
      if (targetEntry == null) {
        return new PostResult(id, PostStatus.REVERSAL_TARGET_NOT_FOUND,
            "Entry " + id + " reverses " + target + ", which does not exist");
      }
      String by = reversedBy.getOrDefault(target, stagedReversals.get(target));
      if (by != null) {
        return new PostResult(id, PostStatus.ALREADY_REVERSED,
            "Entry " + target + " is already reversed by " + by);
      }
      if (!entry.isReversalOf(targetEntry)) {
        return new PostResult(id, PostStatus.REVERSAL_MISMATCH,
            "Entry " + id + " does not flip every posting of " + target);
      }
    }
    Map<Key, Totals> after = new HashMap<>();
    for (Posting posting : entry.postings()) {
      Key key = new Key(posting.account(), posting.currency());
      Totals before = after.containsKey(key) ? after.get(key) : currentTotal(key, working);
      Totals next = before.plus(posting);
      if (next == null) {
        return PostResult.overflow(id, posting.account(), posting.side(), posting.currency());
      }
      after.put(key, next);
    }
    for (Map.Entry<Key, Totals> item : after.entrySet()) {
      Account account = accounts.get(item.getKey().account());
      if (account == null || !account.noOverdraft()) {
        continue;
      }
      long net = item.getValue().net();
      long normal = account.code().normalSide() == Side.DEBIT ? net : -net;
      if (normal < 0) {
        CurrencyUnit currency = item.getKey().currency();
        long current = currentTotal(item.getKey(), working).net();
        long currentNormal = account.code().normalSide() == Side.DEBIT ? current : -current;
        return new PostResult(id, PostStatus.OVERDRAFT,
            "Entry " + id + " would overdraw " + account.code() + " in "
                + currency.getCurrencyCode() + ": balance "
                + Amounts.formatMinor(currentNormal, currency) + " would become "
                + Amounts.formatMinor(normal, currency));
      }
    }
    working.putAll(after);
    return PostResult.of(id, PostStatus.CREATED);
  }

  private Totals currentTotal(Key key, Map<Key, Totals> working) {
    Totals staged = working.get(key);
    return staged != null ? staged : totals.getOrDefault(key, Totals.ZERO);
  }

  private Instant nextRecordedAt() {
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    Instant next = now.isAfter(lastRecordedAt) ? now : lastRecordedAt.plus(1, ChronoUnit.MICROS);
    lastRecordedAt = next;
    return next;
  }

  @Override
  public synchronized PostResult reverse(
      String entryId, String reversalId, String reason, Instant effectiveAt) {
    RecordedEntry original = entries.get(entryId);
    if (original == null) {
      return new PostResult(reversalId, PostStatus.REVERSAL_TARGET_NOT_FOUND,
          "Entry " + entryId + " does not exist");
    }
    return post(original.entry().reversal(reversalId, reason, effectiveAt));
  }

  @Override
  public synchronized Optional<RecordedEntry> entry(String id) {
    return Optional.ofNullable(entries.get(id));
  }

  @Override
  public synchronized Balance balance(BalanceQuery query) {
    Map<CurrencyUnit, BigInteger[]> sums =
        new TreeMap<>(Comparator.comparing(CurrencyUnit::getCurrencyCode));
    for (RecordedEntry recorded : appendOrder) {
      if (!visible(recorded, query.asOf(), query.knownAt())) {
        continue;
      }
      for (Posting posting : recorded.entry().postings()) {
        if (!posting.account().isUnder(query.account())
            || (query.currency() != null && !query.currency().equals(posting.currency()))) {
          continue;
        }
        add(sums.computeIfAbsent(posting.currency(), c -> zeroSums()), posting);
      }
    }
    Side normal = query.account().normalSide();
    List<CurrencyBalance> lines = new ArrayList<>();
    sums.forEach((currency, sum) ->
        lines.add(CurrencyBalance.ofSums(query.account(), currency, sum[0], sum[1], normal)));
    return new Balance(query.account(), query.asOf(), query.knownAt(), lines);
  }

  @Override
  public synchronized List<TrialBalanceLine> trialBalance(Instant asOf, Instant knownAt) {
    Map<String, BigInteger[]> sums = new TreeMap<>();
    Map<String, Posting> samples = new HashMap<>();
    for (RecordedEntry recorded : appendOrder) {
      if (!visible(recorded, asOf, knownAt)) {
        continue;
      }
      for (Posting posting : recorded.entry().postings()) {
        String key = posting.account().value() + "\u0000" + posting.currency().getCurrencyCode();
        add(sums.computeIfAbsent(key, k -> zeroSums()), posting);
        samples.putIfAbsent(key, posting);
      }
    }
    List<TrialBalanceLine> lines = new ArrayList<>();
    sums.forEach((key, sum) -> {
      Posting sample = samples.get(key);
      lines.add(new TrialBalanceLine(sample.account(), CurrencyBalance.ofSums(
          sample.account(), sample.currency(), sum[0], sum[1], sample.account().normalSide())));
    });
    return lines;
  }

  @Override
  public synchronized List<HistoryLine> history(AccountCode account, Instant from, Instant to) {
    List<RecordedEntry> ordered = new ArrayList<>(appendOrder);
    ordered.sort(Comparator.comparing((RecordedEntry r) -> r.entry().effectiveAt())
        .thenComparingLong(RecordedEntry::sequence));
    Map<CurrencyUnit, Long> running = new HashMap<>();
    Side normal = account.normalSide();
    List<HistoryLine> lines = new ArrayList<>();
    for (RecordedEntry recorded : ordered) {
      Instant effectiveAt = recorded.entry().effectiveAt();
      if (to != null && effectiveAt.isAfter(to)) {
        break;
      }
      for (Posting posting : recorded.entry().postings()) {
        if (!posting.account().isUnder(account)) {
          continue;
        }
        long delta = normal == Side.DEBIT ? posting.signedMinor() : -posting.signedMinor();
        long balance = HistoryLine.runningAfter(account, posting.currency(),
            running.getOrDefault(posting.currency(), 0L), delta);
        running.put(posting.currency(), balance);
        if (from == null || !effectiveAt.isBefore(from)) {
          lines.add(new HistoryLine(recorded.id(), effectiveAt, recorded.recordedAt(),
              recorded.entry().description(), posting.account(), posting.currency(),
              posting.side(), posting.amountMinor(), balance));
        }
      }
    }
    return lines;
  }

  private static BigInteger[] zeroSums() {
    return new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO};
  }

  /** Exact sums: a prefix may hold more than a long, which CurrencyBalance.ofSums then refuses. */
  private static void add(BigInteger[] sums, Posting posting) {
    int side = posting.side() == Side.DEBIT ? 0 : 1;
    sums[side] = sums[side].add(BigInteger.valueOf(posting.amountMinor()));
  }

  private static boolean visible(RecordedEntry recorded, Instant asOf, Instant knownAt) {
    return (asOf == null || !recorded.entry().effectiveAt().isAfter(asOf))
        && (knownAt == null || !recorded.recordedAt().isAfter(knownAt));
  }
}
