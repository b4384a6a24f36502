package dev.ledger.cli.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.account.Account;
import dev.ledger.cli.CliException;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.OutputFormat;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.cli.journal.TrialBalanceCommand;
import dev.ledger.cli.reconcile.BreakJson;
import dev.ledger.cli.reconcile.BreakTable;
import dev.ledger.cli.reconcile.Reconciliation;
import dev.ledger.db.reconcile.StoredBreak;
import dev.ledger.journal.BatchResult;
import dev.ledger.journal.PostStatus;
import dev.ledger.statement.Source;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"A marketplace day end to end, with planted discrepancies.",
        "Creates the chart of accounts, posts multi-wallet activity, writes the day's WeChat Pay, Alipay and",
        "camt.053 statements, reconciles all three and prints the break report and the trial balance.",
        "Idempotent: a second run reports the stored results."})
public final class DemoCommand extends SessionCommand {
  @Option(names = "--day", paramLabel = "DATE", defaultValue = "2024-09-12", description = "the business day (default 2024-09-12)")
  LocalDate day;

  @Option(names = "--out", paramLabel = "DIR", description = "where the statements are written (default: DATA_DIR/demo/DAY)")
  Path outDir;

  @Override
  protected int run(LedgerSession session) throws Exception {
    boolean table = output.format() != OutputFormat.JSON;
    PrintWriter out = out();
    MarketplaceDay marketplace = new MarketplaceDay(day, day.toEpochDay());
    session.chooseZone(MarketplaceDay.SHANGHAI, false); // a Shanghai marketplace: its days end at Shanghai midnight
    for (Account account : marketplace.accounts) {
      session.ledger().createAccount(account);
    }
    BatchResult posted = session.ledger().postAll(marketplace.entries);
    if (!posted.committed()) {
      throw new CliException(ExitCode.ENVIRONMENT, "The demo entries were rejected: " + posted.rejections());
    }
    Path dir = outDir != null ? outDir : database.dataDir().resolve("demo").resolve(day.toString());
    Files.createDirectories(dir);
    Path wechat = dir.resolve("wechatpay-" + day + ".csv");
    Path alipay = dir.resolve("alipay-" + day + ".csv");
    Path camt = dir.resolve("camt053-" + day + ".xml");
    Files.writeString(wechat, marketplace.wechatBill.text(), StandardCharsets.UTF_8);
    Files.write(alipay, marketplace.alipayBill.bytes());
    Files.writeString(camt, marketplace.bankStatement.xml(), StandardCharsets.UTF_8);
    // The tour's other files: reconciled or posted by the reader, not by the demo.
    Files.writeString(dir.resolve("mt940-hsbc-usd-" + day + ".sta"), marketplace.usdStatement.text(),
        StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("cmb-" + day + ".csv"), marketplace.cmbStatement.text(), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("cmb.properties"), marketplace.cmbStatement.mapping(), StandardCharsets.UTF_8);
    Path adjustment = dir.resolve("bank-fee-" + day + ".jsonl");
    Files.writeString(adjustment, jsonLines(List.of(marketplace.bankFeeAdjustment)), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("entries-" + day.plusDays(1) + ".jsonl"), jsonLines(marketplace.nextDay),
        StandardCharsets.UTF_8);

    ObjectNode json = Json.object();
    json.put("day", day.toString());
    json.put("database", session.describe());
    json.put("directory", dir.toString());
    json.putObject("entries").put("created", posted.count(PostStatus.CREATED))
        .put("existing", posted.count(PostStatus.EXISTS));
    ArrayNode planted = json.putArray("planted");
    marketplace.planted.forEach(planted::add);
    if (table) {
      out.println("Marketplace day " + day + " on " + session.describe());
      out.println("Posted " + marketplace.entries.size() + " entries (" + posted.count(PostStatus.CREATED) + " new, "
          + posted.count(PostStatus.EXISTS) + " already there).");
      out.println("Statements written to " + dir);
      out.println();
      out.println("Discrepancies planted in the statements:");
      marketplace.planted.forEach(p -> out.println("  - " + p));
      out.println();
    }
    ArrayNode runs = json.putArray("reconciliations");
    List<Reconciliation.Request> requests = List.of(
        new Reconciliation.Request(Source.WECHATPAY, wechat, null, null, null, null, 3, false),
        new Reconciliation.Request(Source.ALIPAY, alipay, null, null, null, null, 3, false),
        new Reconciliation.Request(Source.CAMT053, camt, MarketplaceDay.BANK, null, null, null, 3, false));
    List<StoredBreak> breaks = new ArrayList<>();
    for (Reconciliation.Request request : requests) {
      var result = Reconciliation.run(session, request);
      var run = result.run();
      runs.addObject().put("run_id", Long.toString(run.id())).put("source", run.source()).put("file", run.fileName())
          .put("lines", run.lines()).put("matched", run.matched()).put("breaks", run.breaks().size())
          .put("existing_run", run.existing());
      if (table) {
        out.println("Reconciled " + run.source() + " (" + run.fileName() + "): " + run.lines() + " lines, "
            + run.matched() + " matched, " + run.breaks().size() + " breaks"
            + (run.existing() ? " (same file as stored run " + run.id() + ")" : ""));
      }
      for (var item : run.breaks()) {
        breaks.add(session.reconciliation().findBreak(item.id()).orElseThrow());
      }
    }
    ArrayNode breakNodes = json.putArray("breaks");
    for (StoredBreak stored : breaks) {
      breakNodes.add(BreakJson.write(stored, true));
    }
    // The break that the adjustment file books: the bank fee on the camt.053 statement.
    String feeKey = "BK" + day.toString().replace("-", "") + "301";
    Long feeBreak = breaks.stream().filter(b -> feeKey.equals(b.details().key())).map(StoredBreak::id)
        .findFirst().orElse(null);
    if (feeBreak != null) {
      json.put("adjustment", adjustment.toString());
      json.put("adjustment_break_id", Long.toString(feeBreak));
    }
    var trial = session.ledger().trialBalance(null, null);
    json.set("trial_balance", TrialBalanceCommand.json(trial, null));
    if (table) {
      out.println();
      out.println("Break report");
      // The same short columns as `ledger breaks`, so the report fits the terminal.
      var tracked = breaks.stream().map(b -> session.workflow().find(b.id()).orElseThrow()).toList();
      BreakTable.of(tracked, java.time.Instant.now(), Table.width(database.env("COLUMNS"))).printTable(out);
      out.println();
      out.println("Trial balance");
      TrialBalanceCommand.table(trial).printTable(out);
      out.println();
      out.println("Files for the tour are in " + dir + ":");
      try (var files = Files.list(dir)) {
        files.map(f -> f.getFileName().toString()).sorted().forEach(name -> out.println("  " + name));
      }
      out.println();
      out.println("Try next:");
      out.println("  ledger breaks --format table");
      if (feeBreak != null) {
        out.println("  ledger breaks resolve " + feeBreak + " --note \"bank fee, booked\" --adjustment " + adjustment);
      }
      out.println("  ledger verify");
    } else {
      Json.print(out, json);
    }
    out.flush();
    return ExitCode.OK;
  }

  private static String jsonLines(List<dev.ledger.journal.Entry> entries) throws Exception {
    StringBuilder lines = new StringBuilder();
    for (dev.ledger.journal.Entry entry : entries) {
      lines.append(Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
          .writeValueAsString(dev.ledger.cli.journal.EntryJson.write(entry))).append('\n');
    }
    return lines.toString();
  }
}
