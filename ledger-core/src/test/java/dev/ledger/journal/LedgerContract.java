package dev.ledger.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.journal.LedgerOperations.ClosePeriod;
import dev.ledger.journal.LedgerOperations.CreateAccount;
import dev.ledger.journal.LedgerOperations.Op;
import dev.ledger.journal.LedgerOperations.Post;
import dev.ledger.journal.LedgerOperations.PostBatch;
import dev.ledger.journal.LedgerOperations.ReopenPeriod;
import dev.ledger.journal.LedgerOperations.PostPending;
import dev.ledger.journal.LedgerOperations.VoidPending;
import dev.ledger.journal.LedgerOperations.Reverse;
import dev.ledger.period.ClosedPeriods;
import dev.ledger.period.Period;
import dev.ledger.period.PeriodEvent;
import dev.ledger.period.Periods;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.money.CurrencyUnit;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Model-based property suite every {@link Ledger} implementation runs: random operation sequences
 * (posts, batches, duplicate and conflicting posts, reversals, overdraft attempts, backdated
 * entries, period closes and reopens) applied to the implementation and to {@link ReferenceLedger} must give the same results
 * and balances, and keep every ledger invariant. Each generated sequence works in its own account
 * and id namespace, so an implementation may hand out one shared ledger.
 */
public abstract class LedgerContract {
  private static final AtomicInteger NAMESPACES = new AtomicInteger();

  /** The ledger under test, which also closes periods ({@link Periods}); may return the same instance every time. */
  protected abstract Ledger newLedger();

  protected int examples() {
    return Integer.getInteger("ledger.property.examples", 1000);
  }

  private static Gen<List<List<Integer>>> sequences() {
    Gen<List<Integer>> row = lists().of(integers().all()).ofSize(6);
    return lists().of(row).ofSizeBetween(1, 24);
  }

  /** Per operation its statuses: PostStatus values, or a CreateStatus or PeriodStatus. */
  private record Run(List<Op> ops, LedgerOperations operations, List<List<Object>> statuses) {}

  private Run run(Ledger ledger, String namespace, List<List<Integer>> rows) {
    LedgerOperations operations = new LedgerOperations(namespace);
    List<Op> ops = operations.build(rows);
    List<List<Object>> statuses = new ArrayList<>();
    for (Op op : ops) {
      statuses.add(apply(ledger, op));
    }
    return new Run(ops, operations, statuses);
  }

  private static List<Object> apply(Ledger ledger, Op op) {
    if (op instanceof CreateAccount create) {
      return List.of(ledger.createAccount(create.account()));
    } else if (op instanceof Post post) {
      return List.of(ledger.post(post.entry()).status());
    } else if (op instanceof PostBatch batch) {
      return ledger.postAll(batch.entries()).results().stream().<Object>map(PostResult::status).toList();
    } else if (op instanceof ClosePeriod close) {
      return List.of(((Periods) ledger).close(close.period(), "generated").status());
    } else if (op instanceof ReopenPeriod reopen) {
      return List.of(((Periods) ledger).reopen(reopen.period(), "generated").status());
    } else if (op instanceof PostPending post) {
      return List.of(ledger.postPending(post.pendingId(), post.postId(), post.amount(), post.effectiveAt())
          .status());
    } else if (op instanceof VoidPending cancel) {
      return List.of(ledger.voidPending(cancel.pendingId(), cancel.voidId(), "generated", cancel.effectiveAt())
          .status());
    } else {
      Reverse reverse = (Reverse) op;
      return List.of(ledger.reverse(reverse.entryId(), reverse.reversalId(), "generated",
          reverse.effectiveAt()).status());
    }
  }

  @Test
  public void agreesWithTheReferenceLedgerOnEveryResultAndBalance() {
    qt().withExamples(examples()).withShrinkCycles(200).forAll(sequences()).checkAssert(rows -> {
      String namespace = "n" + NAMESPACES.incrementAndGet();
      Ledger ledger = newLedger();
      ReferenceLedger reference = new ReferenceLedger();
      Run actual = run(ledger, namespace, rows);
      Run expected = run(reference, namespace, rows);
      assertThat(actual.statuses()).as("statuses of %s", actual.ops()).isEqualTo(expected.statuses());

      LedgerOperations operations = actual.operations();
      List<Instant> times = new ArrayList<>();
      times.add(null);
      for (int minutes : new int[] {0, 600, 3000, 9000}) {
        times.add(LedgerOperations.BASE.plusSeconds(60L * minutes));
      }
      List<AccountCode> codes = new ArrayList<>(operations.accounts());
      codes.addAll(operations.prefixes());
      for (AccountCode code : codes) {
        for (Instant asOf : times) {
          assertThat(lines(ledger.balance(new BalanceQuery(code, asOf, null, null))))
              .as("balance of %s as of %s", code, asOf)
              .isEqualTo(lines(reference.balance(new BalanceQuery(code, asOf, null, null))));
        }
      }
      // As known at: each ledger's own recording time of the same entry must give the same view.
      for (String id : createdIds(expected)) {
        Instant knownActual = ledger.entry(id).orElseThrow().recordedAt();
        Instant knownExpected = reference.entry(id).orElseThrow().recordedAt();
        for (AccountCode code : operations.prefixes()) {
          assertThat(lines(ledger.balance(new BalanceQuery(code, null, knownActual, null))))
              .as("balance of %s as known when %s was recorded", code, id)
              .isEqualTo(lines(reference.balance(new BalanceQuery(code, null, knownExpected, null))));
        }
      }
      assertThat(trialBalance(ledger, namespace, null)).isEqualTo(trialBalance(reference, namespace, null));
      for (AccountCode code : operations.accounts()) {
        assertThat(history(ledger, code)).as("history of %s", code).isEqualTo(history(reference, code));
      }
      assertThat(ledger.accounts(operations.prefixes().get(0)))
          .isEqualTo(reference.accounts(operations.prefixes().get(0)));
      assertThat(closed((Periods) ledger, namespace)).as("closed periods")
          .isEqualTo(closed(reference, namespace));
    });
  }

  @Test
  public void keepsEveryInvariantOnRandomSequences() {
    qt().withExamples(examples()).withShrinkCycles(200).forAll(sequences()).checkAssert(rows -> {
      String namespace = "i" + NAMESPACES.incrementAndGet();
      Ledger ledger = newLedger();
      Run run = run(ledger, namespace, rows);
      List<String> created = createdIds(run);
      Map<String, Entry> entries = new HashMap<>();
      for (String id : created) {
        entries.put(id, ledger.entry(id).orElseThrow().entry());
      }

      // Trial balance: debits equal credits per currency, over the whole ledger.
      Map<CurrencyUnit, Long> net = new HashMap<>();
      for (TrialBalanceLine line : ledger.trialBalance(null, null)) {
        net.merge(line.balance().currency(),
            line.balance().debitsMinor() - line.balance().creditsMinor(), Long::sum);
      }
      assertThat(net.values()).allMatch(value -> value == 0L);

      // Balance at T equals the sum of the postings effective at or before T.
      for (Instant asOf : List.of(LedgerOperations.BASE.plusSeconds(3600L * 30), Instant.MAX)) {
        for (AccountCode code : run.operations().accounts()) {
          Map<CurrencyUnit, Long> expected = new HashMap<>();
          for (Entry entry : entries.values()) {
            if (entry.effectiveAt().isAfter(asOf) || !entry.posts()) {
              continue;
            }
            for (Posting posting : entry.postings()) {
              if (posting.account().equals(code)) {
                long normal = code.normalSide() == Side.DEBIT ? posting.signedMinor() : -posting.signedMinor();
                expected.merge(posting.currency(), normal, Long::sum);
              }
            }
          }
          Balance balance = ledger.balance(new BalanceQuery(code, asOf, null, null));
          for (CurrencyUnit currency : LedgerOperations.CURRENCIES) {
            assertThat(balance.balanceMinor(currency))
                .as("%s in %s as of %s", code, currency, asOf)
                .isEqualTo(expected.getOrDefault(currency, 0L));
          }
        }
      }

      // No no_overdraft account is below zero.
      for (var account : ledger.accounts(null)) {
        if (account.noOverdraft() && account.code().value().contains(":" + namespace + ":")) {
          for (CurrencyBalance line : ledger.balance(BalanceQuery.of(account.code())).currencies()) {
            assertThat(line.balanceMinor()).as("overdraft on %s", account.code()).isNotNegative();
            assertThat(line.availableMinor()).as("available on %s", account.code()).isNotNegative();
          }
        }
      }

      // A reversal and its original net to zero on every account and currency.
      for (Entry entry : entries.values()) {
        if (entry.reversalOf() != null) {
          Map<String, Long> sums = new HashMap<>();
          for (Entry side : List.of(entry, entries.get(entry.reversalOf()))) {
            for (Posting posting : side.postings()) {
              sums.merge(posting.account() + " " + posting.currency(), posting.signedMinor(), Long::sum);
            }
          }
          assertThat(sums.values()).allMatch(value -> value == 0L);
        }
      }

      // No entry effective in a period closed when it was recorded was ever accepted.
      List<PeriodEvent> events = periodEvents((Periods) ledger, namespace);
      for (String id : created) {
        RecordedEntry stored = ledger.entry(id).orElseThrow();
        Period covering = ClosedPeriods.replay(events, stored.recordedAt().minusNanos(1000))
            .covering(stored.entry().effectiveAt(), PostingRules.accounts(stored.entry()));
        assertThat(covering).as("period closed when %s was recorded", id).isNull();
      }

      // Each pending entry is settled at most once, by an entry that fits it: a void repeats its
      // postings, a post keeps accounts, sides and currencies with amounts at most the pending ones.
      Map<String, Integer> settlements = new HashMap<>();
      for (Entry entry : entries.values()) {
        if (entry.settlement() == null) {
          continue;
        }
        settlements.merge(entry.settlement().pendingId(), 1, Integer::sum);
        Entry pending = entries.get(entry.settlement().pendingId());
        assertThat(pending).as("the pending entry of %s", entry.id()).isNotNull();
        assertThat(pending.pending()).isNotNull();
        assertThat(entry.postings()).hasSameSizeAs(pending.postings());
        for (int i = 0; i < entry.postings().size(); i++) {
          Posting mine = entry.postings().get(i);
          Posting theirs = pending.postings().get(i);
          assertThat(mine.account()).isEqualTo(theirs.account());
          assertThat(mine.side()).isEqualTo(theirs.side());
          assertThat(mine.amountMinor()).isLessThanOrEqualTo(theirs.amountMinor());
        }
      }
      assertThat(settlements.values()).allMatch(n -> n == 1);
      // An open pending entry is listed, an expired unsettled one is listed as expired, a settled one not at all.
      List<String> open = ledger.pendingEntries(false).stream().map(p -> p.recorded().id()).toList();
      List<String> expired = ledger.pendingEntries(true).stream().map(p -> p.recorded().id()).toList();
      for (Entry entry : entries.values()) {
        if (entry.pending() != null) {
          boolean settledOnce = settlements.containsKey(entry.id());
          assertThat(open.contains(entry.id())).as("%s open", entry.id())
              .isEqualTo(!settledOnce && entry.pending().expiresAt().equals(LedgerOperations.FAR));
          assertThat(expired.contains(entry.id())).as("%s expired", entry.id())
              .isEqualTo(!settledOnce && entry.pending().expiresAt().equals(LedgerOperations.PAST));
        }
      }

      // Replaying every stored entry changes nothing.
      List<List<String>> before = trialBalance(ledger, namespace, null);
      for (String id : created) {
        assertThat(ledger.post(entries.get(id)).status()).isEqualTo(PostStatus.EXISTS);
      }
      assertThat(trialBalance(ledger, namespace, null)).isEqualTo(before);
    });
  }

  /** Events of the periods closed under this namespace's prefixes. */
  private static List<PeriodEvent> periodEvents(Periods periods, String namespace) {
    return periods.periodEvents().stream()
        .filter(e -> e.period().prefix() != null && e.period().prefix().value().split(":")[1].equals(namespace))
        .toList();
  }

  private static List<Period> closed(Periods periods, String namespace) {
    return ClosedPeriods.replay(periodEvents(periods, namespace), null).periods();
  }

  private static List<String> createdIds(Run run) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < run.ops().size(); i++) {
      Op op = run.ops().get(i);
      List<Object> statuses = run.statuses().get(i);
      if (op instanceof Post post && statuses.get(0) == PostStatus.CREATED) {
        ids.add(post.entry().id());
      } else if (op instanceof Reverse reverse && statuses.get(0) == PostStatus.CREATED) {
        ids.add(reverse.reversalId());
      } else if (op instanceof PostPending post && statuses.get(0) == PostStatus.CREATED) {
        ids.add(post.postId());
      } else if (op instanceof VoidPending cancel && statuses.get(0) == PostStatus.CREATED) {
        ids.add(cancel.voidId());
      } else if (op instanceof PostBatch batch) {
        for (int j = 0; j < batch.entries().size(); j++) {
          if (statuses.get(j) == PostStatus.CREATED) {
            ids.add(batch.entries().get(j).id());
          }
        }
      }
    }
    return ids;
  }

  private static List<String> lines(Balance balance) {
    return balance.currencies().stream()
        .map(c -> c.currency() + " " + c.debitsMinor() + " " + c.creditsMinor() + " " + c.balanceMinor()
            + " pending " + c.pendingDebitsMinor() + "/" + c.pendingCreditsMinor() + " available "
            + c.availableMinor())
        .toList();
  }

  private static List<List<String>> trialBalance(Ledger ledger, String namespace, Instant asOf) {
    return ledger.trialBalance(asOf, null).stream()
        .filter(line -> line.account().value().contains(":" + namespace + ":"))
        .map(line -> List.of(line.account().value(), line.balance().currency().getCurrencyCode(),
            Long.toString(line.balance().debitsMinor()), Long.toString(line.balance().creditsMinor())))
        .toList();
  }

  private static List<String> history(Ledger ledger, AccountCode code) {
    return ledger.history(code, LedgerOperations.BASE.plusSeconds(3600L * 24), null).stream()
        .map(h -> h.entryId() + " " + h.effectiveAt() + " " + h.currency() + " " + h.side() + " "
            + h.amountMinor() + " " + h.runningBalanceMinor())
        .toList();
  }
}
