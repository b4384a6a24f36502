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
import dev.ledger.statement.StatementParser;
import dev.ledger.statement.StatementParsers;
import dev.ledger.statement.CsvMapping;
import java.io.IOException;
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

  /** Streams the parsed statement as JSON (no database needed); exit 3 when the file is not trusted. */
  @Command(name = "parse", mixinStandardHelpOptions = true,
      description = "Print a parsed statement (JSON by default; table or csv list its lines).")
  static final class Parse implements Callable<Integer> {
    @Option(names = "--source", required = true, paramLabel = "S", description = "wechatpay, alipay, mt940, camt053 or csv")
    String source;

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
      if (source.equals("csv") && mapping == null) {
        throw new CliException(ExitCode.USAGE, "--mapping is required for --source csv");
      }
      StatementParser parser = StatementParsers.forSource(source,
          mapping == null ? null : CsvMapping.load(SessionCommand.readable(mapping)));
      String sha256 = Reconciliation.sha256(file);
      if (format.equalsIgnoreCase("json")) {
        // Streamed: memory stays flat for any file size. On a rejected file the output stops
        // short and the exit code is 3, so a batch job never mistakes it for a whole statement.
        JsonGenerator json = Json.MAPPER.getFactory().createGenerator(spec.commandLine().getOut());
        json.useDefaultPrettyPrinter();
        json.writeStartObject();
        json.writeStringField("source", source);
        json.writeStringField("file_sha256", sha256);
        json.writeArrayFieldStart("statements");
        StatementParsers.parse(parser, file, new JsonStatementWriter(json));
        json.writeEndArray();
        json.writeEndObject();
        json.flush();
        spec.commandLine().getOut().println();
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
      }
      Table table = new Table("line", "type", "provider_txn_id", "provider_refund_id", "order_id", "bank_reference",
          "occurred_at", "value_date", "currency", "amount", "fee", "description");
      StatementParsers.parse(parser, file, new StatementHandler() {
        @Override
        public void line(StatementLine line) {
          table.row(line.line(), line.type().wireName(), line.providerTxnId(), line.providerRefundId(), line.orderId(),
              line.bankReference(), line.occurredAt(), line.valueDate(), line.currency(), line.amount(), line.fee(),
              line.description());
        }

        @Override
        public void end(StatementInfo info) {}
      });
      if (format.equalsIgnoreCase("csv")) {
        table.printCsv(spec.commandLine().getOut());
      } else if (format.equalsIgnoreCase("table")) {
        table.printTable(spec.commandLine().getOut());
      } else {
        throw new CliException(ExitCode.USAGE, "Unknown --format '" + format + "': use json, table or csv");
      }
      return ExitCode.OK;
    }
  }

  /** Writes statements in the JSON of DESIGN.md section 6 as the parser streams them. */
  private static final class JsonStatementWriter implements StatementHandler {
    private final JsonGenerator json;
    private boolean open;

    JsonStatementWriter(JsonGenerator json) {
      this.json = json;
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
