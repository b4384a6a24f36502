package dev.ledger.cli.journal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.account.AccountCode;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.cli.Times;
import dev.ledger.journal.Balance;
import dev.ledger.journal.BalanceQuery;
import dev.ledger.journal.CurrencyBalance;
import dev.ledger.money.Amounts;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "balance", mixinStandardHelpOptions = true,
    description = {"Balance of an account, or of every account below a prefix, in its normal direction.",
        "--as-of counts entries effective up to T; --known-at counts only what was recorded by K."})
public final class BalanceCommand extends SessionCommand {
  @Parameters(index = "0", paramLabel = "ACCOUNT_OR_PREFIX", description = "e.g. assets:wallet:alipay:clearing or assets:wallet")
  String account;

  @Option(names = "--as-of", paramLabel = "T", description = "effective time (ISO-8601, or a date: end of day UTC)")
  String asOf;

  @Option(names = "--known-at", paramLabel = "K", description = "recorded time: what the ledger knew then")
  String knownAt;

  @Option(names = "--currency", paramLabel = "C", description = "only this currency")
  String currency;

  @Override
  protected void prepare() {
    AccountCode.parse(account);
    Times.parse("--as-of", asOf);
    Times.parse("--known-at", knownAt);
    if (currency != null) {
      Amounts.currency(currency);
    }
  }

  @Override
  protected int run(LedgerSession session) {
    Instant asOfTime = Times.parse("--as-of", asOf);
    Instant knownAtTime = Times.parse("--known-at", knownAt);
    Balance balance = session.ledger().balance(new BalanceQuery(AccountCode.parse(account), asOfTime,
        knownAtTime, currency == null ? null : Amounts.currency(currency)));
    ObjectNode json = Json.object();
    json.put("account", account);
    json.put("as_of", asOfTime == null ? null : asOfTime.toString());
    json.put("known_at", knownAtTime == null ? null : knownAtTime.toString());
    ArrayNode balances = json.putArray("balances");
    Table table = new Table("account", "currency", "debits", "credits", "balance", "posted", "pending",
        "available");
    for (CurrencyBalance line : balance.currencies()) {
      String code = line.currency().getCurrencyCode();
      // posted = balance; pending = open pending entries' net movement; available = posted - pending outflows.
      balances.addObject().put("currency", code).put("debits", Amounts.format(line.debits()))
          .put("credits", Amounts.format(line.credits())).put("balance", Amounts.format(line.balance()))
          .put("posted", Amounts.format(line.balance())).put("pending", Amounts.format(line.pending()))
          .put("available", Amounts.format(line.available()));
      table.row(account, code, Amounts.format(line.debits()), Amounts.format(line.credits()),
          Amounts.format(line.balance()), Amounts.format(line.balance()), Amounts.format(line.pending()),
          Amounts.format(line.available()));
    }
    print(json, table);
    return ExitCode.OK;
  }
}
