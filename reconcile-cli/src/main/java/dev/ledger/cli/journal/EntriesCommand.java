package dev.ledger.cli.journal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.account.Side;
import dev.ledger.cli.CliException;
import dev.ledger.cli.Dates;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.OutputFormat;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.db.EntryRecord;
import dev.ledger.journal.Entry;
import dev.ledger.journal.Posting;
import dev.ledger.money.Amounts;
import java.io.PrintWriter;
import java.time.ZoneId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "entries", mixinStandardHelpOptions = true, description = "Look at single entries.",
    subcommands = {EntriesCommand.Show.class})
public final class EntriesCommand {
  @Command(name = "show", mixinStandardHelpOptions = true,
      description = {"One entry with its postings, metadata, recording time, content hash, its link in the",
          "hash chain (or that it still waits to be sealed) and its reversal links. Exit 3 for an unknown id."})
  static final class Show extends SessionCommand {
    @Parameters(index = "0", paramLabel = "ENTRY_ID", description = "the entry's id")
    String id;

    @Override
    protected int run(LedgerSession session) {
      EntryRecord record = session.ledger().entryRecord(id).orElseThrow(() ->
          CliException.inputRejected("No entry with id '" + id + "'"));
      ZoneId zone = zone();
      Entry entry = record.recorded().entry();
      ObjectNode json = Json.object();
      json.put("id", entry.id());
      json.put("sequence", record.recorded().sequence());
      json.put("effective_at", Dates.iso(entry.effectiveAt(), zone));
      json.put("recorded_at", Dates.iso(record.recorded().recordedAt(), zone));
      json.put("description", entry.description());
      ObjectNode metadata = json.putObject("metadata");
      entry.metadata().forEach(metadata::put);
      ArrayNode postings = json.putArray("postings");
      Table table = new Table("entry_id", "posting", "account", "currency", "debit", "credit");
      int index = 0;
      for (Posting posting : entry.postings()) {
        String amount = Amounts.format(posting.amount());
        String currency = posting.currency().getCurrencyCode();
        postings.addObject().put("account", posting.account().value()).put("currency", currency)
            .put(posting.side() == Side.DEBIT ? "debit" : "credit", amount);
        table.row(entry.id(), index++, posting.account(), currency, posting.side() == Side.DEBIT ? amount : "",
            posting.side() == Side.DEBIT ? "" : amount);
      }
      json.put("reversal_of", entry.reversalOf());
      json.put("reversed_by", record.reversedBy());
      json.put("content_hash", record.contentHash());
      if (record.sealed()) {
        json.putObject("chain").put("position", record.chainPosition()).put("prev_hash", record.prevHash())
            .put("hash", record.hash()).put("sealed_at", Dates.iso(record.sealedAt(), zone));
      } else {
        json.putNull("chain");
      }
      if (output.format() == OutputFormat.TABLE && output.file() == null) {
        PrintWriter out = out();
        out.println(Table.keyValues(new String[][] {
            {"entry", entry.id() + " (sequence " + record.recorded().sequence() + ")"},
            {"effective", Dates.table(entry.effectiveAt(), zone) + " " + zone.getId()},
            {"recorded", Dates.table(record.recorded().recordedAt(), zone) + " " + zone.getId()},
            {"description", entry.description()},
            {"metadata", metadata.isEmpty() ? "" : String.join(", ", entry.metadata().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).toList())},
            {"reversal of", entry.reversalOf() == null ? "" : entry.reversalOf()},
            {"reversed by", record.reversedBy() == null ? "" : record.reversedBy()},
            {"content hash", record.contentHash()},
            {"chain", record.sealed() ? "position " + record.chainPosition() + ", hash " + record.hash()
                + ", previous " + record.prevHash() + ", sealed " + Dates.table(record.sealedAt(), zone)
                : "not sealed yet (queued; 'ledger verify' reports the lag)"}}));
        out.println();
      }
      print(json, table);
      return ExitCode.OK;
    }
  }
}
