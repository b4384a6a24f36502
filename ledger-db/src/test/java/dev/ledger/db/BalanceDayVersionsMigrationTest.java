package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ledger.account.AccountCode;
import dev.ledger.journal.BalanceQuery;
import dev.ledger.journal.PostStatus;
import dev.ledger.money.Amounts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * A ledger written before V20 (daily checkpoints without versions) migrates with versions
 * backfilled from its postings: balances as known at any recording time of the old entries are
 * the plain sums of the postings, verify passes, and later posts add versions on top.
 */
class BalanceDayVersionsMigrationTest {
  private static final String CLEARING = "assets:wallet:wechatpay:clearing";
  private static final Instant DAY1 = Instant.parse("2024-09-01T10:00:00Z");

  @Test
  void aLedgerPostedBeforeV20ReadsAsKnownAtEachOldRecordingTimeLikeThePostingsSumAfterIt() throws Exception {
    String name = "t_versions_migration_" + ProcessHandle.current().pid();
    TestDatabases.server();
    try (Connection c = TestDatabases.superuser("postgres"); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    }
    String url = TestDatabases.url(name);
    try {
      Flyway.configure().dataSource(url, TestDatabases.server().user(), null)
          .locations("classpath:db/migration").target("19").load().migrate();
      List<String> ids = new ArrayList<>();
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(url);
      config.setUsername(TestDatabases.server().user());
      config.setMaximumPoolSize(2);
      try (HikariDataSource before = new HikariDataSource(config)) {
        // The write path of V19; backdated entries land in days written by earlier posts.
        PostgresLedger old = new PostgresLedger(before);
        for (int i = 0; i < 12; i++) {
          String id = "old-" + i;
          Instant at = DAY1.plusSeconds(86_400L * (i % 3)).minusSeconds(60L * i);
          assertThat(old.post(PostgresLedgerReadTest.pay(id, (i + 1) + ".00", at)).status())
              .isEqualTo(PostStatus.CREATED);
          ids.add(id);
        }
        old.sealPending();
      }
      try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT to_regclass('balance_day_versions') IS NULL")) {
        rs.next();
        assertThat(rs.getBoolean(1)).as("built before V20").isTrue();
      }

      try (LedgerDatabase database = LedgerDatabase.connect(url, TestDatabases.server().user(), null)) {
        assertThat(Integer.parseInt(database.schemaVersion())).as("migrated past V20").isGreaterThanOrEqualTo(20);
        PostgresLedger ledger = database.ledger();
        assertThat(database.ledger().post(PostgresLedgerReadTest.pay("new-1", "100.00", DAY1)).status())
            .isEqualTo(PostStatus.CREATED);
        ids.add("new-1");
        try (Connection c = TestDatabases.superuser(name)) {
          assertThat(count(c, "SELECT count(*) FROM balance_day_versions WHERE account = '" + CLEARING + "'"))
              .as("one version per recording time of each day written more than once").isEqualTo(12 + 1);
          for (String id : ids) {
            Instant known = ledger.entry(id).orElseThrow().recordedAt();
            for (Instant k : List.of(known, known.minusNanos(1000))) {
              for (Instant t : List.of(DAY1, DAY1.plusSeconds(86_400), DAY1.plusSeconds(3 * 86_400))) {
                long read = ledger.balance(new BalanceQuery(AccountCode.parse(CLEARING), t, k, null))
                    .balanceMinor(Amounts.currency("CNY"));
                assertThat(read).as("as of %s as known at %s", t, k).isEqualTo(postingsSum(c, t, k));
              }
            }
          }
        }
        VerifyReport report = database.verify();
        assertThat(report.ok()).as(report.toString()).isTrue();
      }
    } finally {
      try (Connection c = TestDatabases.superuser("postgres"); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long postingsSum(Connection c, Instant t, Instant k) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT coalesce(sum(amount), 0) FROM postings"
        + " WHERE account = ? AND effective_at <= ? AND recorded_at <= ?")) {
      s.setString(1, CLEARING);
      s.setObject(2, Rows.time(t));
      s.setObject(3, Rows.time(k));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
