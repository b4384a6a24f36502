package dev.ledger.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.account.Account;
import dev.ledger.account.AccountCode;
import dev.ledger.money.Amounts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReferenceLedgerTest {
  private static final Instant T = Instant.parse("2024-09-12T00:00:00Z");
  private final ReferenceLedger ledger = new ReferenceLedger();

  private static Entry transfer(String id, Instant at, String from, String to, String amount) {
    return Entry.of(id, at, id, Map.of(), List.of(
        Posting.debit(to, amount, "CNY"), Posting.credit(from, amount, "CNY")));
  }

  @Test
  void reportsExistsForAnIdenticalRepostAndRejectsDifferentContent() {
    Entry entry = transfer("e-1", T, "equity:capital", "assets:bank:icbc:main", "10.00");
    assertThat(ledger.post(entry).status()).isEqualTo(PostStatus.CREATED);
    assertThat(ledger.post(entry).status()).isEqualTo(PostStatus.EXISTS);
    assertThat(ledger.post(transfer("e-1", T, "equity:capital", "assets:bank:icbc:main", "11.00")).status())
        .isEqualTo(PostStatus.EXISTS_WITH_DIFFERENT_CONTENT);
  }

  @Test
  void rejectsAnOverdraftNamingTheAccountAndWritesNothingOfTheBatch() {
    ledger.createAccount(Account.noOverdraft("assets:wallet:alipay:clearing"));
    BatchResult result = ledger.postAll(List.of(
        transfer("ok", T, "equity:capital", "assets:bank:icbc:main", "5.00"),
        transfer("od", T, "assets:wallet:alipay:clearing", "assets:bank:icbc:main", "5.00")));
    assertThat(result.committed()).isFalse();
    assertThat(result.results()).extracting(PostResult::status)
        .containsExactly(PostStatus.REJECTED_WITH_BATCH, PostStatus.OVERDRAFT);
    assertThat(result.results().get(1).message())
        .contains("assets:wallet:alipay:clearing", "0.00", "-5.00");
    assertThat(ledger.entry("ok")).isEmpty();
  }

  @Test
  void balanceAsOfAndKnownAtSeeBackdatedEntriesCorrectly() {
    String bank = "assets:bank:icbc:main";
    ledger.post(transfer("e-1", T.plusSeconds(3600), "equity:capital", bank, "10.00"));
    Instant knownBeforeBackdate = ledger.entry("e-1").orElseThrow().recordedAt();
    ledger.post(transfer("e-2", T, "equity:capital", bank, "1.00")); // backdated
    var cny = Amounts.currency("CNY");
    AccountCode code = AccountCode.parse(bank);
    assertThat(ledger.balance(BalanceQuery.of(code).asOf(T)).balanceMinor(cny)).isEqualTo(100);
    assertThat(ledger.balance(BalanceQuery.of(code).asOf(T).knownAt(knownBeforeBackdate)).balanceMinor(cny))
        .isZero();
    assertThat(ledger.balance(BalanceQuery.of(AccountCode.parse("assets"))).balanceMinor(cny)).isEqualTo(1100);
    assertThat(ledger.balance(BalanceQuery.of(AccountCode.parse("equity:capital"))).balanceMinor(cny))
        .isEqualTo(1100);
  }

  @Test
  void reversalIsAllowedOnceAndNetsToZero() {
    ledger.post(transfer("e-1", T, "equity:capital", "assets:bank:icbc:main", "10.00"));
    assertThat(ledger.reverse("e-1", "e-1-rev", "typo", T).status()).isEqualTo(PostStatus.CREATED);
    assertThat(ledger.reverse("e-1", "e-1-rev2", "again", T).status()).isEqualTo(PostStatus.ALREADY_REVERSED);
    assertThat(ledger.reverse("nope", "x", "", T).status()).isEqualTo(PostStatus.REVERSAL_TARGET_NOT_FOUND);
    assertThat(ledger.trialBalance(null, null)).allMatch(l -> l.balance().balanceMinor() == 0);
  }

  @Test
  void historyCarriesTheRunningBalanceFromBeforeTheWindow() {
    String bank = "assets:bank:icbc:main";
    ledger.post(transfer("e-1", T, "equity:capital", bank, "10.00"));
    ledger.post(transfer("e-2", T.plusSeconds(60), bank, "expenses:fees:bank", "1.00"));
    List<HistoryLine> lines = ledger.history(AccountCode.parse(bank), T.plusSeconds(1), null);
    assertThat(lines).singleElement().satisfies(line -> {
      assertThat(line.entryId()).isEqualTo("e-2");
      assertThat(line.runningBalanceMinor()).isEqualTo(900);
    });
  }

  private static final String HALF_RANGE = "50000000000000000.00";

  @Test
  void aSecondEntryThatWouldOverflowTheAccountsDebitsIsRejectedAndTheBalanceStays() {
    assertThat(ledger.post(transfer("big-1", T, "equity:capital", "assets:bank:icbc:main", HALF_RANGE))
        .status()).isEqualTo(PostStatus.CREATED);
    PostResult second = ledger.post(
        transfer("big-2", T, "equity:capital", "assets:bank:icbc:main", HALF_RANGE));
    assertThat(second.status()).isEqualTo(PostStatus.OVERFLOW);
    assertThat(second.message()).contains("big-2", "assets:bank:icbc:main", "CNY", "debits");
    assertThat(ledger.entry("big-2")).isEmpty();
    CurrencyBalance bank = ledger.balance(BalanceQuery.of(AccountCode.parse("assets:bank:icbc:main")))
        .in(Amounts.currency("CNY")).orElseThrow();
    assertThat(bank.debitsMinor()).isEqualTo(5_000_000_000_000_000_000L);
    assertThat(bank.balanceMinor()).isEqualTo(5_000_000_000_000_000_000L);
  }

  @Test
  void anOverflowInsideABatchRejectsTheWholeBatchNamingTheEntry() {
    BatchResult result = ledger.postAll(List.of(
        transfer("b-1", T, "equity:capital", "assets:bank:icbc:main", HALF_RANGE),
        transfer("b-2", T, "equity:capital", "assets:bank:icbc:main", HALF_RANGE)));
    assertThat(result.committed()).isFalse();
    assertThat(result.results()).extracting(PostResult::status)
        .containsExactly(PostStatus.REJECTED_WITH_BATCH, PostStatus.OVERFLOW);
    assertThat(ledger.trialBalance(null, null)).isEmpty();
  }

  @Test
  void aPrefixWhoseAccountsSumBeyondALongIsRefusedNotWrapped() {
    ledger.post(transfer("p-1", T, "equity:capital", "assets:bank:icbc:main", HALF_RANGE));
    ledger.post(transfer("p-2", T, "equity:reserve", "assets:bank:icbc:spare", HALF_RANGE));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ledger.balance(BalanceQuery.of(AccountCode.parse("assets:bank"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("assets:bank")
        .hasMessageContaining("100000000000000000.00");
    assertThat(ledger.trialBalance(null, null)).hasSize(4);
  }
}
