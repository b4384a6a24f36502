package dev.ledger.db.embedded;

import dev.ledger.db.LedgerStoreException;
import dev.ledger.db.LedgerStoreException.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server found running in a data directory, as its {@code postmaster.pid} says: the
 * postmaster's process id and port, accepted only when that process is alive, is a server of this
 * very directory (on Linux: works in it; elsewhere: a postgres process) and says it is ready.
 * Immutable and thread-safe.
 */
record RunningServer(long pid, int port) {
  RunningServer {
    if (pid <= 0 || port <= 0 || port > 65535) {
      throw new IllegalArgumentException("A running server needs a pid and a port but had " + pid + ", " + port);
    }
  }

  /** The ready server of {@code data}, or empty when none runs there (or it is starting or stopping). */
  static Optional<RunningServer> find(Path data) {
    Path pidFile = data.resolve("postmaster.pid");
    List<String> lines;
    try {
      lines = Files.readAllLines(pidFile, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return Optional.empty(); // none, or removed as we read it: no server to share
    }
    // Line 1 the postmaster's pid, 4 the port, 8 the status (PostgreSQL's pidfile.h).
    if (lines.size() < 8 || !lines.get(7).strip().equals("ready")) {
      return Optional.empty();
    }
    long pid;
    int port;
    try {
      pid = Long.parseLong(lines.get(0).strip());
      port = Integer.parseInt(lines.get(3).strip());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    if (pid <= 0 || port <= 0 || port > 65535) {
      return Optional.empty();
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty() || !servesDirectory(process.get(), data)) {
      return Optional.empty();
    }
    return Optional.of(new RunningServer(pid, port));
  }

  /** A pid file outlives a crash, and its pid may since name any process: check it is ours. */
  private static boolean servesDirectory(ProcessHandle process, Path data) {
    try {
      Optional<List<EmbeddedDatabase.ServerProcess>> here = EmbeddedDatabase.serverProcesses(data);
      if (here.isPresent()) {
        return here.get().stream().anyMatch(p -> p.postmaster() && p.handle().pid() == process.pid());
      }
    } catch (IOException e) {
      return false;
    }
    return process.info().command().orElse("").contains("postgres");
  }

  /**
   * Stops the postmaster {@code pid} of {@code dir} and waits until it and its backends are gone.
   * Fast ends open sessions (SIGINT); otherwise a smart shutdown lets them finish (SIGTERM).
   */
  static void shutdown(long pid, boolean fast, Path dir) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (process.isEmpty()) {
      return;
    }
    boolean signalled = false;
    if (fast) {
      try {
        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(pid))
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        signalled = kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0;
      } catch (IOException e) {
        signalled = false; // no kill(1): a smart shutdown below
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (!signalled) {
      process.get().destroy();
    }
    try {
      process.get().onExit().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new LedgerStoreException(Kind.UNAVAILABLE, "The embedded PostgreSQL (pid " + pid + ") in " + dir
          + " did not stop within 60 s; a command still connected keeps it up (see " + dir.resolve("postgres.log")
          + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LedgerStoreException(Kind.UNAVAILABLE, "Interrupted while stopping the embedded PostgreSQL in " + dir, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new LedgerStoreException(Kind.UNAVAILABLE, "Cannot stop the embedded PostgreSQL in " + dir, e);
    }
    awaitBackends(dir.resolve("pg"));
  }

  private static void awaitBackends(Path data) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    try {
      while (System.nanoTime() < deadline
          && !EmbeddedDatabase.serverProcesses(data).orElse(List.of()).isEmpty()) {
        Thread.sleep(20);
      }
    } catch (IOException e) {
      // The directory went away with the server: nothing left to wait for.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
