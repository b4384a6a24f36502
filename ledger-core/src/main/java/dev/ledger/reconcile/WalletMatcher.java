package dev.ledger.reconcile;

import dev.ledger.money.Amounts;
import dev.ledger.statement.StatementHandler;
import dev.ledger.statement.StatementInfo;
import dev.ledger.statement.StatementLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.money.CurrencyUnit;

/**
 * Matches a wallet bill (WeChat Pay, Alipay) line by line against the ledger's items by key, as the
 * parser streams it, under a source's {@link MatchRules}: the gross within the tolerance, the fee
 * equal to the ledger's and, where the line states a rate, to gross x rate within rounding. A key
 * that an earlier run of another file matched is DUPLICATE_ACROSS_STATEMENTS. Call {@link #finish}
 * once the parser returned without error. Not thread-safe.
 */
public final class WalletMatcher implements StatementHandler {
  private final WalletItems items;
  private final List<OpenBreak> openBreaks;
  private final Tolerance tolerance;
  private final boolean checkFeeRate;
  private final java.time.ZoneId zone;
  private final KeyHashes matchedBefore;
  private final boolean[] matched;
  // Keys of lines with no ledger item; lines with an item are marked in matched[] instead.
  private final KeyIndex unknownKeys = new KeyIndex(1 << 10);
  private final List<Break> breaks = new ArrayList<>();
  private final Map<MatchRule, Long> byRule = new EnumMap<>(MatchRule.class);
  private final List<Match> matches = new ArrayList<>();
  private final KeyHashes.Builder matchedKeys = KeyHashes.builder();
  private long lines;
  private long matchedLines;
  private final StatementPeriod period = new StatementPeriod();

  /** {@code zone}: the statement's, in which a line and its entry are dated for the date-lag rule. */
  public WalletMatcher(WalletItems items, List<OpenBreak> openBreaks, Tolerance tolerance, boolean checkFeeRate,
      KeyHashes matchedBefore, java.time.ZoneId zone) {
    this.zone = java.util.Objects.requireNonNull(zone, "zone");
    this.items = items;
    this.openBreaks = List.copyOf(openBreaks);
    this.tolerance = java.util.Objects.requireNonNull(tolerance, "tolerance");
    this.checkFeeRate = checkFeeRate;
    this.matchedBefore = matchedBefore == null ? KeyHashes.NONE : matchedBefore;
    this.matched = new boolean[items.size()];
  }

  /** Exact amounts, fee rates checked, no earlier runs. */
  public WalletMatcher(WalletItems items, List<OpenBreak> openBreaks, long toleranceMinor) {
    this(items, openBreaks, Tolerance.absolute(toleranceMinor), true, KeyHashes.NONE, java.time.ZoneOffset.UTC);
  }

  @Override
  public void line(StatementLine line) {
    lines++;
    String key = line.key() == null ? "" : line.key();
    int position = key.isEmpty() ? -1 : items.find(key);
    if (position < 0) {
      boolean repeated = !key.isEmpty() && unknownKeys.find(key) >= 0;
      if (!key.isEmpty()) {
        unknownKeys.add(key);
      }
      BreakKind kind = repeated ? BreakKind.DUPLICATE_IN_STATEMENT
          : matchedBefore.contains(key) ? BreakKind.DUPLICATE_ACROSS_STATEMENTS : BreakKind.MISSING_IN_LEDGER;
      breaks.add(lineBreak(kind, line, key, -1));
      return;
    }
    if (matched[position]) {
      breaks.add(lineBreak(BreakKind.DUPLICATE_IN_STATEMENT, line, key, position));
      return;
    }
    matched[position] = true;
    if (matchedBefore.contains(key)) {
      // Matched by another file's run already: the entry is accounted for, this line is the extra.
      breaks.add(lineBreak(BreakKind.DUPLICATE_ACROSS_STATEMENTS, line, key, position));
      return;
    }
    long fee = line.feeMinor() == null ? 0 : line.feeMinor();
    CurrencyUnit currency = items.currency(position);
    if (items.mixedCurrency(position) || (currency != line.currency() && !currency.equals(line.currency()))) {
      breaks.add(lineBreak(BreakKind.CURRENCY_MISMATCH, line, key, position));
    } else if (!tolerance.allows(line.amountMinor(), items.gross(position))) {
      breaks.add(lineBreak(BreakKind.AMOUNT_MISMATCH, line, key, position));
    } else if (items.fee(position) != fee) {
      breaks.add(lineBreak(BreakKind.FEE_MISMATCH, line, key, position));
    } else if (checkFeeRate && line.feeRate() != null && line.feeMinor() != null && !rateHolds(line)) {
      breaks.add(rateBreak(line, key, position));
    } else {
      matchedLines++;
      matchedKeys.add(key);
      MatchRule rule = items.gross(position) != line.amountMinor() ? MatchRule.TOLERANCE
          : otherDay(line, position) ? MatchRule.DATE_LAG : MatchRule.EXACT_KEY;
      byRule.merge(rule, 1L, Long::sum);
      if (rule.storedEachMatch()) {
        matches.add(new Match(rule, key, List.of(line.line()), List.of(items.entryId(position))));
      }
    }
  }

  /** Whether the line is dated another day than its entry (in the statement's zone). */
  private boolean otherDay(StatementLine line, int position) {
    if (line.occurredAt() == null) {
      return false;
    }
    long micros = items.effectiveMicros(position);
    Instant effective = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
    LocalDate entryDay = effective.atZone(zone).toLocalDate();
    return !entryDay.equals(line.occurredAt().atZone(zone).toLocalDate());
  }

  /**
   * Whether the stated fee is gross x rate within rounding: less than one minor unit away (any
   * rounding of the exact product). A refund's returned fee is the original fee's share, rounded
   * again, so it may be one unit further off.
   */
  private static boolean rateHolds(StatementLine line) {
    BigDecimal exact = BigDecimal.valueOf(line.amountMinor()).multiply(line.feeRate());
    BigDecimal off = exact.subtract(BigDecimal.valueOf(line.feeMinor())).abs();
    return line.amountMinor() < 0 ? off.compareTo(BigDecimal.ONE) <= 0 : off.compareTo(BigDecimal.ONE) < 0;
  }

  private Break rateBreak(StatementLine line, String key, int position) {
    long expected = BigDecimal.valueOf(line.amountMinor()).multiply(line.feeRate())
        .setScale(0, RoundingMode.HALF_UP).longValueExact();
    String rate = line.feeRate().movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    return new Break(BreakKind.FEE_MISMATCH, key, items.entryId(position), line.line(), line.currency(),
        line.amountMinor(), items.gross(position), line.feeMinor(), items.fee(position), line.providerTxnId(),
        line.providerRefundId(), line.orderId(), rate, Amounts.formatMinor(expected, line.currency()));
  }

  @Override
  public void end(StatementInfo info) {
    for (var inconsistency : info.inconsistencies()) {
      breaks.add(Break.inconsistent(inconsistency, info.currency()));
    }
    period.add(info);
  }

  /** The breaks of this run, and which earlier open breaks it closes. */
  public MatchOutcome finish() {
    Instant start = period.start();
    Instant end = period.end();
    List<Break> found = new ArrayList<>(breaks);
    // An entry with a break still open about its line (an amount or fee mismatch) is that break,
    // not also missing from a later statement whose period reaches back to it.
    Set<String> openLineKeys = new HashSet<>();
    for (OpenBreak open : openBreaks) {
      if (open.details().kind() != BreakKind.MISSING_IN_STATEMENT && open.details().key() != null) {
        openLineKeys.add(open.details().key());
      }
    }
    if (start != null && end != null) {
      long startMicros = WalletItems.toMicros(start);
      long endMicros = WalletItems.toMicros(end);
      for (int position = 0; position < items.size(); position++) {
        long effective = items.effectiveMicros(position);
        if (!matched[position] && !items.isEmpty(position) && effective >= startMicros
            && effective < endMicros && !matchedBefore.contains(items.key(position))
            && !openLineKeys.contains(items.key(position))) {
          found.add(new Break(BreakKind.MISSING_IN_STATEMENT, items.key(position),
              items.entryId(position), 0, items.currency(position), null, items.gross(position),
              null, items.fee(position), null, null, null));
        }
      }
    }
    Set<String> foundSignatures = new HashSet<>();
    for (Break item : found) {
      foundSignatures.add(item.kind() + " " + item.key());
    }
    List<Long> closed = new ArrayList<>();
    List<Long> confirmed = new ArrayList<>();
    Set<String> stillOpen = new HashSet<>();
    for (OpenBreak open : openBreaks) {
      String signature = open.details().kind() + " " + open.details().key();
      if (foundSignatures.contains(signature)) {
        confirmed.add(open.id());
        stillOpen.add(signature);
      } else if (closes(open.details())) {
        closed.add(open.id());
      } else {
        stillOpen.add(signature);
      }
    }
    // A problem already open from an earlier run stays that one break instead of a second copy.
    found.removeIf(b -> b.kind() != BreakKind.DUPLICATE_IN_STATEMENT
        && stillOpen.contains(b.kind() + " " + b.key()));
    return new MatchOutcome(lines, matchedLines, found, closed, confirmed, start, end, byRule, matches,
        matchedKeys.build());
  }

  private boolean closes(Break open) {
    if (!open.kind().closesAutomatically() || open.key() == null || open.key().isEmpty()) {
      return false;
    }
    int position = items.find(open.key());
    if ((position >= 0 && matched[position]) || unknownKeys.find(open.key()) >= 0) {
      return true; // this statement has the key again: its own outcome stands
    }
    if (open.kind() == BreakKind.MISSING_IN_STATEMENT) {
      return position < 0 || items.isEmpty(position);
    }
    return position >= 0
        && open.statementGross() != null
        && !items.mixedCurrency(position)
        && items.currency(position).equals(open.currency())
        && tolerance.allows(open.statementGross(), items.gross(position))
        && items.fee(position) == (open.statementFee() == null ? 0 : open.statementFee());
  }

  private Break lineBreak(BreakKind kind, StatementLine line, String key, int position) {
    boolean hasItem = position >= 0;
    Break found = new Break(kind, key, hasItem ? items.entryId(position) : null, line.line(), line.currency(),
        line.amountMinor(), hasItem ? items.gross(position) : null, line.feeMinor(),
        hasItem ? items.fee(position) : null, line.providerTxnId(), line.providerRefundId(),
        line.orderId());
    // A difference beyond a long stops the run now, before anything is stored or printed.
    found.difference();
    return found;
  }
}
