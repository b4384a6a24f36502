package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.account.Account;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.PostingRules;
import dev.ledger.journal.Posting;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A streamed post is one batch cut into chunks: each chunk sees the ones before it (duplicates and
 * reversals across chunk boundaries), and a rejection in any chunk leaves nothing of the earlier ones.
 */
class PostStreamTest {
  private static final Instant T0 = Instant.parse("2024-09-12T02:00:00Z");
  private final LedgerDatabase database = TestDatabases.fresh();
  private final PostgresLedger ledger = database.ledger();

  @AfterEach
  void close() {
    database.close();
  }

  private static Supplier<Iterator<List<Entry>>> chunks(List<List<Entry>> chunks) {
    return chunks::iterator;
  }

  @Test
  void chunksSeeTheChunksBeforeThemAsOneBatchWould() {
    Entry a = PostgresLedgerPostingTest.payment("a", "10.00", T0);
    Entry b = PostgresLedgerPostingTest.payment("b", "20.00", T0.plusSeconds(1));
    Entry reversal = a.reversal("a-rev", "refund", T0.plusSeconds(2));
    PostSummary summary = ledger.postStream(chunks(List.of(List.of(a, b), List.of(a, reversal))), true);
    assertThat(summary.committed()).isTrue();
    assertThat(summary.created()).isEqualTo(3);
    assertThat(summary.existing()).isEqualTo(1);
    assertThat(summary.entriesChecked()).isEqualTo(4);
    assertThat(ledger.entry("a-rev")).isPresent();
    assertThat(database.verify().ok()).isTrue();
  }

  @Test
  void aRejectionInALaterChunkLeavesNothingOfTheEarlierOnes() {
    ledger.createAccount(Account.noOverdraft("assets:wallet:alipay:clearing"));
    Entry fund = Entry.of("fund", T0, "funding", Map.of(), List.of(
        Posting.debit("assets:wallet:alipay:clearing", "5.00", "CNY"),
        Posting.credit("equity:capital", "5.00", "CNY")));
    Entry overdraw = Entry.of("overdraw", T0.plusSeconds(1), "spend", Map.of(), List.of(
        Posting.debit("expenses:fees:alipay", "6.00", "CNY"),
        Posting.credit("assets:wallet:alipay:clearing", "6.00", "CNY")));
    Entry later = PostgresLedgerPostingTest.payment("later", "1.00", T0.plusSeconds(2));
    PostSummary summary = ledger.postStream(chunks(List.of(List.of(fund), List.of(overdraw), List.of(later))), true);
    assertThat(summary.committed()).isFalse();
    assertThat(summary.complete()).as("the third chunk was not checked").isFalse();
    assertThat(summary.entriesChecked()).isEqualTo(2);
    assertThat(summary.rejections()).singleElement().satisfies(r -> {
      assertThat(r.entryId()).isEqualTo("overdraw");
      assertThat(r.status()).isEqualTo(PostStatus.OVERDRAFT);
    });
    assertThat(ledger.entry("fund")).as("the first chunk was rolled back").isEmpty();
  }

  @Test
  void aDryRunChecksEveryChunkAndWritesNothing() {
    PostSummary summary = ledger.postStream(chunks(List.of(
        List.of(PostgresLedgerPostingTest.payment("d1", "1.00", T0)),
        List.of(PostgresLedgerPostingTest.payment("d2", "2.00", T0)))), false);
    assertThat(summary.committed()).isTrue();
    assertThat(summary.created()).isEqualTo(2);
    assertThat(ledger.entry("d1")).isEmpty();
  }

  private static List<PostingRules.Key> keysOf(List<List<Entry>> chunks) {
    return chunks.stream().flatMap(List::stream).flatMap(e -> e.postings().stream())
        .map(p -> new PostingRules.Key(p.account(), p.currency())).distinct().toList();
  }

  /** Balances and daily checkpoints as text, versions aside (a stream writes fewer of them). */
  private static List<String> totals(LedgerDatabase db) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = TestDatabases.superuser(TestDatabases.databaseOf(db)); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 'balance ' || account || ' ' || currency || ' ' || debits || ' ' || credits"
            + " FROM balances WHERE debits <> 0 OR credits <> 0"
            + " UNION ALL SELECT 'day ' || account || ' ' || day::date || ' ' || debits || ' ' || credits FROM balance_days"
            + " ORDER BY 1")) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    }
    return rows;
  }

  private static long distinctRecordingTimes(LedgerDatabase db) throws SQLException {
    try (Connection c = TestDatabases.superuser(TestDatabases.databaseOf(db)); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(DISTINCT recorded_at) FROM entries")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static List<List<Entry>> threeChunksOverTwoDays() {
    Entry a = PostgresLedgerPostingTest.payment("a", "10.00", T0);
    Entry b = PostgresLedgerPostingTest.payment("b", "20.00", T0.plus(java.time.Duration.ofDays(1)));
    Entry fee = Entry.of("fee", T0.plusSeconds(5), "fee", Map.of(), List.of(
        Posting.debit("expenses:fees:wechatpay", "0.06", "CNY"),
        Posting.credit("assets:wallet:wechatpay:clearing", "0.06", "CNY")));
    Entry usd = Entry.of("usd", T0.plusSeconds(9), "fx", Map.of(), List.of(
        Posting.debit("assets:bank:usd", "3.00", "USD"), Posting.credit("equity:fx", "3.00", "USD")));
    return List.of(List.of(a, fee), List.of(b, a.reversal("a-rev", "refund", T0.plusSeconds(7))), List.of(usd, b));
  }

  @Test
  void aStreamToldItsBalanceKeysEndsWithTheTotalsOfAChunkByChunkPostAndOneRecordingTime() throws SQLException {
    List<List<Entry>> chunks = threeChunksOverTwoDays();
    try (LedgerDatabase other = TestDatabases.fresh()) {
      PostSummary staged = ledger.postStream(chunks(chunks), keysOf(chunks), true);
      PostSummary plain = other.ledger().postStream(chunks(chunks), true);
      assertThat(staged.committed()).isTrue();
      assertThat(staged.created()).isEqualTo(plain.created()).isEqualTo(5);
      assertThat(staged.existing()).isEqualTo(1);
      assertThat(totals(database)).isEqualTo(totals(other)).isNotEmpty();
      assertThat(distinctRecordingTimes(database)).as("staged").isEqualTo(1);
      assertThat(distinctRecordingTimes(other)).as("chunk by chunk").isEqualTo(3);
      assertThat(database.verify().ok()).isTrue();
    }
  }

  @Test
  void aStreamWithAnEntryOutsideItsKeysIsPostedChunkByChunk() throws SQLException {
    List<List<Entry>> chunks = threeChunksOverTwoDays();
    List<PostingRules.Key> keys = keysOf(chunks).stream()
        .filter(k -> !k.account().value().equals("assets:bank:usd")).toList();
    try (LedgerDatabase other = TestDatabases.fresh()) {
      assertThat(ledger.postStream(chunks(chunks), keys, true).committed()).isTrue();
      other.ledger().postStream(chunks(chunks), true);
      assertThat(totals(database)).isEqualTo(totals(other));
      assertThat(distinctRecordingTimes(database)).isEqualTo(3);
    }
  }

  @Test
  void aStreamWhoseTotalsWouldLeaveBigintGivesTheExactRejectionOfAChunkByChunkPost() {
    String max = "92233720368547758.07";
    Entry first = Entry.of("big-1", T0, "big", Map.of(), List.of(
        Posting.debit("assets:big", max, "CNY"), Posting.credit("equity:big-1", max, "CNY")));
    Entry second = Entry.of("big-2", T0.plusSeconds(1), "big", Map.of(), List.of(
        Posting.debit("assets:big", "0.01", "CNY"), Posting.credit("equity:big-2", "0.01", "CNY")));
    List<List<Entry>> chunks = List.of(List.of(first), List.of(second));
    try (LedgerDatabase other = TestDatabases.fresh()) {
      PostSummary staged = ledger.postStream(chunks(chunks), keysOf(chunks), true);
      PostSummary plain = other.ledger().postStream(chunks(chunks), true);
      assertThat(staged.committed()).isFalse();
      assertThat(staged.rejections()).isEqualTo(plain.rejections()).singleElement()
          .satisfies(r -> assertThat(r.entryId()).isEqualTo("big-2"));
      assertThat(ledger.entry("big-1")).isEmpty();
    }
  }
}
