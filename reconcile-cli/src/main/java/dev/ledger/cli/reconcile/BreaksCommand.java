package dev.ledger.cli.reconcile;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.cli.CliException;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.OutputFormat;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.cli.journal.EntryFile;
import dev.ledger.db.reconcile.BreakChange;
import dev.ledger.db.reconcile.BreakEvent;
import dev.ledger.db.reconcile.StoredBreak;
import dev.ledger.db.reconcile.TrackedBreak;
import dev.ledger.journal.BatchResult;
import dev.ledger.journal.Entry;
import dev.ledger.account.AccountCode;
import dev.ledger.reconcile.AdjustmentCheck;
import dev.ledger.reconcile.BreakStatus;
import dev.ledger.statement.Source;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "breaks", mixinStandardHelpOptions = true,
    description = {"List reconciliation breaks with their status and age.",
        "'breaks assign' and 'breaks comment' keep who works on a break and what they found;",
        "'breaks resolve' settles one with a note and optionally an adjusting entry; 'breaks show' prints its history."},
    subcommands = {BreaksCommand.Assign.class, BreaksCommand.Comment.class, BreaksCommand.Resolve.class,
        BreaksCommand.Show.class})
public final class BreaksCommand extends SessionCommand {
  @Option(names = "--status", paramLabel = "STATUS",
      description = "open, assigned, resolved (by a person), closed (by a later run) or all"
          + " (default: open and assigned, the breaks that still need work)")
  String status;

  @Option(names = "--source", paramLabel = "S", completionCandidates = SourceCandidates.class,
      description = "only breaks of this source: ${COMPLETION-CANDIDATES}")
  Source source;

  @Option(names = "--older-than", paramLabel = "DAYS",
      description = "only breaks opened at least DAYS days ago")
  Integer olderThan;

  private Set<BreakStatus> statuses;

  @Override
  protected void prepare() {
    statuses = statuses(status);
    if (olderThan != null && olderThan < 0) {
      throw new CliException(ExitCode.USAGE, "--older-than must not be negative: " + olderThan);
    }
  }

  /** The statuses a --status value asks for; null asks for those that still need work. */
  static Set<BreakStatus> statuses(String value) {
    if (value == null) {
      return EnumSet.of(BreakStatus.OPEN, BreakStatus.ASSIGNED);
    }
    if (value.trim().toLowerCase(Locale.ROOT).equals("all")) {
      return EnumSet.allOf(BreakStatus.class);
    }
    try {
      return EnumSet.of(BreakStatus.parse(value));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "Unknown --status '" + value + "': use " + BreakStatus.labels()
          + " or all");
    }
  }

  @Override
  protected int run(LedgerSession session) {
    Instant now = Instant.now();
    Instant openedBy = olderThan == null ? null : now.minus(Duration.ofDays(olderThan));
    List<TrackedBreak> breaks = session.workflow().breaks(statuses, source == null ? null : source.wireName(),
        openedBy, null);
    if (output.format() == OutputFormat.TABLE) {
      BreakTable.of(breaks, now, Table.width(database.env("COLUMNS"))).printTable(out());
    } else {
      ArrayNode json = Json.array();
      breaks.forEach(tracked -> json.add(BreakJson.write(tracked, now)));
      print(json, csv(breaks, now));
    }
    return ExitCode.OK;
  }

  private static final String[] CSV_MORE = {"status", "source", "account", "assignee", "age_days", "opened_at",
      "provider_txn_id", "provider_refund_id", "order_id", "opened_run_id", "closed_run_id", "resolved_at", "note",
      "adjustment_entry_id", "stated", "computed"};

  /** Every field: the reconcile report's columns first, then the lifecycle and ids. */
  static Table csv(List<TrackedBreak> breaks, Instant now) {
    String[] headers = java.util.Arrays.copyOf(BreakJson.COLUMNS, BreakJson.COLUMNS.length + CSV_MORE.length);
    System.arraycopy(CSV_MORE, 0, headers, BreakJson.COLUMNS.length, CSV_MORE.length);
    Table table = new Table(headers);
    for (TrackedBreak tracked : breaks) {
      StoredBreak stored = tracked.stored();
      var item = stored.details();
      Object[] first = BreakJson.cells(stored);
      Object[] cells = java.util.Arrays.copyOf(first, headers.length);
      Object[] more = {stored.state().label(), stored.source(), stored.account(), stored.assignee(),
          tracked.ageDays(now), tracked.openedAt(), item.providerTxnId(), item.providerRefundId(), item.orderId(),
          stored.openedRunId(), stored.closedRunId(), stored.resolvedAt(), stored.resolutionNote(),
          stored.adjustmentEntryId(), item.stated(), item.computed()};
      System.arraycopy(more, 0, cells, first.length, more.length);
      table.row(cells);
    }
    return table;
  }

  /** Who is doing this: --as, else LEDGER_USER, else null (the database user). */
  static String author(String as, java.util.function.Function<String, String> env) {
    if (as != null) {
      if (as.isBlank()) {
        throw new CliException(ExitCode.USAGE, "--as must not be empty");
      }
      if (as.trim().length() > NAME_LENGTH_MAX) {
        throw new CliException(ExitCode.USAGE, "--as is longer than " + NAME_LENGTH_MAX + " characters");
      }
      return as.trim();
    }
    String user = env.apply("LEDGER_USER");
    if (user != null && user.trim().length() > NAME_LENGTH_MAX) {
      throw new CliException(ExitCode.USAGE, "LEDGER_USER is longer than " + NAME_LENGTH_MAX + " characters");
    }
    return user == null ? null : user.trim();
  }

  /** Longest author or assignee name stored with an event (migration V18). */
  static final int NAME_LENGTH_MAX = 128;
  /** Longest comment or note stored with an event (migration V14). */
  static final int TEXT_LENGTH_MAX = 4000;

  /** The rejection for a workflow step that wrote nothing. */
  static CliException refused(long breakId, BreakChange change, String what, LedgerSession session) {
    if (change == BreakChange.UNKNOWN_BREAK) {
      return CliException.inputRejected("Break " + breakId + " does not exist; nothing written");
    }
    String state = session.workflow().find(breakId).map(b -> b.stored().state().label()).orElse("gone");
    return CliException.inputRejected("Break " + breakId + " is " + state + ", so it cannot be " + what
        + "; nothing written");
  }

  @Command(name = "assign", mixinStandardHelpOptions = true,
      description = "Assign an open (or reassign an assigned) break to a person.")
  static final class Assign extends SessionCommand {
    @Parameters(index = "0", paramLabel = "BREAK_ID", description = "the id shown by 'ledger breaks'")
    long breakId;

    @Option(names = "--to", required = true, paramLabel = "NAME", description = "who works on it now")
    String assignee;

    @Option(names = "--as", paramLabel = "NAME",
        description = "who assigns it (default: $LEDGER_USER, else the database user)")
    String as;

    private String author;

    @Override
    protected void prepare() {
      author = author(as, database::env);
      if (assignee.isBlank()) {
        throw new CliException(ExitCode.USAGE, "--to must not be empty");
      }
      if (assignee.trim().length() > NAME_LENGTH_MAX) {
        throw new CliException(ExitCode.USAGE, "--to is longer than " + NAME_LENGTH_MAX + " characters");
      }
    }

    @Override
    protected int run(LedgerSession session) {
      BreakChange change = session.workflow().assign(breakId, assignee.trim(), author);
      if (change != BreakChange.APPLIED) {
        throw refused(breakId, change, "assigned", session);
      }
      return printBreak(output.format(), out(), session, breakId);
    }
  }

  @Command(name = "comment", mixinStandardHelpOptions = true,
      description = "Add a comment to a break (any status); comments are kept in order with author and time.")
  static final class Comment extends SessionCommand {
    @Parameters(index = "0", paramLabel = "BREAK_ID", description = "the id shown by 'ledger breaks'")
    long breakId;

    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "what was found or asked")
    String text;

    @Option(names = "--as", paramLabel = "NAME",
        description = "who writes it (default: $LEDGER_USER, else the database user)")
    String as;

    private String author;

    @Override
    protected void prepare() {
      author = author(as, database::env);
      if (text.isBlank()) {
        throw new CliException(ExitCode.USAGE, "--text must not be empty");
      }
      if (text.length() > TEXT_LENGTH_MAX) {
        throw new CliException(ExitCode.USAGE, "--text is longer than " + TEXT_LENGTH_MAX + " characters");
      }
    }

    @Override
    protected int run(LedgerSession session) {
      BreakChange change = session.workflow().comment(breakId, text, author);
      if (change != BreakChange.APPLIED) {
        throw refused(breakId, change, "commented on", session);
      }
      return printBreak(output.format(), out(), session, breakId);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "One break with its history: assignments, comments, resolution, in order.")
  static final class Show extends SessionCommand {
    @Parameters(index = "0", paramLabel = "BREAK_ID", description = "the id shown by 'ledger breaks'")
    long breakId;

    @Override
    protected int run(LedgerSession session) {
      return printBreak(output.format(), out(), session, breakId);
    }
  }

  /** The break and its events: JSON with an "events" array, or a table of the events. */
  static int printBreak(OutputFormat format, java.io.PrintWriter out, LedgerSession session, long breakId) {
    TrackedBreak tracked = session.workflow().find(breakId)
        .orElseThrow(() -> CliException.inputRejected("Break " + breakId + " does not exist"));
    Instant now = Instant.now();
    List<BreakEvent> events = session.workflow().events(breakId);
    ObjectNode node = BreakJson.write(tracked, now);
    ArrayNode eventNodes = node.putArray("events");
    Table table = new Table("event", "at", "by", "kind", "assignee", "text");
    for (BreakEvent event : events) {
      eventNodes.add(BreakJson.write(event));
      table.row(event.id(), event.at(), event.by(), event.kind(), event.assignee(),
          event.note() == null ? "" : BreakTable.cut(event.note(), 60));
    }
    if (format == OutputFormat.TABLE) {
      StoredBreak stored = tracked.stored();
      out.println("Break " + stored.id() + " (" + stored.source() + " " + stored.details().kind() + ", key "
          + dev.ledger.cli.Terminal.line(stored.details().key()) + "): " + stored.state().label()
          + (stored.assignee() == null ? "" : " (assignee " + dev.ledger.cli.Terminal.line(stored.assignee()) + ")")
          + ", " + tracked.ageDays(now) + " days old");
      table.printTable(out);
    } else if (format == OutputFormat.CSV) {
      table.printCsv(out);
    } else {
      Json.print(out, node);
    }
    return ExitCode.OK;
  }

  /** The fee account of a stored run's source, null for banks and unknown sources. */
  static AccountCode feeAccount(String source) {
    try {
      return Source.parse(source).profile().feeAccount();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Command(name = "resolve", mixinStandardHelpOptions = true,
      description = {"Resolve an open or assigned break with a note, optionally posting adjusting entries first.",
          "The adjustment must move the break's difference on the run's account (clearing or bank account):",
          "otherwise it is rejected (exit 3) and nothing is written."})
  static final class Resolve extends SessionCommand {
    @Parameters(index = "0", paramLabel = "BREAK_ID", description = "the id shown by 'ledger breaks'")
    long breakId;

    @Option(names = "--note", required = true, paramLabel = "TEXT", description = "what was found and done")
    String note;

    @Option(names = "--adjustment", paramLabel = "FILE", description = "adjusting entries (JSON Lines), posted all or nothing")
    Path adjustment;

    @Option(names = "--as", paramLabel = "NAME",
        description = "who resolves it (default: $LEDGER_USER, else the database user)")
    String as;

    private String author;

    private EntryFile entries;

    @Override
    protected void prepare() throws Exception {
      author = author(as, database::env);
      if (note.isBlank()) {
        throw new CliException(ExitCode.USAGE, "--note must not be empty");
      }
      if (note.length() > TEXT_LENGTH_MAX) {
        throw new CliException(ExitCode.USAGE, "--note is longer than " + TEXT_LENGTH_MAX + " characters");
      }
      if (adjustment != null) {
        entries = EntryFile.read(readable(adjustment));
        if (!entries.failures().isEmpty()) {
          entries.failures().forEach(err()::println);
          throw CliException.inputRejected(adjustment + ": invalid adjustment; break " + breakId + " left open");
        }
        if (entries.entries().isEmpty()) {
          throw CliException.inputRejected(adjustment + ": no entries; break " + breakId + " left open");
        }
      }
    }

    @Override
    protected int run(LedgerSession session) {
      StoredBreak stored = session.reconciliation().findBreak(breakId)
          .orElseThrow(() -> CliException.inputRejected("Break " + breakId + " does not exist"));
      if (!stored.state().active()) {
        throw CliException.inputRejected("Break " + breakId + " is " + stored.state().label()
            + ", neither open nor assigned; nothing written");
      }
      String adjustmentId = null;
      if (entries != null) {
        List<Entry> list = entries.entries();
        AdjustmentCheck.Verdict verdict = AdjustmentCheck.check(breakId, stored.details(),
            AccountCode.parse(stored.account()), feeAccount(stored.source()), list);
        if (!verdict.fits()) {
          throw CliException.inputRejected(adjustment + ": " + verdict.reason() + "; nothing written, break "
              + breakId + " left " + stored.state().label());
        }
        BatchResult result = session.ledger().postAll(list);
        if (!result.committed()) {
          result.rejections().forEach(r -> err().println("ledger: " + entries.where(r.entryId()) + ": entry " + r.entryId()
              + ": " + r.status() + (r.message().isEmpty() ? "" : ": " + r.message())));
          throw CliException.inputRejected(adjustment + ": adjustment rejected; break " + breakId + " left open");
        }
        adjustmentId = list.get(0).id();
      }
      BreakChange change = session.workflow().resolve(breakId, note, adjustmentId, author);
      if (change != BreakChange.APPLIED) {
        throw CliException.inputRejected("Break " + breakId + " was settled meanwhile"
            + (adjustmentId == null ? "" : "; the adjustment " + adjustmentId + " is posted"));
      }
      StoredBreak resolved = session.reconciliation().findBreak(breakId).orElseThrow();
      Table table = new Table("id", "status", "note", "adjustment_entry_id")
          .row(resolved.id(), resolved.state().label(), resolved.resolutionNote(), resolved.adjustmentEntryId());
      print(BreakJson.write(resolved, true), table);
      return ExitCode.OK;
    }
  }
}
