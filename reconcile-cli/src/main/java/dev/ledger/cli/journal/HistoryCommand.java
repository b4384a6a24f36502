package dev.ledger.cli.journal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ledger.account.AccountCode;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.cli.Times;
import dev.ledger.journal.HistoryLine;
import dev.ledger.money.Amounts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Postings of an account (or prefix) in effective order, with running balances.")
public final class HistoryCommand extends SessionCommand {
  @Parameters(index = "0", paramLabel = "ACCOUNT", description = "an account or a prefix")
  String account;

  @Option(names = "--from", paramLabel = "T", description = "first effective time (a date means its start)")
  String from;

  @Option(names = "--to", paramLabel = "T", description = "last effective time (a date means its end)")
  String to;

  @Override
  protected void prepare() {
    AccountCode.parse(account);
    Times.parseStart("--from", from);
    Times.parse("--to", to);
  }

  @Override
  protected int run(LedgerSession session) {
    ArrayNode json = Json.array();
    Table table = new Table("effective_at", "entry_id", "account", "currency", "debit", "credit", "balance",
        "description");
    for (HistoryLine line : session.ledger().history(AccountCode.parse(account),
        Times.parseStart("--from", from), Times.parse("--to", to))) {
      String amount = Amounts.formatMinor(line.amountMinor(), line.currency());
      String balance = Amounts.formatMinor(line.runningBalanceMinor(), line.currency());
      boolean debit = line.side() == dev.ledger.account.Side.DEBIT;
      json.addObject().put("entry_id", line.entryId()).put("effective_at", line.effectiveAt().toString())
          .put("recorded_at", line.recordedAt().toString()).put("account", line.account().value())
          .put("currency", line.currency().getCurrencyCode()).put("side", line.side().wireName())
          .put("amount", amount).put("balance", balance).put("description", line.description());
      table.row(line.effectiveAt(), line.entryId(), line.account(), line.currency().getCurrencyCode(),
          debit ? amount : "", debit ? "" : amount, balance, line.description());
    }
    print(json, table);
    return ExitCode.OK;
  }
}
