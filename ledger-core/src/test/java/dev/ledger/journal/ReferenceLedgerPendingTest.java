package dev.ledger.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.account.Account;
import dev.ledger.account.AccountCode;
import dev.ledger.money.Amounts;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import javax.money.CurrencyUnit;
import org.junit.jupiter.api.Test;

class ReferenceLedgerPendingTest {
  private static final Instant T = Instant.parse("2024-09-12T00:00:00Z");
  private static final CurrencyUnit CNY = Amounts.currency("CNY");
  private static final String WALLET = "assets:wallet:wechatpay:clearing";
  private static final String BANK = "assets:bank:icbc:main";

  /** A clock the test moves by hand. */
  private static final class ManualClock extends Clock {
    private Instant now = T.plusSeconds(3600);

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final ManualClock clock = new ManualClock();
  private final ReferenceLedger ledger = new ReferenceLedger(clock);

  private static Entry transfer(String id, String from, String to, String amount) {
    return Entry.of(id, T, id, Map.of(), List.of(
        Posting.debit(to, amount, "CNY"), Posting.credit(from, amount, "CNY")));
  }

  private CurrencyBalance wallet() {
    return ledger.balance(BalanceQuery.of(AccountCode.parse(WALLET))).in(CNY).orElseThrow();
  }

  private void fundWallet(String amount) {
    ledger.createAccount(Account.noOverdraft(WALLET));
    assertThat(ledger.post(transfer("fund", "equity:capital", WALLET, amount)).status())
        .isEqualTo(PostStatus.CREATED);
  }

  private Entry withdrawal(String id, String amount, Instant expiresAt) {
    return transfer(id, WALLET, BANK, amount).withPending(expiresAt);
  }

  @Test
  void aPendingOutflowReservesAvailableButLeavesThePostedBalance() {
    fundWallet("100.00");
    assertThat(ledger.post(withdrawal("w-1", "30.00", T.plusSeconds(86_400))).status())
        .isEqualTo(PostStatus.CREATED);
    CurrencyBalance wallet = wallet();
    assertThat(wallet.balanceMinor()).isEqualTo(10_000);
    assertThat(wallet.pendingMinor()).isEqualTo(-3_000);
    assertThat(wallet.availableMinor()).isEqualTo(7_000);
    assertThat(ledger.trialBalance(null, null)).extracting(l -> l.account().value())
        .doesNotContain(BANK);
  }

  @Test
  void aPendingOrPostedOutflowBeyondAvailableIsAnOverdraft() {
    fundWallet("100.00");
    ledger.post(withdrawal("w-1", "70.00", T.plusSeconds(86_400)));
    PostResult pending = ledger.post(withdrawal("w-2", "30.01", T.plusSeconds(86_400)));
    assertThat(pending.status()).isEqualTo(PostStatus.OVERDRAFT);
    assertThat(pending.message()).contains(WALLET, "available 30.00 would become -0.01");
    assertThat(ledger.post(transfer("t-1", WALLET, BANK, "30.01")).status()).isEqualTo(PostStatus.OVERDRAFT);
    assertThat(ledger.post(transfer("t-2", WALLET, BANK, "30.00")).status()).isEqualTo(PostStatus.CREATED);
  }

  @Test
  void aPartialPostBooksTheAmountAndReleasesTheRest() {
    fundWallet("100.00");
    ledger.post(withdrawal("w-1", "30.00", T.plusSeconds(86_400)));
    PostResult posted = ledger.postPending("w-1", "w-1-post", "12.50", T.plusSeconds(60));
    assertThat(posted.status()).isEqualTo(PostStatus.CREATED);
    CurrencyBalance wallet = wallet();
    assertThat(wallet.balanceMinor()).isEqualTo(8_750);
    assertThat(wallet.pendingMinor()).isZero();
    assertThat(wallet.availableMinor()).isEqualTo(8_750);
    Entry stored = ledger.entry("w-1-post").orElseThrow().entry();
    assertThat(stored.settlement()).isEqualTo(new Settlement("w-1", Settlement.Kind.POST));
    assertThat(ledger.pendingEntries(false)).isEmpty();
  }

  @Test
  void aPendingEntryIsSettledOnceWhicheverWayComesSecond() {
    fundWallet("100.00");
    ledger.post(withdrawal("w-1", "30.00", T.plusSeconds(86_400)));
    assertThat(ledger.voidPending("w-1", "w-1-void", "bank refused", T).status()).isEqualTo(PostStatus.CREATED);
    PostResult again = ledger.postPending("w-1", "w-1-post", null, T);
    assertThat(again.status()).isEqualTo(PostStatus.PENDING_ALREADY_SETTLED);
    assertThat(again.message()).contains("w-1-void");
    assertThat(ledger.voidPending("w-1", "w-1-void2", null, T).status())
        .isEqualTo(PostStatus.PENDING_ALREADY_SETTLED);
    assertThat(wallet().availableMinor()).isEqualTo(10_000);
    assertThat(wallet().balanceMinor()).isEqualTo(10_000);
  }

  @Test
  void anAmountAboveThePendingOneIsAMismatchAndAPartialOfSeveralPostingsIsRefused() {
    fundWallet("100.00");
    ledger.post(withdrawal("w-1", "30.00", T.plusSeconds(86_400)));
    PostResult above = ledger.postPending("w-1", "w-1-post", "30.01", T);
    assertThat(above.status()).isEqualTo(PostStatus.PENDING_SETTLEMENT_MISMATCH);
    assertThat(above.message()).contains("30.01", "exceeds", "30.00");
    Entry split = Entry.of("w-2", T, "split", Map.of(), List.of(
        Posting.debit(BANK, "10.00", "CNY"), Posting.credit(WALLET, "6.00", "CNY"),
        Posting.credit(WALLET, "4.00", "CNY"))).withPending(T.plusSeconds(86_400));
    assertThat(ledger.post(split).status()).isEqualTo(PostStatus.CREATED);
    assertThatThrownBy(() -> ledger.postPending("w-2", "w-2-post", "5.00", T))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("w-2").hasMessageContaining("in full");
    assertThat(ledger.postPending("w-2", "w-2-post", null, T).status()).isEqualTo(PostStatus.CREATED);
  }

  @Test
  void afterItsExpiryAPendingEntryReservesNothingAndCannotSettle() {
    fundWallet("100.00");
    Instant expiry = clock.now.plusSeconds(600);
    ledger.post(withdrawal("w-1", "30.00", expiry));
    assertThat(ledger.pendingEntries(false)).extracting(p -> p.recorded().id()).containsExactly("w-1");
    Instant before = ledger.entry("w-1").orElseThrow().recordedAt();
    clock.now = expiry;
    assertThat(wallet().availableMinor()).isEqualTo(10_000);
    assertThat(ledger.pendingEntries(false)).isEmpty();
    assertThat(ledger.pendingEntries(true)).extracting(p -> p.recorded().id()).containsExactly("w-1");
    assertThat(ledger.postPending("w-1", "w-1-post", null, T).status()).isEqualTo(PostStatus.PENDING_EXPIRED);
    assertThat(ledger.voidPending("w-1", "w-1-void", null, T).status()).isEqualTo(PostStatus.PENDING_EXPIRED);
    // As known before the expiry, it still reserved.
    assertThat(ledger.balance(BalanceQuery.of(AccountCode.parse(WALLET)).knownAt(before)).in(CNY)
        .orElseThrow().availableMinor()).isEqualTo(7_000);
  }

  @Test
  void settlingWhatIsNotPendingIsPendingNotFoundAndAPendingEntryIsNotReversible() {
    fundWallet("100.00");
    assertThat(ledger.postPending("fund", "x", null, T).status()).isEqualTo(PostStatus.PENDING_NOT_FOUND);
    assertThat(ledger.voidPending("nope", "x", null, T).status()).isEqualTo(PostStatus.PENDING_NOT_FOUND);
    ledger.post(withdrawal("w-1", "30.00", T.plusSeconds(86_400)));
    PostResult reversal = ledger.reverse("w-1", "w-1-rev", "oops", T);
    assertThat(reversal.status()).isEqualTo(PostStatus.REVERSAL_MISMATCH);
    assertThat(reversal.message()).contains("pending");
  }

  @Test
  void aBatchMayHoldAPendingEntryAndItsSettlement() {
    fundWallet("100.00");
    Entry pending = withdrawal("w-1", "30.00", T.plusSeconds(86_400));
    BatchResult result = ledger.postAll(List.of(pending, pending.pendingPost("w-1-post", "20.00", T),
        pending.pendingVoid("w-1-void", null, T)));
    assertThat(result.results()).extracting(PostResult::status).containsExactly(
        PostStatus.REJECTED_WITH_BATCH, PostStatus.REJECTED_WITH_BATCH, PostStatus.PENDING_ALREADY_SETTLED);
    assertThat(ledger.postAll(List.of(pending, pending.pendingPost("w-1-post", "20.00", T))).committed()).isTrue();
    assertThat(wallet().availableMinor()).isEqualTo(8_000);
  }

  @Test
  void theContentOfAnEntryWithoutPendingInformationIsUnchangedAndThePendingTermsAreInIt() {
    Entry plain = transfer("e-1", "equity:capital", BANK, "1.00");
    assertThat(plain.canonical()).doesNotContain("pending", "settle");
    assertThat(plain.canonical()).isEqualTo("id=e-1\neffective_at=2024-09-12T00:00:00Z\ndescription=e-1\n"
        + "reversal_of=\nposting=" + BANK + "|debit|CNY|1.00\nposting=equity:capital|credit|CNY|1.00\n");
    Entry pending = plain.withPending(T.plusSeconds(60));
    assertThat(pending.canonical()).contains("pending.expires_at=2024-09-12T00:01:00Z\n");
    assertThat(pending.pendingVoid("v", null, T).canonical()).contains("settles=e-1\nsettlement=void\n");
    assertThat(pending.sameContent(plain)).isFalse();
  }
}
