package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A ledger written before V13 (the chain in the entries table, under the chain_head lock) migrates
 * to the sealed chain without losing it: verify passes, and a digest taken before the migration is
 * still extended by the ledger after it, through posts made with the new write path.
 */
class ChainMigrationTest {
  private static final Instant T0 = Instant.parse("2024-09-01T08:00:00Z");
  @TempDir Path dir;

  @Test
  void aLedgerChainedBeforeV13VerifiesAfterItAndStillExtendsItsOldDigest() throws Exception {
    String name = "t_chain_migration_" + ProcessHandle.current().pid();
    TestDatabases.server(); // started on first use
    try (Connection c = TestDatabases.superuser("postgres"); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name);
      s.execute("CREATE DATABASE " + name);
    }
    String url = TestDatabases.url(name);
    Flyway.configure().dataSource(url, TestDatabases.server().user(), null)
        .locations("classpath:db/migration").target("12").load().migrate();

    String digest;
    try (Connection c = TestDatabases.superuser(name)) {
      digest = writeAsBeforeV13(c, List.of(
          PostgresLedgerPostingTest.payment("old-1", "10.00", T0),
          PostgresLedgerPostingTest.payment("old-2", "20.00", T0.plusSeconds(60)),
          Entry.of("old-3", T0.plusSeconds(120), "refund", Map.of("provider", "wechatpay"), List.of(
              Posting.debit("liabilities:merchant:m-88:payable", "5.00", "CNY"),
              Posting.credit("assets:wallet:wechatpay:clearing", "5.00", "CNY")))));
    }
    Path digests = Files.writeString(dir.resolve("digests.jsonl"), digest + "\n", StandardCharsets.UTF_8);

    try (LedgerDatabase database = LedgerDatabase.connect(url, TestDatabases.server().user(), null)) {
      assertThat(database.schemaVersion()).isNotEqualTo("12");
      ChainAudit audit = new ChainAudit(database.dataSource());
      VerifyReport migrated = audit.verify(DigestFile.read(digests));
      assertThat(migrated.ok()).as(migrated.toString()).isTrue();
      assertThat(migrated.entriesChecked()).isEqualTo(3);

      assertThat(database.ledger().post(PostgresLedgerPostingTest.payment("new-1", "1.00", T0.plusSeconds(180)))
          .status()).isEqualTo(dev.ledger.journal.PostStatus.CREATED);
      Files.writeString(digests, audit.digest().toJson() + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.APPEND);
      VerifyReport after = audit.verify(DigestFile.read(digests));
      assertThat(after.ok()).as(after.toString()).isTrue();
      assertThat(after.digestsChecked()).isEqualTo(2);
      assertThat(after.seal().unsealed()).isZero();
      // The old entries keep their positions; the accounts queued by the migration and the new
      // entry follow them.
      assertThat(after.seal().sealed()).isEqualTo(3 + 2 + 1);
    } finally {
      try (Connection c = TestDatabases.superuser("postgres"); Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }
  }

  /** The rows that BatchPoster wrote before V13, chained in the entries table; returns the digest. */
  private static String writeAsBeforeV13(Connection c, List<Entry> entries) throws SQLException {
    byte[] previous = Rows.ZERO_HASH;
    long sequence = 0;
    Instant recorded = Instant.parse("2024-09-02T00:00:00.123456Z");
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO accounts (code, type, no_overdraft) VALUES"
          + " ('assets:wallet:wechatpay:clearing', 'assets', false),"
          + " ('liabilities:merchant:m-88:payable', 'liabilities', false)");
    }
    for (Entry entry : entries) {
      sequence++;
      recorded = recorded.plusMillis(1);
      byte[] content = Rows.contentHash(entry.canonical());
      byte[] hash = Rows.chainHash(previous, sequence, recorded, content);
      try (PreparedStatement e = c.prepareStatement("INSERT INTO entries (sequence, id, effective_at,"
          + " recorded_at, description, metadata, reversal_of, posting_count, content_hash, prev_hash, hash)"
          + " VALUES (?, ?, ?, ?, ?, ?::jsonb, NULL, ?, ?, ?, ?)");
          PreparedStatement p = c.prepareStatement("INSERT INTO postings VALUES "
              + String.join(", ", java.util.Collections.nCopies(entry.postings().size(), "(?, ?, ?, ?, ?, ?, ?)")))) {
        c.setAutoCommit(false);
        e.setLong(1, sequence);
        e.setString(2, entry.id());
        e.setObject(3, Rows.time(entry.effectiveAt()));
        e.setObject(4, Rows.time(recorded));
        e.setString(5, entry.description());
        e.setString(6, Rows.metadataJson(entry.metadata()));
        e.setInt(7, entry.postings().size());
        e.setBytes(8, content);
        e.setBytes(9, previous);
        e.setBytes(10, hash);
        e.executeUpdate();
        for (int i = 0; i < entry.postings().size(); i++) {
          Posting posting = entry.postings().get(i);
          int at = i * 7; // one statement: the balance check runs per statement
          p.setLong(at + 1, sequence);
          p.setInt(at + 2, i);
          p.setString(at + 3, posting.account().value());
          p.setString(at + 4, posting.currency().getCurrencyCode());
          p.setLong(at + 5, posting.signedMinor());
          p.setObject(at + 6, Rows.time(entry.effectiveAt()));
          p.setObject(at + 7, Rows.time(recorded));
        }
        p.executeUpdate();
        c.commit();
        c.setAutoCommit(true);
      }
      previous = hash;
    }
    try (Statement s = c.createStatement()) {
      s.execute("INSERT INTO balances SELECT account, currency, sum(greatest(amount, 0)),"
          + " sum(greatest(-amount, 0)) FROM postings GROUP BY account, currency");
      s.execute("INSERT INTO balance_days SELECT account, currency, date_trunc('day', effective_at, 'UTC'),"
          + " sum(greatest(amount, 0)), sum(greatest(-amount, 0)), min(recorded_at), max(recorded_at)"
          + " FROM postings GROUP BY account, currency, date_trunc('day', effective_at, 'UTC')");
    }
    try (PreparedStatement h = c.prepareStatement(
        "UPDATE chain_head SET last_sequence = ?, last_hash = ?, last_recorded_at = ? WHERE id = 1")) {
      h.setLong(1, sequence);
      h.setBytes(2, previous);
      h.setObject(3, Rows.time(recorded));
      h.executeUpdate();
    }
    return new ChainDigest(sequence, HexFormat.of().formatHex(previous), recorded).toJson();
  }
}
