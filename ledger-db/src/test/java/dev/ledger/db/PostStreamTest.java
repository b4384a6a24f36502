package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.account.Account;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.Posting;
import java.time.Instant;
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
}
