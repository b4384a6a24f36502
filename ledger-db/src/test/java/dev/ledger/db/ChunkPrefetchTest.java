package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.journal.Entry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The read-ahead of a streamed post: same chunks in the same order, errors where the source raised them. */
class ChunkPrefetchTest {
  private static final Instant T0 = Instant.parse("2024-09-12T02:00:00Z");

  private static Entry entry(String id) {
    return PostgresLedgerPostingTest.payment(id, "1.00", T0);
  }

  @Test
  void yieldsEveryNonEmptyChunkPreparedInSourceOrder() {
    List<List<Entry>> source = List.of(List.of(entry("a"), entry("b")), List.of(), List.of(entry("c")));
    List<String> ids = new ArrayList<>();
    try (ChunkPrefetch prefetch = new ChunkPrefetch(source.iterator())) {
      while (prefetch.hasNext()) {
        List<BatchPoster.Prepared> chunk = prefetch.next();
        assertThat(chunk).isNotEmpty();
        chunk.forEach(p -> {
          assertThat(p.contentHash()).hasSize(32);
          ids.add(p.entry().id());
        });
      }
      assertThatThrownBy(prefetch::next).isInstanceOf(NoSuchElementException.class);
    }
    assertThat(ids).containsExactly("a", "b", "c");
  }

  @Test
  void readsAtMostOneChunkAheadOfTheConsumer() throws InterruptedException {
    AtomicInteger read = new AtomicInteger();
    Iterator<List<Entry>> source = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return read.get() < 10;
      }

      @Override
      public List<Entry> next() {
        return List.of(entry("e" + read.incrementAndGet()));
      }
    };
    try (ChunkPrefetch prefetch = new ChunkPrefetch(source)) {
      assertThat(prefetch.next().get(0).entry().id()).isEqualTo("e1");
      Thread.sleep(200); // time enough for a reader that ran ahead without bound
      assertThat(read.get()).as("the chunk handed out and the one read behind it").isEqualTo(2);
    }
  }

  @Test
  void aSourceThatFailsMidwaySurfacesItsErrorAfterTheChunksBeforeIt() {
    Iterator<List<Entry>> source = new Iterator<>() {
      private int calls;

      @Override
      public boolean hasNext() {
        return true;
      }

      @Override
      public List<Entry> next() {
        if (++calls == 2) {
          throw new IllegalArgumentException("entries.jsonl:7: the file changed after it was validated");
        }
        return List.of(entry("first"));
      }
    };
    try (ChunkPrefetch prefetch = new ChunkPrefetch(source)) {
      assertThat(prefetch.next().get(0).entry().id()).isEqualTo("first");
      assertThatThrownBy(prefetch::hasNext).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("entries.jsonl:7: the file changed after it was validated");
    }
  }

  @Test
  void aNullEntryIsTheCallersMistakeAsInAnUnstreamedBatch() {
    List<Entry> withNull = new ArrayList<>();
    withNull.add(entry("ok"));
    withNull.add(null);
    try (ChunkPrefetch prefetch = new ChunkPrefetch(List.of(withNull).iterator())) {
      assertThatThrownBy(prefetch::next).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("null entry at index 1");
    }
  }
}
