package dev.ledger.db;

import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Single-entry posts from many threads of one ledger share transactions (group commit in the
 * application, as TigerBeetle batches its clients' requests): a thread that finds a writer slot
 * free takes every post queued so far, its own included, and submits them as one batch; the others
 * wait for the batch that took theirs. Each post still returns only once its entry is committed,
 * with its own result: a batch that any entry rejects (or that fails) is submitted again one entry
 * at a time, so one caller's rejection never becomes another's, and the results are those of the
 * posts made one after the other in queue order.
 *
 * <p>With one caller at a time nothing waits: the caller takes its own post at once. Under load,
 * up to {@code writersMax} batches are in flight (their commits share PostgreSQL's group commit),
 * and each costs the server about as much as one single-entry transaction.
 */
final class GroupCommit {
  /** One caller's post and, once its batch ran, its outcome; its caller waits on {@code ready}. */
  private static final class Request {
    final Entry entry;
    final Condition ready;
    boolean taken;
    boolean done;
    PostResult result;
    RuntimeException failure;

    Request(Entry entry, Condition ready) {
      this.entry = entry;
      this.ready = ready;
    }
  }

  private final int writersMax;
  private final int batchEntriesMax;
  private final Function<List<Entry>, BatchResult> submit;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<Request> queue = new ArrayDeque<>();
  private int writers;
  /** Batches submitted and the entries they held, for the benchmark's figure of batch size. */
  private final java.util.concurrent.atomic.LongAdder batches = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder batchedEntries = new java.util.concurrent.atomic.LongAdder();

  /**
   * @param writersMax batches in flight at once
   * @param batchEntriesMax entries per shared batch
   * @param submit posts a batch all or nothing (PostgresLedger.postAll without the combining)
   */
  GroupCommit(int writersMax, int batchEntriesMax, Function<List<Entry>, BatchResult> submit) {
    if (writersMax < 1 || batchEntriesMax < 1) {
      throw new IllegalArgumentException("writersMax and batchEntriesMax must be positive but were "
          + writersMax + " and " + batchEntriesMax);
    }
    this.writersMax = writersMax;
    this.batchEntriesMax = batchEntriesMax;
    this.submit = submit;
  }

  PostResult post(Entry entry) {
    lock.lock();
    Request mine = new Request(entry, lock.newCondition());
    try {
      queue.addLast(mine);
      while (!mine.done) {
        if (!mine.taken && writers < writersMax) {
          List<Request> batch = take();
          writers++;
          wakeNextTaker();
          lock.unlock();
          try {
            run(batch);
          } catch (Error e) {
            // Nobody may wait forever for a batch that died (out of memory, say).
            lock.lock();
            try {
              for (Request r : batch) {
                if (!r.done) {
                  finish(r, null, new LedgerStoreException(LedgerStoreException.Kind.UNAVAILABLE,
                      "Posting " + r.entry.id() + " failed: " + e, e));
                }
              }
            } finally {
              lock.unlock();
            }
            throw e;
          } finally {
            lock.lock();
            writers--;
            wakeNextTaker();
          }
        } else {
          mine.ready.awaitUninterruptibly();
        }
      }
    } finally {
      lock.unlock();
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
    return mine.result;
  }

  /** Batches submitted so far and the entries they held (before any one-by-one retry). */
  long[] counts() {
    return new long[] {batches.sum(), batchedEntries.sum()};
  }

  /** Posts waiting for a batch to take them (for tests). */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Under the lock: wakes the oldest queued post when a slot is free, so that it takes the next
   * batch. Each caller waits on its own condition: waking every waiting thread on every finished
   * post made each of them run once per post only to wait again, on the cores the posts need.
   */
  private void wakeNextTaker() {
    if (writers < writersMax && !queue.isEmpty()) {
      queue.peekFirst().ready.signal();
    }
  }

  /** Under the lock: the oldest queued posts, at most batchEntriesMax. */
  private List<Request> take() {
    List<Request> batch = new ArrayList<>(Math.min(queue.size(), batchEntriesMax));
    while (!queue.isEmpty() && batch.size() < batchEntriesMax) {
      Request r = queue.pollFirst();
      r.taken = true;
      batch.add(r);
    }
    return batch;
  }

  /** Outside the lock: submits the batch, or its entries one by one when it is not committed whole. */
  private void run(List<Request> batch) {
    batches.increment();
    batchedEntries.add(batch.size());
    List<Entry> entries = batch.stream().map(r -> r.entry).toList();
    BatchResult together = null;
    RuntimeException failure = null;
    try {
      together = submit.apply(entries);
    } catch (RuntimeException e) {
      failure = e;
    }
    if (batch.size() == 1 || (together != null && together.committed())) {
      for (int i = 0; i < batch.size(); i++) {
        finish(batch.get(i), together == null ? null : together.results().get(i), failure);
      }
      return;
    }
    for (Request r : batch) {
      try {
        finish(r, submit.apply(List.of(r.entry)).results().get(0), null);
      } catch (RuntimeException e) {
        finish(r, null, e);
      }
    }
  }

  private void finish(Request r, PostResult result, RuntimeException failure) {
    lock.lock();
    try {
      r.result = result;
      r.failure = failure;
      r.done = true;
      r.ready.signal();
    } finally {
      lock.unlock();
    }
  }
}
