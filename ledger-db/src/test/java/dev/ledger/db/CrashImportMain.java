package dev.ledger.db;

import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process of {@link CrashRecoveryTest}: imports a fixed sequence of entries in batches,
 * printing a line after each committed batch. Arguments: JDBC URL, user, entry count, batch size.
 */
public final class CrashImportMain {
  private CrashImportMain() {}

  static List<Entry> entries(int count) {
    List<Entry> entries = new ArrayList<>(count);
    Instant base = Instant.parse("2024-09-01T00:00:00Z");
    for (int i = 0; i < count; i++) {
      entries.add(PostgresLedgerPostingTest.payment("imp-" + i, (1 + i % 500) + ".00", base.plusSeconds(i)));
    }
    return entries;
  }

  static int run(PostgresLedger ledger, List<Entry> entries, int batchSize, boolean print) {
    int created = 0;
    for (int from = 0; from < entries.size(); from += batchSize) {
      BatchResult result = ledger.postAll(entries.subList(from, Math.min(entries.size(), from + batchSize)));
      if (!result.committed()) {
        throw new IllegalStateException("batch at " + from + " rejected: " + result.rejections());
      }
      created += (int) result.count(dev.ledger.journal.PostStatus.CREATED);
      if (print) {
        System.out.println("committed " + (from + batchSize));
        System.out.flush();
      }
    }
    return created;
  }

  public static void main(String[] args) {
    try (LedgerDatabase database = LedgerDatabase.connect(args[0], args[1], null)) {
      run(database.ledger(), entries(Integer.parseInt(args[2])), Integer.parseInt(args[3]), true);
    }
  }
}
