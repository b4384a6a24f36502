package dev.ledger.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** N threads calling one operation in a loop for a fixed time, each call timed. */
final class Writers {
  @FunctionalInterface
  interface Setup<T> {
    T open(int thread) throws Exception;
  }

  @FunctionalInterface
  interface Call<T> {
    /** Work before the clock starts (building the entry) is done by prepare; this is timed. */
    void run(T state, int thread, long n) throws Exception;
  }

  record Outcome(long calls, double seconds, Latencies latencies) {
    double perSecond() {
      return calls / seconds;
    }
  }

  private Writers() {}

  static <T extends AutoCloseable> Outcome run(int threads, Duration duration, Setup<T> setup, Call<T> call)
      throws Exception {
    List<Latencies> parts = new ArrayList<>();
    long[] counts = new long[threads];
    AtomicReference<Exception> failure = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    long[] window = new long[2];
    for (int t = 0; t < threads; t++) {
      Latencies mine = new Latencies();
      parts.add(mine);
      int thread = t;
      Thread worker = new Thread(() -> {
        try (T state = setup.open(thread)) {
          ready.countDown();
          go.await();
          long end = window[1];
          long n = 0;
          while (true) {
            long t0 = System.nanoTime();
            if (t0 >= end) {
              break;
            }
            call.run(state, thread, n++);
            mine.add(System.nanoTime() - t0);
          }
          counts[thread] = n;
        } catch (Exception e) {
          failure.compareAndSet(null, e);
          ready.countDown();
        }
      }, "writer-" + t);
      workers.add(worker);
      worker.start();
    }
    ready.await();
    window[0] = System.nanoTime();
    window[1] = window[0] + duration.toNanos();
    go.countDown();
    for (Thread worker : workers) {
      worker.join();
    }
    double seconds = (System.nanoTime() - window[0]) / 1e9;
    if (failure.get() != null) {
      throw failure.get();
    }
    long calls = 0;
    for (long c : counts) {
      calls += c;
    }
    return new Outcome(calls, seconds, Latencies.merge(parts));
  }

  /** A per-thread state needing no cleanup. */
  record Nothing() implements AutoCloseable {
    @Override
    public void close() {}
  }
}
