package dev.ledger.cli.reconcile;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.account.AccountCode;
import dev.ledger.cli.CliException;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.reconcile.Break;
import dev.ledger.reconcile.BreakKind;
import dev.ledger.reconcile.FundFlowDay;
import dev.ledger.reconcile.Match;
import dev.ledger.reconcile.Reconciler;
import dev.ledger.reconcile.RunBreak;
import dev.ledger.reconcile.StoredRun;
import dev.ledger.statement.Source;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "reconcile", mixinStandardHelpOptions = true,
    description = {"Match a provider or bank statement against the ledger and store the breaks.",
        "Re-running the same file (same SHA-256) reports the stored run. Exit 1 when the statement has breaks."})
public final class ReconcileCommand extends SessionCommand {
  @Option(names = "--source", required = true, paramLabel = "S", completionCandidates = SourceCandidates.class,
      description = "one of: ${COMPLETION-CANDIDATES}")
  Source source;

  @Option(names = "--statement", required = true, paramLabel = "FILE")
  Path statement;

  @Option(names = "--account", paramLabel = "A",
      description = "the reconciled account: required for bank statements; overrides a wallet's clearing account")
  String account;

  @Option(names = "--fee-account", paramLabel = "A", description = "fee account override for wallets")
  String feeAccount;

  @Option(names = "--mapping", paramLabel = "M", description = "column mapping file for --source csv")
  Path mapping;

  @Option(names = "--rules", paramLabel = "FILE",
      description = "match rules (name = value lines; see README): tolerance, date lag, sums, fee-rate checks")
  Path rules;

  @Option(names = "--tolerance", paramLabel = "X",
      description = "accepted gross difference: an amount (0.01) or a percentage of the gross (1%%); default 0")
  String tolerance;

  @Option(names = {"--window-days", "--date-lag-days"}, paramLabel = "N",
      description = "date lag: days around the statement period searched for entries and bank value dates"
          + " (default 3, or the rules file's date_lag_days)")
  Integer windowDays;

  @Option(names = "--strict", description = "reject a statement whose own figures disagree (exit 3) instead of"
      + " reconciling it with a STATEMENT_INCONSISTENT break")
  boolean strict;

  private Reconciliation.Request request;

  @Override
  protected void prepare() {
    readable(statement);
    if (mapping != null) {
      readable(mapping);
    }
    if (rules != null) {
      readable(rules);
    }
    AccountCode reconciled;
    AccountCode fee;
    try {
      reconciled = account == null ? null : AccountCode.parse(account);
      fee = feeAccount == null ? null : AccountCode.parse(feeAccount);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, e.getMessage());
    }
    request = new Reconciliation.Request(source, statement, reconciled, fee, mapping, rules, tolerance, windowDays,
        strict);
    Reconciliation.checkRequest(request);
  }

  @Override
  protected int run(LedgerSession session) throws Exception {
    Reconciler.Result result = Reconciliation.run(session, request);
    print(json(result), table(result));
    if (output.format() == dev.ledger.cli.OutputFormat.TABLE) {
      out().println(summaryLine(result));
    }
    return result.hasBreaks() ? ExitCode.BREAKS_FOUND : ExitCode.OK;
  }

  static String summaryLine(Reconciler.Result result) {
    StoredRun run = result.run();
    StringBuilder rules = new StringBuilder();
    run.matchedByRule().forEach((rule, count) -> rules.append(rules.length() == 0 ? " (" : ", ")
        .append(count).append(' ').append(rule.wireName()));
    if (rules.length() > 0) {
      rules.append(')');
    }
    return run.source() + ": " + run.lines() + " lines, " + run.matched() + " matched" + rules + ", "
        + run.breaks().size() + " new break(s), " + result.stillOpenBreakIds().size() + " still open, "
        + run.closedBreakIds().size() + " closed" + (run.existing() ? " (stored run " + run.id() + ", same file)" : "");
  }

  static ObjectNode json(Reconciler.Result result) {
    StoredRun run = result.run();
    ObjectNode json = Json.object();
    json.put("run_id", Long.toString(run.id()));
    json.put("source", run.source());
    json.put("account", run.account());
    json.put("existing_run", run.existing());
    ObjectNode statement = json.putObject("statement");
    statement.put("file", run.fileName());
    statement.put("sha256", run.fileSha256());
    statement.put("lines", run.lines());
    ObjectNode period = statement.putObject("period");
    period.put("from", run.periodStart() == null ? null : run.periodStart().toString());
    period.put("to", run.periodEnd() == null ? null : run.periodEnd().toString());
    ArrayNode warnings = statement.putArray("warnings");
    if (result.statement() != null) {
      result.statement().warnings().forEach(warnings::add);
    }
    ObjectNode summary = json.putObject("summary");
    summary.put("lines", run.lines());
    summary.put("matched", run.matched());
    summary.put("breaks", run.breaks().size());
    Map<BreakKind, Integer> byKind = new EnumMap<>(BreakKind.class);
    run.breaks().forEach(b -> byKind.merge(b.details().kind(), 1, Integer::sum));
    ObjectNode kinds = summary.putObject("by_kind");
    byKind.forEach((kind, count) -> kinds.put(kind.name(), count));
    ObjectNode byRule = summary.putObject("matched_by_rule");
    run.matchedByRule().forEach((rule, count) -> byRule.put(rule.wireName(), count));
    ArrayNode closed = summary.putArray("closed_break_ids");
    run.closedBreakIds().forEach(id -> closed.add(id.toString()));
    ArrayNode stillOpen = summary.putArray("still_open_break_ids");
    result.stillOpenBreakIds().forEach(id -> stillOpen.add(id.toString()));
    ArrayNode breaks = json.putArray("breaks");
    for (RunBreak item : run.breaks()) {
      ObjectNode node = BreakJson.write(Reconciliation.stored(run, item), false);
      Break details = item.details();
      if (details.kind() == BreakKind.FEE_MISMATCH && details.computed() != null) {
        // Found by the bill's own fee rate: the rate and the fee it gives.
        node.put("fee_rate", details.stated());
        node.put("expected_fee", details.computed());
      }
      breaks.add(node);
    }
    if (!result.days().isEmpty()) {
      // A fund flow: each day of the wallet beside the ledger's clearing account.
      ArrayNode days = json.putArray("days");
      for (FundFlowDay day : result.days()) {
        days.addObject().put("day", day.day().toString()).put("currency", day.currency().getCurrencyCode())
            .put("income", day.format(day.income())).put("refunds", day.format(day.refunds()))
            .put("fees", day.format(day.fees())).put("withdrawals", day.format(day.withdrawals()))
            .put("other", day.format(day.other())).put("wallet_movement", day.format(day.walletMovement()))
            .put("ledger_movement", day.format(day.ledgerMovement()))
            .put("difference", day.format(day.difference()));
      }
    }
    // Exact matches are counted above; every other match names its rule, lines and entries.
    ArrayNode matches = json.putArray("matches");
    for (Match match : run.matches()) {
      ObjectNode node = matches.addObject();
      node.put("rule", match.rule().wireName());
      node.put("key", match.key());
      ArrayNode lines = node.putArray("statement_lines");
      match.statementLines().forEach(lines::add);
      ArrayNode entries = node.putArray("entry_ids");
      match.entryIds().forEach(entries::add);
    }
    return json;
  }

  static Table table(Reconciler.Result result) {
    Table table = new Table(BreakJson.COLUMNS);
    result.run().breaks().forEach(item -> BreakJson.row(table, Reconciliation.stored(result.run(), item)));
    return table;
  }
}
