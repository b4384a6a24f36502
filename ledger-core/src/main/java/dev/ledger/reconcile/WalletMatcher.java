package dev.ledger.reconcile;

import dev.ledger.statement.StatementHandler;
import dev.ledger.statement.StatementInfo;
import dev.ledger.statement.StatementLine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.money.CurrencyUnit;

/**
 * Matches a wallet bill (WeChat Pay, Alipay) line by line against the ledger's items by key, as the
 * parser streams it. Call {@link #finish} once the parser returned without error. Not thread-safe.
 */
public final class WalletMatcher implements StatementHandler {
  private final WalletItems items;
  private final List<OpenBreak> openBreaks;
  private final long toleranceMinor;
  private final boolean[] matched;
  // Keys of lines with no ledger item; lines with an item are marked in matched[] instead.
  private final KeyIndex unknownKeys = new KeyIndex(1 << 10);
  private final List<Break> breaks = new ArrayList<>();
  private long lines;
  private long matchedLines;
  private final StatementPeriod period = new StatementPeriod();

  public WalletMatcher(WalletItems items, List<OpenBreak> openBreaks, long toleranceMinor) {
    if (toleranceMinor < 0) {
      throw new IllegalArgumentException("Tolerance must not be negative: " + toleranceMinor);
    }
    this.items = items;
    this.openBreaks = List.copyOf(openBreaks);
    this.toleranceMinor = toleranceMinor;
    this.matched = new boolean[items.size()];
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
      breaks.add(lineBreak(repeated ? BreakKind.DUPLICATE_IN_STATEMENT : BreakKind.MISSING_IN_LEDGER, line, key, -1));
      return;
    }
    if (matched[position]) {
      breaks.add(lineBreak(BreakKind.DUPLICATE_IN_STATEMENT, line, key, position));
      return;
    }
    matched[position] = true;
    long fee = line.feeMinor() == null ? 0 : line.feeMinor();
    CurrencyUnit currency = items.currency(position);
    if (items.mixedCurrency(position) || (currency != line.currency() && !currency.equals(line.currency()))) {
      breaks.add(lineBreak(BreakKind.CURRENCY_MISMATCH, line, key, position));
    } else if (!SumOverflowException.within(items.gross(position), line.amountMinor(), toleranceMinor)) {
      breaks.add(lineBreak(BreakKind.AMOUNT_MISMATCH, line, key, position));
    } else if (items.fee(position) != fee) {
      breaks.add(lineBreak(BreakKind.FEE_MISMATCH, line, key, position));
    } else {
      matchedLines++;
    }
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
    if (start != null && end != null) {
      long startMicros = WalletItems.toMicros(start);
      long endMicros = WalletItems.toMicros(end);
      for (int position = 0; position < items.size(); position++) {
        long effective = items.effectiveMicros(position);
        if (!matched[position] && !items.isEmpty(position) && effective >= startMicros
            && effective < endMicros) {
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
    List<String> closed = new ArrayList<>();
    List<String> confirmed = new ArrayList<>();
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
    return new MatchOutcome(lines, matchedLines, found, closed, confirmed, start, end);
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
        && SumOverflowException.within(items.gross(position), open.statementGross(), toleranceMinor)
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
