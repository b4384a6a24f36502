package dev.ledger.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.account.AccountCode;
import dev.ledger.journal.BalanceQuery;
import dev.ledger.journal.CurrencyBalance;
import dev.ledger.journal.Entry;
import dev.ledger.journal.PostStatus;
import dev.ledger.journal.Posting;
import dev.ledger.journal.TrialBalanceLine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Balances as of T as known at K (read from checkpoint versions, V20) against a brute-force sum
 * over the postings table, for random (T, K): a random ledger of backdated batches over a few
 * days, several accounts under shared prefixes, two currencies, reversals and pending entries that
 * are posted in part, voided or left open. T and K fall on day boundaries, on the exact recording
 * and effective times of entries and a microsecond either side, and anywhere between. The same
 * ledger is posted three times (V26): every balance row keeping daily checkpoints from its first
 * posting, rows starting them part way through the load, and no row reaching them.
 */
class PostgresLedgerKnownAtTest {
  private static final Instant DAY0 = Instant.parse("2024-03-01T00:00:00Z");
  private static final int DAYS = 6;
  private static final List<String> ACCOUNTS = List.of("assets:kat:bank", "assets:kat:bank:sub",
      "assets:kat:wallet", "expenses:kat:fees", "income:kat:sales");
  private static final List<String> READ_AT = List.of("assets:kat:bank", "assets:kat:bank:sub",
      "assets:kat:wallet", "expenses:kat:fees", "income:kat:sales", "assets:kat", "assets", "income");
  private static final Instant FAR = Instant.parse("2100-01-01T00:00:00Z");
  private static final int[] CHECKPOINT_POSTINGS_MIN = {0, 40, 100_000};
  private static final List<Loaded> loaded = new ArrayList<>();

  /** One ledger of the load, and the recording and effective times of its entries. */
  private record Loaded(int postingsMin, LedgerDatabase database, List<Instant> recorded, List<Instant> effective) {
    PostgresLedger ledger() {
      return database.ledger();
    }

    Connection superuser() throws SQLException {
      return TestDatabases.superuser(TestDatabases.databaseOf(database));
    }

    String label() {
      return "checkpoints from posting " + postingsMin;
    }
  }

  @BeforeAll
  static void postARandomBackdatedLedger() {
    for (int postingsMin : CHECKPOINT_POSTINGS_MIN) {
      Loaded load = new Loaded(postingsMin, TestDatabases.freshWithCheckpointsFrom(postingsMin),
          new ArrayList<>(), new ArrayList<>());
      loaded.add(load);
      post(load);
    }
  }

  private static void post(Loaded load) {
    PostgresLedger ledger = load.ledger();
    List<Instant> recorded = load.recorded();
    List<Instant> effective = load.effective();
    SplittableRandom random = new SplittableRandom(20);
    List<Entry> open = new ArrayList<>();
    List<String> posted = new ArrayList<>();
    int ids = 0;
    for (int round = 0; round < 70; round++) {
      int kind = random.nextInt(10);
      List<String> written = new ArrayList<>();
      if (kind < 6) {
        List<Entry> batch = new ArrayList<>();
        for (int i = random.nextInt(1, 7); i > 0; i--) {
          batch.add(transfer("k-" + ids++, random));
        }
        assertThat(ledger.postAll(batch).results()).allSatisfy(r -> assertThat(r.status())
            .isEqualTo(PostStatus.CREATED));
        batch.forEach(e -> written.add(e.id()));
      } else if (kind == 6 && !posted.isEmpty()) {
        String target = posted.remove(random.nextInt(posted.size()));
        String id = "k-" + ids++;
        assertThat(ledger.reverse(target, id, "reversed", at(random)).status()).isEqualTo(PostStatus.CREATED);
        written.add(id);
      } else if (kind == 7) {
        Entry pending = transfer("k-" + ids++, random).withPending(FAR);
        assertThat(ledger.post(pending).status()).isEqualTo(PostStatus.CREATED);
        open.add(pending);
        written.add(pending.id());
      } else if (!open.isEmpty()) {
        Entry pending = open.remove(random.nextInt(open.size()));
        String id = "k-" + ids++;
        PostStatus status = kind == 8
            ? ledger.postPending(pending.id(), id, random.nextBoolean() ? null : "0.01", at(random)).status()
            : ledger.voidPending(pending.id(), id, "voided", at(random)).status();
        assertThat(status).isEqualTo(PostStatus.CREATED);
        written.add(id);
      }
      for (String id : written) {
        var entry = ledger.entry(id).orElseThrow();
        recorded.add(entry.recordedAt());
        effective.add(entry.entry().effectiveAt());
        if (entry.entry().reversalOf() == null && entry.entry().pending() == null
            && entry.entry().settlement() == null) {
          posted.add(id);
        }
      }
    }
  }

  @AfterAll
  static void close() {
    loaded.forEach(load -> load.database().close());
  }

  private static Instant at(SplittableRandom random) {
    if (random.nextInt(5) == 0) {
      return DAY0.plus(random.nextInt(DAYS), ChronoUnit.DAYS); // on a day boundary
    }
    return DAY0.plusSeconds(random.nextLong(Duration.ofDays(DAYS).toSeconds()))
        .plusNanos(random.nextInt(1_000_000) * 1000L);
  }

  private static Entry transfer(String id, SplittableRandom random) {
    int debit = random.nextInt(ACCOUNTS.size());
    String from = ACCOUNTS.get(random.nextInt(ACCOUNTS.size()));
    String to = ACCOUNTS.get(debit);
    if (to.equals(from)) {
      to = ACCOUNTS.get((debit + 1) % ACCOUNTS.size());
    }
    String currency = random.nextInt(4) == 0 ? "USD" : "CNY";
    String amount = random.nextInt(1, 100_00) / 100 + "." + String.format("%02d", random.nextInt(1, 100));
    return Entry.of(id, at(random), "transfer " + id, Map.of(),
        List.of(Posting.debit(to, amount, currency), Posting.credit(from, amount, currency)));
  }

  /** A time near the ledger's: an exact one, a microsecond either side, a day boundary, or any. */
  private static Instant pick(List<Instant> exact, SplittableRandom random, Instant from, Instant to) {
    switch (random.nextInt(6)) {
      case 0:
        return exact.get(random.nextInt(exact.size()));
      case 1:
        return exact.get(random.nextInt(exact.size())).minus(1, ChronoUnit.MICROS);
      case 2:
        return exact.get(random.nextInt(exact.size())).plus(1, ChronoUnit.MICROS);
      case 3:
        return DAY0.plus(random.nextInt(-1, DAYS + 2), ChronoUnit.DAYS).minus(random.nextInt(2), ChronoUnit.MICROS);
      case 4:
        return null;
      default:
        long span = Duration.between(from, to).toNanos() / 1000;
        return from.plusNanos(random.nextLong(span) * 1000);
    }
  }

  @Test
  void balancesAsOfTAsKnownAtKEqualTheSumOfThePostingsEffectiveByTAndRecordedByK() throws SQLException {
    for (Loaded load : loaded) {
      balancesAsOfTAsKnownAtKEqualTheSumOfThePostings(load);
    }
  }

  private static void balancesAsOfTAsKnownAtKEqualTheSumOfThePostings(Loaded load) throws SQLException {
    SplittableRandom random = new SplittableRandom(21);
    List<Instant> recorded = load.recorded();
    List<Instant> effective = load.effective();
    PostgresLedger ledger = load.ledger();
    Instant firstRecorded = recorded.get(0).minusSeconds(1);
    Instant lastRecorded = recorded.get(recorded.size() - 1).plusSeconds(1);
    try (Connection c = load.superuser()) {
      for (int i = 0; i < 300; i++) {
        Instant t = pick(effective, random, DAY0.minus(1, ChronoUnit.DAYS), DAY0.plus(DAYS + 1, ChronoUnit.DAYS));
        Instant k = pick(recorded, random, firstRecorded, lastRecorded);
        String code = READ_AT.get(random.nextInt(READ_AT.size()));
        Map<String, List<Long>> read = new TreeMap<>();
        for (CurrencyBalance line : ledger.balance(new BalanceQuery(AccountCode.parse(code), t, k, null))
            .currencies()) {
          if (line.debitsMinor() != 0 || line.creditsMinor() != 0) {
            read.put(line.currency().getCurrencyCode(), List.of(line.debitsMinor(), line.creditsMinor()));
          }
        }
        assertThat(read).as("%s: %s as of %s as known at %s", load.label(), code, t, k)
            .isEqualTo(bruteForce(c, code, t, k));
      }
    }
  }

  @Test
  void theTrialBalanceAsKnownAtKEqualsThePostingsPerAccount() throws SQLException {
    for (Loaded load : loaded) {
      theTrialBalanceAsKnownAtKEqualsThePostings(load);
    }
  }

  private static void theTrialBalanceAsKnownAtKEqualsThePostings(Loaded load) throws SQLException {
    SplittableRandom random = new SplittableRandom(22);
    List<Instant> recorded = load.recorded();
    List<Instant> effective = load.effective();
    PostgresLedger ledger = load.ledger();
    Instant firstRecorded = recorded.get(0).minusSeconds(1);
    Instant lastRecorded = recorded.get(recorded.size() - 1).plusSeconds(1);
    try (Connection c = load.superuser()) {
      for (int i = 0; i < 60; i++) {
        Instant t = pick(effective, random, DAY0.minus(1, ChronoUnit.DAYS), DAY0.plus(DAYS + 1, ChronoUnit.DAYS));
        Instant k = pick(recorded, random, firstRecorded, lastRecorded);
        Map<String, List<Long>> read = new TreeMap<>();
        for (TrialBalanceLine line : ledger.trialBalance(t, k)) {
          if (line.balance().debitsMinor() != 0 || line.balance().creditsMinor() != 0) {
            read.put(line.account().value() + " " + line.balance().currency().getCurrencyCode(),
                List.of(line.balance().debitsMinor(), line.balance().creditsMinor()));
          }
        }
        Map<String, List<Long>> expected = new TreeMap<>();
        for (String account : ACCOUNTS) {
          sums(c, "account = ?", account, t, k).forEach((currency, sums) ->
              expected.put(account + " " + currency, sums));
        }
        assertThat(read).as("%s: trial balance as of %s as known at %s", load.label(), t, k).isEqualTo(expected);
      }
    }
  }

  @Test
  void theReadsAboveUseVersionsForEveryDayWrittenAtSeveralTimesAndVerifyAgrees() throws SQLException {
    Loaded load = loaded.get(0);
    try (Connection c = load.superuser();
        PreparedStatement s = c.prepareStatement("""
            SELECT (SELECT count(*) FROM balance_day_versions),
              (SELECT count(*) FROM balance_days d WHERE d.min_recorded_at < d.max_recorded_at),
              (SELECT count(*) FROM balance_days d WHERE d.min_recorded_at < d.max_recorded_at
                 AND NOT EXISTS (SELECT 1 FROM balance_day_versions v WHERE v.account = d.account
                   AND v.currency = d.currency AND v.day = d.day AND v.recorded_at = d.min_recorded_at))""");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      assertThat(rs.getLong(2)).as("days written by several posts").isGreaterThan(10);
      assertThat(rs.getLong(1)).as("versions").isGreaterThan(rs.getLong(2));
      assertThat(rs.getLong(3)).as("such days without their first version").isZero();
    }
    VerifyReport report = load.database().verify();
    assertThat(report.ok()).as(report.toString()).isTrue();
  }

  @Test
  void theReadsAboveCoverRowsBeforeAndAfterTheirCheckpointsStartAndVerifyAgreesOnEachLedger() throws SQLException {
    Map<Integer, List<Long>> rows = new TreeMap<>();
    for (Loaded load : loaded) {
      try (Connection c = load.superuser();
          PreparedStatement s = c.prepareStatement("""
              SELECT count(*) FILTER (WHERE checkpointed), count(*) FILTER (WHERE NOT checkpointed),
                (SELECT count(*) FROM balance_days), (SELECT count(*) FROM balance_day_versions)
              FROM balances WHERE posting_count > 0""");
          ResultSet rs = s.executeQuery()) {
        rs.next();
        rows.put(load.postingsMin(), List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
      }
      VerifyReport report = load.database().verify();
      assertThat(report.ok()).as(load.label() + ": " + report).isTrue();
    }
    assertThat(rows.get(0).get(1)).as("from the first posting: rows without checkpoints").isZero();
    assertThat(rows.get(40).get(0)).as("from the 40th: rows that started them").isPositive();
    assertThat(rows.get(40).get(1)).as("from the 40th: rows that did not").isPositive();
    assertThat(rows.get(40).get(2)).as("from the 40th: fewer day rows").isPositive().isLessThan(rows.get(0).get(2));
    assertThat(rows.get(100_000)).as("never: no checkpointed row, day row or version")
        .containsExactly(0L, rows.get(0).get(0), 0L, 0L);
  }

  /** Debits and credits per currency of the account or prefix, summed from the postings table. */
  private static Map<String, List<Long>> bruteForce(Connection c, String code, Instant t, Instant k)
      throws SQLException {
    return sums(c, "(account = ? OR starts_with(account, ? || ':'))", code, t, k);
  }

  /** Sums of the postings {@code where} says (with ? for the code, once or twice). */
  private static Map<String, List<Long>> sums(Connection c, String where, String code, Instant t, Instant k)
      throws SQLException {
    Map<String, List<Long>> sums = new TreeMap<>();
    try (PreparedStatement s = c.prepareStatement("SELECT currency, sum(greatest(amount, 0)),"
        + " sum(greatest(-amount, 0)) FROM postings WHERE " + where
        + " AND (?::timestamptz IS NULL OR effective_at <= ?::timestamptz)"
        + " AND (?::timestamptz IS NULL OR recorded_at <= ?::timestamptz) GROUP BY currency")) {
      int i = 1;
      for (int n = where.length() - where.replace("?", "").length(); i <= n; i++) {
        s.setString(i, code);
      }
      s.setObject(i++, t == null ? null : Rows.time(t));
      s.setObject(i++, t == null ? null : Rows.time(t));
      s.setObject(i++, k == null ? null : Rows.time(k));
      s.setObject(i, k == null ? null : Rows.time(k));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          sums.put(rs.getString(1), List.of(rs.getLong(2), rs.getLong(3)));
        }
      }
    }
    return sums;
  }
}
