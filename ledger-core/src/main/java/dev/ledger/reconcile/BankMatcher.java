package dev.ledger.reconcile;

import dev.ledger.statement.StatementHandler;
import dev.ledger.statement.StatementInfo;
import dev.ledger.statement.StatementLine;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Matches a bank statement (MT940, camt.053, CSV) against the ledger's movements on one bank
 * account: first by reference (the settlement batch or entry id found in the line's reference or
 * text), then by amount within a value-date window, then one line against a whole group of
 * entries sharing a settlement batch. More than one fitting candidate is AMBIGUOUS_MATCH. Not
 * thread-safe.
 */
public final class BankMatcher implements StatementHandler {
  private final List<BankItem> items;
  private final List<OpenBreak> openBreaks;
  private final long toleranceMinor;
  private final int windowDays;
  private final List<StatementLine> lines = new ArrayList<>();
  private final boolean[] used;
  private final Map<String, List<Integer>> byReference = new LinkedHashMap<>();
  private final StatementPeriod period = new StatementPeriod();

  public BankMatcher(List<BankItem> items, List<OpenBreak> openBreaks, long toleranceMinor, int windowDays) {
    if (toleranceMinor < 0 || windowDays < 0) {
      throw new IllegalArgumentException(
          "Tolerance and window must not be negative: " + toleranceMinor + ", " + windowDays);
    }
    this.items = List.copyOf(items);
    this.openBreaks = List.copyOf(openBreaks);
    this.toleranceMinor = toleranceMinor;
    this.windowDays = windowDays;
    this.used = new boolean[items.size()];
    for (int i = 0; i < this.items.size(); i++) {
      byReference.computeIfAbsent(this.items.get(i).reference(), r -> new ArrayList<>()).add(i);
    }
  }

  private final List<Break> inconsistencies = new ArrayList<>();

  @Override
  public void line(StatementLine line) {
    lines.add(line);
  }

  @Override
  public void end(StatementInfo info) {
    for (var inconsistency : info.inconsistencies()) {
      inconsistencies.add(Break.inconsistent(inconsistency, info.currency()));
    }
    period.add(info);
  }

  public MatchOutcome finish() {
    List<Break> found = new ArrayList<>(inconsistencies);
    long matched = 0;
    Set<String> keysSeen = new HashSet<>();
    List<StatementLine> unresolved = new ArrayList<>();
    // Pass 1: references are the strongest evidence.
    for (StatementLine line : lines) {
      List<Integer> group = referenced(line);
      if (group == null) {
        unresolved.add(line);
        continue;
      }
      String reference = items.get(group.get(0)).reference();
      keysSeen.add(reference);
      group.forEach(i -> used[i] = true);
      long sum = sum(group);
      BankItem first = items.get(group.get(0));
      if (!first.currency().equals(line.currency())) {
        found.add(lineBreak(BreakKind.CURRENCY_MISMATCH, line, reference, first.entryId(), sum));
      } else if (!SumOverflowException.within(sum, line.amountMinor(), toleranceMinor)) {
        found.add(lineBreak(BreakKind.AMOUNT_MISMATCH, line, reference, first.entryId(), sum));
      } else {
        matched++;
      }
    }
    // Pass 2: amount and date, single entries first, then whole settlement batches.
    for (StatementLine line : unresolved) {
      List<Integer> singles = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        if (!used[i] && fits(items.get(i).currency(), items.get(i).amountMinor(), items.get(i).date(), line)) {
          singles.add(i);
        }
      }
      List<List<Integer>> groups = new ArrayList<>();
      if (singles.isEmpty()) {
        for (List<Integer> group : byReference.values()) {
          if (group.size() > 1 && group.stream().noneMatch(i -> used[i])
              && fits(items.get(group.get(0)).currency(), sum(group), latest(group), line)) {
            groups.add(group);
          }
        }
      } else {
        singles.forEach(i -> groups.add(List.of(i)));
      }
      String key = line.key();
      if (groups.isEmpty()) {
        found.add(lineBreak(BreakKind.MISSING_IN_LEDGER, line, key, null, null));
      } else if (groups.size() == 1) {
        groups.get(0).forEach(i -> used[i] = true);
        keysSeen.add(items.get(groups.get(0).get(0)).reference());
        matched++;
      } else {
        // Candidates stay unmatched for later lines, but are not also reported as missing.
        BankItem first = items.get(groups.get(0).get(0));
        found.add(lineBreak(BreakKind.AMBIGUOUS_MATCH, line, key, first.entryId(), sum(groups.get(0))));
        groups.forEach(g -> g.forEach(i -> keysSeen.add(items.get(i).reference())));
      }
    }
    if (!period.isKnown()) {
      lines.forEach(line -> period.include(line.valueDate()));
    }
    for (int i = 0; i < items.size(); i++) {
      BankItem item = items.get(i);
      if (!used[i] && !keysSeen.contains(item.reference()) && period.contains(item.date())) {
        found.add(new Break(BreakKind.MISSING_IN_STATEMENT, item.reference(), item.entryId(), 0,
            item.currency(), null, item.amountMinor(), null, null, null, null, null));
      }
    }
    List<String> closed = new ArrayList<>();
    List<String> confirmed = new ArrayList<>();
    Set<String> signatures = new HashSet<>();
    found.forEach(b -> signatures.add(b.kind() + " " + b.key()));
    Set<String> stillOpen = new HashSet<>();
    Map<String, Integer> itemByEntry = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      itemByEntry.put(items.get(i).entryId(), i);
    }
    for (OpenBreak open : openBreaks) {
      Break details = open.details();
      String signature = details.kind() + " " + details.key();
      boolean closes = details.kind().closesAutomatically() && !signatures.contains(signature)
          && (keysSeen.contains(details.key())
              || (details.kind() == BreakKind.MISSING_IN_STATEMENT && details.entryId() != null
                  && itemByEntry.containsKey(details.entryId()) && used[itemByEntry.get(details.entryId())]));
      if (closes) {
        closed.add(open.id());
      } else {
        stillOpen.add(signature);
        if (signatures.contains(signature)) {
          confirmed.add(open.id());
        }
      }
    }
    found.removeIf(b -> stillOpen.contains(b.kind() + " " + b.key()));
    return new MatchOutcome(lines.size(), matched, found, closed, confirmed, period.start(), period.end());
  }

  /** The unused group whose reference appears in the line's reference or text, if exactly one. */
  private List<Integer> referenced(StatementLine line) {
    List<Integer> hit = null;
    for (Map.Entry<String, List<Integer>> group : byReference.entrySet()) {
      String reference = group.getKey();
      boolean named = reference.equals(line.bankReference())
          || (line.description() != null && reference.length() >= 4 && line.description().contains(reference))
          || (line.bankReference() != null && reference.length() >= 4 && line.bankReference().contains(reference));
      if (named && group.getValue().stream().noneMatch(i -> used[i])) {
        if (hit != null) {
          return null; // several references named: let amounts decide
        }
        hit = group.getValue();
      }
    }
    return hit;
  }

  private boolean fits(javax.money.CurrencyUnit currency, long amount, LocalDate date, StatementLine line) {
    LocalDate lineDate = line.valueDate() != null ? line.valueDate()
        : line.occurredAt() == null ? null : line.occurredAt().atZone(period.zone()).toLocalDate();
    return currency.equals(line.currency())
        && SumOverflowException.within(amount, line.amountMinor(), toleranceMinor)
        && (lineDate == null || Math.abs(ChronoUnit.DAYS.between(date, lineDate)) <= windowDays);
  }

  /** The group's signed total, range-checked: a wrapped total could match a line it does not. */
  private long sum(List<Integer> group) {
    long total = 0;
    for (int i : group) {
      BankItem item = items.get(i);
      total = SumOverflowException.add(total, item.amountMinor(), "the ledger entries with reference "
          + item.reference() + " (" + group.size() + " entries, first " + items.get(group.get(0)).entryId() + ")",
          item.currency());
    }
    return total;
  }

  private LocalDate latest(List<Integer> group) {
    LocalDate latest = null;
    for (int i : group) {
      LocalDate date = items.get(i).date();
      latest = latest == null || date.isAfter(latest) ? date : latest;
    }
    return latest;
  }

  private static Break lineBreak(BreakKind kind, StatementLine line, String key, String entryId, Long ledger) {
    Break found = new Break(kind, key, entryId, line.line(), line.currency(), line.amountMinor(), ledger,
        null, null, line.providerTxnId(), line.providerRefundId(), line.orderId());
    // A difference beyond a long stops the run now, before anything is stored or printed.
    found.difference();
    return found;
  }
}
