package dev.ledger.db.embedded;

import dev.ledger.db.LedgerStoreException;
import dev.ledger.db.LedgerStoreException.Kind;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL 17 run from the zonky binaries with its data under {@code home/pg}, kept across
 * restarts. As root, zonky runs the server in a user namespace ({@code unshare -U}), since
 * PostgreSQL refuses to run as root. Two ways to use it:
 * <ul>
 *   <li>{@link #start}: this process owns the server for as long as it is open. An exclusive lock
 *       on {@code home/ledger.lock} keeps a second process out: it waits up to the given time and
 *       then fails naming the directory. Tests and benchmarks use this.</li>
 *   <li>{@link #shared}: the CLI's default. The server outlives the command, so the next command
 *       connects in milliseconds instead of starting PostgreSQL again. The lock is held only while
 *       a command looks for the server (its {@code postmaster.pid}, checked for a live postmaster
 *       working in this data directory) and starts it, so concurrent first commands start one
 *       server. Every command stamps {@code home/server.last-used}; a detached {@link IdleWatcher}
 *       stops the server once it has been unused for the idle time and has no client left, and
 *       {@link #stopShared} stops it at once ({@code ledger stop}).</li>
 * </ul>
 */
public final class EmbeddedDatabase implements AutoCloseable {
  public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(10);
  /** Held only to find or start the shared server; a first start (initdb) can take a while. */
  public static final Duration SHARED_LOCK_WAIT = Duration.ofSeconds(90);
  public static final Duration DEFAULT_IDLE = Duration.ofMinutes(10);
  static final String LAST_USED = "server.last-used";
  static final String WATCHER_PID = "server.watcher.pid";

  private final Path home;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final EmbeddedPostgres postgres;
  /** Shared mode only: the running server's port and postmaster, and how long it may idle. */
  private final int port;
  private final long postmaster;
  private final Duration idle;

  private EmbeddedDatabase(Path home, FileChannel lockChannel, FileLock lock, EmbeddedPostgres postgres) {
    this.home = home;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.postgres = postgres;
    this.port = postgres.getPort();
    this.postmaster = -1;
    this.idle = null;
  }

  private EmbeddedDatabase(Path home, int port, long postmaster, Duration idle) {
    this.home = home;
    this.lockChannel = null;
    this.lock = null;
    this.postgres = null;
    this.port = port;
    this.postmaster = postmaster;
    this.idle = idle;
  }

  public static EmbeddedDatabase start(Path home) {
    return start(home, DEFAULT_LOCK_WAIT, Map.of());
  }

  /** Starts (or restarts) the server; {@code settings} are extra postgresql.conf values. */
  public static EmbeddedDatabase start(Path home, Duration lockWait, Map<String, String> settings) {
    Path dir = home.toAbsolutePath().normalize();
    FileChannel channel = null;
    FileLock lock = null;
    try {
      Files.createDirectories(dir);
      channel = FileChannel.open(dir.resolve("ledger.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      lock = acquire(channel, dir, lockWait);
      EmbeddedPostgres postgres = startServer(dir, settings, true);
      return new EmbeddedDatabase(dir, channel, lock, postgres);
    } catch (IOException | RuntimeException e) {
      release(channel, lock);
      if (e instanceof LedgerStoreException store) {
        throw store;
      }
      throw new LedgerStoreException(Kind.UNAVAILABLE,
          "Cannot start the embedded PostgreSQL in " + dir + ": " + e.getMessage(), e);
    }
  }

  /**
   * The shared server of {@code home}: the one already running there, else a new one that outlives
   * this process. With a positive {@code idle} a detached {@link IdleWatcher} stops it after that
   * long unused; with zero, {@link #close()} stops it (the behaviour before the server was shared).
   */
  public static EmbeddedDatabase shared(Path home, Duration idle) {
    if (idle == null || idle.isNegative()) {
      throw new IllegalArgumentException("Idle time must be zero or positive but was " + idle);
    }
    Path dir = home.toAbsolutePath().normalize();
    FileChannel channel = null;
    FileLock lock = null;
    try {
      Files.createDirectories(dir);
      channel = FileChannel.open(dir.resolve("ledger.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      lock = acquire(channel, dir, SHARED_LOCK_WAIT);
      Path data = dir.resolve("pg");
      Optional<RunningServer> running = RunningServer.find(data);
      if (running.isEmpty()) {
        EmbeddedPostgres started = startServer(dir, Map.of(), false);
        running = RunningServer.find(data);
        if (running.isEmpty()) {
          throw new LedgerStoreException(Kind.UNAVAILABLE, "The embedded PostgreSQL in " + dir
              + " started on port " + started.getPort() + " but wrote no readable postmaster.pid", null);
        }
      }
      stampLastUsed(dir, idle);
      if (!idle.isZero()) {
        IdleWatcher.ensureRunning(dir, running.get().pid());
      }
      return new EmbeddedDatabase(dir, running.get().port(), running.get().pid(), idle);
    } catch (IOException | RuntimeException e) {
      if (e instanceof LedgerStoreException store) {
        throw store;
      }
      throw new LedgerStoreException(Kind.UNAVAILABLE,
          "Cannot start the embedded PostgreSQL in " + dir + ": " + e.getMessage(), e);
    } finally {
      release(channel, lock);
    }
  }

  /**
   * Stops the shared server of {@code home} now (fast shutdown: open sessions are ended) and its
   * watcher. Returns whether a server was running; false also when {@code home} holds no ledger.
   */
  public static boolean stopShared(Path home) {
    Path dir = home.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      return false;
    }
    FileChannel channel = null;
    FileLock lock = null;
    try {
      channel = FileChannel.open(dir.resolve("ledger.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      lock = acquire(channel, dir, SHARED_LOCK_WAIT);
      IdleWatcher.stop(dir);
      Optional<RunningServer> running = RunningServer.find(dir.resolve("pg"));
      if (running.isEmpty()) {
        return false;
      }
      RunningServer.shutdown(running.get().pid(), true, dir);
      return true;
    } catch (IOException e) {
      throw new LedgerStoreException(Kind.UNAVAILABLE,
          "Cannot stop the embedded PostgreSQL in " + dir + ": " + e.getMessage(), e);
    } finally {
      release(channel, lock);
    }
  }

  /** Records that a command uses the server now, and the idle time it asked for (IdleWatcher). */
  static void stampLastUsed(Path dir, Duration idle) throws IOException {
    Files.writeString(dir.resolve(LAST_USED), idle.toSeconds() + "\n", StandardCharsets.US_ASCII);
  }

  /** Starts PostgreSQL in {@code dir/pg}; the caller holds the directory lock. */
  private static EmbeddedPostgres startServer(Path dir, Map<String, String> settings, boolean stopAtExit)
      throws IOException {
    Path log = null;
    try {
      Path data = dir.resolve("pg");
      recoverPidFile(data);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(data)
          .setCleanDataDirectory(false)
          .setRegisterShutdownHook(stopAtExit)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setLocaleConfig("locale", "C")
          .setLocaleConfig("encoding", "UTF8")
          .setServerConfig("max_connections", "200")
          // zonky starts PostgreSQL without fsync for tests; a ledger must survive a power cut.
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("full_page_writes", "on");
      settings.forEach(builder::setServerConfig);
      // The server's own words on why it did not start; rewritten at each start, so it stays small.
      log = dir.resolve("postgres.log");
      builder.setOutputRedirector(ProcessBuilder.Redirect.to(log.toFile()))
          .setErrorRedirector(ProcessBuilder.Redirect.to(log.toFile()));
      return builder.start();
    } catch (IOException | RuntimeException e) {
      if (e instanceof LedgerStoreException store) {
        throw store;
      }
      throw new LedgerStoreException(Kind.UNAVAILABLE,
          "Cannot start the embedded PostgreSQL in " + dir + ": " + e.getMessage() + serverSaid(log), e);
    }
  }

  /** The last FATAL or PANIC line of the server log, as a suffix for a start-up failure. */
  private static String serverSaid(Path log) {
    if (log == null || !Files.isReadable(log)) {
      return "";
    }
    java.util.regex.Pattern fatal = java.util.regex.Pattern.compile("(FATAL|PANIC):.*");
    try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
      return lines.map(fatal::matcher).filter(java.util.regex.Matcher::find)
          .map(java.util.regex.Matcher::group)
          .reduce((earlier, later) -> later)
          .map(line -> "; the server said: " + line.strip() + " (" + log + ")")
          .orElse("");
    } catch (IOException | java.io.UncheckedIOException e) {
      return "";
    }
  }

  static FileLock acquire(FileChannel channel, Path dir, Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        FileLock lock = channel.tryLock();
        if (lock != null) {
          return lock;
        }
      } catch (OverlappingFileLockException e) {
        // Held by this very JVM: treat like another process.
      }
      if (System.nanoTime() >= deadline) {
        throw new LedgerStoreException(Kind.DATA_DIRECTORY_LOCKED,
            "The ledger data directory " + dir + " is in use by another process (waited "
                + wait.toSeconds() + " s for " + dir.resolve("ledger.lock") + ")", null);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LedgerStoreException(Kind.DATA_DIRECTORY_LOCKED,
            "Interrupted while waiting for the ledger data directory " + dir, e);
      }
    }
  }

  /**
   * Makes {@code postmaster.pid} tell the truth before the server starts. Holding the directory
   * lock proves that no live ledger process owns the data, so a PostgreSQL still running in it is
   * an orphan of a killed JVM: stop it. A pid file that names any other process (the PID was
   * reused after a crash or reboot) is stale: PostgreSQL would refuse to start beside it and zonky
   * would wait a minute for nothing, so remove it. On Linux the processes of this data directory
   * are those whose working directory it is (the postmaster changes into it, and every backend
   * inherits that); elsewhere only a pid file naming a postgres process is acted on.
   */
  private static void recoverPidFile(Path data) throws IOException {
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    List<String> lines = Files.readAllLines(pidFile, StandardCharsets.ISO_8859_1);
    Optional<ProcessHandle> named = lines.isEmpty() ? Optional.empty() : parsePid(lines.get(0))
        .flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
    Optional<List<ServerProcess>> running = serverProcesses(data);
    if (running.isEmpty()) {
      if (named.isPresent() && named.get().info().command().orElse("").contains("postgres")) {
        stop(named.get());
      }
      return;
    }
    for (ServerProcess process : running.get()) {
      if (process.postmaster()) {
        stop(process.handle());
      }
    }
    awaitExit(data, serverProcesses(data).orElse(List.of()));
    Files.deleteIfExists(pidFile);
  }

  /** A process whose working directory is the data directory; the postmaster is not retitled. */
  record ServerProcess(ProcessHandle handle, boolean postmaster) {}

  /** PostgreSQL processes working in {@code data}, or empty when /proc cannot tell (not Linux). */
  static Optional<List<ServerProcess>> serverProcesses(Path data) throws IOException {
    Path proc = Path.of("/proc");
    if (!Files.isSymbolicLink(proc.resolve("self").resolve("cwd"))) {
      return Optional.empty();
    }
    String dir = data.toRealPath().toString();
    List<ServerProcess> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, "[0-9]*")) {
      for (Path entry : entries) {
        try {
          if (!Files.readSymbolicLink(entry.resolve("cwd")).toString().equals(dir)) {
            continue;
          }
          String argv0 = new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.ISO_8859_1);
          int end = argv0.indexOf('\0');
          argv0 = end < 0 ? argv0 : argv0.substring(0, end);
          // Backends retitle themselves "postgres: ..."; the postmaster keeps its binary's path.
          boolean backend = argv0.startsWith("postgres:");
          String name = argv0.substring(argv0.lastIndexOf('/') + 1);
          if (backend || name.equals("postgres") || name.equals("postmaster")) {
            ProcessHandle.of(Long.parseLong(entry.getFileName().toString()))
                .ifPresent(h -> found.add(new ServerProcess(h, !backend)));
          }
        } catch (IOException | SecurityException | NumberFormatException e) {
          // The process ended, or is not ours to inspect: it is not a server of ours either.
        }
      }
    }
    return Optional.of(found);
  }

  /** Backends outlive a killed postmaster briefly; a new server must not share memory with them. */
  private static void awaitExit(Path data, List<ServerProcess> survivors) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<ProcessHandle> alive = survivors.stream().map(ServerProcess::handle).toList();
    while (true) {
      alive = alive.stream().filter(ProcessHandle::isAlive).toList();
      if (alive.isEmpty()) {
        return;
      }
      if (System.nanoTime() >= deadline) {
        throw new LedgerStoreException(Kind.UNAVAILABLE, "PostgreSQL processes "
            + alive.stream().map(h -> String.valueOf(h.pid())).toList() + " still run in " + data
            + " without their server; stop them and retry", null);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LedgerStoreException(Kind.UNAVAILABLE, "Interrupted while waiting for PostgreSQL "
            + "processes in " + data + " to exit", e);
      }
    }
  }

  private static Optional<Long> parsePid(String line) {
    try {
      long pid = Long.parseLong(line.trim());
      return pid > 0 ? Optional.of(pid) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static void stop(ProcessHandle process) {
    process.destroy(); // SIGTERM: smart shutdown, the dead JVM's connections are gone
    try {
      process.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      process.destroyForcibly();
    }
  }

  public Path home() {
    return home;
  }

  public String jdbcUrl(String database) {
    return postgres != null ? postgres.getJdbcUrl("postgres", database)
        : "jdbc:postgresql://localhost:" + port + "/" + database + "?user=postgres";
  }

  public int port() {
    return port;
  }

  /** Whether this is the shared server of {@link #shared} (it outlives this process). */
  public boolean isShared() {
    return postgres == null;
  }

  /** The superuser the embedded cluster was initialised with (trust authentication, local only). */
  public String user() {
    return "postgres";
  }

  /**
   * An owned server ({@link #start}) is stopped and the directory unlocked. A shared one is left
   * running for the next command, stamped as used now; with an idle time of zero it is stopped
   * here (smart shutdown: a command still connected finishes first).
   */
  @Override
  public void close() {
    if (postgres == null) {
      closeShared();
      return;
    }
    try {
      postgres.close();
    } catch (IOException e) {
      throw new LedgerStoreException(Kind.STORE_FAILURE,
          "Cannot stop the embedded PostgreSQL in " + home + ": " + e.getMessage(), e);
    } finally {
      release(lockChannel, lock);
    }
  }

  private void closeShared() {
    FileChannel channel = null;
    FileLock lock = null;
    try {
      if (!idle.isZero()) {
        stampLastUsed(home, idle);
        return;
      }
      channel = FileChannel.open(home.resolve("ledger.lock"), StandardOpenOption.CREATE,
          StandardOpenOption.WRITE);
      lock = acquire(channel, home, SHARED_LOCK_WAIT);
      Optional<RunningServer> running = RunningServer.find(home.resolve("pg"));
      if (running.isPresent() && running.get().pid() == postmaster) {
        IdleWatcher.stop(home);
        RunningServer.shutdown(postmaster, false, home);
      }
    } catch (IOException e) {
      throw new LedgerStoreException(Kind.STORE_FAILURE,
          "Cannot stop the embedded PostgreSQL in " + home + ": " + e.getMessage(), e);
    } finally {
      release(channel, lock);
    }
  }

  static void release(FileChannel channel, FileLock lock) {
    try {
      if (lock != null && lock.isValid()) {
        lock.release();
      }
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      // Closing the channel releases the lock anyway.
    }
  }
}
