package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.account.AccountCode;
import dev.ledger.journal.BalanceQuery;
import dev.ledger.journal.BatchResult;
import dev.ledger.journal.CurrencyBalance;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Ledger;
import dev.ledger.journal.PostResult;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.Posting;
import dev.ledger.journal.ReferenceLedger;
import dev.ledger.money.Amounts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Arithmetic never wraps (DESIGN section 3): an entry that would take an account's debits or
 * credits beyond a bigint is rejected with OVERFLOW, exactly as the reference ledger rejects it, and
 * the database never raises 22003 at the user. Every scenario uses its own accounts.
 */
class PostgresLedgerOverflowTest {
  private static final Instant T = Instant.parse("2024-09-12T02:15:02Z");
  /** 5e18 minor units: one fits, two do not. */
  private static final String HALF_RANGE = "50000000000000000.00";
  private static LedgerDatabase database;
  private static PostgresLedger ledger;

  @BeforeAll
  static void open() {
    database = TestDatabases.freshWithCheckpointsFrom(0);
    ledger = database.ledger();
  }

  @AfterAll
  static void close() {
    database.close();
  }

  private static Entry transfer(String id, Instant at, String from, String to, String amount) {
    return Entry.of(id, at, id, Map.of(), List.of(
        Posting.debit(to, amount, "CNY"), Posting.credit(from, amount, "CNY")));
  }

  private static CurrencyBalance cny(Ledger on, String account, Instant asOf) {
    return on.balance(new BalanceQuery(AccountCode.parse(account), asOf, null, null))
        .in(Amounts.currency("CNY")).orElseThrow();
  }

  private static List<PostStatus> statuses(BatchResult result) {
    return result.results().stream().map(PostResult::status).toList();
  }

  @Test
  void aSecondHalfRangeDebitIsRejectedWithOverflowAndTheBalanceDoesNotWrap() {
    ReferenceLedger reference = new ReferenceLedger();
    for (Ledger on : List.of(ledger, reference)) {
      assertThat(on.post(transfer("wrap-1", T, "equity:w1:capital", "assets:w1:bank", HALF_RANGE))
          .status()).isEqualTo(PostStatus.CREATED);
      PostResult second = on.post(
          transfer("wrap-2", T.plusSeconds(60), "equity:w1:capital", "assets:w1:bank", HALF_RANGE));
      assertThat(second.status()).as("%s", on).isEqualTo(PostStatus.OVERFLOW);
      assertThat(second.message()).contains("wrap-2", "assets:w1:bank", "CNY");
      assertThat(on.entry("wrap-2")).isEmpty();
      for (Instant asOf : new Instant[] {null, T.plusSeconds(3600)}) {
        CurrencyBalance bank = cny(on, "assets:w1:bank", asOf);
        assertThat(bank.debitsMinor()).isEqualTo(5_000_000_000_000_000_000L);
        assertThat(bank.balance()).isEqualTo(Amounts.parse(HALF_RANGE, "CNY"));
        assertThat(cny(on, "equity:w1:capital", asOf).balanceMinor())
            .isEqualTo(5_000_000_000_000_000_000L);
      }
    }
    assertThat(ledger.post(transfer("wrap-2", T.plusSeconds(60), "equity:w1:capital", "assets:w1:bank",
        HALF_RANGE))).isEqualTo(reference.post(transfer("wrap-2", T.plusSeconds(60),
            "equity:w1:capital", "assets:w1:bank", HALF_RANGE)));
  }

  @Test
  void twoHalfRangeEntriesInOneBatchRejectTheBatchAndWriteNothing() {
    List<Entry> batch = List.of(
        transfer("batch-1", T, "equity:w2:capital", "assets:w2:bank", HALF_RANGE),
        transfer("batch-2", T, "equity:w2:capital", "assets:w2:bank", HALF_RANGE));
    BatchResult result = ledger.postAll(batch);
    assertThat(result.committed()).isFalse();
    assertThat(statuses(result)).containsExactly(PostStatus.REJECTED_WITH_BATCH, PostStatus.OVERFLOW)
        .isEqualTo(statuses(new ReferenceLedger().postAll(batch)));
    assertThat(ledger.entry("batch-1")).isEmpty();
    assertThat(ledger.balance(BalanceQuery.of(AccountCode.parse("assets:w2:bank"))).currencies()).isEmpty();
    assertThat(statuses(ledger.check(batch))).containsExactly(PostStatus.REJECTED_WITH_BATCH,
        PostStatus.OVERFLOW);
  }

  @Test
  void anOverflowOnOneRowRollsBackTheDeltasAlreadyAppliedToOthers() {
    String nearMax = Amounts.formatMinor(Amounts.MINOR_MAX - 5, Amounts.currency("CNY"));
    ReferenceLedger reference = new ReferenceLedger();
    List<Entry> batch = List.of(
        transfer("part-1", T, "equity:w3:capital", "assets:w3:other", "1.00"),
        transfer("part-2", T, "equity:w3:capital", "assets:w3:full", "0.06"));
    for (Ledger on : List.of(ledger, reference)) {
      assertThat(on.post(transfer("fill", T, "equity:w3:reserve", "assets:w3:full", nearMax)).status())
          .isEqualTo(PostStatus.CREATED);
      assertThat(on.post(transfer("seed", T, "equity:w3:capital", "assets:w3:other", "2.00")).status())
          .isEqualTo(PostStatus.CREATED);
      BatchResult result = on.postAll(batch);
      assertThat(statuses(result)).as("%s", on)
          .containsExactly(PostStatus.REJECTED_WITH_BATCH, PostStatus.OVERFLOW);
      assertThat(cny(on, "assets:w3:other", null).debitsMinor()).isEqualTo(200);
      assertThat(cny(on, "equity:w3:capital", null).creditsMinor()).isEqualTo(200);
      assertThat(cny(on, "assets:w3:full", null).debitsMinor()).isEqualTo(Amounts.MINOR_MAX - 5);
    }
    // Exactly up to the range is fine.
    Entry last = transfer("part-3", T, "equity:w3:capital", "assets:w3:full", "0.05");
    assertThat(ledger.post(last).status()).isEqualTo(PostStatus.CREATED);
    assertThat(cny(ledger, "assets:w3:full", null).debitsMinor()).isEqualTo(Amounts.MINOR_MAX);
    assertThat(cny(ledger, "assets:w3:full", T.plusSeconds(1)).debitsMinor()).isEqualTo(Amounts.MINOR_MAX);
  }

  @Test
  void aPrefixWhoseAccountsSumBeyondALongIsRefusedNamingItNotWrapped() {
    ReferenceLedger reference = new ReferenceLedger();
    for (Ledger on : List.of(ledger, reference)) {
      on.post(transfer("pre-1", T, "equity:w4:capital", "assets:w4:bank:a", HALF_RANGE));
      on.post(transfer("pre-2", T, "equity:w4:reserve", "assets:w4:bank:b", HALF_RANGE));
      for (Instant asOf : new Instant[] {null, T.plusSeconds(3600)}) {
        assertThatThrownBy(() -> on.balance(new BalanceQuery(AccountCode.parse("assets:w4:bank"), asOf,
            null, null)))
            .as("%s as of %s", on, asOf)
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("assets:w4:bank in CNY")
            .hasMessageContaining("100000000000000000.00");
      }
      assertThat(cny(on, "assets:w4:bank:a", null).balance()).isEqualTo(Amounts.parse(HALF_RANGE, "CNY"));
    }
    assertThat(ledger.trialBalance(T.plusSeconds(3600), null).stream()
        .filter(line -> line.account().value().contains(":w4:")).map(line -> line.balance().debitsMinor()
            + line.balance().creditsMinor()))
        .containsOnly(5_000_000_000_000_000_000L);
  }

  @Test
  void aDailyCheckpointEditedToTheEdgeIsAnIntegrityViolationNotARawSqlError() throws Exception {
    assertThat(ledger.post(transfer("day-1", T, "equity:w5:capital", "assets:w5:bank", "1.00")).status())
        .isEqualTo(PostStatus.CREATED);
    try (var c = TestDatabases.superuser(TestDatabases.databaseOf(database));
        var s = c.createStatement()) {
      s.execute("UPDATE balance_days SET debits = 9223372036854775807 WHERE account = 'assets:w5:bank'");
    }
    assertThatThrownBy(() -> ledger.post(transfer("day-2", T, "equity:w5:capital", "assets:w5:bank", "1.00")))
        .isInstanceOfSatisfying(LedgerStoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(LedgerStoreException.Kind.INTEGRITY_VIOLATION);
          assertThat(e.getMessage()).contains("day-2", "balance_days");
        });
    assertThat(ledger.entry("day-2")).isEmpty();
  }
}
