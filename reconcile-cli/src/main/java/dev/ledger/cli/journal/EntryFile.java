package dev.ledger.cli.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ledger.cli.Json;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostingRules;
import dev.ledger.statement.LineReader;
import dev.ledger.statement.StatementException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A JSON Lines file of entries. Every bad line is reported (file:line and entry id), not only the
 * first: {@link #read} for small files held in memory, {@link #validate} then {@link #chunks} for a
 * post of any size in constant memory. Strict (DESIGN section 6): exactly one
 * JSON object per physical line, no duplicate keys, nothing after the object, strict UTF-8.
 * Remembers the line of every entry so that rejections made later (id conflicts, overdrafts)
 * name it too.
 */
public record EntryFile(String name, List<Entry> entries, List<String> failures, Map<String, Long> lines) {
  private static final int LINE_LENGTH_MAX = 4 * 1024 * 1024;
  // Duplicate keys and trailing tokens would otherwise be resolved silently (last key wins,
  // a second object on the line dropped).
  private static final ObjectReader STRICT = Json.MAPPER.reader()
      .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public EntryFile {
    entries = List.copyOf(entries);
    failures = List.copyOf(failures);
    lines = Map.copyOf(lines);
  }

  /** "entries.jsonl:12" for an entry of this file, or the file name when the id is not one of its entries. */
  public String where(String entryId) {
    Long line = entryId == null ? null : lines.get(entryId);
    return line == null ? name : name + ":" + line;
  }

  /** Entries per chunk of a streamed post: the memory held at once, whatever the file's size. */
  public static final int CHUNK_ENTRIES = 10_000;

  /**
   * A streaming validation pass: how many entries the file holds, every line that is bad, and the
   * (account, currency) pairs its entries post to (null when there are more than
   * {@value #BALANCE_KEYS_MAX} or an entry is pending or a settlement: such a file is posted
   * chunk by chunk).
   */
  public record Validation(String name, long entries, List<String> failures, Set<PostingRules.Key> balanceKeys) {}

  static final int BALANCE_KEYS_MAX = 200_000;

  /** The balance keys of the entries of one pass, or of one range of the file. */
  private static final class BalanceKeys {
    private Set<PostingRules.Key> keys = new HashSet<>();

    void add(Entry entry) {
      if (keys == null) {
        return;
      }
      if (entry.pending() != null || entry.settlement() != null) {
        keys = null;
        return;
      }
      for (dev.ledger.journal.Posting posting : entry.postings()) {
        keys.add(new PostingRules.Key(posting.account(), posting.currency()));
      }
      if (keys.size() > BALANCE_KEYS_MAX) {
        keys = null;
      }
    }

    void addAll(BalanceKeys other) {
      if (keys != null && other.keys != null && keys.size() + other.keys.size() <= 2 * BALANCE_KEYS_MAX) {
        keys.addAll(other.keys);
        keys = keys.size() > BALANCE_KEYS_MAX ? null : keys;
      } else {
        keys = null;
      }
    }
  }

  public static EntryFile read(Path file) throws IOException {
    List<Entry> entries = new ArrayList<>();
    Map<String, Long> lines = new HashMap<>();
    List<String> failures = scan(file, (entry, number) -> {
      lines.putIfAbsent(entry.id(), number);
      entries.add(entry);
    });
    return new EntryFile(file.toString(), entries, failures, lines);
  }

  /** Reads the whole file once, keeping nothing but the count and the failures. */
  public static Validation validate(Path file) throws IOException {
    int threads = Math.min(Runtime.getRuntime().availableProcessors(), PARALLEL_THREADS_MAX);
    if (threads > 1 && Files.isRegularFile(file) && Files.size(file) >= PARALLEL_BYTES_MIN) {
      BalanceKeys keys = new BalanceKeys();
      Long count = countInParallel(file, threads, keys);
      if (count != null) {
        return new Validation(file.toString(), count, List.of(), keys.keys);
      }
    }
    long[] count = new long[1];
    BalanceKeys keys = new BalanceKeys();
    List<String> failures = scan(file, (entry, number) -> {
      count[0]++;
      keys.add(entry);
    });
    return new Validation(file.toString(), count[0], failures, keys.keys);
  }

  /** Below this size a file is validated on one thread (the threads would cost more than they save). */
  static final long PARALLEL_BYTES_MIN = 8L * 1024 * 1024;
  private static final int PARALLEL_THREADS_MAX = 4;

  /**
   * Parsing is nearly all of the validation's cost and the database is idle meanwhile: the file is
   * cut into ranges at line starts and each range parsed on its own thread. Returns the number of
   * entries when every range parsed cleanly, or null when any line failed (or no cut was found):
   * the caller then scans the file sequentially, which alone numbers every failure exactly.
   */
  private static Long countInParallel(Path file, int threads, BalanceKeys keys) throws IOException {
    long size = Files.size(file);
    List<Long> starts = new ArrayList<>(List.of(0L));
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
      for (int k = 1; k < threads; k++) {
        long cut = lineStartAfter(channel, size * k / threads);
        if (cut < 0 || cut <= starts.get(starts.size() - 1)) {
          return null;
        }
        starts.add(cut);
      }
    }
    starts.add(size);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads - 1,
        task -> {
          Thread thread = new Thread(task, "ledger-validate");
          thread.setDaemon(true);
          return thread;
        });
    try {
      List<java.util.concurrent.Future<Long>> others = new ArrayList<>();
      List<BalanceKeys> otherKeys = new ArrayList<>();
      for (int k = 1; k < threads; k++) {
        long from = starts.get(k);
        long to = starts.get(k + 1);
        BalanceKeys rangeKeys = new BalanceKeys();
        otherKeys.add(rangeKeys);
        others.add(pool.submit(() -> countRange(file, from, to, rangeKeys)));
      }
      Long first = countRange(file, 0, starts.get(1), keys);
      long total = first == null ? -1 : first;
      for (int k = 0; k < others.size(); k++) {
        Long count = others.get(k).get();
        total = count == null || total < 0 ? -1 : total + count;
        keys.addAll(otherKeys.get(k));
      }
      return total < 0 ? null : total;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("Interrupted while validating " + file, e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      return null; // the sequential scan reports it
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The offset of a line that starts with '{' at or after {@code from}, found within 1 MiB, or -1.
   * A cut there leaves both ranges whole lines, with nothing a reader of a range would treat
   * differently from a reader of the whole file (a line break, a byte order mark).
   */
  private static long lineStartAfter(java.nio.channels.FileChannel channel, long from) throws IOException {
    java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(1024 * 1024);
    channel.read(buffer, from);
    buffer.flip();
    for (int i = 0; i + 1 < buffer.limit(); i++) {
      if (buffer.get(i) == '\n' && buffer.get(i + 1) == '{') {
        return from + i + 1;
      }
    }
    return -1;
  }

  /** Entries in bytes [from, to) of the file, all parsed; null at the first line that fails. */
  private static Long countRange(Path file, long from, long to, BalanceKeys keys) throws IOException {
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
      channel.position(from);
      InputStream range = new java.io.BufferedInputStream(
          new BoundedStream(java.nio.channels.Channels.newInputStream(channel), to - from), 1 << 16);
      LineSource source = new LineSource(file.toString(), range);
      long count = 0;
      for (Parsed parsed = source.next(); parsed != null; parsed = source.next()) {
        if (parsed.failure() != null) {
          return null;
        }
        keys.add(parsed.entry());
        count++;
      }
      return count;
    }
  }

  /** At most {@code left} bytes of a stream. */
  private static final class BoundedStream extends java.io.FilterInputStream {
    private long left;

    BoundedStream(InputStream in, long left) {
      super(in);
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = super.read();
      if (b >= 0) {
        left--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }

  /**
   * The file's entries in chunks of {@code size}, read afresh by each iterator (a retried post reads
   * it again). For a file that {@link #validate} accepted; a line that no longer parses (the file
   * changed in between) ends the iteration with an IllegalArgumentException naming it. The
   * iterators are AutoCloseable, for a caller that stops before the end.
   */
  public static Supplier<Iterator<List<Entry>>> chunks(Path file, int size) {
    if (size < 1) {
      throw new IllegalArgumentException("Chunk size must be positive but was " + size);
    }
    return () -> new ChunkIterator() {
      private final LineSource source = LineSource.open(file);
      private List<Entry> next = advance();

      private List<Entry> advance() {
        List<Entry> chunk = new ArrayList<>(Math.min(size, 1024));
        while (chunk.size() < size) {
          Parsed parsed = source.next();
          if (parsed == null) {
            break;
          }
          if (parsed.failure() != null) {
            source.close();
            throw new IllegalArgumentException(parsed.failure() + " (the file changed after it was validated)");
          }
          chunk.add(parsed.entry());
        }
        if (chunk.isEmpty()) {
          source.close();
          return null;
        }
        return chunk;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public void close() {
        source.close();
      }

      @Override
      public List<Entry> next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        List<Entry> current = next;
        next = advance();
        return current;
      }
    };
  }

  private interface ChunkIterator extends Iterator<List<Entry>>, AutoCloseable {
    @Override
    void close();
  }

  /** The line of each of {@code ids} in the file (a rescan: only rejections need it). */
  public static Map<String, Long> linesOf(Path file, Collection<String> ids) throws IOException {
    Set<String> wanted = new HashSet<>(ids);
    Map<String, Long> lines = new HashMap<>();
    scan(file, (entry, number) -> {
      if (wanted.contains(entry.id())) {
        lines.putIfAbsent(entry.id(), number);
      }
    });
    return lines;
  }

  private interface Sink {
    void accept(Entry entry, long line);
  }

  private record Parsed(Entry entry, long line, String failure) {}

  /** Physical lines of a file, parsed one at a time. */
  private static final class LineSource implements AutoCloseable {
    private final String name;
    private final InputStream in;
    private final LineReader reader;
    private boolean done;

    private LineSource(String name, InputStream in) {
      this.name = name;
      this.in = in;
      this.reader = new LineReader(in, StandardCharsets.UTF_8, name, LINE_LENGTH_MAX);
    }

    static LineSource open(Path file) {
      try {
        return new LineSource(file.toString(), Files.newInputStream(file));
      } catch (IOException e) {
        throw new UncheckedIOException(file + ": " + e.getMessage(), e);
      }
    }

    /** The next non-blank line parsed, a failure, or null at the end (or after a read error). */
    Parsed next() {
      while (!done) {
        String line;
        try {
          line = reader.readLine();
        } catch (StatementException e) {
          done = true; // names the physical line of the bad byte or the overlong line
          return new Parsed(null, reader.lineNumber(), e.getMessage());
        } catch (UncheckedIOException e) {
          done = true;
          return new Parsed(null, reader.lineNumber(), name + ": " + e.getMessage());
        }
        if (line == null) {
          done = true;
          return null;
        }
        long number = reader.lineNumber();
        if (line.isBlank()) {
          continue;
        }
        Entry usual = EntryJson.readUsual(line);
        if (usual != null) {
          return new Parsed(usual, number, null);
        }
        try {
          return new Parsed(EntryJson.read(STRICT.readTree(line)), number, null);
        } catch (JsonProcessingException e) {
          // Jackson's own wording names its classes; say what a user can fix instead.
          String why = e.getOriginalMessage().startsWith("Trailing token")
              ? "more after the first JSON object" : e.getOriginalMessage();
          return new Parsed(null, number, name + ":" + number + ": invalid JSON: " + why
              + " (one JSON object per line, no duplicate keys, nothing after the object)");
        } catch (IllegalArgumentException e) {
          return new Parsed(null, number, name + ":" + number + ": " + e.getMessage());
        }
      }
      return null;
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException ignored) {
        // read-only
      }
    }
  }

  /** One pass over the file: every good entry to {@code sink}, every failure returned. */
  private static List<String> scan(Path file, Sink sink) throws IOException {
    List<String> failures = new ArrayList<>();
    try (LineSource source = LineSource.open(file)) {
      for (Parsed parsed = source.next(); parsed != null; parsed = source.next()) {
        if (parsed.failure() != null) {
          failures.add(parsed.failure());
        } else {
          sink.accept(parsed.entry(), parsed.line());
        }
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return failures;
  }
}
