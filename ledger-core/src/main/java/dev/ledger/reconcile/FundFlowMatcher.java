package dev.ledger.reconcile;

import dev.ledger.statement.StatementHandler;
import dev.ledger.statement.StatementInfo;
import dev.ledger.statement.StatementLine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matches a wallet's fund flow (WeChat Pay 资金账单, Alipay 账务明细) against the ledger's movements
 * on the clearing account: the lines sharing a key (a trade's income and its fee deduction, a
 * refund and the fee returned) are summed and matched against the entry with that key, whose net
 * on the clearing account they must equal (MANY_TO_ONE_SUM; a fee deducted that the ledger did not
 * book is an AMOUNT_MISMATCH of the key); lines without an entry of their key (withdrawals to the
 * bank) are matched by amount and date like bank lines, against the settlement entries, alone or by
 * settlement batch. The bank statement then matches the same settlement entries from the bank side:
 * order, wallet and bank agree three ways through the entries. Not thread-safe.
 */
public final class FundFlowMatcher implements StatementHandler {
  private final BankMatcher matcher;
  private final java.util.Set<String> references = new java.util.HashSet<>();
  private final Map<String, List<StatementLine>> byKey = new LinkedHashMap<>();
  private final List<StatementLine> unkeyed = new ArrayList<>();
  private final List<BankItem> clearingItems;
  private final java.time.ZoneId zone;
  // day -> {income, refunds, fees, withdrawals, other}
  private final java.util.TreeMap<java.time.LocalDate, long[]> days = new java.util.TreeMap<>();
  private javax.money.CurrencyUnit currency;

  public FundFlowMatcher(List<BankItem> clearingItems, List<OpenBreak> openBreaks, Tolerance tolerance,
      int windowDays, boolean matchBySum, KeyHashes matchedBefore, java.time.ZoneId zone) {
    this.clearingItems = List.copyOf(clearingItems);
    this.zone = zone;
    matcher = new BankMatcher(clearingItems, openBreaks, tolerance, windowDays, matchBySum, matchedBefore);
    matcher.referencesExactly();
    clearingItems.forEach(item -> references.add(item.reference()));
  }

  @Override
  public void line(StatementLine line) {
    java.time.LocalDate day = line.valueDate() != null ? line.valueDate()
        : line.occurredAt() != null ? line.occurredAt().atZone(zone).toLocalDate() : null;
    if (day != null) {
      currency = currency == null ? line.currency() : currency;
      int slot = switch (line.type()) {
        case PAYMENT -> 0;
        case REFUND -> 1;
        case FEE -> 2;
        case SETTLEMENT -> 3;
        default -> 4;
      };
      long[] sums = days.computeIfAbsent(day, d -> new long[5]);
      sums[slot] = SumOverflowException.add(sums[slot], line.amountMinor(), "the fund flow's movements on " + day,
          line.currency());
    }
    String key = line.key();
    if (key != null && !key.isEmpty() && references.contains(key)) {
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(line);
    } else {
      unkeyed.add(line);
    }
  }

  @Override
  public void end(StatementInfo info) {
    // Lines are handed over at the end of each statement, so the matcher sees the sums whole.
    flush();
    matcher.end(info);
  }

  private void flush() {
    for (Map.Entry<String, List<StatementLine>> group : byKey.entrySet()) {
      List<StatementLine> parts = group.getValue();
      StatementLine first = parts.get(0);
      long total = 0;
      StatementLine latest = first;
      for (StatementLine part : parts) {
        total = SumOverflowException.add(total, part.amountMinor(), "the fund-flow lines of key " + group.getKey(),
            part.currency());
        if (part.occurredAt() != null && (latest.occurredAt() == null || part.occurredAt().isAfter(latest.occurredAt()))) {
          latest = part;
        }
      }
      StatementLine sum = new StatementLine(first.line(), first.type(), first.providerTxnId(), first.providerRefundId(),
          first.orderId(), group.getKey(), latest.occurredAt(), latest.valueDate(), first.currency(), total, null,
          first.description());
      if (parts.size() == 1) {
        matcher.line(sum);
      } else {
        matcher.sumOf(sum, parts);
      }
    }
    byKey.clear();
    // A line without a key keeps its own reference (the flow id): only amount and date can pair it.
    unkeyed.forEach(matcher::line);
    unkeyed.clear();
  }

  public MatchOutcome finish() {
    flush();
    return matcher.finish();
  }

  /** Each day of the fund flow beside the ledger's clearing account (call after {@link #finish}). */
  public List<FundFlowDay> days() {
    List<FundFlowDay> summary = new ArrayList<>();
    for (Map.Entry<java.time.LocalDate, long[]> day : days.entrySet()) {
      long[] s = day.getValue();
      long wallet = 0;
      for (long part : s) {
        wallet = SumOverflowException.add(wallet, part, "the fund flow's movements on " + day.getKey(), currency);
      }
      long ledger = 0;
      for (BankItem item : clearingItems) {
        if (item.date().equals(day.getKey()) && item.currency().equals(currency)) {
          ledger = SumOverflowException.add(ledger, item.amountMinor(), "the clearing movements on " + day.getKey(),
              currency);
        }
      }
      summary.add(new FundFlowDay(day.getKey(), currency, s[0], s[1], s[2], s[3], s[4], wallet, ledger));
    }
    return summary;
  }
}
