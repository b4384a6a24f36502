package dev.ledger.cli.journal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.account.AccountCode;
import dev.ledger.cli.CliException;
import dev.ledger.cli.Dates;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.OutputFormat;
import dev.ledger.cli.OutputOptions;
import dev.ledger.cli.SessionCommand;
import dev.ledger.db.HistoryCursor;
import dev.ledger.money.Amounts;
import java.time.ZoneId;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "history", mixinStandardHelpOptions = true,
    description = {"Postings of an account (or prefix) in effective order, with running balances.",
        "Streamed from the database as it is printed: constant memory for any number of postings.",
        "With --limit N a page ends after N postings and, when more follow, prints a cursor; pass it",
        "to --after to get the next page (the running balances carry on). JSON lines carry their own",
        "cursor; in the other formats the cursor of a cut page is printed at the end (tables) or on",
        "standard error (csv, xlsx, json)."})
public final class HistoryCommand extends SessionCommand {
  private static final List<String> HEADERS = List.of("effective_at", "entry_id", "account", "currency",
      "debit", "credit", "balance", "description");
  /**
   * Table columns: time, currency and amounts fixed (amounts up to 999,999,999.99 align); ids,
   * accounts and descriptions share what the terminal width leaves (Table.Stream).
   */
  private static final int[] WIDTHS = {19, -3, -4, 3, 10, 10, 10, -3};
  private static final List<String> TABLE_HEADERS = List.of("effective_at", "entry_id", "account", "cur",
      "debit", "credit", "balance", "description");

  @Parameters(index = "0", paramLabel = "ACCOUNT", description = "an account or a prefix")
  String account;

  @Option(names = "--from", paramLabel = "T", description = "first effective time (a day or month means its start)")
  String from;

  @Option(names = "--to", paramLabel = "T", description = "last effective time (a day or month means its end)")
  String to;

  @Option(names = "--limit", paramLabel = "N", description = "at most N postings in this page")
  Long limit;

  @Option(names = "--after", paramLabel = "CURSOR", description = "continue after the cursor a limited page printed")
  String after;

  private HistoryCursor cursor;

  @Override
  protected void prepare() {
    AccountCode.parse(account);
    Dates.check("--from", from);
    Dates.check("--to", to);
    if (limit != null && limit < 1) {
      throw new CliException(ExitCode.USAGE, "--limit must be at least 1 but was " + limit);
    }
    if (after != null) {
      try {
        cursor = HistoryCursor.parse(after);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.USAGE, "--after: " + e.getMessage());
      }
    }
  }

  @Override
  protected int run(LedgerSession session) {
    ZoneId zone = zone();
    boolean json = output.format() == OutputFormat.JSON;
    HistoryCursor next;
    try (OutputOptions.Rows rows = output.rows(out(), HEADERS, TABLE_HEADERS, WIDTHS)) {
      boolean table = rows.format() == OutputFormat.TABLE;
      next = session.ledger().history(AccountCode.parse(account), Dates.start("--from", from, zone),
          Dates.end("--to", to, zone), cursor, limit, (line, at) -> {
            String amount = Amounts.formatMinor(line.amountMinor(), line.currency());
            String balance = Amounts.formatMinor(line.runningBalanceMinor(), line.currency());
            boolean debit = line.side() == dev.ledger.account.Side.DEBIT;
            ObjectNode object = null;
            if (json) {
              object = Json.object().put("entry_id", line.entryId())
                  .put("effective_at", Dates.iso(line.effectiveAt(), zone))
                  .put("recorded_at", Dates.iso(line.recordedAt(), zone)).put("account", line.account().value())
                  .put("currency", line.currency().getCurrencyCode()).put("side", line.side().wireName())
                  .put("amount", amount).put("balance", balance).put("description", line.description())
                  .put("cursor", at.toString());
            }
            rows.row(object, table ? Dates.table(line.effectiveAt(), zone) : Dates.iso(line.effectiveAt(), zone),
                line.entryId(), line.account().value(), line.currency().getCurrencyCode(),
                debit ? amount : "", debit ? "" : amount, balance, line.description());
          });
      rows.finish();
      if (next != null && table && output.file() == null) {
        out().println("More postings follow: ledger history " + account + " --after " + next
            + (limit == null ? "" : " --limit " + limit));
      }
    }
    if (next != null && (output.format() != OutputFormat.TABLE || output.file() != null)) {
      err().println("ledger: more postings follow; next page: --after " + next);
    }
    out().flush();
    return ExitCode.OK;
  }
}
