package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.account.AccountCode;
import dev.ledger.account.Side;
import dev.ledger.journal.BalanceQuery;
import dev.ledger.journal.Entry;
import dev.ledger.journal.HistoryLine;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.Posting;
import dev.ledger.journal.TrialBalanceLine;
import dev.ledger.money.Amounts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Balances as of / as known at, with backdated entries; trial balance; history; reversals. */
class PostgresLedgerReadTest {
  private static final CurrencyUnit CNY = Amounts.currency("CNY");
  private static final AccountCode CLEARING = AccountCode.parse("assets:wallet:wechatpay:clearing");
  private static final Instant DAY1 = Instant.parse("2024-09-01T10:00:00Z");
  private static final Instant DAY2 = Instant.parse("2024-09-02T10:00:00Z");
  private static final Instant DAY3 = Instant.parse("2024-09-03T10:00:00Z");
  private static LedgerDatabase database;
  private static PostgresLedger ledger;
  private static Instant knownAfterFirstTwo;

  @BeforeAll
  static void postBackdatedHistory() throws InterruptedException {
    database = TestDatabases.fresh();
    ledger = database.ledger();
    ledger.post(pay("p1", "100.00", DAY1));
    ledger.post(pay("p3", "30.00", DAY3));
    knownAfterFirstTwo = ledger.entry("p3").orElseThrow().recordedAt();
    ledger.post(pay("p2", "20.00", DAY2)); // backdated: recorded after p3
    ledger.post(Entry.of("fee-1", DAY2.plusSeconds(60), "fee", Map.of(),
        List.of(Posting.debit("expenses:fees:wechatpay", "0.60", "CNY"),
            Posting.credit(CLEARING.value(), "0.60", "CNY"))));
  }

  @AfterAll
  static void close() {
    database.close();
  }

  static Entry pay(String id, String amount, Instant at) {
    return pay(id, CLEARING.value(), amount, at);
  }

  static Entry pay(String id, String account, String amount, Instant at) {
    return Entry.of(id, at, "paid " + id, Map.of("order_id", id),
        List.of(Posting.debit(account, amount, "CNY"),
            Posting.credit("liabilities:merchant:m-1:payable", amount, "CNY")));
  }

  private static long balance(AccountCode code, Instant asOf, Instant knownAt) {
    return ledger.balance(new BalanceQuery(code, asOf, knownAt, null)).balanceMinor(CNY);
  }

  @Test
  void balanceAsOfCountsEntriesEffectiveAtOrBeforeTheTimeIncludingBackdatedOnes() {
    assertThat(balance(CLEARING, DAY1, null)).isEqualTo(100_00);
    assertThat(balance(CLEARING, DAY2, null)).isEqualTo(120_00);
    assertThat(balance(CLEARING, DAY2.plusSeconds(60), null)).isEqualTo(119_40);
    assertThat(balance(CLEARING, null, null)).isEqualTo(149_40);
    assertThat(balance(CLEARING, DAY1.minusMillis(1), null)).isZero();
  }

  @Test
  void balanceAsKnownAtIgnoresEntriesRecordedLaterEvenWhenBackdated() {
    assertThat(balance(CLEARING, DAY2, knownAfterFirstTwo)).isEqualTo(100_00);
    assertThat(balance(CLEARING, null, knownAfterFirstTwo)).isEqualTo(130_00);
    assertThat(balance(CLEARING, DAY3, knownAfterFirstTwo.minusNanos(1000))).isEqualTo(100_00);
  }

  @Test
  void aPrefixCoversEveryAccountBelowItButNotSiblingsSharingTheText() {
    ledger.post(Entry.of("sib", DAY1, "sibling", Map.of(),
        List.of(Posting.debit("assets:wallet:wechatpay-hk:clearing", "1.00", "CNY"),
            Posting.credit("equity:capital", "1.00", "CNY"))));
    assertThat(balance(AccountCode.parse("assets:wallet:wechatpay"), null, null)).isEqualTo(149_40);
    assertThat(balance(AccountCode.parse("assets:wallet"), DAY1, null)).isEqualTo(101_00);
  }

  @Test
  void trialBalanceDebitsEqualCreditsAndIsSortedByAccountThenCurrency() {
    List<TrialBalanceLine> lines = ledger.trialBalance(null, null);
    assertThat(lines).extracting(l -> l.account().value()).isSorted();
    long debits = lines.stream().mapToLong(l -> l.balance().debitsMinor()).sum();
    long credits = lines.stream().mapToLong(l -> l.balance().creditsMinor()).sum();
    assertThat(debits).isEqualTo(credits);
    List<TrialBalanceLine> early = ledger.trialBalance(DAY1, null);
    assertThat(early).filteredOn(l -> l.account().equals(CLEARING))
        .singleElement().satisfies(l -> assertThat(l.balance().balanceMinor()).isEqualTo(100_00));
  }

  @Test
  void historyIsInEffectiveOrderWithRunningBalancesIncludingEarlierPostings() {
    List<HistoryLine> lines = ledger.history(CLEARING, DAY2, null);
    assertThat(lines).extracting(HistoryLine::entryId).containsExactly("p2", "fee-1", "p3");
    assertThat(lines).extracting(HistoryLine::runningBalanceMinor).containsExactly(120_00L, 119_40L, 149_40L);
    assertThat(lines.get(1).side()).isEqualTo(Side.CREDIT);
    assertThat(ledger.history(CLEARING, null, DAY1)).extracting(HistoryLine::entryId).containsExactly("p1");
  }

  @Test
  void aReversalFlipsEveryPostingOnceAndCannotBeRepeated() {
    ledger.post(pay("rv-1", "assets:bank:icbc:main", "7.00", DAY1));
    assertThat(ledger.reverse("rv-1", "rv-1-rev", "duplicate charge", DAY3).status())
        .isEqualTo(PostStatus.CREATED);
    assertThat(ledger.entry("rv-1-rev").orElseThrow().entry().reversalOf()).isEqualTo("rv-1");
    assertThat(ledger.reverse("rv-1", "rv-1-rev2", "again", DAY3).status())
        .isEqualTo(PostStatus.ALREADY_REVERSED);
    assertThat(ledger.reverse("nope", "rv-x", "missing", DAY3).status())
        .isEqualTo(PostStatus.REVERSAL_TARGET_NOT_FOUND);
    Entry forged = new Entry("rv-forged", DAY3, "not a flip", Map.of(),
        List.of(Posting.debit("assets:bank:icbc:main", "1.00", "CNY"),
            Posting.credit("equity:capital", "1.00", "CNY")), "p1");
    assertThat(ledger.post(forged).status()).isEqualTo(PostStatus.REVERSAL_MISMATCH);
  }

  @Test
  void verifyPassesOnAnUntamperedLedger() {
    VerifyReport report = database.verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.entriesChecked()).isGreaterThanOrEqualTo(4);
  }
}
