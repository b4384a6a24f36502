package dev.ledger.db.embedded;

import dev.ledger.db.LedgerStoreException;
import dev.ledger.db.LedgerStoreException.Kind;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * PostgreSQL 17 run from the zonky binaries with its data under {@code home/pg}, kept across
 * restarts. An exclusive lock on {@code home/ledger.lock} keeps a second process out: it waits up
 * to the given time and then fails naming the directory. As root, zonky runs the server in a user
 * namespace ({@code unshare -U}), since PostgreSQL refuses to run as root.
 */
public final class EmbeddedDatabase implements AutoCloseable {
  public static final Duration DEFAULT_LOCK_WAIT = Duration.ofSeconds(10);

  private final Path home;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final EmbeddedPostgres postgres;

  private EmbeddedDatabase(Path home, FileChannel lockChannel, FileLock lock, EmbeddedPostgres postgres) {
    this.home = home;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.postgres = postgres;
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
      Path data = dir.resolve("pg");
      stopOrphanedServer(data);
      EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
          .setDataDirectory(data)
          .setCleanDataDirectory(false)
          .setRegisterShutdownHook(true)
          .setPGStartupWait(Duration.ofSeconds(60))
          .setLocaleConfig("locale", "C")
          .setLocaleConfig("encoding", "UTF8")
          .setServerConfig("max_connections", "200")
          // zonky starts PostgreSQL without fsync for tests; a ledger must survive a power cut.
          .setServerConfig("fsync", "on")
          .setServerConfig("synchronous_commit", "on")
          .setServerConfig("full_page_writes", "on");
      settings.forEach(builder::setServerConfig);
      EmbeddedPostgres postgres = builder.start();
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

  private static FileLock acquire(FileChannel channel, Path dir, Duration wait) throws IOException {
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
   * A killed JVM leaves its postmaster running; holding the directory lock proves no live ledger
   * process owns it, so stop that server before starting a new one.
   */
  private static void stopOrphanedServer(Path data) throws IOException {
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    String first = Files.readAllLines(pidFile, StandardCharsets.US_ASCII).stream().findFirst().orElse("");
    long pid;
    try {
      pid = Long.parseLong(first.trim());
    } catch (NumberFormatException e) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().info().command().orElse("").contains("postgres")) {
      return;
    }
    process.get().destroy(); // SIGTERM: smart shutdown, the dead JVM's connections are gone
    try {
      process.get().onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      process.get().destroyForcibly();
    }
  }

  public Path home() {
    return home;
  }

  public String jdbcUrl(String database) {
    return postgres.getJdbcUrl("postgres", database);
  }

  public int port() {
    return postgres.getPort();
  }

  /** The superuser the embedded cluster was initialised with (trust authentication, local only). */
  public String user() {
    return "postgres";
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new LedgerStoreException(Kind.STORE_FAILURE,
          "Cannot stop the embedded PostgreSQL in " + home + ": " + e.getMessage(), e);
    } finally {
      release(lockChannel, lock);
    }
  }

  private static void release(FileChannel channel, FileLock lock) {
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
