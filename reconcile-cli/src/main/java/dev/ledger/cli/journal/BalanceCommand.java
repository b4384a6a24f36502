package dev.ledger.cli.journal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.account.AccountCode;
import dev.ledger.cli.CliException;
import dev.ledger.cli.Dates;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.cli.statements.AccountTree;
import dev.ledger.journal.Balance;
import dev.ledger.journal.BalanceQuery;
import dev.ledger.journal.CurrencyBalance;
import dev.ledger.journal.TrialBalanceLine;
import dev.ledger.money.Amounts;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "balance", mixinStandardHelpOptions = true,
    description = {"Balance of an account, or of every account below a prefix, in its normal direction.",
        "--as-of counts entries effective up to T; --known-at counts only what was recorded by K.",
        "A date means the end of that day in the ledger's zone, a month the end of that month.",
        "--depth N shows the accounts below the prefix as an indented tree, N segments deep, each with",
        "the subtotal of the accounts below it."})
public final class BalanceCommand extends SessionCommand {
  @Parameters(index = "0", paramLabel = "ACCOUNT_OR_PREFIX", description = "e.g. assets:wallet:alipay:clearing or assets:wallet")
  String account;

  @Option(names = "--as-of", paramLabel = "T", description = "effective time (ISO-8601, a local time, a date or month: its end)")
  String asOf;

  @Option(names = "--known-at", paramLabel = "K", description = "recorded time: what the ledger knew then")
  String knownAt;

  @Option(names = "--currency", paramLabel = "C", description = "only this currency")
  String currency;

  @Option(names = "--depth", paramLabel = "N", description = "an account tree down to N segments (1 = assets, 2 = assets:wallet, ...)")
  Integer depth;

  @Override
  protected void prepare() {
    AccountCode.parse(account);
    Dates.check("--as-of", asOf);
    Dates.check("--known-at", knownAt);
    if (currency != null) {
      Amounts.currency(currency);
    }
    if (depth != null && depth < 1) {
      throw new CliException(ExitCode.USAGE, "--depth must be at least 1 but was " + depth);
    }
  }

  @Override
  protected int run(LedgerSession session) {
    ZoneId zone = zone();
    Instant asOfTime = Dates.end("--as-of", asOf, zone);
    Instant knownAtTime = Dates.end("--known-at", knownAt, zone);
    AccountCode code = AccountCode.parse(account);
    Balance balance = session.ledger().balance(new BalanceQuery(code, asOfTime,
        knownAtTime, currency == null ? null : Amounts.currency(currency)));
    ObjectNode json = Json.object();
    json.put("account", account);
    json.put("as_of", Dates.iso(asOfTime, zone));
    json.put("known_at", Dates.iso(knownAtTime, zone));
    ArrayNode balances = json.putArray("balances");
    Table table = new Table("account", "currency", "debits", "credits", "balance", "posted", "pending",
        "available");
    for (CurrencyBalance line : balance.currencies()) {
      String code3 = line.currency().getCurrencyCode();
      // posted = balance; pending = open pending entries' net movement; available = posted - pending outflows.
      balances.addObject().put("currency", code3).put("debits", Amounts.format(line.debits()))
          .put("credits", Amounts.format(line.credits())).put("balance", Amounts.format(line.balance()))
          .put("posted", Amounts.format(line.balance())).put("pending", Amounts.format(line.pending()))
          .put("available", Amounts.format(line.available()));
      if (depth == null) {
        table.row(account, code3, Amounts.format(line.debits()), Amounts.format(line.credits()),
            Amounts.format(line.balance()), Amounts.format(line.balance()), Amounts.format(line.pending()),
            Amounts.format(line.available()));
      }
    }
    if (depth != null) {
      // The tree shows posted figures only; the per-currency pending and available stay in the JSON.
      table = new Table("account", "currency", "debits", "credits", "balance");
      List<TrialBalanceLine> lines = session.ledger().trialBalance(asOfTime, knownAtTime).stream()
          .filter(l -> currency == null || l.balance().currency().getCurrencyCode().equals(currency)).toList();
      AccountTree tree = AccountTree.of(lines, code, depth);
      ArrayNode accounts = json.putArray("accounts");
      for (AccountTree.Node node : tree.nodes()) {
        var unit = Amounts.currency(node.currency());
        accounts.addObject().put("account", node.account()).put("depth", node.depth())
            .put("currency", node.currency()).put("debits", Amounts.formatMinor(node.debits(), unit))
            .put("credits", Amounts.formatMinor(node.credits(), unit))
            .put("balance", Amounts.formatMinor(node.balance(), unit));
        table.row(tree.label(node), node.currency(), Amounts.formatMinor(node.debits(), unit),
            Amounts.formatMinor(node.credits(), unit), Amounts.formatMinor(node.balance(), unit));
      }
    }
    print(json, table);
    if (balance.currencies().isEmpty() && knownAtTime != null) {
      KnownAt.explainEmpty(session, knownAtTime, zone, err());
    }
    return ExitCode.OK;
  }
}
