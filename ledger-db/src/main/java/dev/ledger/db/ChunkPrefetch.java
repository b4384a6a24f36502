package dev.ledger.db;

import dev.ledger.journal.Entry;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The chunks of a streamed post, each read and prepared (canonical text, content hash, row
 * values) on a second thread while the chunk before it is written: reading a file's entries costs
 * the client about as much CPU as the server spends writing them, and the two now overlap. At most
 * one chunk is read ahead, so memory stays at two chunks. Errors of the source (a file that
 * changed, an entry that cannot be stored) surface from {@link #hasNext} or {@link #next} as the
 * source threw them. Not thread-safe: one consumer.
 */
final class ChunkPrefetch implements Iterator<List<BatchPoster.Prepared>>, AutoCloseable {
  private final Iterator<List<Entry>> source;
  private final ExecutorService reader;
  private Future<List<BatchPoster.Prepared>> ahead;
  private List<BatchPoster.Prepared> ready;
  private boolean done;

  ChunkPrefetch(Iterator<List<Entry>> source) {
    this.source = source;
    this.reader = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "ledger-post-reader");
      thread.setDaemon(true);
      return thread;
    });
    this.ahead = reader.submit(this::read);
  }

  /** The next non-empty chunk prepared, or null at the end of the source. */
  private List<BatchPoster.Prepared> read() {
    while (source.hasNext()) {
      List<Entry> chunk = source.next();
      if (!chunk.isEmpty()) {
        return BatchPoster.prepare(chunk);
      }
    }
    return null;
  }

  @Override
  public boolean hasNext() {
    if (ready == null && !done) {
      ready = await();
      if (ready == null) {
        done = true;
      } else {
        ahead = reader.submit(this::read); // read the one after while this one is written
      }
    }
    return ready != null;
  }

  @Override
  public List<BatchPoster.Prepared> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    List<BatchPoster.Prepared> chunk = ready;
    ready = null;
    return chunk;
  }

  private List<BatchPoster.Prepared> await() {
    try {
      return ahead.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerStoreException(LedgerStoreException.Kind.UNAVAILABLE, "Interrupted while reading entries", e);
    } catch (ExecutionException e) {
      done = true;
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      ahead = null;
    }
  }

  /** Waits for a chunk still being read (the source is then free to close) and stops the thread. */
  @Override
  public void close() {
    if (ahead != null) {
      try {
        ahead.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException ignored) {
        // the post stopped before this chunk: its error no longer matters
      }
      ahead = null;
    }
    reader.shutdownNow();
  }
}
