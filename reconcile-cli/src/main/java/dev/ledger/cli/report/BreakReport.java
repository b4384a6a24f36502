package dev.ledger.cli.report;

import dev.ledger.db.reconcile.RunFigures.RunSummary;
import dev.ledger.db.reconcile.TrackedBreak;
import dev.ledger.money.Amounts;
import dev.ledger.reconcile.Break;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What finance reads each morning about a set of reconciliation runs (a day, or one run): per source
 * the lines, what matched and what broke, the breaks by kind and by age, and every break. Amounts
 * are exact decimals in their currency; a break's amount is the size of its difference (statement
 * minus ledger), so differences of opposite sign do not cancel out. Immutable and thread-safe.
 */
public record BreakReport(String title, Instant generatedAt, List<RunSummary> runs, List<SourceRow> sources,
    List<GroupRow> kinds, List<GroupRow> ages, List<BreakRow> breaks) {

  public BreakReport {
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(generatedAt, "generatedAt");
    runs = List.copyOf(runs);
    sources = List.copyOf(sources);
    kinds = List.copyOf(kinds);
    ages = List.copyOf(ages);
    breaks = List.copyOf(breaks);
  }

  /** Age buckets, youngest first: the upper bound of each in days (the last one open-ended). */
  static final long[] AGE_LIMITS = {1, 7, 30};
  static final String[] AGE_LABELS = {"0-1 days", "2-7 days", "8-30 days", "over 30 days"};

  /**
   * One source in one currency. {@code lines} and {@code matchedCount} are the runs' counts, given
   * on the source's first currency row and null on further ones (a count has no currency).
   */
  public record SourceRow(String source, String currency, int runs, Long lines, Long matchedCount,
      BigDecimal matchedAmount, long breakCount, BigDecimal breakAmount) {}

  /** Breaks grouped by kind or by age bucket, in one currency. */
  public record GroupRow(String group, String currency, long count, BigDecimal amount) {}

  /** One break: its age and the size of its difference (null where it has no single one). */
  public record BreakRow(TrackedBreak tracked, long ageDays, BigDecimal difference, BigDecimal amount) {
    public String currency() {
      Break item = tracked.stored().details();
      return item.currency() == null ? "" : item.currency().getCurrencyCode();
    }
  }

  /**
   * Builds the report. {@code matchedMinor}: per run id, the matched amount per currency code in
   * minor units; {@code breaks}: the breaks the runs opened, any status.
   */
  public static BreakReport of(String title, Instant now, List<RunSummary> runs, Map<Long, Map<String, Long>> matchedMinor,
      List<TrackedBreak> breaks) {
    Map<String, Map<String, SourceTotals>> bySource = new LinkedHashMap<>();
    Map<String, RunCounts> counts = new LinkedHashMap<>();
    for (RunSummary run : runs) {
      RunCounts c = counts.computeIfAbsent(run.source(), s -> new RunCounts());
      c.runs++;
      c.lines += run.lines();
      c.matched += run.matched();
      Map<String, SourceTotals> currencies = bySource.computeIfAbsent(run.source(), s -> new TreeMap<>());
      matchedMinor.getOrDefault(run.id(), Map.of()).forEach((currency, minor) ->
          {
        SourceTotals t = currencies.computeIfAbsent(currency, k -> new SourceTotals(currency));
        t.matched = Math.addExact(t.matched, minor);
      });
    }
    Map<String, GroupTotals> kinds = new TreeMap<>();
    Map<String, GroupTotals> ages = new LinkedHashMap<>();
    List<BreakRow> rows = new ArrayList<>();
    for (TrackedBreak tracked : breaks) {
      Break item = tracked.stored().details();
      String currency = item.currency() == null ? "" : item.currency().getCurrencyCode();
      Long difference = item.difference();
      long size = difference == null ? 0 : Math.abs(difference);
      long age = tracked.ageDays(now);
      BigDecimal differenceValue = difference == null ? null : decimal(difference, currency);
      rows.add(new BreakRow(tracked, age, differenceValue, decimal(size, currency)));
      SourceTotals totals = bySource.computeIfAbsent(tracked.stored().source(), s -> new TreeMap<>())
          .computeIfAbsent(currency, k -> new SourceTotals(currency));
      totals.breaks++;
      totals.broken = Math.addExact(totals.broken, size);
      kinds.computeIfAbsent(item.kind().name() + "\u0000" + currency, k -> new GroupTotals(item.kind().name(), currency))
          .add(size);
      String bucket = AGE_LABELS[bucket(age)];
      ages.computeIfAbsent(bucket(age) + "\u0000" + currency, k -> new GroupTotals(bucket, currency)).add(size);
    }
    List<SourceRow> sources = new ArrayList<>();
    bySource.forEach((source, currencies) -> {
      RunCounts c = counts.getOrDefault(source, new RunCounts());
      boolean first = true;
      if (currencies.isEmpty()) {
        currencies.put("", new SourceTotals(""));
      }
      for (SourceTotals t : currencies.values()) {
        sources.add(new SourceRow(source, t.currency, c.runs, first ? c.lines : null, first ? c.matched : null,
            decimal(t.matched, t.currency), t.breaks, decimal(t.broken, t.currency)));
        first = false;
      }
    });
    List<GroupRow> ageRows = new ArrayList<>();
    new TreeMap<>(ages).values().forEach(g -> ageRows.add(g.row()));
    return new BreakReport(title, now, runs, sources, kinds.values().stream().map(GroupTotals::row).toList(), ageRows,
        rows);
  }

  static int bucket(long ageDays) {
    for (int i = 0; i < AGE_LIMITS.length; i++) {
      if (ageDays <= AGE_LIMITS[i]) {
        return i;
      }
    }
    return AGE_LIMITS.length;
  }

  /** Minor units as an exact decimal in the currency's scale (2 where there is no currency). */
  static BigDecimal decimal(long minor, String currency) {
    int scale = currency.isEmpty() ? 2 : Amounts.scale(Amounts.currency(currency));
    return BigDecimal.valueOf(minor, scale);
  }

  private static final class RunCounts {
    int runs;
    long lines;
    long matched;
  }

  private static final class SourceTotals {
    final String currency;
    long matched;
    long breaks;
    long broken;

    SourceTotals(String currency) {
      this.currency = currency;
    }
  }

  private static final class GroupTotals {
    final String group;
    final String currency;
    long count;
    long minor;

    GroupTotals(String group, String currency) {
      this.group = group;
      this.currency = currency;
    }

    void add(long size) {
      count++;
      minor = Math.addExact(minor, size);
    }

    GroupRow row() {
      return new GroupRow(group, currency, count, decimal(minor, currency));
    }
  }
}
