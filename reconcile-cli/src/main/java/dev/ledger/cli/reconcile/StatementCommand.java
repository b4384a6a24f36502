package dev.ledger.cli.reconcile;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.ledger.cli.CliException;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.money.Amounts;
import dev.ledger.statement.StatementBalance;
import dev.ledger.statement.StatementHandler;
import dev.ledger.statement.StatementInfo;
import dev.ledger.statement.StatementLine;
import dev.ledger.statement.Inconsistency;
import dev.ledger.statement.Source;
import dev.ledger.statement.StatementFiles;
import dev.ledger.statement.StatementParser;
import dev.ledger.statement.csv.CsvMapping;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "statement", mixinStandardHelpOptions = true, description = "Work with statement files.",
    subcommands = StatementCommand.Parse.class)
public final class StatementCommand {

  /**
   * Prints the parsed statement as JSON (no database needed); exit 3 when the file cannot be read.
   * The JSON is streamed to a temporary file and copied out only once the whole file was read, so
   * memory stays flat and a rejected file prints nothing on stdout. Inconsistent or truncated
   * files are printed, with their problems as warnings on stderr and in the JSON.
   */
  @Command(name = "parse", mixinStandardHelpOptions = true,
      description = "Print a parsed statement (JSON by default; table or csv list its lines).")
  static final class Parse implements Callable<Integer> {
    @Option(names = "--source", required = true, paramLabel = "S", completionCandidates = SourceCandidates.class,
        description = "one of: ${COMPLETION-CANDIDATES}")
    Source source;

    @Option(names = "--mapping", paramLabel = "M", description = "column mapping file for --source csv")
    Path mapping;

    @Parameters(index = "0", paramLabel = "FILE", description = "the statement file")
    Path file;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "json", description = "json, table or csv (default json)")
    String format;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      SessionCommand.readable(file);
      if (source.profile().needsMapping() && mapping == null) {
        throw new CliException(ExitCode.USAGE, "--mapping is required for --source " + source);
      }
      StatementParser parser = source.parser(mapping == null ? null : CsvMapping.load(SessionCommand.readable(mapping)));
      List<String> problems = new ArrayList<>();
      PrintWriter out = spec.commandLine().getOut();
      if (format.equalsIgnoreCase("json")) {
        Path buffer = Files.createTempFile("ledger-statement-", ".json");
        try {
          try (OutputStream stream = new BufferedOutputStream(Files.newOutputStream(buffer));
              JsonGenerator json = Json.MAPPER.getFactory().createGenerator(stream)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeStringField("source", source.wireName());
            json.writeStringField("file_sha256", Reconciliation.sha256(file));
            json.writeArrayFieldStart("statements");
            StatementFiles.parse(parser, file, new JsonStatementWriter(json, problems));
            json.writeEndArray();
            json.writeEndObject();
          }
          out.flush();
          try (var lines = Files.newBufferedReader(buffer, StandardCharsets.UTF_8)) {
            lines.transferTo(out);
          }
          out.println();
          out.flush();
        } finally {
          Files.deleteIfExists(buffer);
        }
      } else {
        if (!format.equalsIgnoreCase("csv") && !format.equalsIgnoreCase("table")) {
          throw new CliException(ExitCode.USAGE, "Unknown --format '" + format + "': use json, table or csv");
        }
        Table table = new Table("line", "type", "provider_txn_id", "provider_refund_id", "order_id", "bank_reference",
            "occurred_at", "value_date", "currency", "amount", "fee", "description");
        StatementFiles.parse(parser, file, new StatementHandler() {
          @Override
          public void line(StatementLine line) {
            table.row(line.line(), line.type().wireName(), line.providerTxnId(), line.providerRefundId(),
                line.orderId(), line.bankReference(), line.occurredAt(), line.valueDate(), line.currency(),
                line.amount(), line.fee(), line.description());
          }

          @Override
          public void end(StatementInfo info) {
            problems.addAll(problems(info));
          }
        });
        if (format.equalsIgnoreCase("csv")) {
          table.printCsv(out);
        } else {
          table.printTable(out);
        }
      }
      PrintWriter err = spec.commandLine().getErr();
      String name = String.valueOf(file.getFileName());
      for (String problem : problems) {
        err.println("ledger: warning: " + name + ": " + problem);
      }
      err.flush();
      return ExitCode.OK;
    }
  }

  /** What a user should hear about a statement that was read: warnings, inconsistencies, truncation. */
  static List<String> problems(StatementInfo info) {
    List<String> problems = new ArrayList<>(info.warnings());
    if (info.isTruncated()) {
      problems.add("looks truncated (" + info.truncated() + "); reconcile rejects such a file");
    }
    return problems;
  }

  /** Writes statements in the JSON of DESIGN.md section 6 as the parser streams them. */
  private static final class JsonStatementWriter implements StatementHandler {
    private final JsonGenerator json;
    private final List<String> problems;
    private boolean open;

    JsonStatementWriter(JsonGenerator json, List<String> problems) {
      this.json = json;
      this.problems = problems;
    }

    @Override
    public void line(StatementLine line) {
      try {
        if (!open) {
          json.writeStartObject();
          json.writeArrayFieldStart("lines");
          open = true;
        }
        json.writeStartObject();
        json.writeNumberField("line", line.line());
        json.writeStringField("type", line.type().wireName());
        json.writeStringField("provider_txn_id", line.providerTxnId());
        json.writeStringField("provider_refund_id", line.providerRefundId());
        json.writeStringField("order_id", line.orderId());
        json.writeStringField("bank_reference", line.bankReference());
        json.writeStringField("occurred_at", line.occurredAt() == null ? null : line.occurredAt().toString());
        json.writeStringField("value_date", line.valueDate() == null ? null : line.valueDate().toString());
        json.writeStringField("currency", line.currency().getCurrencyCode());
        json.writeStringField("amount", line.amount());
        json.writeStringField("fee", line.fee());
        json.writeStringField("description", line.description());
        json.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void end(StatementInfo info) {
      try {
        if (!open) {
          json.writeStartObject();
          json.writeArrayFieldStart("lines");
        }
        json.writeEndArray();
        open = false;
        json.writeStringField("account", info.account());
        json.writeStringField("currency", info.currency() == null ? null : info.currency().getCurrencyCode());
        balance("opening_balance", info.openingBalance());
        balance("closing_balance", info.closingBalance());
        if (info.summary() == null) {
          json.writeNullField("summary");
        } else {
          json.writeObjectFieldStart("summary");
          for (Map.Entry<String, String> item : new java.util.TreeMap<>(info.summary()).entrySet()) {
            json.writeStringField(item.getKey(), item.getValue());
          }
          json.writeEndObject();
        }
        json.writeObjectFieldStart("period");
        json.writeStringField("from", info.periodFrom() == null ? null : info.periodFrom().toString());
        json.writeStringField("to", info.periodTo() == null ? null : info.periodTo().toString());
        json.writeEndObject();
        json.writeArrayFieldStart("warnings");
        for (String warning : info.warnings()) {
          json.writeString(warning);
        }
        json.writeEndArray();
        json.writeArrayFieldStart("inconsistencies");
        for (Inconsistency item : info.inconsistencies()) {
          json.writeStartObject();
          json.writeNumberField("line", item.line());
          json.writeStringField("figure", item.figure());
          json.writeStringField("stated", item.stated());
          json.writeStringField("computed", item.computed());
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeStringField("truncated", info.truncated());
        problems.addAll(problems(info));
        json.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void balance(String field, StatementBalance balance) throws IOException {
      if (balance == null) {
        json.writeNullField(field);
        return;
      }
      json.writeObjectFieldStart(field);
      json.writeStringField("amount", Amounts.formatMinor(balance.amountMinor(), balance.currency()));
      json.writeStringField("date", balance.date() == null ? null : balance.date().toString());
      json.writeEndObject();
    }
  }
}
