package dev.ledger.db.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.db.LedgerDatabase;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.Posting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The CLI's embedded default: one server per data directory that outlives each command. */
class SharedEmbeddedServerTest {
  private static final Path HOME = home();

  private static Path home() {
    try {
      return Files.createTempDirectory(Path.of("target"), "ledger-shared-").toAbsolutePath();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  static void stopTheServer() {
    EmbeddedDatabase.stopShared(HOME);
  }

  private static long postmaster(Path home) throws Exception {
    return Long.parseLong(Files.readAllLines(home.resolve("pg/postmaster.pid"), StandardCharsets.US_ASCII)
        .get(0).trim());
  }

  private static Entry entry(String id) {
    return Entry.of(id, Instant.parse("2024-09-12T02:00:00Z"), "kept", Map.of(),
        List.of(Posting.debit("assets:bank:x", "1.00", "CNY"), Posting.credit("equity:capital", "1.00", "CNY")));
  }

  @Test
  void aLaterCommandConnectsToTheRunningServerAndStopEndsServerAndWatcher() throws Exception {
    long first;
    try (LedgerDatabase database = LedgerDatabase.embeddedShared(HOME, Duration.ofMinutes(1), Duration.ofMinutes(10), 2)) {
      assertThat(database.ledger().post(entry("shared-1")).status()).isEqualTo(PostStatus.CREATED);
      first = postmaster(HOME);
    }
    assertThat(ProcessHandle.of(first)).as("the server outlives the command")
        .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    long watcher = Long.parseLong(Files.readString(HOME.resolve(EmbeddedDatabase.WATCHER_PID)).split(" ")[0]);
    assertThat(ProcessHandle.of(watcher)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());

    try (LedgerDatabase again = LedgerDatabase.embeddedShared(HOME, Duration.ofMinutes(1), Duration.ofMinutes(10), 2)) {
      assertThat(postmaster(HOME)).as("no second server").isEqualTo(first);
      assertThat(again.ledger().post(entry("shared-1")).status()).isEqualTo(PostStatus.EXISTS);
    }

    assertThat(EmbeddedDatabase.stopShared(HOME)).isTrue();
    assertThat(ProcessHandle.of(first).filter(ProcessHandle::isAlive)).isEmpty();
    ProcessHandle.of(watcher).ifPresent(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join());
    assertThat(ProcessHandle.of(watcher).filter(ProcessHandle::isAlive)).as("the watcher ends with it").isEmpty();
    assertThat(EmbeddedDatabase.stopShared(HOME)).as("nothing left to stop").isFalse();
  }

  @Test
  void concurrentFirstCommandsStartOneServerAndAnIdleTimeOfZeroStopsItAtTheEnd() throws Exception {
    Path home = Files.createTempDirectory(Path.of("target"), "ledger-shared-").toAbsolutePath();
    try {
      ExecutorService pool = Executors.newFixedThreadPool(2);
      Callable<Long> command = () -> {
        try (LedgerDatabase database = LedgerDatabase.embeddedShared(home, Duration.ofMinutes(1), Duration.ofMinutes(10), 2)) {
          database.ledger().post(entry("concurrent-1"));
          return postmaster(home);
        }
      };
      List<Future<Long>> both = pool.invokeAll(List.of(command, command));
      pool.shutdown();
      assertThat(both.get(0).get()).isEqualTo(both.get(1).get());

      long server = both.get(0).get();
      try (LedgerDatabase last = LedgerDatabase.embeddedShared(home, Duration.ofMinutes(1), Duration.ZERO, 2)) {
        assertThat(postmaster(home)).isEqualTo(server);
        assertThat(last.schemaVersion()).isEqualTo(LedgerDatabase.shippedSchemaVersion());
      }
      assertThat(ProcessHandle.of(server).filter(ProcessHandle::isAlive)).as("idle 0: stopped at exit").isEmpty();
      assertThat(home.resolve("pg/postmaster.pid")).doesNotExist();
    } finally {
      EmbeddedDatabase.stopShared(home);
    }
  }

  @Test
  void aPidFileOfAServerThatIsGoneIsNotMistakenForARunningOne() throws Exception {
    Path home = Files.createTempDirectory(Path.of("target"), "ledger-shared-").toAbsolutePath();
    Files.createDirectories(home.resolve("pg"));
    Process unrelated = new ProcessBuilder("sleep", "600").start();
    try {
      Files.writeString(home.resolve("pg/postmaster.pid"), unrelated.pid() + "\n" + home.resolve("pg")
          + "\n1733000000\n54321\n/tmp\nlocalhost\n  5432001      4096\nready   \n", StandardCharsets.US_ASCII);
      assertThat(RunningServer.find(home.resolve("pg"))).isEmpty();
      assertThat(EmbeddedDatabase.stopShared(home)).isFalse();
      assertThat(unrelated.isAlive()).as("an unrelated process is never signalled").isTrue();
    } finally {
      unrelated.destroyForcibly();
    }
  }
}
