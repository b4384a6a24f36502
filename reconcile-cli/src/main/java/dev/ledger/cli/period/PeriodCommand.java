package dev.ledger.cli.period;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ledger.account.AccountCode;
import dev.ledger.cli.CliException;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.cli.Dates;
import dev.ledger.period.Period;
import dev.ledger.period.PeriodAction;
import dev.ledger.period.PeriodEvent;
import dev.ledger.period.PeriodResult;
import dev.ledger.period.PeriodState;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "period", mixinStandardHelpOptions = true,
    description = "Close the books through a day (all accounts or one prefix), reopen them, list closes.",
    subcommands = {PeriodCommand.Close.class, PeriodCommand.Reopen.class, PeriodCommand.ListPeriods.class})
public final class PeriodCommand implements Runnable {
  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: close, reopen or list");
  }

  static final String[] COLUMNS = {"through", "prefix", "state", "reason", "who", "when"};

  static ObjectNode json(Period period, boolean closed, PeriodEvent last, java.time.ZoneId zone) {
    ObjectNode node = Json.object();
    node.put("through", PeriodDates.label(period.through(), zone));
    node.put("through_instant", period.through().toString());
    node.put("prefix", period.prefix() == null ? null : period.prefix().value());
    node.put("state", closed ? "closed" : "open");
    node.put("reason", last.reason());
    node.put("who", last.actor());
    node.put("when", last.at().toString());
    node.put("event_id", last.id());
    return node;
  }

  static Object[] cells(Period period, boolean closed, PeriodEvent last, java.time.ZoneId zone) {
    return new Object[] {PeriodDates.label(period.through(), zone), period.prefix() == null ? "(all)" : period.prefix(),
        closed ? "closed" : "open", last.reason(), last.actor(), last.at()};
  }

  /** close and reopen: the same options, one action. */
  abstract static class Change extends SessionCommand {
    @Option(names = "--through", required = true, paramLabel = "DATE",
        description = "the last day or month of the period (its end, in the ledger's zone), e.g. 2024-09-30 or 2024-09")
    String through;

    @Option(names = "--prefix", paramLabel = "P",
        description = "only entries with a posting on this account or below it (default: every entry)")
    String prefix;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why; recorded with the event")
    String reason;

    Period period;

    abstract PeriodAction action();

    @Override
    protected void prepare() {
      if (reason.isBlank()) {
        throw new CliException(ExitCode.USAGE, "--reason must not be empty");
      }
      if (reason.length() > 4000) {
        throw new CliException(ExitCode.USAGE, "--reason is " + reason.length() + " characters long; at most 4000");
      }
      AccountCode code;
      try {
        code = prefix == null ? null : AccountCode.parse(prefix);
      } catch (IllegalArgumentException invalid) {
        throw new CliException(ExitCode.USAGE, "Invalid --prefix: " + invalid.getMessage());
      }
      PeriodDates.check("--through", through);
      this.code = code;
    }

    private AccountCode code;

    @Override
    protected int run(LedgerSession session) {
      java.time.ZoneId zone = zone();
      period = Period.of(PeriodDates.endOf("--through", through, zone), code);
      PeriodResult result = action() == PeriodAction.CLOSE
          ? session.ledger().close(period, reason)
          : session.ledger().reopen(period, reason);
      ObjectNode json = Json.object();
      json.put("status", result.status().name());
      json.put("through", PeriodDates.label(period.through(), zone));
      json.put("through_instant", period.through().toString());
      json.put("prefix", period.prefix() == null ? null : period.prefix().value());
      json.put("message", result.message());
      Table table = new Table("status", "through", "prefix", "event_id", "when", "message");
      if (result.event() != null) {
        json.put("event_id", result.event().id());
        json.put("who", result.event().actor());
        json.put("when", result.event().at().toString());
      }
      table.row(result.status(), PeriodDates.label(period.through(), zone), period.prefix() == null ? "(all)" : period.prefix(),
          result.event() == null ? "" : result.event().id(), result.event() == null ? "" : result.event().at(),
          result.message());
      print(json, table);
      if (!result.accepted()) {
        err().println("ledger: cannot reopen: " + result.message() + "; nothing recorded");
        return ExitCode.INPUT_REJECTED;
      }
      return ExitCode.OK;
    }
  }

  @Command(name = "close", mixinStandardHelpOptions = true,
      description = "Close a period: no new entry effective on or before the end of DATE (under P, when given)"
          + " is accepted (PERIOD_CLOSED, exit 3). Closing a closed period records nothing and succeeds.")
  static final class Close extends Change {
    @Override
    PeriodAction action() {
      return PeriodAction.CLOSE;
    }
  }

  @Command(name = "reopen", mixinStandardHelpOptions = true,
      description = "Reopen a closed period (the same DATE and prefix as its close); exit 3 when it is not closed.")
  static final class Reopen extends Change {
    @Override
    PeriodAction action() {
      return PeriodAction.REOPEN;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Every period that was closed, with its state and the last close or reopen (reason, who, when).")
  static final class ListPeriods extends SessionCommand {
    @Option(names = "--known-at", paramLabel = "K",
        description = "the periods as recorded at K: only closes and reopens recorded at or before it")
    String knownAt;

    private Instant known;

    @Override
    protected void prepare() {
      if (knownAt != null) {
        Dates.check("--known-at", knownAt);
      }
    }

    @Override
    protected int run(LedgerSession session) {
      java.time.ZoneId zone = zone();
      known = Dates.end("--known-at", knownAt, zone);
      List<PeriodState> states = session.ledger().periodStates(known).stream()
          .sorted(java.util.Comparator.comparing((PeriodState s) -> s.period().through())
              .thenComparing(s -> s.period().prefix() == null ? "" : s.period().prefix().value()))
          .toList();
      ArrayNode json = Json.array();
      Table table = new Table(COLUMNS);
      for (PeriodState state : states) {
        json.add(json(state.period(), state.closed(), state.last(), zone));
        table.row(cells(state.period(), state.closed(), state.last(), zone));
      }
      print(json, table);
      return ExitCode.OK;
    }
  }
}
