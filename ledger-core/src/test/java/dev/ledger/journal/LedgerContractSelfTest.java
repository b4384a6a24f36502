package dev.ledger.journal;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.account.Account;
import dev.ledger.account.AccountCode;
import dev.ledger.account.CreateStatus;
import dev.ledger.period.Period;
import dev.ledger.period.PeriodEvent;
import dev.ledger.period.PeriodResult;
import dev.ledger.period.Periods;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The contract must fail for ledgers with planted bugs, or it proves nothing. */
class LedgerContractSelfTest {

  /** Delegates to a reference ledger; subclasses plant one bug each. */
  private static class Delegating implements Ledger, Periods {
    final ReferenceLedger delegate = new ReferenceLedger();

    @Override
    public CreateStatus createAccount(Account account) {
      return delegate.createAccount(account);
    }

    @Override
    public Optional<Account> account(AccountCode code) {
      return delegate.account(code);
    }

    @Override
    public List<Account> accounts(AccountCode prefix) {
      return delegate.accounts(prefix);
    }

    @Override
    public PostResult post(Entry entry) {
      return delegate.post(entry);
    }

    @Override
    public BatchResult postAll(List<Entry> entries) {
      return delegate.postAll(entries);
    }

    @Override
    public PostResult reverse(String entryId, String reversalId, String reason, Instant effectiveAt) {
      return delegate.reverse(entryId, reversalId, reason, effectiveAt);
    }

    @Override
    public PostResult postPending(String pendingId, String postId, String amount, Instant effectiveAt) {
      return delegate.postPending(pendingId, postId, amount, effectiveAt);
    }

    @Override
    public PostResult voidPending(String pendingId, String voidId, String reason, Instant effectiveAt) {
      return delegate.voidPending(pendingId, voidId, reason, effectiveAt);
    }

    @Override
    public List<PendingEntry> pendingEntries(boolean expired) {
      return delegate.pendingEntries(expired);
    }

    @Override
    public Optional<RecordedEntry> entry(String id) {
      return delegate.entry(id);
    }

    @Override
    public Balance balance(BalanceQuery query) {
      return delegate.balance(query);
    }

    @Override
    public List<TrialBalanceLine> trialBalance(Instant asOf, Instant knownAt) {
      return delegate.trialBalance(asOf, knownAt);
    }

    @Override
    public List<HistoryLine> history(AccountCode account, Instant from, Instant to) {
      return delegate.history(account, from, to);
    }

    @Override
    public PeriodResult close(Period period, String reason) {
      return delegate.close(period, reason);
    }

    @Override
    public PeriodResult reopen(Period period, String reason) {
      return delegate.reopen(period, reason);
    }

    @Override
    public List<PeriodEvent> periodEvents() {
      return delegate.periodEvents();
    }
  }

  private static LedgerContract contractFor(java.util.function.Supplier<Ledger> ledgers) {
    return new LedgerContract() {
      @Override
      protected Ledger newLedger() {
        return ledgers.get();
      }

      @Override
      protected int examples() {
        return 300;
      }
    };
  }

  @Test
  void detectsABalanceThatIgnoresTheEffectiveTime() {
    LedgerContract contract = contractFor(() -> new Delegating() {
      @Override
      public Balance balance(BalanceQuery query) {
        return delegate.balance(new BalanceQuery(query.account(), null, query.knownAt(), query.currency()));
      }
    });
    assertThatThrownBy(contract::agreesWithTheReferenceLedgerOnEveryResultAndBalance)
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void detectsABatchThatIsNotAllOrNothing() {
    LedgerContract contract = contractFor(() -> new Delegating() {
      @Override
      public BatchResult postAll(List<Entry> entries) {
        return new BatchResult(entries.stream().map(delegate::post).toList());
      }
    });
    assertThatThrownBy(contract::agreesWithTheReferenceLedgerOnEveryResultAndBalance)
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void detectsAPostAcceptedIntoAClosedPeriod() {
    LedgerContract contract = contractFor(() -> new Delegating() {
      // Records closes and reopens in a ledger of its own, so posts never meet them.
      final ReferenceLedger books = new ReferenceLedger();

      @Override
      public PeriodResult close(Period period, String reason) {
        return books.close(period, reason);
      }

      @Override
      public PeriodResult reopen(Period period, String reason) {
        return books.reopen(period, reason);
      }

      @Override
      public List<PeriodEvent> periodEvents() {
        return books.periodEvents();
      }
    });
    assertThatThrownBy(contract::keepsEveryInvariantOnRandomSequences)
        .isInstanceOf(AssertionError.class);
  }

  @Test
  void detectsAnUnbalancedTrialBalance() {
    LedgerContract contract = contractFor(() -> new Delegating() {
      @Override
      public List<TrialBalanceLine> trialBalance(Instant asOf, Instant knownAt) {
        List<TrialBalanceLine> lines = delegate.trialBalance(asOf, knownAt);
        return lines.isEmpty() ? lines : lines.subList(1, lines.size());
      }
    });
    assertThatThrownBy(contract::keepsEveryInvariantOnRandomSequences)
        .isInstanceOf(AssertionError.class);
  }
}
