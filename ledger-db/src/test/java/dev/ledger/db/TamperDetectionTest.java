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
    database.ledger().sealPending(); // the second post came within the seal interval
    VerifyReport clean = database.verify();
    assertThat(clean.ok()).isTrue();
    assertThat(clean.seal().unsealed()).isZero();
    return new Tampered(database, TestDatabases.databaseOf(database));
  }

  private static VerifyReport tamper(String... statements) {
    Tampered t = ledgerWithTenEntries();
    try (Connection c = TestDatabases.superuser(t.name()); Statement s = c.createStatement()) {
      s.execute("SET session_replication_role = replica"); // every trigger off
      for (String sql : statements) {
        s.execute(sql);
      }
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
  void aDeletedEntryIsNamedByTheChainRecordThatSealedIt() {
    VerifyReport report = tamper(
        "DELETE FROM postings WHERE entry_sequence = 3", "DELETE FROM entries WHERE sequence = 3");
    assertThat(report.ok()).isFalse();
    assertThat(report.problem()).contains("entry with sequence 3 is sealed at", "missing (removed)");
    assertThat(report.balanceMismatches()).isNotEmpty();
  }

  @Test
  void aDeletedLastEntryIsNamedByTheChainRecordThatSealedIt() {
    VerifyReport report = tamper(
        "DELETE FROM postings WHERE entry_sequence = 10", "DELETE FROM entries WHERE sequence = 10");
    assertThat(report.ok()).isFalse();
    assertThat(report.problem()).contains("entry with sequence 10 is sealed at", "missing (removed)");
    assertThat(report.violations()).allSatisfy(v -> assertThat(v).doesNotContain("null"));
  }

  @Test
  void aDeletedLastChainRecordIsCaughtByTheChainHead() {
    VerifyReport report = tamper("DELETE FROM postings WHERE entry_sequence = 10",
        "DELETE FROM chain WHERE kind = 'entry' AND record_id = 10", "DELETE FROM entries WHERE sequence = 10");
    assertThat(report.ok()).isFalse();
    assertThat(report.problem()).contains("the chain head says the last record is sequence", "removed at the end");
    assertThat(report.summary()).startsWith("chain at sequence ");
  }

  @Test
  void anEntryWrittenAroundTheWritePathIsNamedAsNeitherSealedNorQueued() {
    VerifyReport report = tamper(
        "INSERT INTO entries SELECT 11, 'side-door', effective_at, recorded_at, description, metadata, NULL,"
            + " posting_count, content_hash FROM entries WHERE sequence = 2",
        "INSERT INTO postings SELECT 11, posting_index, account, currency, amount, effective_at,"
            + " recorded_at FROM postings WHERE entry_sequence = 2");
    assertThat(report.ok()).isFalse();
    assertThat(report.violations()).anyMatch(v -> v.contains("side-door"));
  }

  @Test
  void anAccountInsertedAroundTheWritePathIsNamedAsNeitherSealedNorQueued() {
    VerifyReport report = tamper(
        "INSERT INTO accounts (code, type, no_overdraft) VALUES ('assets:side:door', 'assets', true)");
    assertThat(report.accountViolations()).containsExactly("account assets:side:door: neither sealed into"
        + " the chain nor queued for it (written around the ledger)");
  }

  @Test
  void aStoredAccountTypeThatDisagreesWithTheCodeIsNamed() {
    VerifyReport report = tamper("ALTER TABLE accounts DROP CONSTRAINT accounts_type_code_ck",
        "UPDATE accounts SET type = 'liabilities' WHERE code = 'assets:wallet:wechatpay:clearing'");
    assertThat(report.ok()).isFalse();
    assertThat(report.problem()).isNull();
    assertThat(report.accountViolations()).contains("account assets:wallet:wechatpay:clearing:"
        + " stored type 'liabilities' disagrees with its code, which makes it 'assets' (altered)");
    assertThat(report.accountViolations()).anyMatch(v -> v.startsWith("account assets:wallet:wechatpay:clearing:"
        + " its type or no_overdraft flag is not what was sealed"));
  }

  @Test
  void sumsThatWouldOverflowAreNamedWithTheirAccountInsteadOfWrapping() {
    VerifyReport report = tamper("UPDATE postings SET amount = sign(amount) * 5000000000000000000"
        + " WHERE entry_sequence IN (1, 2)");
    assertThat(report.ok()).isFalse();
    assertThat(report.accountViolations()).contains(
        "account assets:wallet:wechatpay:clearing: the CNY sum overflows a 64-bit amount at entry e-2"
            + " (sequence 2); no stored balance can hold it",
        "account liabilities:merchant:m-88:payable: the CNY sum overflows a 64-bit amount at entry e-2"
            + " (sequence 2); no stored balance can hold it");
    assertThat(report.balanceMismatches()).noneMatch(m -> m.startsWith("balance assets:wallet:wechatpay:clearing"));
  }

  @Test
  void aPostingAmountOutsideTheRangeIsNamedNotNegatedIntoAWrap() {
    VerifyReport report = tamper(
        "UPDATE postings SET amount = -9223372036854775808 WHERE entry_sequence = 5 AND posting_index = 1");
    assertThat(report.entryId()).isEqualTo("e-5");
    assertThat(report.problem()).contains("out of range");
    assertThat(report.accountViolations()).anyMatch(v -> v.contains("liabilities:merchant:m-88:payable")
        && v.contains("overflows"));
  }

  /** Funds a no_overdraft wallet with 10.00; {@code overdraw} then spends 15.00 from it somehow. */
  private static VerifyReport overdrawn(boolean flaggedAtFirst, String before, String after) {
    LedgerDatabase database = TestDatabases.fresh();
    String name = TestDatabases.databaseOf(database);
    try {
      String wallet = "assets:wallet:alipay:clearing";
      database.ledger().createAccount(flaggedAtFirst
          ? dev.ledger.account.Account.noOverdraft(wallet) : dev.ledger.account.Account.of(wallet));
      database.ledger().post(Entry.of("fund", T0, "funding", java.util.Map.of(), List.of(
          dev.ledger.journal.Posting.debit(wallet, "10.00", "CNY"),
          dev.ledger.journal.Posting.credit("equity:capital", "10.00", "CNY"))));
      if (before != null) {
        Tampering.asSuperuser(name, before);
      }
      // A fresh ledger instance: the first one caches the flag, as it may (flags never change).
      PostgresLedger other = new PostgresLedger(database.dataSource());
      assertThat(other.post(Entry.of("spend", T0.plusSeconds(60), "spend", java.util.Map.of(), List.of(
          dev.ledger.journal.Posting.debit("expenses:fees:alipay", "15.00", "CNY"),
          dev.ledger.journal.Posting.credit(wallet, "15.00", "CNY")))).status())
          .isEqualTo(dev.ledger.journal.PostStatus.CREATED);
      if (after != null) {
        Tampering.asSuperuser(name, after);
      }
      return database.verify();
    } finally {
      database.close();
    }
  }

  @Test
  void aNoOverdraftFlagSwitchedOffToOverdrawAndBackOnIsNamed() {
    VerifyReport report = overdrawn(true,
        "UPDATE accounts SET no_overdraft = false WHERE code = 'assets:wallet:alipay:clearing'",
        "UPDATE accounts SET no_overdraft = true WHERE code = 'assets:wallet:alipay:clearing'");
    assertThat(report.ok()).isFalse();
    assertThat(report.problem()).isNull();
    assertThat(report.accountViolations()).containsExactly("account assets:wallet:alipay:clearing is"
        + " no_overdraft but its CNY balance goes below zero at entry spend (sequence 2): -5.00 CNY"
        + " (the flag was changed or an entry forged)");
  }

  @Test
  void aNoOverdraftFlagSetOnAnAccountThatWasOverdrawnIsNamed() {
    VerifyReport report = overdrawn(false, null,
        "UPDATE accounts SET no_overdraft = true WHERE code = 'assets:wallet:alipay:clearing'");
    assertThat(report.ok()).isFalse();
    assertThat(report.accountViolations()).anyMatch(v -> v.contains("assets:wallet:alipay:clearing")
        && v.contains("entry spend (sequence 2)"));
    assertThat(report.accountViolations()).contains("account assets:wallet:alipay:clearing: its type or"
        + " no_overdraft flag is not what was sealed at chain sequence 1 (altered)");
  }

  @Test
  void aNoOverdraftFlagClearedOnAnAccountThatNeverOverdrewIsNamed() {
    LedgerDatabase database = TestDatabases.fresh();
    try {
      database.ledger().createAccount(dev.ledger.account.Account.noOverdraft("assets:wallet:alipay:clearing"));
      Tampering.asSuperuser(TestDatabases.databaseOf(database),
          "UPDATE accounts SET no_overdraft = false WHERE code = 'assets:wallet:alipay:clearing'");
      assertThat(database.verify().accountViolations()).containsExactly("account"
          + " assets:wallet:alipay:clearing: its type or no_overdraft flag is not what was sealed at chain"
          + " sequence 1 (altered)");
    } finally {
      database.close();
    }
  }

  @Test
  void anAccountThatStaysWithinItsNoOverdraftBalanceVerifies() {
    LedgerDatabase database = TestDatabases.fresh();
    try {
      String wallet = "assets:wallet:alipay:clearing";
      database.ledger().createAccount(dev.ledger.account.Account.noOverdraft(wallet));
      assertThat(database.ledger().postAll(List.of(
          Entry.of("fund", T0, "funding", java.util.Map.of(), List.of(
              dev.ledger.journal.Posting.debit(wallet, "10.00", "CNY"),
              dev.ledger.journal.Posting.credit("equity:capital", "10.00", "CNY"))),
          Entry.of("spend-all", T0.plusSeconds(1), "spend", java.util.Map.of(), List.of(
              dev.ledger.journal.Posting.debit("expenses:fees:alipay", "10.00", "CNY"),
              dev.ledger.journal.Posting.credit(wallet, "10.00", "CNY"))))).committed()).isTrue();
      VerifyReport report = database.verify();
      assertThat(report.ok()).as(report.toString()).isTrue();
    } finally {
      database.close();
    }
  }

  @Test
  void aForgedEntryInsertedInTheMiddleIsNamed() {
    VerifyReport report = tamper(
        "INSERT INTO entries SELECT 11, 'forged', effective_at, recorded_at, description, metadata, NULL,"
            + " posting_count, content_hash FROM entries WHERE sequence = 2",
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
