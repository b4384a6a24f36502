package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.account.AccountCode;
import dev.ledger.journal.BalanceQuery;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.Posting;
import dev.ledger.journal.PostingRules;
import dev.ledger.money.Amounts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * Daily checkpoints only from a balance row's checkpoint_postings_min-th posting on (V26): below
 * it a row has no day rows and is read from its postings; the post, batch or stream that reaches
 * it writes the row's whole history of day rows and versions, the same as a ledger that kept them
 * from the first posting; verify holds the flag and the count to the postings; and a ledger
 * written before V26 keeps checkpointing every row it has.
 */
class CheckpointStartTest {
  private static final String CLEARING = "assets:wallet:wechatpay:clearing";
  private static final String FEES = "expenses:fees:wechatpay";
  private static final Instant DAY1 = Instant.parse("2024-09-01T10:00:00Z");
  private static final long DAY = 86_400;

  private static Entry pay(String id, String amount, Instant at) {
    return PostgresLedgerReadTest.pay(id, CLEARING, amount, at);
  }

  private static Entry fee(String id, String amount, Instant at) {
    return Entry.of(id, at, "fee " + id, Map.of(),
        List.of(Posting.debit(FEES, amount, "CNY"), Posting.credit(CLEARING, amount, "CNY")));
  }

  @Test
  void aRowBelowTheMinimumHasNoDayRowsAndThePostThatReachesItWritesTheHistoryALedgerCheckpointingFromTheStartHas()
      throws SQLException {
    try (LedgerDatabase late = TestDatabases.freshWithCheckpointsFrom(5);
        LedgerDatabase early = TestDatabases.freshWithCheckpointsFrom(0)) {
      // Backdated single posts, two of them into the same day at different recording times.
      List<Entry> singles = List.of(pay("p-1", "1.00", DAY1.plusSeconds(2 * DAY)), pay("p-2", "2.00", DAY1),
          pay("p-3", "3.00", DAY1.plusSeconds(2 * DAY + 60)), pay("p-4", "4.00", DAY1.plusSeconds(DAY)));
      for (LedgerDatabase db : List.of(late, early)) {
        singles.forEach(e -> assertThat(db.ledger().post(e).status()).isEqualTo(PostStatus.CREATED));
      }
      assertThat(row(late, CLEARING)).isEqualTo("4 false");
      assertThat(dayRows(late, CLEARING)).isEmpty();
      assertThat(versions(late, CLEARING)).isEmpty();
      assertThat(balances(late)).isEqualTo(balances(early));

      // One batch takes the row from 4 postings to 7, into days it had and a day it did not.
      List<Entry> batch = List.of(pay("b-1", "10.00", DAY1), pay("b-2", "20.00", DAY1.plusSeconds(3 * DAY)),
          fee("b-3", "0.50", DAY1.plusSeconds(2 * DAY)));
      for (LedgerDatabase db : List.of(late, early)) {
        assertThat(db.ledger().postAll(batch).results())
            .allSatisfy(r -> assertThat(r.status()).isEqualTo(PostStatus.CREATED));
      }
      assertThat(row(late, CLEARING)).isEqualTo("7 true");
      assertThat(row(late, FEES)).as("one posting: still below").isEqualTo("1 false");
      assertThat(dayRows(late, CLEARING)).hasSize(4).isEqualTo(dayRows(early, CLEARING));
      assertThat(versions(late, CLEARING)).isNotEmpty().isEqualTo(versions(early, CLEARING));
      assertThat(dayRows(late, FEES)).isEmpty();
      assertThat(balances(late)).isEqualTo(balances(early));

      // After the start, posts add to the day rows as they always did.
      for (LedgerDatabase db : List.of(late, early)) {
        assertThat(db.ledger().post(pay("p-5", "5.00", DAY1.plusSeconds(DAY))).status())
            .isEqualTo(PostStatus.CREATED);
      }
      assertThat(dayRows(late, CLEARING)).isEqualTo(dayRows(early, CLEARING));
      assertThat(versions(late, CLEARING)).isEqualTo(versions(early, CLEARING));
      assertThat(balances(late)).isEqualTo(balances(early));
      for (LedgerDatabase db : List.of(late, early)) {
        VerifyReport report = db.verify();
        assertThat(report.ok()).as(report.toString()).isTrue();
      }
    }
  }

  @Test
  void aStreamThatTakesARowPastTheMinimumWritesItsDayRowsAtItsEnd() throws SQLException {
    try (LedgerDatabase late = TestDatabases.freshWithCheckpointsFrom(5);
        LedgerDatabase early = TestDatabases.freshWithCheckpointsFrom(0)) {
      for (LedgerDatabase db : List.of(late, early)) {
        assertThat(db.ledger().post(pay("p-1", "1.00", DAY1)).status()).isEqualTo(PostStatus.CREATED);
      }
      List<List<Entry>> chunks = List.of(
          List.of(pay("s-1", "1.00", DAY1), pay("s-2", "2.00", DAY1.plusSeconds(DAY)), fee("s-3", "0.10", DAY1)),
          List.of(pay("s-4", "4.00", DAY1.plusSeconds(2 * DAY)), pay("s-5", "5.00", DAY1.plusSeconds(DAY))));
      List<PostingRules.Key> keys = chunks.stream().flatMap(List::stream).flatMap(e -> e.postings().stream())
          .map(p -> new PostingRules.Key(p.account(), p.currency())).distinct().toList();
      for (LedgerDatabase db : List.of(late, early)) {
        PostSummary summary = db.ledger().postStream(chunks::iterator, keys, true);
        assertThat(summary.committed()).as(summary.toString()).isTrue();
      }
      assertThat(row(late, CLEARING)).isEqualTo("6 true");
      assertThat(row(late, FEES)).isEqualTo("1 false");
      assertThat(dayRows(late, CLEARING)).hasSize(3).isEqualTo(dayRows(early, CLEARING));
      assertThat(versions(late, CLEARING)).isEqualTo(versions(early, CLEARING));
      assertThat(dayRows(late, FEES)).isEmpty();
      assertThat(balances(late)).isEqualTo(balances(early));
      VerifyReport report = late.verify();
      assertThat(report.ok()).as(report.toString()).isTrue();
    }
  }

  @Test
  void aMinimumLoweredOnALiveLedgerStartsARowAtItsNextPostAndARaisedOneKeepsTheRowsStarted()
      throws SQLException {
    try (LedgerDatabase late = TestDatabases.freshWithCheckpointsFrom(256);
        LedgerDatabase early = TestDatabases.freshWithCheckpointsFrom(0)) {
      for (LedgerDatabase db : List.of(late, early)) {
        for (int i = 0; i < 3; i++) {
          assertThat(db.ledger().post(pay("p-" + i, (i + 1) + ".00", DAY1.plusSeconds(DAY * i))).status())
              .isEqualTo(PostStatus.CREATED);
        }
      }
      assertThat(row(late, CLEARING)).isEqualTo("3 false");
      setMinimum(late, 2);
      assertThat(row(late, CLEARING)).as("the setting alone writes nothing").isEqualTo("3 false");
      for (LedgerDatabase db : List.of(late, early)) {
        assertThat(db.ledger().post(fee("f-1", "0.25", DAY1.plusSeconds(DAY))).status())
            .isEqualTo(PostStatus.CREATED);
      }
      assertThat(row(late, CLEARING)).isEqualTo("4 true");
      assertThat(row(late, FEES)).as("one posting, below the lowered minimum").isEqualTo("1 false");
      assertThat(dayRows(late, CLEARING)).hasSize(3).isEqualTo(dayRows(early, CLEARING));
      assertThat(versions(late, CLEARING)).isEqualTo(versions(early, CLEARING));

      setMinimum(late, 1_000);
      for (LedgerDatabase db : List.of(late, early)) {
        assertThat(db.ledger().post(pay("p-9", "9.00", DAY1.plusSeconds(4 * DAY))).status())
            .isEqualTo(PostStatus.CREATED);
      }
      assertThat(row(late, CLEARING)).isEqualTo("5 true");
      assertThat(dayRows(late, CLEARING)).hasSize(4).isEqualTo(dayRows(early, CLEARING));
      assertThat(balances(late)).isEqualTo(balances(early));
      VerifyReport report = late.verify();
      assertThat(report.ok()).as(report.toString()).isTrue();
    }
  }

  private static void setMinimum(LedgerDatabase db, int postingsMin) throws SQLException {
    try (Connection c = TestDatabases.superuser(TestDatabases.databaseOf(db)); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE ledger_settings SET checkpoint_postings_min = " + postingsMin);
    }
  }

  @Test
  void verifyNamesADayRowOfARowWithoutCheckpointsARowMarkedCheckpointedWithoutThemAndAWrongCount()
      throws SQLException {
    try (LedgerDatabase db = TestDatabases.freshWithCheckpointsFrom(5)) {
      assertThat(db.ledger().post(pay("p-1", "1.00", DAY1)).status()).isEqualTo(PostStatus.CREATED);
      assertThat(db.ledger().post(pay("p-2", "2.00", DAY1)).status()).isEqualTo(PostStatus.CREATED);
      String name = TestDatabases.databaseOf(db);
      try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
        s.execute("INSERT INTO balance_days VALUES ('" + CLEARING + "', 'CNY', '2024-09-01T00:00:00Z', 300, 0,"
            + " now(), now())");
        assertThat(db.verify().balanceMismatches()).singleElement().asString()
            .contains("daily checkpoint " + CLEARING + " CNY 2024-09-01T00:00:00Z", "keeps no checkpoints");
        s.execute("DELETE FROM balance_days");
        s.execute("UPDATE balances SET checkpointed = true WHERE account = '" + CLEARING + "'");
        assertThat(db.verify().balanceMismatches()).hasSize(3)
            .anySatisfy(m -> assertThat(m).contains("daily checkpoint " + CLEARING + " CNY 2024-09-01T00:00:00Z: row missing"))
            .anySatisfy(m -> assertThat(m).contains("checkpoint version " + CLEARING, "row missing, postings give 300/0"));
        s.execute("UPDATE balances SET checkpointed = false, posting_count = 9 WHERE account = '" + CLEARING + "'");
        assertThat(db.verify().balanceMismatches()).singleElement().asString()
            .contains("balance " + CLEARING + " CNY: stored posting count 9, postings give 2");
      }
    }
  }

  @Test
  void aLedgerPostedBeforeV26KeepsItsDayRowsAndCountsThePostingsOfEveryRow() throws Exception {
    String name = "t_checkpoint_start_migration_" + ProcessHandle.current().pid();
    TestDatabases.server();
    try (Connection c = TestDatabases.superuser("postgres"); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    }
    String url = TestDatabases.url(name);
    try {
      Flyway.configure().dataSource(url, TestDatabases.server().user(), null)
          .locations("classpath:db/migration").target("25").load().migrate();
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setUsername(TestDatabases.server().user());
      config.setMaximumPoolSize(2);
      try (HikariDataSource before = new HikariDataSource(config)) {
        PostgresLedger old = new PostgresLedger(before);
        for (int i = 0; i < 3; i++) {
          assertThat(old.post(pay("old-" + i, (i + 1) + ".00", DAY1.plusSeconds(DAY * i))).status())
              .isEqualTo(PostStatus.CREATED);
        }
        old.sealPending();
      }
      try (LedgerDatabase database = LedgerDatabase.connect(url, TestDatabases.server().user(), null)) {
        assertThat(row(database, CLEARING)).as("V25's rows keep their day rows").isEqualTo("3 true");
        assertThat(dayRows(database, CLEARING)).hasSize(3);
        assertThat(database.ledger().post(pay("new-1", "10.00", DAY1.plusSeconds(5 * DAY))).status())
            .isEqualTo(PostStatus.CREATED);
        assertThat(row(database, CLEARING)).isEqualTo("4 true");
        assertThat(dayRows(database, CLEARING)).hasSize(4);
        assertThat(database.ledger().balance(new BalanceQuery(AccountCode.parse(CLEARING), DAY1.plusSeconds(DAY), null,
            null)).balanceMinor(Amounts.currency("CNY"))).isEqualTo(3_00);
        VerifyReport report = database.verify();
        assertThat(report.ok()).as(report.toString()).isTrue();
      }
    } finally {
      try (Connection c = TestDatabases.superuser("postgres"); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }
  }

  /** The row's posting count and whether it keeps daily checkpoints. */
  private static String row(LedgerDatabase db, String account) throws SQLException {
    List<String> rows = query(db, "SELECT posting_count || ' ' || checkpointed FROM balances WHERE account = '"
        + account + "' AND currency = 'CNY'");
    assertThat(rows).hasSize(1);
    return rows.get(0);
  }

  private static List<String> dayRows(LedgerDatabase db, String account) throws SQLException {
    return query(db, "SELECT day || ' ' || debits || ' ' || credits || ' ' || (min_recorded_at = max_recorded_at)"
        + " FROM balance_days WHERE account = '" + account + "' ORDER BY day");
  }

  /** Versions without their recording times, which differ between two ledgers. */
  private static List<String> versions(LedgerDatabase db, String account) throws SQLException {
    return query(db, "SELECT day || ' ' || debits || ' ' || credits FROM balance_day_versions"
        + " WHERE account = '" + account + "' ORDER BY day, recorded_at, debits, credits");
  }

  /** Every account's CNY balance as of the end of each day of the test and as of now. */
  private static List<Long> balances(LedgerDatabase db) {
    List<Long> out = new ArrayList<>();
    for (String account : List.of(CLEARING, FEES)) {
      for (int d = -1; d <= 4; d++) {
        Instant t = d < 0 ? null : DAY1.plusSeconds(DAY * d);
        out.add(db.ledger().balance(new BalanceQuery(AccountCode.parse(account), t, null, null))
            .balanceMinor(Amounts.currency("CNY")));
      }
    }
    return out;
  }

  private static List<String> query(LedgerDatabase db, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = TestDatabases.superuser(TestDatabases.databaseOf(db)); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }
}
