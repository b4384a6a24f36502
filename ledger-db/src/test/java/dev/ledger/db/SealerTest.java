package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.journal.PostStatus;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The hash chain is off the commit path: a post commits while the chain head is locked by someone
 * else, verify reports it as committed and not yet sealed, and the next seal covers it.
 */
class SealerTest {
  private static final Instant T0 = Instant.parse("2024-09-01T08:00:00Z");

  @Test
  void aPostCommitsWhileTheChainHeadIsLockedAndTheNextSealCoversIt() throws Exception {
    try (LedgerDatabase database = TestDatabases.fresh();
        Connection holder = TestDatabases.superuser(TestDatabases.databaseOf(database))) {
      holder.setAutoCommit(false);
      try (Statement s = holder.createStatement()) {
        s.execute("SELECT * FROM chain_head FOR UPDATE");
      }
      assertThat(database.ledger().post(PostgresLedgerPostingTest.payment("while-locked", "1.00", T0)).status())
          .isEqualTo(PostStatus.CREATED);
      VerifyReport waiting = database.verify();
      assertThat(waiting.ok()).as(waiting.toString()).isTrue();
      assertThat(waiting.seal().sealed()).isZero();
      assertThat(waiting.seal().unsealed()).as("two accounts and the entry").isEqualTo(3);
      assertThat(waiting.toString()).contains("3 committed and not yet sealed");
      holder.rollback();

      // The post handed its seal to the background thread, which waited for the lock: the seal
      // of what is left (as a closing ledger makes it) finds everything sealed by then.
      database.ledger().sealPending();
      assertThat(Sealer.sealAll(database.dataSource())).isZero();
      VerifyReport sealed = database.verify();
      assertThat(sealed.ok()).as(sealed.toString()).isTrue();
      assertThat(sealed.seal().sealed()).isEqualTo(3);
      assertThat(sealed.seal().unsealed()).isZero();
      assertThat(sealed.seal().lag()).isZero();
    }
  }

  @Test
  void aQueuedRecordWhoseContentChangedBeforeItWasSealedIsNamed() throws Exception {
    try (LedgerDatabase database = TestDatabases.fresh();
        Connection holder = TestDatabases.superuser(TestDatabases.databaseOf(database))) {
      holder.setAutoCommit(false);
      try (Statement s = holder.createStatement()) {
        s.execute("SELECT * FROM chain_head FOR UPDATE");
      }
      database.ledger().post(PostgresLedgerPostingTest.payment("queued", "1.00", T0));
      holder.rollback();
      Tampering.asSuperuser(TestDatabases.databaseOf(database),
          "UPDATE entries SET description = 'changed while queued' WHERE id = 'queued'");
      VerifyReport report = database.verify();
      assertThat(report.ok()).isFalse();
      assertThat(report.entryId()).isEqualTo("queued");
    }
  }
}
