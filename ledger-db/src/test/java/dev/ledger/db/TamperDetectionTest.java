package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.journal.Entry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A superuser disables the triggers and edits rows directly; verify must still name the first
 * entry whose content, order or presence no longer matches.
 */
class TamperDetectionTest {
  private static final Instant T0 = Instant.parse("2024-09-01T08:00:00Z");

  private record Tampered(LedgerDatabase database, String name) {}

  private static Tampered ledgerWithTenEntries() {
    LedgerDatabase database = TestDatabases.fresh();
    List<Entry> entries = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      entries.add(PostgresLedgerPostingTest.payment("e-" + i, i + ".00", T0.plusSeconds(i)));
    }
    database.ledger().postAll(entries.subList(0, 5));
    database.ledger().postAll(entries.subList(5, 10));
    assertThat(database.verify().ok()).isTrue();
    return new Tampered(database, TestDatabases.databaseOf(database));
  }

  private static VerifyReport tamper(String... statements) {
    Tampered t = ledgerWithTenEntries();
    try (Connection c = TestDatabases.superuser(t.name()); Statement s = c.createStatement()) {
      s.execute("ALTER TABLE entries DISABLE TRIGGER ALL");
      s.execute("ALTER TABLE postings DISABLE TRIGGER ALL");
      for (String sql : statements) {
        s.execute(sql);
      }
      s.execute("ALTER TABLE entries ENABLE TRIGGER ALL");
      s.execute("ALTER TABLE postings ENABLE TRIGGER ALL");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    try {
      return t.database().verify();
    } finally {
      t.database().close();
    }
  }

  @Test
  void anUpdatedPostingAmountIsNamed() {
    VerifyReport report = tamper(
        "UPDATE postings SET amount = amount * 10 WHERE entry_sequence = 4 AND posting_index = 0",
        "UPDATE balances SET debits = debits");
    assertThat(report.ok()).isFalse();
    assertThat(report.entryId()).isEqualTo("e-4");
    assertThat(report.problem()).contains("not a valid entry"); // now unbalanced
    assertThat(report.balanceMismatches()).isNotEmpty();
  }

  @Test
  void aBalancedEditOfBothPostingsIsNamedAsAlteredContent() {
    VerifyReport report = tamper("UPDATE postings SET amount = amount * 2 WHERE entry_sequence = 6");
    assertThat(report.entryId()).isEqualTo("e-6");
    assertThat(report.problem()).contains("does not match its stored hash");
  }

  @Test
  void aDeletedEntryIsNamedThroughTheEntryAfterTheGap() {
    VerifyReport report = tamper(
        "DELETE FROM postings WHERE entry_sequence = 3", "DELETE FROM entries WHERE sequence = 3");
    assertThat(report.ok()).isFalse();
    assertThat(report.entryId()).isEqualTo("e-4");
    assertThat(report.problem()).contains("sequence 3", "missing");
  }

  @Test
  void aDeletedLastEntryIsCaughtByTheChainHead() {
    VerifyReport report = tamper(
        "DELETE FROM postings WHERE entry_sequence = 10", "DELETE FROM entries WHERE sequence = 10");
    assertThat(report.ok()).isFalse();
    assertThat(report.sequence()).isEqualTo(10L);
    assertThat(report.problem()).contains("removed at the end");
  }

  @Test
  void aForgedEntryInsertedInTheMiddleIsNamed() {
    VerifyReport report = tamper(
        "INSERT INTO entries SELECT 11, 'forged', effective_at, recorded_at, description, metadata, NULL,"
            + " posting_count, content_hash, prev_hash, hash FROM entries WHERE sequence = 2",
        "INSERT INTO postings SELECT 11, posting_index, account, currency, amount, effective_at,"
            + " recorded_at FROM postings WHERE entry_sequence = 2");
    assertThat(report.ok()).isFalse();
    assertThat(report.entryId()).isEqualTo("forged");
  }

  @Test
  void swappedSequenceNumbersAreNamed() {
    VerifyReport report = tamper(
        "UPDATE entries SET sequence = 1000 WHERE sequence = 7",
        "UPDATE entries SET sequence = 7 WHERE sequence = 8",
        "UPDATE entries SET sequence = 8 WHERE sequence = 1000");
    assertThat(report.ok()).isFalse();
    assertThat(report.entryId()).isEqualTo("e-8");
    assertThat(report.sequence()).isEqualTo(7L);
  }
}
