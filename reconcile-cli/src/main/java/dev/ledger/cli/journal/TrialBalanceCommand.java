package dev.ledger.cli.journal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.cli.Dates;
import dev.ledger.journal.TrialBalanceLine;
import dev.ledger.money.Amounts;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "trial-balance", mixinStandardHelpOptions = true,
    description = "Debits and credits of every account per currency; totals must agree.")
public final class TrialBalanceCommand extends SessionCommand {
  @Option(names = "--as-of", paramLabel = "T", description = "effective time (ISO-8601, a local time, a date or month: its end)")
  String asOf;

  @Option(names = "--known-at", paramLabel = "K", description = "recorded time: what the ledger knew then")
  String knownAt;

  @Override
  protected void prepare() {
    Dates.check("--as-of", asOf);
    Dates.check("--known-at", knownAt);
  }

  @Override
  protected int run(LedgerSession session) {
    java.time.ZoneId zone = zone();
    Instant asOfTime = Dates.end("--as-of", asOf, zone);
    Instant knownAtTime = Dates.end("--known-at", knownAt, zone);
    List<TrialBalanceLine> lines = session.ledger().trialBalance(asOfTime, knownAtTime);
    ObjectNode json = json(lines, asOfTime, zone);
    json.put("known_at", Dates.iso(knownAtTime, zone));
    print(json, table(lines));
    if (lines.isEmpty() && knownAtTime != null) {
      KnownAt.explainEmpty(session, knownAtTime, zone, err());
    }
    return ExitCode.OK;
  }

  public static ObjectNode json(List<TrialBalanceLine> lines, Instant asOf) {
    return json(lines, asOf, java.time.ZoneId.of("UTC"));
  }

  public static ObjectNode json(List<TrialBalanceLine> lines, Instant asOf, java.time.ZoneId zone) {
    ObjectNode json = Json.object();
    json.put("as_of", Dates.iso(asOf, zone));
    var accounts = json.putArray("accounts");
    for (TrialBalanceLine line : lines) {
      var balance = line.balance();
      accounts.addObject().put("account", line.account().value())
          .put("currency", balance.currency().getCurrencyCode())
          .put("debits", Amounts.format(balance.debits())).put("credits", Amounts.format(balance.credits()))
          .put("balance", Amounts.format(balance.balance()));
    }
    var totals = json.putArray("totals");
    totals(lines).forEach((currency, total) -> totals.addObject().put("currency", currency)
        .put("debits", Amounts.formatMinor(total[0], Amounts.currency(currency)))
        .put("credits", Amounts.formatMinor(total[1], Amounts.currency(currency)))
        .put("balanced", total[0].equals(total[1])));
    return json;
  }

  public static Table table(List<TrialBalanceLine> lines) {
    Table table = new Table("account", "currency", "debits", "credits", "balance");
    for (TrialBalanceLine line : lines) {
      var balance = line.balance();
      table.row(line.account(), balance.currency().getCurrencyCode(), Amounts.format(balance.debits()),
          Amounts.format(balance.credits()), Amounts.format(balance.balance()));
    }
    totals(lines).forEach((currency, total) -> table.row("TOTAL", currency,
        Amounts.formatMinor(total[0], Amounts.currency(currency)),
        Amounts.formatMinor(total[1], Amounts.currency(currency)),
        total[0].equals(total[1]) ? "balanced" : "UNBALANCED"));
    return table;
  }

  /** Debit and credit totals in minor units per currency code; exact, as many accounts can sum beyond a long. */
  private static Map<String, BigInteger[]> totals(List<TrialBalanceLine> lines) {
    Map<String, BigInteger[]> totals = new TreeMap<>();
    for (TrialBalanceLine line : lines) {
      BigInteger[] total = totals.computeIfAbsent(line.balance().currency().getCurrencyCode(),
          c -> new BigInteger[] {BigInteger.ZERO, BigInteger.ZERO});
      total[0] = total[0].add(BigInteger.valueOf(line.balance().debitsMinor()));
      total[1] = total[1].add(BigInteger.valueOf(line.balance().creditsMinor()));
    }
    return totals;
  }
}
