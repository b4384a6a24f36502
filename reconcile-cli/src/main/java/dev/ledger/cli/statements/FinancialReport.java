package dev.ledger.cli.statements;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.account.AccountCode;
import dev.ledger.account.AccountType;
import dev.ledger.cli.CliException;
import dev.ledger.cli.Dates;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.journal.TrialBalanceLine;
import dev.ledger.money.Amounts;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * A balance sheet or income statement (hledger's {@code bs} and {@code is}): sections of the chart
 * as account trees with subtotals, one column per period, and net income (income minus
 * expenses). Balance sheet columns are balances at each period's end; income statement columns
 * are the movements within each period.
 */
abstract class FinancialReport extends SessionCommand {
  @Option(names = "--as-of", paramLabel = "T", description = "the report's end (a date or month: its end; default now)")
  String asOf;

  @Option(names = "--from", paramLabel = "T", description = "the report's start (a date or month: its start; "
      + "default: the first entry)")
  String from;

  @Option(names = "--known-at", paramLabel = "K", description = "only what was recorded by K")
  String knownAt;

  @Option(names = "--depth", paramLabel = "N", description = "accounts down to N segments (1: only the sections)")
  Integer depth;

  @ArgGroup(exclusive = true)
  IntervalOption interval;

  static final class IntervalOption {
    @Option(names = "--monthly", description = "a column per calendar month in the ledger's zone")
    boolean monthly;

    @Option(names = "--quarterly", description = "a column per calendar quarter")
    boolean quarterly;

    @Option(names = "--yearly", description = "a column per calendar year")
    boolean yearly;

    Periods.Interval value() {
      return monthly ? Periods.Interval.MONTHLY : quarterly ? Periods.Interval.QUARTERLY : Periods.Interval.YEARLY;
    }
  }

  /** The report's name in JSON. */
  abstract String name();

  /** The sections, in order. */
  abstract List<AccountType> sections();

  /** Whether a column is the movement within its period (income statement) or the balance at its end. */
  abstract boolean movements();

  @Override
  protected void prepare() {
    Dates.check("--as-of", asOf);
    Dates.check("--from", from);
    Dates.check("--known-at", knownAt);
    if (depth != null && depth < 1) {
      throw new CliException(ExitCode.USAGE, "--depth must be at least 1 but was " + depth);
    }
  }

  @Override
  protected int run(LedgerSession session) {
    ZoneId zone = zone();
    Instant end = asOf == null ? Instant.now().truncatedTo(ChronoUnit.MICROS) : Dates.end("--as-of", asOf, zone);
    Instant start = Dates.start("--from", from, zone);
    Instant known = Dates.end("--known-at", knownAt, zone);
    List<Periods.Period> periods;
    if (interval == null) {
      periods = List.of(new Periods.Period(movements() && start != null
          ? Dates.table(start, zone).substring(0, 10) + ".." + Dates.table(end, zone).substring(0, 10)
          : Dates.table(end, zone).substring(0, 10), start, end));
    } else {
      Instant first = start != null ? start
          : session.ledger().firstEffectiveAt().orElse(end.truncatedTo(ChronoUnit.DAYS));
      periods = Periods.of(first.isAfter(end) ? end : first, end, interval.value(), zone);
    }
    // One trial balance per boundary; a movement is the difference of two.
    Map<Instant, Map<String, BigInteger[]>> cache = new HashMap<>();
    List<List<AccountTree.Sum>> columns = new ArrayList<>();
    for (Periods.Period period : periods) {
      Map<String, BigInteger[]> atEnd = sums(session, period.end(), known, cache);
      if (movements() && period.start() != null) {
        Map<String, BigInteger[]> before = sums(session, period.start().minus(1, ChronoUnit.MICROS), known, cache);
        columns.add(difference(atEnd, before));
      } else {
        columns.add(list(atEnd));
      }
    }
    print(render(periods, columns, zone, known), table(periods, columns));
    return ExitCode.OK;
  }

  private static Map<String, BigInteger[]> sums(LedgerSession session, Instant at, Instant known,
      Map<Instant, Map<String, BigInteger[]>> cache) {
    return cache.computeIfAbsent(at, t -> {
      Map<String, BigInteger[]> sums = new TreeMap<>();
      for (TrialBalanceLine line : session.ledger().trialBalance(t, known)) {
        sums.put(line.account().value() + " " + line.balance().currency().getCurrencyCode(),
            new BigInteger[] {BigInteger.valueOf(line.balance().debitsMinor()),
                BigInteger.valueOf(line.balance().creditsMinor())});
      }
      return sums;
    });
  }

  private static List<AccountTree.Sum> list(Map<String, BigInteger[]> sums) {
    List<AccountTree.Sum> list = new ArrayList<>();
    sums.forEach((key, sum) -> {
      int space = key.indexOf(' ');
      list.add(new AccountTree.Sum(key.substring(0, space), key.substring(space + 1), sum[0], sum[1]));
    });
    return list;
  }

  private static List<AccountTree.Sum> difference(Map<String, BigInteger[]> end, Map<String, BigInteger[]> before) {
    Map<String, BigInteger[]> moved = new TreeMap<>();
    end.forEach((key, sum) -> {
      BigInteger[] was = before.getOrDefault(key, new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO});
      BigInteger debits = sum[0].subtract(was[0]);
      BigInteger credits = sum[1].subtract(was[1]);
      if (debits.signum() != 0 || credits.signum() != 0) {
        moved.put(key, new BigInteger[] {debits, credits});
      }
    });
    return list(moved);
  }

  /** A row of the report: an account of a section in one currency, with a balance per column. */
  record Line(String label, String account, int depth, String currency, BigInteger[] amounts) {}

  /** Lines of one section across every column, in tree order. */
  private List<Line> section(AccountType type, List<List<AccountTree.Sum>> columns) {
    AccountCode root = AccountCode.parse(type.segment());
    Map<String, Line> lines = new TreeMap<>((a, b) -> {
      String[] x = a.split(" ", 2);
      String[] y = b.split(" ", 2);
      int byAccount = AccountTree.TREE_ORDER.compare(x[0], y[0]);
      return byAccount != 0 ? byAccount : x[1].compareTo(y[1]);
    });
    for (int i = 0; i < columns.size(); i++) {
      AccountTree tree = AccountTree.ofSums(columns.get(i), root, depth);
      for (AccountTree.Node node : tree.nodes()) {
        int column = i;
        lines.computeIfAbsent(node.account() + " " + node.currency(), k -> {
          BigInteger[] amounts = new BigInteger[columns.size()];
          java.util.Arrays.fill(amounts, BigInteger.ZERO);
          return new Line(tree.label(node), node.account(), node.depth(), node.currency(), amounts);
        }).amounts()[column] = node.balance();
      }
    }
    return new ArrayList<>(lines.values());
  }

  /** Per currency, per column: the section's total (its root's balance), zero where it has none. */
  private static Map<String, BigInteger[]> totals(List<Line> lines, int columns, TreeSet<String> currencies) {
    Map<String, BigInteger[]> totals = new TreeMap<>();
    for (String currency : currencies) {
      BigInteger[] zero = new BigInteger[columns];
      java.util.Arrays.fill(zero, BigInteger.ZERO);
      totals.put(currency, zero);
    }
    for (Line line : lines) {
      if (!line.account().contains(":")) {
        totals.put(line.currency(), line.amounts().clone());
      }
    }
    return totals;
  }

  private Map<AccountType, List<Line>> sectionsOf(List<List<AccountTree.Sum>> columns) {
    Map<AccountType, List<Line>> sections = new LinkedHashMap<>();
    for (AccountType type : sections()) {
      sections.put(type, section(type, columns));
    }
    return sections;
  }

  /** Net income per currency and column: income minus expenses (cumulative on a balance sheet). */
  private static Map<String, BigInteger[]> netIncome(List<List<AccountTree.Sum>> columns, TreeSet<String> currencies) {
    Map<String, BigInteger[]> net = new TreeMap<>();
    for (String currency : currencies) {
      BigInteger[] zero = new BigInteger[columns.size()];
      java.util.Arrays.fill(zero, BigInteger.ZERO);
      net.put(currency, zero);
    }
    for (int i = 0; i < columns.size(); i++) {
      for (AccountTree.Sum sum : columns.get(i)) {
        AccountType type = AccountCode.parse(sum.account()).type();
        BigInteger[] column = net.get(sum.currency());
        if (type == AccountType.INCOME) {
          column[i] = column[i].add(sum.credits().subtract(sum.debits()));
        } else if (type == AccountType.EXPENSES) {
          column[i] = column[i].subtract(sum.debits().subtract(sum.credits()));
        }
      }
    }
    return net;
  }

  private static TreeSet<String> currencies(List<List<AccountTree.Sum>> columns) {
    TreeSet<String> currencies = new TreeSet<>();
    columns.forEach(column -> column.forEach(sum -> currencies.add(sum.currency())));
    return currencies;
  }

  private ObjectNode render(List<Periods.Period> periods, List<List<AccountTree.Sum>> columns, ZoneId zone,
      Instant known) {
    ObjectNode json = Json.object();
    json.put("report", name());
    json.put("zone", zone.getId());
    json.put("known_at", Dates.iso(known, zone));
    ArrayNode periodNodes = json.putArray("periods");
    for (Periods.Period period : periods) {
      periodNodes.addObject().put("label", period.label()).put("from", Dates.iso(period.start(), zone))
          .put("to", Dates.iso(period.end(), zone));
    }
    TreeSet<String> currencies = currencies(columns);
    ArrayNode sectionNodes = json.putArray("sections");
    Map<AccountType, Map<String, BigInteger[]>> totals = new LinkedHashMap<>();
    sectionsOf(columns).forEach((type, lines) -> {
      ObjectNode section = sectionNodes.addObject();
      section.put("section", type.segment());
      ArrayNode accounts = section.putArray("accounts");
      for (Line line : lines) {
        ObjectNode node = accounts.addObject().put("account", line.account()).put("depth", line.depth())
            .put("currency", line.currency());
        amounts(node.putArray("amounts"), line.amounts(), line.currency());
      }
      Map<String, BigInteger[]> sectionTotals = totals(lines, columns.size(), currencies);
      totals.put(type, sectionTotals);
      ArrayNode totalNodes = section.putArray("totals");
      sectionTotals.forEach((currency, amounts) ->
          amounts(totalNodes.addObject().put("currency", currency).putArray("amounts"), amounts, currency));
    });
    Map<String, BigInteger[]> net = netIncome(columns, currencies);
    ArrayNode netNodes = json.putArray("net_income");
    net.forEach((currency, amounts) ->
        amounts(netNodes.addObject().put("currency", currency).putArray("amounts"), amounts, currency));
    if (!movements()) {
      // assets = liabilities + equity + net income, per currency and column
      boolean balanced = true;
      for (String currency : currencies) {
        for (int i = 0; i < columns.size(); i++) {
          BigInteger assets = totals.get(AccountType.ASSETS).get(currency)[i];
          BigInteger claims = totals.get(AccountType.LIABILITIES).get(currency)[i]
              .add(totals.get(AccountType.EQUITY).get(currency)[i]).add(net.get(currency)[i]);
          balanced &= assets.equals(claims);
        }
      }
      json.put("balanced", balanced);
    }
    return json;
  }

  private static void amounts(ArrayNode array, BigInteger[] amounts, String currency) {
    for (BigInteger amount : amounts) {
      array.add(Amounts.formatMinor(amount, Amounts.currency(currency)));
    }
  }

  private Table table(List<Periods.Period> periods, List<List<AccountTree.Sum>> columns) {
    List<String> headers = new ArrayList<>(List.of("account", "currency"));
    periods.forEach(p -> headers.add(p.label()));
    Table table = new Table(headers.toArray(String[]::new));
    TreeSet<String> currencies = currencies(columns);
    Map<AccountType, Map<String, BigInteger[]>> totals = new LinkedHashMap<>();
    sectionsOf(columns).forEach((type, lines) -> {
      for (Line line : lines) {
        table.row(row(line.label(), line.currency(), line.amounts()));
      }
      if (lines.isEmpty()) {
        Object[] empty = new Object[headers.size()];
        empty[0] = type.segment();
        table.row(empty);
      }
      totals.put(type, totals(lines, columns.size(), currencies));
    });
    Map<String, BigInteger[]> net = netIncome(columns, currencies);
    net.forEach((currency, amounts) -> table.row(row("net income (income - expenses)", currency, amounts)));
    if (!movements()) {
      for (String currency : currencies) {
        BigInteger[] claims = new BigInteger[columns.size()];
        for (int i = 0; i < claims.length; i++) {
          claims[i] = totals.get(AccountType.LIABILITIES).get(currency)[i]
              .add(totals.get(AccountType.EQUITY).get(currency)[i]).add(net.get(currency)[i]);
        }
        table.row(row("liabilities + equity + net income", currency, claims));
      }
    }
    return table;
  }

  private static Object[] row(String label, String currency, BigInteger[] amounts) {
    Object[] cells = new Object[2 + amounts.length];
    cells[0] = label;
    cells[1] = currency;
    for (int i = 0; i < amounts.length; i++) {
      cells[2 + i] = Amounts.formatMinor(amounts[i], Amounts.currency(currency));
    }
    return cells;
  }
}
