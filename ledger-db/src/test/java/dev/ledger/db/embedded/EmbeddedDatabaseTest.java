package dev.ledger.db.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.db.LedgerDatabase;
import dev.ledger.db.LedgerStoreException;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.Posting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The embedded default: data survives a restart, and a second opener is refused clearly. */
class EmbeddedDatabaseTest {
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
