package dev.ledger.reconcile;

import dev.ledger.money.Amounts;
import dev.ledger.statement.LineType;
import dev.ledger.statement.StatementInfo;
import dev.ledger.statement.StatementLine;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.money.CurrencyUnit;

/**
 * A generated day of wallet activity with planted breaks of every kind: the ledger items, the
 * bill's lines and exactly the breaks a correct engine must report.
 */
final class WalletScenario {
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final LocalDate DAY = LocalDate.of(2024, 9, 12);
  static final CurrencyUnit CNY = Amounts.currency("CNY");
  static final CurrencyUnit USD = Amounts.currency("USD");

  final WalletItems items;
  final List<StatementLine> lines = new ArrayList<>();
  final List<String> expected = new ArrayList<>(); // "KIND key"
  long expectedMatched;

  WalletScenario(long seed, int size) {
    Random random = new Random(seed);
    items = new WalletItems(size);
    Instant dayStart = DAY.atStartOfDay(SHANGHAI).toInstant();
    for (int i = 0; i < size; i++) {
      String key = "42000" + seed + "x" + i;
      boolean refund = random.nextInt(5) == 0;
      long gross = (1 + random.nextInt(100_000)) * (refund ? -1 : 1);
      long fee = Math.abs(gross) * 6 / 1000 * (refund ? -1 : 1);
      Instant at = dayStart.plusSeconds(random.nextInt(86_400));
      int fate = random.nextInt(100);
      LineType type = refund ? LineType.REFUND : LineType.PAYMENT;
      if (fate == 0) {
        expected.add("MISSING_IN_LEDGER " + key);
        lines.add(line(key, type, CNY, gross, fee));
        continue;
      }
      if (fate == 1) {
        items.add(key, "e-" + key, CNY, gross, fee, at);
        expected.add("MISSING_IN_STATEMENT " + key);
        continue;
      }
      if (fate == 2) {
        // Booked the day before: outside the period, so not flagged when the bill lacks it.
        items.add(key, "e-" + key, CNY, gross, fee, at.minusSeconds(86_400));
        continue;
      }
      items.add(key, "e-" + key, CNY, gross, fee, at);
      switch (fate) {
        case 3 -> {
          lines.add(line(key, type, CNY, gross + 1, fee));
          expected.add("AMOUNT_MISMATCH " + key);
        }
        case 4 -> {
          lines.add(line(key, type, CNY, gross, fee + 1));
          expected.add("FEE_MISMATCH " + key);
        }
        case 5 -> {
          lines.add(line(key, type, USD, gross, fee));
          expected.add("CURRENCY_MISMATCH " + key);
        }
        case 6 -> {
          lines.add(line(key, type, CNY, gross, fee));
          lines.add(line(key, type, CNY, gross, fee));
          expected.add("DUPLICATE_IN_STATEMENT " + key);
          expectedMatched++;
        }
        case 7 -> {
          // Reversed in the ledger: nothing expected in the bill.
          items.add(key, "r-" + key, CNY, -gross, -fee, at.plusSeconds(60));
        }
        default -> {
          lines.add(line(key, type, CNY, gross, fee));
          expectedMatched++;
        }
      }
    }
  }

  StatementLine line(String key, LineType type, CurrencyUnit currency, long gross, long fee) {
    boolean refund = type == LineType.REFUND;
    return new StatementLine(lines.size() + 2, type, refund ? "t-" + key : key, refund ? key : null,
        "O-" + key, null, DAY.atStartOfDay(SHANGHAI).toInstant(), null, currency, gross, fee, "");
  }

  static StatementInfo info() {
    return new StatementInfo(null, CNY, null, null, null, DAY, DAY, SHANGHAI, 0, List.of());
  }

  MatchOutcome run(List<OpenBreak> open) {
    WalletMatcher matcher = new WalletMatcher(items, open, 0);
    lines.forEach(matcher::line);
    matcher.end(info());
    return matcher.finish();
  }
}
