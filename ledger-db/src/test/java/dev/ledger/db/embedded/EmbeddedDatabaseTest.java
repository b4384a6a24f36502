package dev.ledger.db.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.db.LedgerDatabase;
import dev.ledger.db.LedgerStoreException;
import dev.ledger.db.TestDatabases;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.Posting;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The embedded default: data survives a restart, and a second opener is refused clearly. */
class EmbeddedDatabaseTest {
  /** A data directory that was initialised and then stopped cleanly (no postmaster.pid). */
  private static Path stoppedHome() throws Exception {
    Path home = Files.createTempDirectory(Path.of("target"), "ledger-home-");
    EmbeddedDatabase.start(home).close();
    assertThat(pidFile(home)).doesNotExist();
    return home;
  }

  private static Path pidFile(Path home) {
    return home.toAbsolutePath().normalize().resolve("pg").resolve("postmaster.pid");
  }

  private static long pidIn(Path pidFile) throws Exception {
    return Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.US_ASCII).get(0).trim());
  }

  /** What a postmaster writes, naming {@code pid}: the state a crash or reboot leaves behind. */
  private static void writePidFile(Path home, long pid) throws Exception {
    Path data = pidFile(home).getParent();
    Files.writeString(pidFile(home), pid + "\n" + data + "\n1733000000\n54321\n/tmp\nlocalhost\n"
        + "  5432001      4096\nready   \n", StandardCharsets.US_ASCII);
  }

  private static void assertServes(EmbeddedDatabase database) throws Exception {
    try (var c = java.sql.DriverManager.getConnection(database.jdbcUrl("postgres"), database.user(), null);
        var s = c.createStatement(); var rs = s.executeQuery("SELECT 1")) {
      assertThat(rs.next()).isTrue();
    }
  }

  @Test
  void aPidFileNamingALiveProcessThatIsNoPostgresqlServerIsReplacedAndTheServerStarts() throws Exception {
    Path home = stoppedHome();
    // Alive, of this user, and no postmaster. Not this JVM: PostgreSQL itself ignores a pid file
    // naming its parent or grandparent (pg_ctl's caller, this JVM), so that would prove nothing.
    Process unrelated = new ProcessBuilder("sleep", "600").start();
    try {
      writePidFile(home, unrelated.pid());
      try (EmbeddedDatabase database = EmbeddedDatabase.start(home, Duration.ofSeconds(1), Map.of())) {
        assertServes(database);
        long postmaster = pidIn(pidFile(home));
        assertThat(postmaster).isNotEqualTo(unrelated.pid());
        assertThat(ProcessHandle.of(postmaster).flatMap(p -> p.info().command()).orElseThrow())
            .endsWith("postgres");
      }
      assertThat(unrelated.isAlive()).as("the unrelated process is left alone").isTrue();
    } finally {
      unrelated.destroyForcibly();
    }
  }

  @Test
  void aServerThatCannotStartIsReportedWithItsOwnReason() throws Exception {
    Path home = stoppedHome();
    // zonky still waits its full start-up time (60 s) before it gives up; the reason is the point.
    assertThatThrownBy(() -> EmbeddedDatabase.start(home, Duration.ofSeconds(1), Map.of("shared_buffers", "lots")))
        .isInstanceOfSatisfying(LedgerStoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(LedgerStoreException.Kind.UNAVAILABLE);
          assertThat(e.getMessage()).contains("the server said: FATAL:", "shared_buffers", "postgres.log");
        });
  }

  @Test
  void aPidFileNamingTheServerOfAnotherDirectoryLeavesThatServerRunning() throws Exception {
    Path home = stoppedHome();
    EmbeddedDatabase other = TestDatabases.server();
    long otherPostmaster = pidIn(pidFile(other.home()));
    writePidFile(home, otherPostmaster);
    try (EmbeddedDatabase database = EmbeddedDatabase.start(home, Duration.ofSeconds(1), Map.of())) {
      assertServes(database);
      assertThat(pidIn(pidFile(home))).isNotEqualTo(otherPostmaster);
    }
    assertThat(ProcessHandle.of(otherPostmaster)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    assertServes(other);
  }

  @Test
  void theOrphanedServerOfAKilledLedgerProcessIsStoppedBeforeANewOneStarts() throws Exception {
    Path home = stoppedHome();
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        EmbeddedServerMain.class.getName(), home.toString()).redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("started ")) {
        // zonky's start-up chatter
      }
      assertThat(line).as("the child must have started the server").isNotNull();
    } finally {
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    long orphan = pidIn(pidFile(home));
    assertThat(ProcessHandle.of(orphan)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    try (EmbeddedDatabase database = EmbeddedDatabase.start(home, Duration.ofSeconds(1), Map.of())) {
      assertServes(database);
      assertThat(ProcessHandle.of(orphan).filter(ProcessHandle::isAlive))
          .as("two postmasters must never share a data directory").isEmpty();
      assertThat(pidIn(pidFile(home))).isNotEqualTo(orphan);
    }
  }

  @Test
  void dataSurvivesARestartAndASecondOpenerFailsNamingTheDirectory() throws Exception {
    Path home = Files.createTempDirectory(Path.of("target"), "ledger-home-");
    Entry entry = Entry.of("persisted-1", Instant.parse("2024-09-01T00:00:00Z"), "kept", Map.of(),
        List.of(Posting.debit("assets:bank:x", "1.00", "CNY"), Posting.credit("equity:capital", "1.00", "CNY")));
    try (LedgerDatabase first = LedgerDatabase.embedded(home)) {
      assertThat(first.ledger().post(entry).status()).isEqualTo(PostStatus.CREATED);
      assertThatThrownBy(() -> EmbeddedDatabase.start(home, Duration.ofMillis(300), Map.of()))
          .isInstanceOfSatisfying(LedgerStoreException.class, e -> {
            assertThat(e.kind()).isEqualTo(LedgerStoreException.Kind.DATA_DIRECTORY_LOCKED);
            assertThat(e.getMessage()).contains(home.toAbsolutePath().normalize().toString());
          });
    }
    try (LedgerDatabase again = LedgerDatabase.embedded(home)) {
      assertThat(again.ledger().post(entry).status()).isEqualTo(PostStatus.EXISTS);
      assertThat(again.verify().ok()).isTrue();
    }
  }

  @Test
  void anUnreachableExternalDatabaseIsReportedAsUnavailable() {
    assertThatThrownBy(() -> LedgerDatabase.connect("jdbc:postgresql://127.0.0.1:1/ledger", "u", "secret"))
        .isInstanceOfSatisfying(LedgerStoreException.class, e -> {
          assertThat(e.kind()).isEqualTo(LedgerStoreException.Kind.UNAVAILABLE);
          assertThat(e.getMessage()).doesNotContain("secret");
        });
    assertThatThrownBy(() -> LedgerDatabase.connect("mysql://x", "u", "p"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mysql://x");
  }
}
