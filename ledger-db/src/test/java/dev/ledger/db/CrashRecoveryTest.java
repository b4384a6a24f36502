package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** kill -9 in the middle of an import, run it again: every entry exists exactly once. */
class CrashRecoveryTest {
  private static final int ENTRIES = 6_000;
  private static final int BATCH = 100;

  @Test
  void anImportKilledMidwayAndRunAgainLeavesEachEntryExactlyOnce() throws Exception {
    String name = TestDatabases.freshName();
    String url = TestDatabases.url(name);
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        CrashImportMain.class.getName(), url, "postgres", Integer.toString(ENTRIES), Integer.toString(BATCH))
        .redirectErrorStream(true).start();
    int committed = 0;
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("committed ")) {
          committed = Integer.parseInt(line.substring(10));
          if (committed >= ENTRIES / 4) {
            break;
          }
        }
      }
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(committed).as("the child must have been killed mid-import").isBetween(1, ENTRIES - BATCH);

    try (LedgerDatabase database = LedgerDatabase.connect(url, "postgres", null)) {
      long before = count(name);
      assertThat(before).isGreaterThanOrEqualTo(committed).isLessThan(ENTRIES);
      int created = CrashImportMain.run(database.ledger(), CrashImportMain.entries(ENTRIES), BATCH, false);
      assertThat(before + created).isEqualTo(ENTRIES);
      assertThat(count(name)).isEqualTo(ENTRIES);
      VerifyReport report = database.verify();
      assertThat(report.ok()).as(report.toString()).isTrue();
      assertThat(report.entriesChecked()).isEqualTo(ENTRIES);
    }
  }

  private static long count(String name) throws Exception {
    try (Connection c = TestDatabases.superuser(name); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT id) FROM entries")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(rs.getLong(2));
      return rs.getLong(1);
    }
  }
}
