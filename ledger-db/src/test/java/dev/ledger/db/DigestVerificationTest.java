package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.journal.Entry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An auditor keeps digests outside the database. A superuser who rewrites history and re-hashes
 * everything consistently, or cuts the tail and rewinds the chain head, passes a verify without
 * digests, but not one against a digest taken before the attack.
 */
class DigestVerificationTest {
  private static final Instant T0 = Instant.parse("2024-09-01T08:00:00Z");
  private final LedgerDatabase database = TestDatabases.fresh();
  private final String name = TestDatabases.databaseOf(database);
  private final ChainAudit audit = new ChainAudit(database.dataSource());
  @TempDir Path dir;

  @AfterEach
  void close() {
    database.close();
  }

  private void post(int from, int to) {
    List<Entry> entries = IntStream.rangeClosed(from, to)
        .mapToObj(i -> PostgresLedgerPostingTest.payment("e-" + i, i + ".00", T0.plusSeconds(i))).toList();
    assertThat(database.ledger().postAll(entries).committed()).isTrue();
  }

  private DigestFile file(ChainDigest... digests) throws Exception {
    Path file = dir.resolve("digests.jsonl");
    Files.writeString(file, Arrays.stream(digests).map(ChainDigest::toJson)
        .collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
    return DigestFile.read(file);
  }

  @Test
  void theDigestIsTheChainHeadFromTheEmptyLedgerOn() throws Exception {
    ChainDigest empty = audit.digest();
    assertThat(empty.sequence()).isZero();
    assertThat(empty.hash()).isEqualTo("0".repeat(64));
    post(1, 3);
    ChainDigest head = audit.digest();
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT c.position, c.hash, c.recorded_at FROM chain c"
            + " JOIN entries e ON c.kind = 'entry' AND c.record_id = e.sequence WHERE e.id = 'e-3'")) {
      assertThat(rs.next()).isTrue();
      assertThat(head.sequence()).isEqualTo(rs.getLong(1));
      assertThat(head.hash()).isEqualTo(HexFormat.of().formatHex(rs.getBytes(2)));
      assertThat(head.recordedAt()).isEqualTo(rs.getObject(3, OffsetDateTime.class).toInstant());
    }
  }

  @Test
  void aCleanLedgerExtendsDigestsTakenAtSeveralPoints() throws Exception {
    ChainDigest empty = audit.digest();
    post(1, 5);
    ChainDigest afterBatch = audit.digest();
    post(6, 6);
    ChainDigest afterSingle = audit.digest();
    post(7, 10);
    ChainDigest last = audit.digest();
    VerifyReport report = audit.verify(file(afterSingle, empty, last, afterBatch, afterSingle));
    assertThat(report.ok()).as(report.toString()).isTrue();
    assertThat(report.digestsChecked()).isEqualTo(5);
    assertThat(report.digest()).isNull();
    assertThat(report.toString()).contains("extends all 5 digests");
  }

  @Test
  void aRewrittenAndRehashedHistoryIsCaughtByEveryDigestThatCoversTheChange() throws Exception {
    post(1, 5);
    ChainDigest five = audit.digest();
    post(6, 10);
    ChainDigest ten = audit.digest();

    Tampering.rewriteAndRehash(name, "UPDATE postings SET amount = amount * 2 WHERE entry_sequence = 7");

    assertThat(database.verify().ok()).as("consistent in itself: only a digest can tell").isTrue();
    assertThat(audit.digest()).isNotEqualTo(ten);
    VerifyReport report = audit.verify(file(five, ten));
    assertThat(report.ok()).isFalse();
    assertThat(report.digest().where()).isEqualTo(dir.resolve("digests.jsonl") + ":2");
    assertThat(report.digest().sequence()).isEqualTo(ten.sequence());
    assertThat(report.digest().problem()).contains("history up to it was rewritten", "e-10");
    assertThat(report.summary()).startsWith("digest " + dir.resolve("digests.jsonl") + ":2 (sequence "
        + ten.sequence() + ")");
  }

  @Test
  void theFirstDigestInTheFileThatIsNotExtendedIsNamed() throws Exception {
    post(1, 5);
    ChainDigest five = audit.digest();
    post(6, 10);
    ChainDigest ten = audit.digest();

    Tampering.rewriteAndRehash(name, "UPDATE entries SET description = 'nothing to see' WHERE sequence = 3");

    assertThat(database.verify().ok()).isTrue();
    VerifyReport report = audit.verify(file(ten, five));
    assertThat(report.digest().where()).endsWith("digests.jsonl:1");
    assertThat(report.digest().sequence()).isEqualTo(ten.sequence());
  }

  @Test
  void aCutTailWithARewoundChainHeadIsCaughtByADigestBeyondTheNewEnd() throws Exception {
    post(1, 5);
    ChainDigest five = audit.digest();
    post(6, 10);
    ChainDigest ten = audit.digest();

    Tampering.cutTailAfter(name, 8);

    assertThat(database.verify().ok()).as("consistent in itself: only a digest can tell").isTrue();
    VerifyReport report = audit.verify(file(five, ten));
    assertThat(report.ok()).isFalse();
    assertThat(report.digest().where()).endsWith("digests.jsonl:2");
    assertThat(report.digest().sequence()).isEqualTo(ten.sequence());
    assertThat(report.digest().problem()).contains("tail was cut", "ends at sequence " + (ten.sequence() - 2));
  }

  @Test
  void aDigestWhoseHashTheLedgerNeverHadIsNotExtended() throws Exception {
    post(1, 5);
    ChainDigest real = audit.digest();
    // e-1..e-5 are the last five records, after the accounts their first post created.
    ChainDigest foreign = new ChainDigest(real.sequence() - 2, "ab".repeat(32), real.recordedAt());
    ChainDigest notEmpty = new ChainDigest(0, "01".repeat(32), Instant.EPOCH);
    VerifyReport report = audit.verify(file(real, foreign, notEmpty));
    assertThat(report.ok()).isFalse();
    assertThat(report.digest().where()).endsWith(":2");
    assertThat(report.digest().problem()).contains("e-3", "rewritten");
    assertThat(audit.verify(file(notEmpty)).digest().problem()).contains("empty ledger");
  }
}
