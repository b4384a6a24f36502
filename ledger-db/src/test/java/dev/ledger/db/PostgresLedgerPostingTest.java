package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.account.Account;
import dev.ledger.account.AccountCode;
import dev.ledger.account.CreateStatus;
import dev.ledger.journal.BalanceQuery;
import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.Posting;
import dev.ledger.journal.RecordedEntry;
import dev.ledger.money.Amounts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresLedgerPostingTest {
  private static final Instant T0 = Instant.parse("2024-09-12T02:15:02Z");
  private static LedgerDatabase database;
  private static PostgresLedger ledger;

  @BeforeAll
  static void open() {
    database = TestDatabases.fresh();
    ledger = database.ledger();
  }

  @AfterAll
  static void close() {
    database.close();
  }

  static Entry payment(String id, String amount, Instant at) {
    return Entry.of(id, at, "order paid", Map.of("provider", "wechatpay", "order_id", "O-" + id),
        List.of(Posting.debit("assets:wallet:wechatpay:clearing", amount, "CNY"),
            Posting.credit("liabilities:merchant:m-88:payable", amount, "CNY")));
  }

  @Test
  void aNewEntryIsCreatedAndReadBackWithItsContentSequenceAndRecordingTime() {
    Entry entry = payment("pay-1", "100.00", T0);
    assertThat(ledger.post(entry).status()).isEqualTo(PostStatus.CREATED);
    RecordedEntry stored = ledger.entry("pay-1").orElseThrow();
    assertThat(stored.entry().canonical()).isEqualTo(entry.canonical());
    assertThat(stored.sequence()).isPositive();
    assertThat(stored.recordedAt()).isBefore(Instant.now().plusSeconds(5));
    assertThat(ledger.account(AccountCode.parse("assets:wallet:wechatpay:clearing")))
        .contains(Account.of("assets:wallet:wechatpay:clearing"));
  }

  @Test
  void postingTheSameEntryTwiceIsExistsAndDifferentContentIsRejected() {
    Entry entry = payment("pay-2", "10.00", T0);
    assertThat(ledger.post(entry).status()).isEqualTo(PostStatus.CREATED);
    assertThat(ledger.post(entry).status()).isEqualTo(PostStatus.EXISTS);
    assertThat(ledger.post(payment("pay-2", "10.01", T0)).status())
        .isEqualTo(PostStatus.EXISTS_WITH_DIFFERENT_CONTENT);
  }

  @Test
  void aBatchWithOneOverdraftWritesNothingAndReportsTheOthersAsRejectedWithBatch() {
    ledger.createAccount(Account.noOverdraft("assets:bank:icbc:main"));
    Entry ok = payment("b-ok", "5.00", T0);
    Entry overdraft = Entry.of("b-over", T0, "payout", Map.of(),
        List.of(Posting.debit("liabilities:merchant:m-88:payable", "1.00", "CNY"),
            Posting.credit("assets:bank:icbc:main", "1.00", "CNY")));
    BatchResult result = ledger.postAll(List.of(ok, overdraft));
    assertThat(result.results()).extracting(r -> r.status())
        .containsExactly(PostStatus.REJECTED_WITH_BATCH, PostStatus.OVERDRAFT);
    assertThat(result.results().get(1).message()).contains("assets:bank:icbc:main", "0.00", "-1.00");
    assertThat(ledger.entry("b-ok")).isEmpty();
  }

  @Test
  void entriesInOneBatchShareRecordingTimeAndLaterCommitsAreStrictlyLater() {
    ledger.postAll(List.of(payment("r-1", "1.00", T0), payment("r-2", "2.00", T0)));
    ledger.post(payment("r-3", "3.00", T0));
    Instant first = ledger.entry("r-1").orElseThrow().recordedAt();
    assertThat(ledger.entry("r-2").orElseThrow().recordedAt()).isEqualTo(first);
    assertThat(ledger.entry("r-3").orElseThrow().recordedAt()).isAfter(first);
    assertThat(ledger.entry("r-2").orElseThrow().sequence())
        .isEqualTo(ledger.entry("r-1").orElseThrow().sequence() + 1);
  }

  @Test
  void aDuplicateInsideOneBatchIsExistsWhenIdenticalAndRejectedWhenDifferent() {
    Entry first = payment("d-1", "1.00", T0);
    assertThat(ledger.postAll(List.of(first, first)).results()).extracting(r -> r.status())
        .containsExactly(PostStatus.CREATED, PostStatus.EXISTS);
    assertThat(ledger.postAll(List.of(payment("d-2", "1.00", T0), payment("d-2", "2.00", T0)))
        .results()).extracting(r -> r.status())
        .containsExactly(PostStatus.REJECTED_WITH_BATCH, PostStatus.EXISTS_WITH_DIFFERENT_CONTENT);
  }

  @Test
  void createAccountReportsCreatedExistsAndDifferentContent() {
    assertThat(ledger.createAccount(Account.noOverdraft("assets:bank:boc:ops"))).isEqualTo(CreateStatus.CREATED);
    assertThat(ledger.createAccount(Account.noOverdraft("assets:bank:boc:ops"))).isEqualTo(CreateStatus.EXISTS);
    assertThat(ledger.createAccount(Account.of("assets:bank:boc:ops")))
        .isEqualTo(CreateStatus.EXISTS_WITH_DIFFERENT_CONTENT);
    assertThat(ledger.accounts(AccountCode.parse("assets:bank:boc")))
        .containsExactly(Account.noOverdraft("assets:bank:boc:ops"));
  }

  @Test
  void aNoOverdraftAccountAcceptsSpendingUpToItsBalance() {
    ledger.createAccount(Account.noOverdraft("assets:wallet:alipay:clearing"));
    Entry fund = Entry.of("f-1", T0, "funding", Map.of(),
        List.of(Posting.debit("assets:wallet:alipay:clearing", "3.00", "CNY"),
            Posting.credit("equity:capital", "3.00", "CNY")));
    Entry spend = Entry.of("f-2", T0, "spend", Map.of(),
        List.of(Posting.credit("assets:wallet:alipay:clearing", "3.00", "CNY"),
            Posting.debit("expenses:fees:alipay", "3.00", "CNY")));
    Entry more = Entry.of("f-3", T0, "spend more", Map.of(),
        List.of(Posting.credit("assets:wallet:alipay:clearing", "0.01", "CNY"),
            Posting.debit("expenses:fees:alipay", "0.01", "CNY")));
    assertThat(ledger.postAll(List.of(fund, spend)).committed()).isTrue();
    assertThat(ledger.post(more).status()).isEqualTo(PostStatus.OVERDRAFT);
    assertThat(ledger.balance(BalanceQuery.of(AccountCode.parse("assets:wallet:alipay:clearing")))
        .balanceMinor(Amounts.currency("CNY"))).isZero();
  }
}
