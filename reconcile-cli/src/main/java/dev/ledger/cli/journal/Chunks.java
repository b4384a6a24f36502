package dev.ledger.cli.journal;

import dev.ledger.cli.Progress;
import dev.ledger.journal.Entry;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/** Chunks of a streamed post counted on a progress bar; a retry that reads afresh starts it over. */
final class Chunks {
  private Chunks() {}

  static Supplier<Iterator<List<Entry>>> counted(Supplier<Iterator<List<Entry>>> chunks, Progress progress) {
    if (!progress.shown()) {
      return chunks;
    }
    return () -> new Counted(chunks.get(), progress);
  }

  private static final class Counted implements Iterator<List<Entry>>, AutoCloseable {
    private final Iterator<List<Entry>> chunks;
    private final Progress progress;
    private long done;

    Counted(Iterator<List<Entry>> chunks, Progress progress) {
      this.chunks = chunks;
      this.progress = progress;
      progress.stepTo(0);
    }

    @Override
    public boolean hasNext() {
      return chunks.hasNext();
    }

    @Override
    public List<Entry> next() {
      List<Entry> chunk = chunks.next();
      done += chunk.size();
      progress.stepTo(done);
      return chunk;
    }

    @Override
    public void close() throws Exception {
      if (chunks instanceof AutoCloseable closeable) {
        closeable.close();
      }
    }
  }
}
