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
 * text), then by amount within a value-date window, then (matching by sum) one line against a
 * whole group of entries sharing a settlement batch, and several lines sharing a bank reference
 * against one entry they add up to. More than one fitting candidate is AMBIGUOUS_MATCH; a reference
 * that an earlier run of another file matched is DUPLICATE_ACROSS_STATEMENTS. Each match records
 * its {@link MatchRule}. Not thread-safe.
 */
public final class BankMatcher implements StatementHandler {
  private final List<BankItem> items;
  private final List<OpenBreak> openBreaks;
  private final Tolerance tolerance;
  private final int windowDays;
  private final boolean matchBySum;
  private final KeyHashes matchedBefore;
  private final Map<MatchRule, Long> byRule = new java.util.EnumMap<>(MatchRule.class);
  private final List<Match> matches = new ArrayList<>();
  private final KeyHashes.Builder matchedKeys = KeyHashes.builder();
  private final List<StatementLine> lines = new ArrayList<>();
  private final boolean[] used;
  private final Map<String, List<Integer>> byReference = new LinkedHashMap<>();
  private final StatementPeriod period = new StatementPeriod();

  public BankMatcher(List<BankItem> items, List<OpenBreak> openBreaks, Tolerance tolerance, int windowDays,
      boolean matchBySum, KeyHashes matchedBefore) {
    if (windowDays < 0) {
      throw new IllegalArgumentException("The date-lag window must not be negative: " + windowDays);
    }
    this.items = List.copyOf(items);
    this.openBreaks = List.copyOf(openBreaks);
    this.tolerance = java.util.Objects.requireNonNull(tolerance, "tolerance");
    this.windowDays = windowDays;
    this.matchBySum = matchBySum;
    this.matchedBefore = matchedBefore == null ? KeyHashes.NONE : matchedBefore;
    this.used = new boolean[items.size()];
    for (int i = 0; i < this.items.size(); i++) {
      byReference.computeIfAbsent(this.items.get(i).reference(), r -> new ArrayList<>()).add(i);
    }
  }

  /** Exact amounts, matching by sum, no earlier runs. */
  public BankMatcher(List<BankItem> items, List<OpenBreak> openBreaks, long toleranceMinor, int windowDays) {
    this(items, openBreaks, Tolerance.absolute(toleranceMinor), windowDays, true, KeyHashes.NONE);
  }

  private final List<Break> inconsistencies = new ArrayList<>();
  private long matched;
  private long statementLines;
  private boolean referencesExactly;
  private final Map<StatementLine, List<StatementLine>> parts = new java.util.IdentityHashMap<>();

  @Override
  public void line(StatementLine line) {
    lines.add(line);
    statementLines++;
  }

  /**
   * One line standing for several of the statement (a fund flow's trade and its fee deduction,
   * summed under their key): matched as one, recorded with all of them.
   */
  void sumOf(StatementLine sum, List<StatementLine> partsOfSum) {
    lines.add(sum);
    parts.put(sum, List.copyOf(partsOfSum));
    statementLines += partsOfSum.size();
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
      if (matchedBefore.contains(reference)) {
        found.add(lineBreak(BreakKind.DUPLICATE_ACROSS_STATEMENTS, line, reference, first.entryId(), sum));
      } else if (!first.currency().equals(line.currency())) {
        found.add(lineBreak(BreakKind.CURRENCY_MISMATCH, line, reference, first.entryId(), sum));
      } else if (!tolerance.allows(line.amountMinor(), sum)) {
        found.add(lineBreak(BreakKind.AMOUNT_MISMATCH, line, reference, first.entryId(), sum));
      } else {
        matched(sum != line.amountMinor() ? MatchRule.TOLERANCE
            : group.size() > 1 ? MatchRule.ONE_TO_MANY_SUM : MatchRule.REFERENCE, reference, List.of(line), group);
      }
    }
    // Pass 2: amount and date, single entries first, then whole settlement batches.
    List<StatementLine> missing = new ArrayList<>();
    List<Break> missingBreaks = new ArrayList<>();
    for (StatementLine line : unresolved) {
      List<Integer> singles = new ArrayList<>();
      boolean fitsEarlier = false;
      for (int i = 0; i < items.size(); i++) {
        if (!used[i] && fits(items.get(i).currency(), items.get(i).amountMinor(), items.get(i).date(), line)) {
          if (matchedBefore.contains(items.get(i).reference())) {
            fitsEarlier = true; // another file's run matched it: not a candidate again
          } else {
            singles.add(i);
          }
        }
      }
      List<List<Integer>> groups = new ArrayList<>();
      if (singles.isEmpty() && matchBySum) {
        for (List<Integer> group : byReference.values()) {
          if (group.size() > 1 && group.stream().noneMatch(i -> used[i])
              && !matchedBefore.contains(items.get(group.get(0)).reference())
              && fits(items.get(group.get(0)).currency(), sum(group), latest(group), line)) {
            groups.add(group);
          }
        }
      } else {
        singles.forEach(i -> groups.add(List.of(i)));
      }
      String key = line.key();
      if (groups.isEmpty()) {
        missing.add(line);
        missingBreaks.add(lineBreak(fitsEarlier ? BreakKind.DUPLICATE_ACROSS_STATEMENTS : BreakKind.MISSING_IN_LEDGER,
            line, key, null, null));
      } else if (groups.size() == 1) {
        List<Integer> group = groups.get(0);
        group.forEach(i -> used[i] = true);
        keysSeen.add(items.get(group.get(0)).reference());
        matched(group.size() > 1 ? MatchRule.ONE_TO_MANY_SUM : MatchRule.AMOUNT_AND_DATE,
            items.get(group.get(0)).reference(), List.of(line), group);
      } else {
        // Candidates stay unmatched for later lines, but are not also reported as missing.
        BankItem first = items.get(groups.get(0).get(0));
        found.add(lineBreak(BreakKind.AMBIGUOUS_MATCH, line, key, first.entryId(), sum(groups.get(0))));
        groups.forEach(g -> g.forEach(i -> keysSeen.add(items.get(i).reference())));
      }
    }
    // Pass 3: lines that found nothing alone, sharing a bank reference, against one entry they sum to.
    if (matchBySum) {
      manyToOne(missing, missingBreaks, keysSeen);
    }
    found.addAll(missingBreaks);
    if (!period.isKnown()) {
      lines.forEach(line -> period.include(line.valueDate()));
    }
    for (int i = 0; i < items.size(); i++) {
      BankItem item = items.get(i);
      if (!used[i] && !keysSeen.contains(item.reference()) && period.contains(item.date())
          && !matchedBefore.contains(item.reference())) {
        found.add(new Break(BreakKind.MISSING_IN_STATEMENT, item.reference(), item.entryId(), 0,
            item.currency(), null, item.amountMinor(), null, null, null, null, null));
      }
    }
    List<Long> closed = new ArrayList<>();
    List<Long> confirmed = new ArrayList<>();
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
    return new MatchOutcome(statementLines, matched, found, closed, confirmed, period.start(), period.end(), byRule,
        matches, matchedKeys.build());
  }

  private void matched(MatchRule rule, String key, List<StatementLine> paired, List<Integer> group) {
    List<StatementLine> matchedLines = new ArrayList<>();
    for (StatementLine line : paired) {
      matchedLines.addAll(parts.getOrDefault(line, List.of(line)));
    }
    if (matchedLines.size() > paired.size() && rule != MatchRule.TOLERANCE) {
      rule = MatchRule.MANY_TO_ONE_SUM; // several lines of the statement, summed
    }
    matched += matchedLines.size();
    byRule.merge(rule, (long) matchedLines.size(), Long::sum);
    matchedKeys.add(key);
    if (rule.storedEachMatch()) {
      List<String> entryIds = new ArrayList<>(group.size());
      group.forEach(i -> entryIds.add(items.get(i).entryId()));
      matches.add(new Match(rule, key, matchedLines.stream().map(StatementLine::line).toList(), entryIds));
    }
  }

  /**
   * Several lines with one bank reference (a payout credited in parts, a fee debited apart) whose
   * sum fits exactly one unused entry: matched together, their MISSING_IN_LEDGER breaks dropped.
   */
  private void manyToOne(List<StatementLine> missing, List<Break> missingBreaks, Set<String> keysSeen) {
    Map<String, List<Integer>> byBankReference = new LinkedHashMap<>();
    for (int i = 0; i < missing.size(); i++) {
      StatementLine line = missing.get(i);
      if (line.bankReference() != null && !line.bankReference().isEmpty()
          && missingBreaks.get(i).kind() == BreakKind.MISSING_IN_LEDGER) {
        byBankReference.computeIfAbsent(line.bankReference() + " " + line.currency(), r -> new ArrayList<>()).add(i);
      }
    }
    Set<Integer> resolved = new HashSet<>();
    for (List<Integer> part : byBankReference.values()) {
      if (part.size() < 2) {
        continue;
      }
      StatementLine first = missing.get(part.get(0));
      long total = 0;
      StatementLine latest = first;
      for (int i : part) {
        StatementLine line = missing.get(i);
        total = SumOverflowException.add(total, line.amountMinor(), "the statement lines with bank reference "
            + first.bankReference(), line.currency());
        if (line.valueDate() != null && (latest.valueDate() == null || line.valueDate().isAfter(latest.valueDate()))) {
          latest = line;
        }
      }
      StatementLine probe = new StatementLine(first.line(), first.type(), null, null, null, first.bankReference(),
          latest.occurredAt(), latest.valueDate(), first.currency(), total, null, null);
      Integer only = null;
      int fitting = 0;
      for (int i = 0; i < items.size(); i++) {
        BankItem item = items.get(i);
        if (!used[i] && !matchedBefore.contains(item.reference())
            && fits(item.currency(), item.amountMinor(), item.date(), probe)) {
          fitting++;
          only = i;
        }
      }
      if (fitting == 1) {
        used[only] = true;
        keysSeen.add(items.get(only).reference());
        resolved.addAll(part);
        matched(MatchRule.MANY_TO_ONE_SUM, items.get(only).reference(),
            part.stream().map(missing::get).toList(), List.of(only));
      }
    }
    if (!resolved.isEmpty()) {
      List<Break> kept = new ArrayList<>();
      for (int i = 0; i < missingBreaks.size(); i++) {
        if (!resolved.contains(i)) {
          kept.add(missingBreaks.get(i));
        }
      }
      missingBreaks.clear();
      missingBreaks.addAll(kept);
    }
  }

  /**
   * Only a line's own reference names a group (a fund flow's lines carry their key there), not its
   * text: one lookup per line instead of a scan of every group.
   */
  void referencesExactly() {
    referencesExactly = true;
  }

  /** The unused group whose reference appears in the line's reference or text, if exactly one. */
  private List<Integer> referenced(StatementLine line) {
    if (referencesExactly) {
      List<Integer> group = line.bankReference() == null ? null : byReference.get(line.bankReference());
      return group != null && group.stream().noneMatch(i -> used[i]) ? group : null;
    }
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
        && tolerance.allows(line.amountMinor(), amount)
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
