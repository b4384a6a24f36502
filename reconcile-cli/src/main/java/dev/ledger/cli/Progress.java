package dev.ledger.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A progress bar on stderr for long work, shown only on an interactive terminal so batch jobs and
 * pipes get clean output. Not thread-safe.
 */
public final class Progress implements AutoCloseable {
  private static final long WORTH_SHOWING = 50_000;
  private final ProgressBar bar;
  private long pending;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  public static Progress start(String task, long total) {
    if (System.console() == null || total < WORTH_SHOWING) {
      return new Progress(null);
    }
    return new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250).build());
  }

  /**
   * A bar without a known total for work that reports no steps (verify): it shows that the work
   * goes on and for how long. Only on an interactive terminal.
   */
  public static Progress indeterminate(String task) {
    if (System.console() == null) {
      return new Progress(null);
    }
    return new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(-1)
        .setConsumer(new ConsoleProgressBarConsumer(System.err)).setUpdateIntervalMillis(250).build());
  }

  /** Whether a bar is shown (stderr is a terminal and the work is long). */
  public boolean shown() {
    return bar != null;
  }

  /** Jumps to {@code done} (also back, when work starts over after a retry). */
  public void stepTo(long done) {
    if (bar != null) {
      pending = 0;
      bar.stepTo(done);
    }
  }

  public void step() {
    if (bar != null && ++pending == 1000) {
      bar.stepBy(pending);
      pending = 0;
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.stepBy(pending);
      bar.close();
    }
  }
}
