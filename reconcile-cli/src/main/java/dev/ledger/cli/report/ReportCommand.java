package dev.ledger.cli.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.cli.CliException;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.db.reconcile.RunFigures;
import dev.ledger.db.reconcile.RunFigures.RunSummary;
import dev.ledger.db.reconcile.TrackedBreak;
import dev.ledger.reconcile.BreakStatus;
import dev.ledger.statement.Source;
import dev.ledger.statement.SourceProfile;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"The reconciliation report finance reads and forwards: per source the lines, matched and broken",
        "counts and amounts, breaks by kind and by age, a chart of matched against broken amounts, every break.",
        "--html writes one self-contained page (no script, no external resource); --xlsx a workbook with",
        "numeric cells. A day's runs are those whose statement period is centred on that day."})
public final class ReportCommand extends SessionCommand {
  static final class Selection {
    @Option(names = "--day", paramLabel = "DATE", required = true,
        description = "the runs of this business day (yyyy-mm-dd, in the ledger's zone or --tz)")
    LocalDate day;

    @Option(names = "--run", paramLabel = "RUN_ID", required = true, description = "one run, by its id")
    Long runId;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Selection selection;

  @Option(names = "--html", paramLabel = "FILE", description = "write the report as HTML")
  Path html;

  @Option(names = "--xlsx", paramLabel = "FILE", description = "write the report as an XLSX workbook")
  Path xlsx;


  @Override
  protected void prepare() {
    if (html == null && xlsx == null) {
      throw new CliException(ExitCode.USAGE, "Name at least one output: --html FILE and/or --xlsx FILE");
    }
    for (Path file : new Path[] {html, xlsx}) {
      if (file == null) {
        continue;
      }
      Path parent = file.toAbsolutePath().getParent();
      if (parent == null || !Files.isDirectory(parent)) {
        throw new CliException(ExitCode.USAGE, file + ": its directory does not exist");
      }
      if (Files.isDirectory(file)) {
        throw new CliException(ExitCode.USAGE, file + ": is a directory");
      }
    }
  }

  @Override
  protected int run(LedgerSession session) throws IOException {
    RunFigures figures = session.runFigures();
    List<RunSummary> runs;
    String title;
    if (selection.runId != null) {
      RunSummary run = figures.run(selection.runId)
          .orElseThrow(() -> CliException.inputRejected("Run " + selection.runId + " does not exist; nothing written"));
      runs = List.of(run);
      title = "Reconciliation report: run " + run.id() + " (" + run.source() + ", " + run.fileName() + ")";
    } else {
      ZoneId zone = zone();
      Instant from = selection.day.atStartOfDay(zone).toInstant();
      Instant to = selection.day.plusDays(1).atStartOfDay(zone).toInstant();
      runs = figures.runsOf(from, to);
      if (runs.isEmpty()) {
        throw CliException.inputRejected("No reconciliation runs for " + selection.day + " (" + zone
            + "): nothing written; 'ledger reconcile' stores them, or try --tz");
      }
      title = "Reconciliation report " + selection.day + (zone.getId().equals("UTC") ? "" : " (" + zone.getId() + ")");
    }
    Map<Long, Map<String, Long>> matched = new HashMap<>();
    for (RunSummary run : runs) {
      SourceProfile profile = profile(run.source());
      boolean wallet = profile != null && profile.provider() != null;
      matched.put(run.id(), figures.matchedMinor(run, wallet ? profile.provider() : null,
          wallet && profile.feeAccount() != null ? profile.feeAccount().value() : null));
    }
    List<TrackedBreak> breaks = session.workflow().breaks(EnumSet.allOf(BreakStatus.class), null, null,
        runs.stream().map(RunSummary::id).toList());
    BreakReport report = BreakReport.of(title, Instant.now(), runs, matched, breaks);
    if (html != null) {
      byte[] page = HtmlReport.render(report).getBytes(StandardCharsets.UTF_8);
      write(html, out -> out.write(page));
    }
    if (xlsx != null) {
      quietPoiLogging();
      write(xlsx, out -> XlsxReport.write(report, out));
    }
    print(json(report), table(report));
    return ExitCode.OK;
  }

  /**
   * POI logs through the Log4j API, which without a logging backend prints an ERROR line that no
   * user should see; its simple built-in logger, at OFF, keeps it silent.
   */
  private static void quietPoiLogging() {
    if (System.getProperty("log4j2.loggerContextFactory") == null) {
      System.setProperty("log4j2.loggerContextFactory", "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
      System.setProperty("org.apache.logging.log4j.simplelog.level", "OFF");
    }
  }

  private static SourceProfile profile(String source) {
    try {
      return Source.parse(source).profile();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private interface Body {
    void write(OutputStream out) throws IOException;
  }

  /** Writes beside the target and moves it in place, so a failure never leaves half a report. */
  private static void write(Path target, Body body) {
    Path temp = null;
    try {
      Path dir = target.toAbsolutePath().getParent();
      temp = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        body.write(out);
      }
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new CliException(ExitCode.ENVIRONMENT, "Cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // a leftover temporary file is harmless
        }
      }
    }
  }

  private ObjectNode json(BreakReport report) {
    ObjectNode node = Json.object();
    node.put("title", report.title());
    if (html != null) {
      node.put("html", html.toString());
    }
    if (xlsx != null) {
      node.put("xlsx", xlsx.toString());
    }
    ArrayNode runs = node.putArray("runs");
    report.runs().forEach(r -> runs.add(Long.toString(r.id())));
    ArrayNode sources = node.putArray("sources");
    for (BreakReport.SourceRow row : report.sources()) {
      ObjectNode s = sources.addObject().put("source", row.source()).put("currency", row.currency());
      if (row.lines() != null) {
        s.put("lines", row.lines()).put("matched_count", row.matchedCount());
      }
      s.put("matched_amount", row.matchedAmount().toPlainString()).put("break_count", row.breakCount())
          .put("break_amount", row.breakAmount().toPlainString());
    }
    node.put("breaks", report.breaks().size());
    return node;
  }

  private static Table table(BreakReport report) {
    Table table = new Table("source", "currency", "lines", "matched", "matched_amount", "breaks", "breaks_amount");
    for (BreakReport.SourceRow row : report.sources()) {
      table.row(row.source(), row.currency(), row.lines(), row.matchedCount(), row.matchedAmount().toPlainString(),
          row.breakCount(), row.breakAmount().toPlainString());
    }
    return table;
  }
}
