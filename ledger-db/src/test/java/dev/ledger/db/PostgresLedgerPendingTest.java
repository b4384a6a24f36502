package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.account.Account;
import dev.ledger.account.AccountCode;
import dev.ledger.journal.BalanceQuery;
import dev.ledger.journal.CurrencyBalance;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostResult;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.Posting;
import dev.ledger.journal.Settlement;
import dev.ledger.money.Amounts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pending entries on PostgreSQL: reservations, settle-once under concurrency, and the raw-SQL guard. */
class PostgresLedgerPendingTest {
  private static final Instant T = Instant.parse("2024-09-12T02:15:02Z");
  private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
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

  /** A funded no_overdraft wallet of its own for each test. */
  private static String wallet(String name, String amount) {
    String code = "assets:wallet:" + name + ":clearing";
    ledger.createAccount(Account.noOverdraft(code));
    assertThat(ledger.post(Entry.of("fund-" + name, T, "fund", Map.of(), List.of(
        Posting.debit(code, amount, "CNY"), Posting.credit("equity:" + name, amount, "CNY")))).status())
        .isEqualTo(PostStatus.CREATED);
    return code;
  }

  private static Entry withdrawal(String id, String wallet, String amount, Instant expiresAt) {
    return Entry.of(id, T, "withdrawal " + id, Map.of("provider", "wechatpay"), List.of(
        Posting.debit("assets:bank:icbc:main", amount, "CNY"), Posting.credit(wallet, amount, "CNY")))
        .withPending(expiresAt);
  }

  private static CurrencyBalance balance(String code) {
    return ledger.balance(BalanceQuery.of(AccountCode.parse(code))).in(Amounts.currency("CNY")).orElseThrow();
  }

  @Test
  void aPendingEntryReservesAvailableAndIsReadBackWithItsTerms() {
    String wallet = wallet("a", "100.00");
    Entry pending = withdrawal("w-a1", wallet, "30.00", FAR);
    assertThat(ledger.post(pending).status()).isEqualTo(PostStatus.CREATED);
    assertThat(ledger.post(pending).status()).isEqualTo(PostStatus.EXISTS);
    assertThat(ledger.entry("w-a1").orElseThrow().entry().canonical()).isEqualTo(pending.canonical());
    CurrencyBalance line = balance(wallet);
    assertThat(line.balanceMinor()).isEqualTo(10_000);
    assertThat(line.pendingMinor()).isEqualTo(-3_000);
    assertThat(line.availableMinor()).isEqualTo(7_000);
    assertThat(ledger.pendingEntries(false)).extracting(p -> p.recorded().id()).contains("w-a1");

    PostResult overdraft = ledger.post(withdrawal("w-a2", wallet, "70.01", FAR));
    assertThat(overdraft.status()).isEqualTo(PostStatus.OVERDRAFT);
    assertThat(overdraft.message()).contains(wallet, "available 70.00");
    assertThat(ledger.post(Entry.of("t-a3", T, "spend", Map.of(), List.of(
        Posting.debit("expenses:a", "70.01", "CNY"), Posting.credit(wallet, "70.01", "CNY")))).status())
        .as("an ordinary post may not spend what is reserved").isEqualTo(PostStatus.OVERDRAFT);
  }

  @Test
  void aPartialPostBooksTheAmountAndAVoidReleasesOnce() {
    String wallet = wallet("b", "100.00");
    ledger.post(withdrawal("w-b1", wallet, "30.00", FAR));
    ledger.post(withdrawal("w-b2", wallet, "20.00", FAR));
    assertThat(ledger.postPending("w-b1", "w-b1-post", "12.50", T).status()).isEqualTo(PostStatus.CREATED);
    assertThat(ledger.voidPending("w-b2", "w-b2-void", "bank refused", T).status()).isEqualTo(PostStatus.CREATED);
    PostResult twice = ledger.postPending("w-b2", "w-b2-post", null, T);
    assertThat(twice.status()).isEqualTo(PostStatus.PENDING_ALREADY_SETTLED);
    assertThat(twice.message()).contains("w-b2-void");
    assertThat(ledger.postPending("w-b1", "w-b1-post", "30.00", T).status())
        .as("the same id with other content").isEqualTo(PostStatus.EXISTS_WITH_DIFFERENT_CONTENT);
    CurrencyBalance line = balance(wallet);
    assertThat(line.balanceMinor()).isEqualTo(8_750);
    assertThat(line.availableMinor()).isEqualTo(8_750);
    assertThat(ledger.entry("w-b1-post").orElseThrow().entry().settlement())
        .isEqualTo(new Settlement("w-b1", Settlement.Kind.POST));
    assertThat(ledger.entry("w-b2-void").orElseThrow().entry().settlement())
        .isEqualTo(new Settlement("w-b2", Settlement.Kind.VOID));
    assertThat(balance("assets:bank:icbc:main").balanceMinor()).isGreaterThanOrEqualTo(1_250);
    assertThat(ledger.postPending("w-b9", "x", null, T).status()).isEqualTo(PostStatus.PENDING_NOT_FOUND);
  }

  @Test
  void oneBatchMayHoldAPendingEntryItsPartialPostAndOrdinaryEntriesAroundThem() {
    String wallet = wallet("f", "100.00");
    Entry pending = withdrawal("w-f1", wallet, "40.00", FAR);
    Entry spend = Entry.of("t-f2", T, "spend", Map.of(), List.of(
        Posting.debit("expenses:f", "60.00", "CNY"), Posting.credit(wallet, "60.00", "CNY")));
    var result = ledger.postAll(List.of(pending, pending.pendingPost("w-f1-post", "25.00", T), spend));
    assertThat(result.results()).extracting(PostResult::status)
        .containsExactly(PostStatus.CREATED, PostStatus.CREATED, PostStatus.CREATED);
    assertThat(balance(wallet).balanceMinor()).isEqualTo(1_500);
    assertThat(balance(wallet).availableMinor()).isEqualTo(1_500);
    var refused = ledger.postAll(List.of(withdrawal("w-f3", wallet, "10.00", FAR),
        Entry.of("t-f4", T, "spend", Map.of(), List.of(
            Posting.debit("expenses:f", "5.01", "CNY"), Posting.credit(wallet, "5.01", "CNY")))));
    assertThat(refused.results()).extracting(PostResult::status)
        .containsExactly(PostStatus.REJECTED_WITH_BATCH, PostStatus.OVERDRAFT);
    assertThat(ledger.entry("w-f3")).isEmpty();
  }

  @Test
  void anExpiredPendingEntryReservesNothingAndCannotBeSettled() {
    String wallet = wallet("c", "100.00");
    Instant past = Instant.parse("2020-01-01T00:00:00Z");
    assertThat(ledger.post(withdrawal("w-c1", wallet, "80.00", past)).status()).isEqualTo(PostStatus.CREATED);
    assertThat(balance(wallet).availableMinor()).isEqualTo(10_000);
    assertThat(ledger.pendingEntries(true)).extracting(p -> p.recorded().id()).contains("w-c1");
    assertThat(ledger.pendingEntries(false)).extracting(p -> p.recorded().id()).doesNotContain("w-c1");
    assertThat(ledger.postPending("w-c1", "w-c1-post", null, T).status()).isEqualTo(PostStatus.PENDING_EXPIRED);
    assertThat(ledger.voidPending("w-c1", "w-c1-void", null, T).status()).isEqualTo(PostStatus.PENDING_EXPIRED);
  }

  @Test
  void eightConcurrentPostsOfOnePendingEntrySettleItExactlyOnce() throws Exception {
    String wallet = wallet("d", "100.00");
    ledger.post(withdrawal("w-d1", wallet, "30.00", FAR));
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<PostResult>> futures = new ArrayList<>();
    try {
      for (int i = 0; i < writers; i++) {
        String id = "w-d1-post-" + i;
        futures.add(pool.submit(() -> {
          start.await();
          return ledger.postPending("w-d1", id, null, T);
        }));
      }
      start.countDown();
      List<PostStatus> statuses = new ArrayList<>();
      for (Future<PostResult> future : futures) {
        statuses.add(future.get().status());
      }
      assertThat(statuses).filteredOn(s -> s == PostStatus.CREATED).hasSize(1);
      assertThat(statuses).filteredOn(s -> s == PostStatus.PENDING_ALREADY_SETTLED).hasSize(writers - 1);
    } finally {
      pool.shutdownNow();
    }
    assertThat(balance(wallet).balanceMinor()).isEqualTo(7_000);
    assertThat(balance(wallet).availableMinor()).isEqualTo(7_000);
    assertThat(count("SELECT count(*) FROM pending_settlements WHERE pending_id = 'w-d1'")).isEqualTo(1);
    assertThat(database.verify().ok()).isTrue();
  }

  @Test
  void theAppRoleCannotSettleTwiceOrOverReserveWithRawSql() throws SQLException {
    String wallet = wallet("e", "100.00");
    ledger.post(withdrawal("w-e1", wallet, "30.00", FAR));
    ledger.voidPending("w-e1", "w-e1-void", null, T);
    String settle = "SELECT ledger_post_pending('raw-e1', now(), 'raw', '{}', sha256('x'), NULL, 'w-e1', 'post',"
        + " ARRAY['assets:bank:icbc:main', '" + wallet + "'], ARRAY['CNY', 'CNY'], ARRAY[3000, -3000]::bigint[])";
    assertThat(stateAsApp(settle)).isEqualTo("LD007");
    String reserve = "SELECT ledger_post_pending('raw-e2', now(), 'raw', '{}', sha256('x'), '2100-01-01', NULL,"
        + " NULL, ARRAY['assets:bank:icbc:main', '" + wallet + "'], ARRAY['CNY', 'CNY'],"
        + " ARRAY[10001, -10001]::bigint[])";
    assertThat(stateAsApp(reserve)).isEqualTo("LD006");
    assertThat(stateAsApp("INSERT INTO pending_settlements VALUES ('raw-e3', 'w-e1', 'void')")).isEqualTo("42501");
    assertThat(stateAsApp("DELETE FROM pending_settlements")).isEqualTo("42501");
    assertThat(count("SELECT count(*) FROM entries WHERE id LIKE 'raw-e%'")).isZero();
  }

  @Test
  void verifyNamesAPendingEntryWhoseExpiryOrSettlementWasAlteredWithTheTriggersOff() {
    for (String tamper : new String[] {
        "UPDATE pending_entries SET expires_at = '2200-01-01' WHERE entry_id = 't-1'",
        "DELETE FROM pending_settlements WHERE pending_id = 't-1'"}) {
      LedgerDatabase other = TestDatabases.fresh();
      try {
        PostgresLedger ledger = other.ledger();
        ledger.post(Entry.of("fund", T, "fund", Map.of(), List.of(Posting.debit("assets:w", "5.00", "CNY"),
            Posting.credit("equity:w", "5.00", "CNY"))));
        ledger.post(Entry.of("t-1", T, "hold", Map.of(), List.of(Posting.debit("assets:x", "5.00", "CNY"),
            Posting.credit("assets:w", "5.00", "CNY"))).withPending(FAR));
        assertThat(ledger.voidPending("t-1", "t-1-void", null, T).status()).isEqualTo(PostStatus.CREATED);
        assertThat(other.verify().ok()).as("before %s", tamper).isTrue();
        Tampering.asSuperuser(TestDatabases.databaseOf(other), tamper);
        VerifyReport report = other.verify();
        assertThat(report.ok()).as(tamper).isFalse();
        assertThat(report.entryId()).as(tamper).isIn("t-1", "t-1-void");
      } finally {
        other.close();
      }
    }
  }

  private static long count(String sql) throws SQLException {
    try (Connection c = TestDatabases.superuser(TestDatabases.databaseOf(database)); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static String stateAsApp(String sql) {
    try (Connection c = TestDatabases.superuser(TestDatabases.databaseOf(database)); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute("SET ROLE ledger_app");
      s.execute(sql);
      c.commit();
      return "no error";
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }
}
