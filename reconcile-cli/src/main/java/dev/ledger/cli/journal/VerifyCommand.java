package dev.ledger.cli.journal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.cli.Terminal;
import dev.ledger.db.DigestFile;
import dev.ledger.db.VerifyReport;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Recompute every hash, account and stored balance from the raw rows.",
        "Exit 4 names the first entry whose content, order or presence does not match, and every"
            + " account or balance that disagrees.",
        "With --digest FILE (digests printed earlier by 'ledger digest', one per line), also prove"
            + " that the ledger still extends each; exit 4 names the first that it does not."})
public final class VerifyCommand extends SessionCommand {
  @Option(names = "--digest", paramLabel = "FILE",
      description = "digests kept outside the database, one JSON object per line")
  Path digestFile;

  private DigestFile digests;

  @Override
  protected void prepare() throws Exception {
    if (digestFile != null) {
      digests = DigestFile.read(readable(digestFile)); // exit 3 naming file:line before connecting
    }
  }

  @Override
  protected int run(LedgerSession session) {
    VerifyReport report;
    try (dev.ledger.cli.Progress progress = dev.ledger.cli.Progress.indeterminate("Verifying")) {
      report = session.audit().verify(digests);
    }
    if (output.format() == dev.ledger.cli.OutputFormat.TABLE && output.file() == null) {
      out().println(Terminal.safe(report.toString()));
      out().flush();
    } else {
      print(json(report), table(report));
    }
    if (!report.ok()) {
      err().println("ledger: integrity violation: " + report.summary());
      err().flush();
    }
    return report.ok() ? ExitCode.OK : ExitCode.INTEGRITY_VIOLATION;
  }

  private static ObjectNode json(VerifyReport report) {
    ObjectNode json = Json.object();
    json.put("ok", report.ok());
    json.put("entries_checked", report.entriesChecked());
    json.put("entry_id", report.entryId());
    if (report.sequence() == null) {
      json.putNull("sequence");
    } else {
      json.put("sequence", report.sequence());
    }
    json.put("problem", report.problem());
    json.put("digests_checked", report.digestsChecked());
    json.put("records_sealed", report.seal().sealed());
    json.put("records_unsealed", report.seal().unsealed());
    json.put("seal_lag_ms", report.seal().lag().toMillis());
    if (report.digest() == null) {
      json.putNull("digest");
    } else {
      ObjectNode digest = json.putObject("digest");
      digest.put("at", report.digest().where());
      digest.put("sequence", report.digest().sequence());
      digest.put("problem", report.digest().problem());
    }
    var accounts = json.putArray("account_violations");
    report.accountViolations().forEach(accounts::add);
    var reconciliation = json.putArray("reconciliation_violations");
    report.reconciliationViolations().forEach(reconciliation::add);
    var mismatches = json.putArray("balance_mismatches");
    report.balanceMismatches().forEach(mismatches::add);
    var violations = json.putArray("violations");
    report.violations().forEach(violations::add);
    return json;
  }

  private static Table table(VerifyReport report) {
    Table table = new Table("ok", "entries_checked", "entry_id", "sequence", "problem");
    table.row(report.ok(), report.entriesChecked(), report.entryId(), report.sequence(),
        report.problem() == null ? null : report.chainProblem());
    if (report.digest() != null) {
      table.row(false, "", "", report.digest().sequence(), report.digest().toString());
    }
    report.accountViolations().forEach(v -> table.row(false, "", "", "", v));
    report.reconciliationViolations().forEach(v -> table.row(false, "", "", "", v));
    report.balanceMismatches().forEach(m -> table.row(false, "", "", "", m));
    return table;
  }
}
