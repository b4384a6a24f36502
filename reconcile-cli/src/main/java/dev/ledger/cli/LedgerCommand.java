package dev.ledger.cli;

import dev.ledger.cli.demo.DemoCommand;
import dev.ledger.cli.journal.AccountsCommand;
import dev.ledger.cli.journal.BalanceCommand;
import dev.ledger.cli.journal.DigestCommand;
import dev.ledger.cli.journal.HistoryCommand;
import dev.ledger.cli.journal.InitCommand;
import dev.ledger.cli.journal.PostCommand;
import dev.ledger.cli.journal.ReverseCommand;
import dev.ledger.cli.journal.TrialBalanceCommand;
import dev.ledger.cli.journal.VerifyCommand;
import dev.ledger.cli.reconcile.BreaksCommand;
import dev.ledger.cli.report.ReportCommand;
import dev.ledger.cli.reconcile.ReconcileCommand;
import dev.ledger.cli.reconcile.StatementCommand;
import dev.ledger.db.LedgerStoreException;
import dev.ledger.statement.StatementException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The ledger command: double-entry ledger and reconciliation for multi-wallet marketplaces. */
@Command(
    name = "ledger",
    mixinStandardHelpOptions = true,
    versionProvider = LedgerVersion.class,
    description = "Double-entry ledger and reconciliation engine.",
    subcommands = {
      InitCommand.class,
      PostCommand.class,
      ReverseCommand.class,
      dev.ledger.cli.pending.PendingCommand.class,
      AccountsCommand.class,
      BalanceCommand.class,
      TrialBalanceCommand.class,
      HistoryCommand.class,
      dev.ledger.cli.journal.EntriesCommand.class,
      dev.ledger.cli.statements.BalanceSheetCommand.class,
      dev.ledger.cli.statements.IncomeStatementCommand.class,
      VerifyCommand.class,
      DigestCommand.class,
      StatementCommand.class,
      ReconcileCommand.class,
      BreaksCommand.class,
      dev.ledger.cli.period.PeriodCommand.class,
      ReportCommand.class,
      DemoCommand.class,
      StopCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success (reconcile: no open breaks from this run)",
      "1:reconcile found breaks",
      "2:usage error",
      "3:input rejected; nothing written",
      "4:verify found an integrity violation",
      "5:database or environment failure"
    })
public final class LedgerCommand implements Runnable {
  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "print stack traces of failures")
  boolean verbose;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing command");
  }

  /** Library chatter (Moneta's JUL info line) is not for users; failures still surface as errors. */
  static void quietLibraries() {
    QUIET_LOGGER.setLevel(java.util.logging.Level.WARNING);
  }

  // Held strongly: JUL keeps loggers weakly and would forget the level.
  private static final java.util.logging.Logger QUIET_LOGGER = java.util.logging.Logger.getLogger("org.javamoney");

  public static CommandLine commandLine() {
    return commandLine(System::getenv);
  }

  /**
   * The command line with LEDGER_* settings read from {@code environment} instead of the process
   * environment, so that tests can run commands as other logins in process.
   */
  public static CommandLine commandLine(java.util.function.Function<String, String> environment) {
    quietLibraries();
    LedgerCommand root = new LedgerCommand();
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine commandLine = new CommandLine(root, new CommandLine.IFactory() {
      @Override
      public <K> K create(Class<K> type) throws Exception {
        return type == DatabaseOptions.class
            ? type.cast(new DatabaseOptions(environment))
            : defaults.create(type);
      }
    });
    // One spelling of --source everywhere: wechatpay, wechatpay-funds, alipay, ... (Source.parse)
    commandLine.registerConverter(dev.ledger.statement.Source.class, value -> {
      try {
        return dev.ledger.statement.Source.parse(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    });
    commandLine.setExecutionExceptionHandler((error, cmd, parsed) -> handle(root, error, cmd.getErr()));
    // Errors (OutOfMemoryError, StackOverflowError, a missing class) bypass picocli's exception
    // handler: they too end with one line and exit 5, never a JVM stack dump and exit 1.
    CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
    commandLine.setExecutionStrategy(parsed -> {
      try {
        return run.execute(parsed);
      } catch (CommandLine.ExecutionException e) {
        throw e;
      } catch (Error e) {
        CommandLine last = parsed.asCommandLineList().get(parsed.asCommandLineList().size() - 1);
        return handle(root, new UnexpectedError(e), last.getErr());
      }
    });
    commandLine.setParameterExceptionHandler((error, args) -> {
      PrintWriter err = error.getCommandLine().getErr();
      err.println("ledger: " + error.getMessage());
      err.println("Run '" + error.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
      return ExitCode.USAGE;
    });
    return commandLine;
  }

  /** Maps failures to exit codes; a stack trace only with --verbose. */
  static int handle(LedgerCommand root, Exception error, PrintWriter err) {
    int code;
    String message;
    if (error instanceof CliException cli) {
      code = cli.exitCode();
      message = cli.getMessage();
    } else if (error instanceof StatementException statement) {
      code = ExitCode.INPUT_REJECTED;
      message = statement.getMessage() + " (nothing stored)";
    } else if (error instanceof LedgerStoreException store) {
      code = ExitCode.ENVIRONMENT;
      message = store.kind() == LedgerStoreException.Kind.TIMED_OUT
          ? store.getMessage() + " (the limit is --statement-timeout or LEDGER_STATEMENT_TIMEOUT)"
          : store.getMessage();
    } else if (error instanceof UnexpectedError unexpected) {
      code = ExitCode.ENVIRONMENT;
      message = unexpected.getMessage();
    } else if (error instanceof IllegalArgumentException invalid) {
      code = ExitCode.INPUT_REJECTED;
      message = invalid.getMessage();
    } else if (error instanceof java.io.IOException io) {
      code = ExitCode.INPUT_REJECTED;
      message = "Cannot read " + io.getMessage();
    } else {
      code = ExitCode.ENVIRONMENT;
      message = "Unexpected failure: " + error;
    }
    err.println("ledger: " + Terminal.safe(message));
    if (root.verbose) {
      error.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  /** An Error carried to {@link #handle}: its one-line message says what ran out. */
  static final class UnexpectedError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnexpectedError(Error error) {
      super(describe(error), error);
    }

    private static String describe(Error error) {
      if (error instanceof OutOfMemoryError) {
        long max = Runtime.getRuntime().maxMemory() / (1024 * 1024);
        return "Out of memory (the Java heap limit is " + max + " MB; raise it with -Xmx, e.g. "
            + "JAVA_OPTS=-Xmx2g): " + error.getMessage() + "; nothing more was written";
      }
      if (error instanceof StackOverflowError) {
        return "Unexpected failure: the Java stack overflowed (raise it with -Xss)";
      }
      return "Unexpected failure: " + error;
    }
  }

  public static void main(String[] args) {
    quietLibraries();
    int code;
    try {
      code = commandLine().execute(args);
    } catch (Throwable t) {
      // Last resort outside picocli (e.g. while building the command line): still one line, exit 5.
      System.err.println("ledger: Unexpected failure: " + t);
      code = ExitCode.ENVIRONMENT;
    }
    System.exit(code);
  }
}
