package dev.ledger.db.embedded;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The small detached process that stops a shared embedded server once it has been idle: no
 * command has used it for the idle time the last command asked for ({@code server.last-used}) and
 * no client is connected. It runs in its own session (setsid), so neither the exit of the command
 * that started it nor a Ctrl-C in that terminal ends it, and exits as soon as its server is gone
 * (stopped by {@code ledger stop}, by an idle time of zero, or by a crash). Commands start it again
 * if it is missing, so a killed watcher cannot leave a server up for good.
 */
public final class IdleWatcher {
  private static final Duration MAX_SLEEP = Duration.ofSeconds(30);

  private IdleWatcher() {}

  /** {@code IdleWatcher DATA_HOME POSTMASTER_PID}. */
  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    long postmaster = Long.parseLong(args[1]);
    writePid(home, ProcessHandle.current().pid(), postmaster);
    try {
      watch(home, postmaster);
    } finally {
      removePidIfOurs(home, ProcessHandle.current().pid());
    }
  }

  private static void watch(Path home, long postmaster) throws Exception {
    Path data = home.resolve("pg");
    while (true) {
      Optional<RunningServer> running = RunningServer.find(data);
      if (running.isEmpty() || running.get().pid() != postmaster) {
        return;
      }
      Optional<Instant> due = due(home);
      Instant now = Instant.now();
      if (due.isEmpty() || now.isBefore(due.get())) {
        Duration wait = due.map(d -> Duration.between(now, d)).orElse(MAX_SLEEP);
        Thread.sleep(Math.max(200, Math.min(wait.toMillis() + 100, MAX_SLEEP.toMillis())));
        continue;
      }
      if (stopIfIdle(home, running.get())) {
        log(home, "stopped the idle embedded PostgreSQL (pid " + postmaster + ")");
        return;
      }
      Thread.sleep(5_000);
    }
  }

  /** When the server may stop, or empty when the last command asked for no idle stop by us (0). */
  private static Optional<Instant> due(Path home) throws IOException {
    Path stamp = home.resolve(EmbeddedDatabase.LAST_USED);
    try {
      long seconds = Long.parseLong(Files.readString(stamp, StandardCharsets.US_ASCII).strip());
      if (seconds <= 0) {
        return Optional.empty();
      }
      return Optional.of(Files.getLastModifiedTime(stamp).toInstant().plusSeconds(seconds));
    } catch (java.nio.file.NoSuchFileException | NumberFormatException e) {
      return Optional.of(Instant.now()); // never stamped, or garbled: idle since now
    }
  }

  /** Under the directory lock, so that no command is finding the server as we stop it. */
  private static boolean stopIfIdle(Path home, RunningServer server) throws IOException {
    try (FileChannel channel = FileChannel.open(home.resolve("ledger.lock"), StandardOpenOption.CREATE,
        StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        return false; // a command is finding or starting the server right now: it is not idle
      }
      try {
        Optional<Instant> due = due(home);
        if (due.isEmpty() || Instant.now().isBefore(due.get()) || clients(server) > 0) {
          return false;
        }
        RunningServer.shutdown(server.pid(), false, home);
        return true;
      } finally {
        lock.release();
      }
    }
  }

  private static int clients(RunningServer server) {
    String url = "jdbc:postgresql://localhost:" + server.port() + "/postgres?user=postgres"
        + "&ApplicationName=ledger-idle-watcher&connectTimeout=10";
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity "
            + "WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      return Integer.MAX_VALUE; // cannot tell: leave it running, try again later
    }
  }

  /**
   * Starts the watcher of {@code postmaster} unless one runs; the caller holds the directory lock.
   * Failing to start it is not the command's failure: the next command tries again.
   */
  static void ensureRunning(Path home, long postmaster) {
    Path pidFile = home.resolve(EmbeddedDatabase.WATCHER_PID);
    try {
      if (Files.exists(pidFile)) {
        String[] parts = Files.readString(pidFile, StandardCharsets.US_ASCII).strip().split("\\s+");
        if (parts.length == 2 && Long.parseLong(parts[1]) == postmaster
            && ProcessHandle.of(Long.parseLong(parts[0])).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().orElse("").contains(IdleWatcher.class.getName()))
                .isPresent()) {
          return;
        }
      }
      List<String> command = new ArrayList<>();
      if (new File("/usr/bin/setsid").canExecute()) {
        command.add("/usr/bin/setsid");
      } else if (new File("/bin/setsid").canExecute()) {
        command.add("/bin/setsid");
      }
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      // A few MB of heap and no JIT tiers beyond C1: it wakes every half minute for one query.
      command.addAll(List.of("-Xmx24m", "-Xss256k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-XX:CICompilerCount=1", "-cp", classPath(), IdleWatcher.class.getName(),
          home.toString(), Long.toString(postmaster)));
      File devNull = new File("/dev/null");
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("server.watcher.log").toFile()))
          .redirectErrorStream(true);
      if (devNull.exists()) {
        builder.redirectInput(devNull);
      }
      Process watcher = builder.start();
      writePid(home, watcher.pid(), postmaster);
    } catch (IOException | RuntimeException e) {
      log(home, "could not start the idle watcher: " + e);
    }
  }

  /** Ends the watcher, if any (ledger stop); the caller holds the directory lock. */
  static void stop(Path home) {
    Path pidFile = home.resolve(EmbeddedDatabase.WATCHER_PID);
    try {
      String[] parts = Files.readString(pidFile, StandardCharsets.US_ASCII).strip().split("\\s+");
      ProcessHandle.of(Long.parseLong(parts[0])).filter(ProcessHandle::isAlive)
          .filter(p -> p.info().commandLine().orElse("").contains(IdleWatcher.class.getName()))
          .ifPresent(ProcessHandle::destroy);
      Files.deleteIfExists(pidFile);
    } catch (IOException | RuntimeException e) {
      // No watcher: nothing to end.
    }
  }

  /** This class and the PostgreSQL driver: the ledger jar itself, or the build's directories. */
  private static String classPath() {
    Set<String> entries = new LinkedHashSet<>();
    for (Class<?> type : List.of(IdleWatcher.class, org.postgresql.Driver.class)) {
      try {
        entries.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
      } catch (URISyntaxException | RuntimeException e) {
        entries.add(System.getProperty("java.class.path"));
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  private static void writePid(Path home, long watcher, long postmaster) throws IOException {
    Files.writeString(home.resolve(EmbeddedDatabase.WATCHER_PID), watcher + " " + postmaster + "\n",
        StandardCharsets.US_ASCII);
  }

  private static void removePidIfOurs(Path home, long self) {
    Path pidFile = home.resolve(EmbeddedDatabase.WATCHER_PID);
    try {
      if (Files.readString(pidFile, StandardCharsets.US_ASCII).startsWith(self + " ")) {
        Files.deleteIfExists(pidFile);
      }
    } catch (IOException e) {
      // Gone with the directory, or replaced by a newer watcher.
    }
  }

  private static void log(Path home, String message) {
    try {
      Files.writeString(home.resolve("server.watcher.log"), Instant.now() + " " + message + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // Logging is a courtesy; the directory may be gone.
    }
  }
}
