package dev.ledger.period;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.account.AccountCode;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.ReferenceLedger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClosedPeriodsTest {
  private static final Instant SEPT_END = Instant.parse("2024-09-30T23:59:59.999999Z");
  private static final AccountCode BANK = AccountCode.parse("assets:bank");
  private static final List<AccountCode> ON_BANK = List.of(AccountCode.parse("assets:bank:icbc"),
      AccountCode.parse("expenses:fees"));
  private static final List<AccountCode> ON_BANKX = List.of(AccountCode.parse("assets:bankx"),
      AccountCode.parse("expenses:fees"));

  private static Entry fee(String id, Instant at) {
    return Entry.of(id, at, "fee", Map.of(), List.of(Posting.debit("expenses:fees", "1.00", "CNY"),
        Posting.credit("assets:bank:icbc", "1.00", "CNY")));
  }

  @Test
  void aPeriodCoversItsLastMicrosecondAndOnlyAccountsOnOrBelowItsPrefix() {
    Period whole = Period.of(SEPT_END, null);
    Period bank = Period.of(SEPT_END, BANK);
    assertThat(whole.covers(SEPT_END, ON_BANKX)).isTrue();
    assertThat(whole.covers(SEPT_END.plusNanos(1000), ON_BANKX)).isFalse();
    assertThat(bank.covers(SEPT_END, ON_BANK)).isTrue();
    assertThat(bank.covers(SEPT_END, List.of(BANK))).isTrue();
    assertThat(bank.covers(SEPT_END, ON_BANKX)).as("a sibling that shares the letters").isFalse();
    assertThatThrownBy(() -> Period.of(SEPT_END.plusNanos(1), null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFirstOpenInstantSkipsEveryClosedPeriodThatFollowsOn() {
    Instant octEnd = Instant.parse("2024-10-31T23:59:59.999999Z");
    ClosedPeriods closed = ClosedPeriods.of(List.of(Period.of(SEPT_END, null), Period.of(octEnd, BANK)));
    Instant inSeptember = Instant.parse("2024-09-12T10:00:00Z");
    assertThat(closed.firstOpenAt(inSeptember, ON_BANKX)).isEqualTo(SEPT_END.plusNanos(1000));
    assertThat(closed.firstOpenAt(inSeptember, ON_BANK)).isEqualTo(octEnd.plusNanos(1000));
    assertThat(closed.firstOpenAt(octEnd.plusSeconds(1), ON_BANK)).isEqualTo(octEnd.plusSeconds(1));
  }

  @Test
  void replayGivesEachPeriodTheStateOfItsLastEventKnownAtTheTime() {
    Period september = Period.of(SEPT_END, null);
    Instant t = Instant.parse("2024-10-02T00:00:00Z");
    List<PeriodEvent> events = List.of(
        new PeriodEvent(1, PeriodAction.CLOSE, september, "reported", "finance", t),
        new PeriodEvent(2, PeriodAction.REOPEN, september, "late invoice", "finance", t.plusSeconds(60)));
    assertThat(ClosedPeriods.replay(events, t.minusNanos(1000)).isEmpty()).isTrue();
    assertThat(ClosedPeriods.replay(events, t).periods()).containsExactly(september);
    assertThat(ClosedPeriods.replay(events, null).isEmpty()).isTrue();
    assertThat(PeriodState.replay(events, null)).singleElement()
        .satisfies(state -> assertThat(state.last().reason()).isEqualTo("late invoice"));
  }

  @Test
  void theReferenceLedgerChecksThePeriodAfterTheIdAndBeforeTheReversal() {
    ReferenceLedger ledger = new ReferenceLedger();
    ledger.post(fee("fee", SEPT_END.minusSeconds(60)));
    assertThat(ledger.close(Period.of(SEPT_END, BANK), "reconciled").status()).isEqualTo(PeriodStatus.CLOSED);
    assertThat(ledger.close(Period.of(SEPT_END, BANK), "again").status()).isEqualTo(PeriodStatus.ALREADY_CLOSED);

    assertThat(ledger.post(fee("fee", SEPT_END.minusSeconds(60))).status()).isEqualTo(PostStatus.EXISTS);
    assertThat(ledger.post(fee("late", SEPT_END)).status()).isEqualTo(PostStatus.PERIOD_CLOSED);
    // A hand-made reversal of a missing entry, in the closed period: the period decides first.
    Entry ghost = fee("ghost", SEPT_END).reversal("ghost-rev", "x", SEPT_END);
    assertThat(ledger.post(ghost).status()).isEqualTo(PostStatus.PERIOD_CLOSED);

    assertThat(ledger.reverse("fee", "fee-rev", "duplicate", SEPT_END.minusSeconds(1)).status())
        .isEqualTo(PostStatus.CREATED);
    assertThat(ledger.entry("fee-rev").orElseThrow().entry().effectiveAt()).isEqualTo(SEPT_END.plusNanos(1000));
    assertThat(ledger.reopen(Period.of(SEPT_END, BANK), "audit").status()).isEqualTo(PeriodStatus.REOPENED);
    assertThat(ledger.reopen(Period.of(SEPT_END, BANK), "twice").status()).isEqualTo(PeriodStatus.NOT_CLOSED);
    assertThat(ledger.post(fee("late", SEPT_END)).status()).isEqualTo(PostStatus.CREATED);
    assertThatThrownBy(() -> ledger.close(Period.of(SEPT_END, null), " ")).isInstanceOf(IllegalArgumentException.class);
  }
}
