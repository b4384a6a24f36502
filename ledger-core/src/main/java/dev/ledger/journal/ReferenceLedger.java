package dev.ledger.journal;

import dev.ledger.account.Account;
import dev.ledger.account.AccountCode;
import dev.ledger.account.CreateStatus;
import dev.ledger.journal.PostingRules.Key;
import dev.ledger.journal.PostingRules.Totals;
import dev.ledger.account.Side;
import dev.ledger.money.Amounts;
import dev.ledger.period.ClosedPeriods;
import dev.ledger.period.Period;
import dev.ledger.period.PeriodAction;
import dev.ledger.period.PeriodEvent;
import dev.ledger.period.PeriodResult;
import dev.ledger.period.PeriodStatus;
import dev.ledger.period.Periods;
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
public final class ReferenceLedger implements Ledger, Periods {
  private final Clock clock;
  private final Map<AccountCode, Account> accounts = new TreeMap<>();
  private final Map<String, RecordedEntry> entries = new HashMap<>();
  private final List<RecordedEntry> appendOrder = new ArrayList<>();
  private final Map<String, String> reversedBy = new HashMap<>();
  /** Pending entries in recording order, and the settlement of each settled one. */
  private final Map<String, RecordedEntry> pendings = new java.util.LinkedHashMap<>();
  private final Map<String, RecordedEntry> settledBy = new HashMap<>();
  private final Map<Key, Totals> totals = new HashMap<>();
  private Instant lastRecordedAt = Instant.EPOCH;
  private final List<PeriodEvent> periodEvents = new ArrayList<>();
  private ClosedPeriods closed = ClosedPeriods.NONE;

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
    Instant now = now();
    PostingRules.Checked checked = PostingRules.check(batch, new PostingRules.State() {
      @Override
      public Boolean storedSameContent(Entry entry) {
        RecordedEntry stored = entries.get(entry.id());
        return stored == null ? null : stored.entry().sameContent(entry);
      }

      @Override
      public Entry stored(String id) {
        RecordedEntry stored = entries.get(id);
        return stored == null ? null : stored.entry();
      }

      @Override
      public String storedReversalOf(String id) {
        return reversedBy.get(id);
      }

      @Override
      public boolean noOverdraft(AccountCode account) {
        Account stored = accounts.get(account);
        return stored != null && stored.noOverdraft();
      }

      @Override
      public Totals totals(Key key) {
        return totals.getOrDefault(key, Totals.ZERO);
      }

      @Override
      public ClosedPeriods closedPeriods() {
        return closed;
      }

      @Override
      public String storedSettlementOf(String pendingId) {
        RecordedEntry by = settledBy.get(pendingId);
        return by == null ? null : by.id();
      }

      @Override
      public Totals reserved(Key key) {
        return reservedAt(key, now);
      }

      @Override
      public Instant now() {
        return now;
      }
    });
    if (checked.rejected() || checked.created().isEmpty()) {
      return checked.batchResult();
    }
    Instant recordedAt = nextRecordedAt();
    for (Entry entry : checked.created()) {
      RecordedEntry recorded = new RecordedEntry(entry, recordedAt, appendOrder.size() + 1L);
      entries.put(entry.id(), recorded);
      appendOrder.add(recorded);
      if (entry.reversalOf() != null) {
        reversedBy.put(entry.reversalOf(), entry.id());
      }
      if (entry.pending() != null) {
        pendings.put(entry.id(), recorded);
      }
      if (entry.settlement() != null) {
        settledBy.put(entry.settlement().pendingId(), recorded);
      }
      for (Posting posting : entry.postings()) {
        accounts.computeIfAbsent(posting.account(), code -> new Account(code, false));
      }
    }
    totals.putAll(checked.totalsAfter());
    return checked.batchResult();
  }

  /** Reserved debits and credits of open pending entries at {@code now}, summed exactly. */
  private Totals reservedAt(Key key, Instant now) {
    long debits = 0;
    long credits = 0;
    for (RecordedEntry recorded : pendings.values()) {
      if (settledBy.containsKey(recorded.id()) || recorded.entry().pending().expiredAt(now)) {
        continue;
      }
      for (Posting posting : recorded.entry().postings()) {
        if (posting.account().equals(key.account()) && posting.currency().equals(key.currency())) {
          if (posting.side() == Side.DEBIT) {
            debits += posting.amountMinor();
          } else {
            credits += posting.amountMinor();
          }
        }
      }
    }
    return new Totals(debits, credits);
  }

  @Override
  public synchronized PostResult postPending(String pendingId, String postId, String amount,
      Instant effectiveAt) {
    RecordedEntry pending = entries.get(pendingId);
    if (pending == null || pending.entry().pending() == null) {
      return new PostResult(postId, PostStatus.PENDING_NOT_FOUND, "Entry " + pendingId
          + (pending == null ? " does not exist" : " is not a pending entry"));
    }
    return post(pending.entry().pendingPost(postId, amount, effectiveAt));
  }

  @Override
  public synchronized PostResult voidPending(String pendingId, String voidId, String reason,
      Instant effectiveAt) {
    RecordedEntry pending = entries.get(pendingId);
    if (pending == null || pending.entry().pending() == null) {
      return new PostResult(voidId, PostStatus.PENDING_NOT_FOUND, "Entry " + pendingId
          + (pending == null ? " does not exist" : " is not a pending entry"));
    }
    return post(pending.entry().pendingVoid(voidId, reason, effectiveAt));
  }

  @Override
  public synchronized List<PendingEntry> pendingEntries(boolean expired) {
    Instant now = now();
    List<PendingEntry> list = new ArrayList<>();
    for (RecordedEntry recorded : pendings.values()) {
      boolean lapsed = recorded.entry().pending().expiredAt(now);
      if (!settledBy.containsKey(recorded.id()) && lapsed == expired) {
        list.add(new PendingEntry(recorded, lapsed));
      }
    }
    return list;
  }

  /** The clock, but never before the last recording time (which runs ahead of a stopped clock). */
  private Instant now() {
    Instant now = clock.instant();
    return now.isBefore(lastRecordedAt) ? lastRecordedAt : now;
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
    // A correction of a closed period is booked in the first open instant (Ledger#reverse).
    Instant open = closed.firstOpenAt(effectiveAt, PostingRules.accounts(original.entry()));
    return post(original.entry().reversal(reversalId, reason, open));
  }

  @Override
  public synchronized PeriodResult close(Period period, String reason) {
    Periods.checkReason(reason);
    if (closed.isClosed(period)) {
      return new PeriodResult(PeriodStatus.ALREADY_CLOSED, null, "The period " + period.describe() + " is closed already");
    }
    return record(PeriodAction.CLOSE, period, reason);
  }

  @Override
  public synchronized PeriodResult reopen(Period period, String reason) {
    Periods.checkReason(reason);
    if (!closed.isClosed(period)) {
      return new PeriodResult(PeriodStatus.NOT_CLOSED, null, "The period " + period.describe() + " is not closed");
    }
    return record(PeriodAction.REOPEN, period, reason);
  }

  private PeriodResult record(PeriodAction action, Period period, String reason) {
    PeriodEvent event = new PeriodEvent(periodEvents.size() + 1L, action, period, reason, "reference",
        nextRecordedAt());
    periodEvents.add(event);
    closed = ClosedPeriods.replay(periodEvents, null);
    return new PeriodResult(action == PeriodAction.CLOSE ? PeriodStatus.CLOSED : PeriodStatus.REOPENED, event, "");
  }

  @Override
  public synchronized List<PeriodEvent> periodEvents() {
    return List.copyOf(periodEvents);
  }

  @Override
  public synchronized Optional<RecordedEntry> entry(String id) {
    return Optional.ofNullable(entries.get(id));
  }

  @Override
  public synchronized Balance balance(BalanceQuery query) {
    Map<CurrencyUnit, BigInteger[]> sums =
        new TreeMap<>(Comparator.comparing(CurrencyUnit::getCurrencyCode));
    Map<CurrencyUnit, BigInteger[]> pendingSums =
        new TreeMap<>(Comparator.comparing(CurrencyUnit::getCurrencyCode));
    Instant observed = query.knownAt() != null ? query.knownAt() : now();
    for (RecordedEntry recorded : appendOrder) {
      Entry entry = recorded.entry();
      boolean reserving = entry.pending() != null && openAt(recorded, observed);
      if (!entry.posts() && !reserving) {
        continue;
      }
      if (reserving ? query.asOf() != null && entry.effectiveAt().isAfter(query.asOf())
          : !visible(recorded, query.asOf(), query.knownAt())) {
        continue;
      }
      for (Posting posting : entry.postings()) {
        if (!posting.account().isUnder(query.account())
            || (query.currency() != null && !query.currency().equals(posting.currency()))) {
          continue;
        }
        add((reserving ? pendingSums : sums).computeIfAbsent(posting.currency(), c -> zeroSums()), posting);
        sums.computeIfAbsent(posting.currency(), c -> zeroSums());
      }
    }
    Side normal = query.account().normalSide();
    List<CurrencyBalance> lines = new ArrayList<>();
    sums.forEach((currency, sum) -> {
      BigInteger[] held = pendingSums.getOrDefault(currency, zeroSums());
      lines.add(CurrencyBalance.ofSums(query.account(), currency, sum[0], sum[1], normal)
          .withPending(query.account(), held[0], held[1]));
    });
    return new Balance(query.account(), query.asOf(), query.knownAt(), lines);
  }

  @Override
  public synchronized List<TrialBalanceLine> trialBalance(Instant asOf, Instant knownAt) {
    Map<String, BigInteger[]> sums = new TreeMap<>();
    Map<String, Posting> samples = new HashMap<>();
    for (RecordedEntry recorded : appendOrder) {
      if (!recorded.entry().posts() || !visible(recorded, asOf, knownAt)) {
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
      if (!recorded.entry().posts()) {
        continue;
      }
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

  /** Whether a pending entry reserved at {@code observed}: recorded, not yet settled, unexpired. */
  private boolean openAt(RecordedEntry pending, Instant observed) {
    if (pending.recordedAt().isAfter(observed) || pending.entry().pending().expiredAt(observed)) {
      return false;
    }
    RecordedEntry settlement = settledBy.get(pending.id());
    return settlement == null || settlement.recordedAt().isAfter(observed);
  }

  private static boolean visible(RecordedEntry recorded, Instant asOf, Instant knownAt) {
    return (asOf == null || !recorded.entry().effectiveAt().isAfter(asOf))
        && (knownAt == null || !recorded.recordedAt().isAfter(knownAt));
  }
}
