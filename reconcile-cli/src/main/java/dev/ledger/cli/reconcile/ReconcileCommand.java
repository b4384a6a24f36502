package dev.ledger.cli.reconcile;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.account.AccountCode;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.db.reconcile.RunRecord;
import dev.ledger.db.reconcile.StoredBreak;
import dev.ledger.reconcile.BreakKind;
import dev.ledger.statement.Source;
import java.math.BigDecimal;
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
      description = "bank account for bank statements; clearing account override for wallets")
  String account;

  @Option(names = "--fee-account", paramLabel = "A", description = "fee account override for wallets")
  String feeAccount;

  @Option(names = "--mapping", paramLabel = "M", description = "column mapping file for --source csv")
  Path mapping;

  @Option(names = "--tolerance", paramLabel = "X", description = "accepted gross difference, e.g. 0.01 (default 0)")
  BigDecimal tolerance;

  @Option(names = "--window-days", paramLabel = "N", defaultValue = "3",
      description = "days around the statement period searched for entries and bank value dates (default 3)")
  int windowDays;

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
    if (windowDays < 0 || windowDays > 366) {
      throw new dev.ledger.cli.CliException(ExitCode.USAGE, "--window-days must be between 0 and 366: " + windowDays);
    }
    request = new Reconciliation.Request(source, statement, account == null ? null : AccountCode.parse(account),
        feeAccount == null ? null : AccountCode.parse(feeAccount), mapping, tolerance, windowDays, strict);
    Reconciliation.checkRequest(request);
  }

  @Override
  protected int run(LedgerSession session) throws Exception {
    Reconciliation.Result result = Reconciliation.run(session, request);
    print(json(result), table(result));
    if (output.format() == dev.ledger.cli.OutputFormat.TABLE) {
      out().println(summaryLine(result));
    }
    return result.hasBreaks() ? ExitCode.BREAKS_FOUND : ExitCode.OK;
  }

  static String summaryLine(Reconciliation.Result result) {
    RunRecord run = result.run();
    return run.source() + ": " + run.lines() + " lines, " + run.matched() + " matched, " + run.breaks().size()
        + " new break(s), " + result.confirmedBreakIds().size() + " still open, " + run.closedBreakIds().size()
        + " closed" + (run.existing() ? " (stored run " + run.id() + ", same file)" : "");
  }

  static ObjectNode json(Reconciliation.Result result) {
    RunRecord run = result.run();
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
    ArrayNode closed = summary.putArray("closed_break_ids");
    run.closedBreakIds().forEach(id -> closed.add(id.toString()));
    ArrayNode stillOpen = summary.putArray("still_open_break_ids");
    result.confirmedBreakIds().forEach(stillOpen::add);
    ArrayNode breaks = json.putArray("breaks");
    for (StoredBreak stored : run.breaks()) {
      breaks.add(BreakJson.write(stored, false));
    }
    return json;
  }

  static Table table(Reconciliation.Result result) {
    Table table = new Table(BreakJson.COLUMNS);
    result.run().breaks().forEach(stored -> BreakJson.row(table, stored));
    return table;
  }
}
