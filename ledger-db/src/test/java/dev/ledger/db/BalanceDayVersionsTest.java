package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.account.AccountCode;
import dev.ledger.journal.BalanceQuery;
import dev.ledger.journal.Entry;
import dev.ledger.money.Amounts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checkpoint versions (V20): written by the trigger on balance_days only when a day is written
 * again, immutable, read-only for the roles, and checked by verify against the postings.
 */
class BalanceDayVersionsTest {
  private static final Instant DAY1 = Instant.parse("2024-09-01T10:00:00Z");
  private static final Instant DAY2 = Instant.parse("2024-09-02T10:00:00Z");
  private static final String CLEARING = "assets:wallet:wechatpay:clearing";

  /** Versions of the clearing account's CNY day 2024-09-01 as "recorded_at debits credits". */
  private static List<String> versions(String name) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT recorded_at, debits, credits FROM balance_day_versions"
            + " WHERE account = '" + CLEARING + "' AND currency = 'CNY' AND day = '2024-09-01T00:00:00Z'"
            + " ORDER BY recorded_at, debits, credits")) {
      while (rs.next()) {
        out.add(rs.getObject(1, java.time.OffsetDateTime.class).toInstant() + " " + rs.getLong(2) + " "
            + rs.getLong(3));
      }
    }
    return out;
  }

  private static long count(String name, String sql) throws SQLException {
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static Instant recorded(LedgerDatabase database, String id) {
    return database.ledger().entry(id).orElseThrow().recordedAt();
  }

  private static String state(String name, String role, String sql) {
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement()) {
      if (role != null) {
        s.execute("SET ROLE " + role);
      }
      s.execute(sql);
      return "no error";
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }

  private static long knownAt(LedgerDatabase database, Instant asOf, Instant knownAt) {
    return database.ledger().balance(new BalanceQuery(AccountCode.parse(CLEARING), asOf, knownAt, null))
        .balanceMinor(Amounts.currency("CNY"));
  }

  @Test
  void aDayWrittenOnceHasNoVersionAndItsSecondWriteRecordsTheOldAndTheNewTotals() throws SQLException {
    try (LedgerDatabase database = TestDatabases.freshWithCheckpointsFrom(0)) {
      String name = TestDatabases.databaseOf(database);
      database.ledger().post(PostgresLedgerReadTest.pay("v-1", "10.00", DAY1));
      database.ledger().post(PostgresLedgerReadTest.pay("v-2", "1.00", DAY2));
      assertThat(versions(name)).isEmpty();

      database.ledger().post(PostgresLedgerReadTest.pay("v-3", "20.00", DAY1.plusSeconds(60)));
      database.ledger().post(PostgresLedgerReadTest.pay("v-4", "5.00", DAY1.minusSeconds(60)));
      assertThat(versions(name)).containsExactly(recorded(database, "v-1") + " 1000 0",
          recorded(database, "v-3") + " 3000 0", recorded(database, "v-4") + " 3500 0");
      assertThat(count(name, "SELECT count(*) FROM balance_day_versions WHERE day = '2024-09-02T00:00:00Z'"))
          .as("day 2 was written once").isZero();
      assertThat(knownAt(database, DAY2, recorded(database, "v-3"))).isEqualTo(31_00);
      assertThat(knownAt(database, DAY2, recorded(database, "v-3").minusNanos(1000))).isEqualTo(11_00);
    }
  }

  @Test
  void versionsAreImmutableForEveryRoleAndTheApplicationAndAuditorMayOnlyReadThem() {
    try (LedgerDatabase database = TestDatabases.freshWithCheckpointsFrom(0)) {
      String name = TestDatabases.databaseOf(database);
      database.ledger().post(PostgresLedgerReadTest.pay("v-1", "10.00", DAY1));
      database.ledger().post(PostgresLedgerReadTest.pay("v-2", "20.00", DAY1));
      assertThat(state(name, null, "UPDATE balance_day_versions SET debits = 0")).isEqualTo("LD001");
      assertThat(state(name, null, "DELETE FROM balance_day_versions")).isEqualTo("LD001");
      assertThat(state(name, null, "TRUNCATE balance_day_versions")).isEqualTo("LD001");
      String insert = "INSERT INTO balance_day_versions VALUES ('" + CLEARING + "', 'CNY',"
          + " '2024-09-01T00:00:00Z', now(), 1, 0)";
      assertThat(state(name, "ledger_app", insert)).isEqualTo("42501");
      assertThat(state(name, "ledger_auditor", insert)).isEqualTo("42501");
      assertThat(state(name, "ledger_app", "SELECT count(*) FROM balance_day_versions")).isEqualTo("no error");
      assertThat(state(name, "ledger_auditor", "SELECT count(*) FROM balance_day_versions"))
          .isEqualTo("no error");
    }
  }

  @Test
  void verifyNamesAVersionAlteredOrInventedWithTheTriggersOff() throws SQLException {
    try (LedgerDatabase database = TestDatabases.freshWithCheckpointsFrom(0)) {
      String name = TestDatabases.databaseOf(database);
      database.ledger().post(PostgresLedgerReadTest.pay("v-1", "10.00", DAY1));
      database.ledger().post(PostgresLedgerReadTest.pay("v-2", "20.00", DAY1));
      assertThat(database.verify().ok()).isTrue();
      String first = " WHERE account = '" + CLEARING + "' AND recorded_at = (SELECT min(recorded_at)"
          + " FROM balance_day_versions)";
      Tampering.asSuperuser(name, "UPDATE balance_day_versions SET debits = debits + 1" + first);
      VerifyReport altered = database.verify();
      assertThat(altered.ok()).isFalse();
      assertThat(altered.balanceMismatches()).singleElement().asString()
          .contains("checkpoint version " + CLEARING + " CNY 2024-09-01T00:00:00Z",
              "recorded at " + recorded(database, "v-1"), "stored debits/credits 1001/0",
              "postings recorded by then give 1000/0");

      Tampering.asSuperuser(name, "UPDATE balance_day_versions SET debits = debits - 1" + first,
          "INSERT INTO balance_day_versions VALUES ('" + CLEARING + "', 'CNY', '2024-09-01T00:00:00Z',"
              + " '2024-08-01T00:00:00Z', 1, 0)");
      VerifyReport invented = database.verify();
      assertThat(invented.balanceMismatches()).singleElement().asString()
          .contains("recorded at 2024-08-01T00:00:00Z", "no posting of that day was recorded then");
    }
  }

  @Test
  void aDeletedVersionIsNamedByVerifyAndTheReadStillSumsThatDayExactly() throws SQLException {
    try (LedgerDatabase database = TestDatabases.freshWithCheckpointsFrom(0)) {
      String name = TestDatabases.databaseOf(database);
      List<Entry> entries = List.of(PostgresLedgerReadTest.pay("v-1", "10.00", DAY1),
          PostgresLedgerReadTest.pay("v-2", "20.00", DAY1), PostgresLedgerReadTest.pay("v-3", "40.00", DAY1));
      entries.forEach(database.ledger()::post);
      Instant second = recorded(database, "v-2");
      assertThat(knownAt(database, DAY2, second)).isEqualTo(30_00);
      Tampering.asSuperuser(name, "DELETE FROM balance_day_versions WHERE account = '" + CLEARING + "'");
      VerifyReport report = database.verify();
      assertThat(report.ok()).isFalse();
      assertThat(report.balanceMismatches()).hasSize(3)
          .allSatisfy(m -> assertThat(m).contains("checkpoint version " + CLEARING, "row missing"));
      assertThat(knownAt(database, DAY2, second)).isEqualTo(30_00);
      assertThat(knownAt(database, DAY2, second.minusNanos(1000))).isEqualTo(10_00);
    }
  }
}
