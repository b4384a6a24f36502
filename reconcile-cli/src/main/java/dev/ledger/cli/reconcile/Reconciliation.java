package dev.ledger.cli.reconcile;

import dev.ledger.account.AccountCode;
import dev.ledger.cli.CliException;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.Progress;
import dev.ledger.reconcile.MatchRules;
import dev.ledger.reconcile.Reconciler;
import dev.ledger.reconcile.RunBreak;
import dev.ledger.reconcile.StoredRun;
import dev.ledger.statement.Source;
import dev.ledger.statement.csv.CsvMapping;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The command line's side of a reconcile run: turns options into a {@link Reconciler.Request}
 * (rules from the source's defaults, a rules file, then {@code --tolerance} and
 * {@code --window-days}), runs the {@link Reconciler} on the session's store with a progress bar,
 * and turns a rejected run into exit 3. The use case itself lives in ledger-core.
 */
public final class Reconciliation {
  /**
   * What the options say. {@code tolerance} is an amount ({@code 0.05}) or a percentage
   * ({@code 1%}); {@code windowDays} null keeps the rules' date lag; {@code rules} may be null.
   */
  public record Request(Source source, Path statement, AccountCode account, AccountCode feeAccount,
      Path mapping, Path rules, String tolerance, Integer windowDays, boolean strict) {
    /** Without a rules file (the demo's runs). */
    public Request(Source source, Path statement, AccountCode account, AccountCode feeAccount, Path mapping,
        String tolerance, int windowDays, boolean strict) {
      this(source, statement, account, feeAccount, mapping, null, tolerance, windowDays, strict);
    }
  }

  private Reconciliation() {}

  /** Usage errors (exit 2) found before the database is opened. */
  public static void checkRequest(Request request) {
    if (request.source().profile().clearingAccount() == null && request.account() == null) {
      throw new CliException(ExitCode.USAGE, "--account is required for bank statements (" + request.source() + ")");
    }
    if (request.source().profile().needsMapping() && request.mapping() == null) {
      throw new CliException(ExitCode.USAGE, "--mapping is required for --source " + request.source());
    }
    if (request.tolerance() != null) {
      try {
        MatchRules.defaults(request.source()).withTolerance(request.tolerance());
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.USAGE, "--tolerance: " + e.getMessage());
      }
    }
    if (request.windowDays() != null && (request.windowDays() < 0 || request.windowDays() > MatchRules.DATE_LAG_DAYS_MAX)) {
      throw new CliException(ExitCode.USAGE, "--window-days must be between 0 and " + MatchRules.DATE_LAG_DAYS_MAX
          + ": " + request.windowDays());
    }
  }

  /** The source's rules: defaults, the rules file, then the options (exit 3 naming file:line for a bad file). */
  public static MatchRules rules(Request request) throws IOException {
    MatchRules rules = request.rules() == null ? MatchRules.defaults(request.source())
        : MatchRules.load(request.rules(), request.source());
    if (request.tolerance() != null) {
      rules = rules.withTolerance(request.tolerance());
    }
    if (request.windowDays() != null) {
      rules = rules.withDateLagDays(request.windowDays());
    }
    return rules;
  }

  public static Reconciler.Result run(LedgerSession session, Request request) throws IOException {
    checkRequest(request);
    Reconciler.Request core;
    try {
      core = new Reconciler.Request(request.source(), request.statement(), request.account(), request.feeAccount(),
          request.mapping() == null ? null : CsvMapping.load(request.mapping()), rules(request), request.strict());
    } catch (IllegalArgumentException e) {
      throw CliException.inputRejected(e.getMessage());
    }
    Reconciler.Result result = new Reconciler(session.reconciliation()).reconcile(core, new ProgressBar());
    if (result.isRejected()) {
      throw CliException.inputRejected(result.rejectionMessage());
    }
    return result;
  }

  /** The matching pass's progress on a terminal. */
  private static final class ProgressBar implements Reconciler.Progress {
    private Progress bar;

    @Override
    public void start(long lines) {
      bar = Progress.start("Reconciling", lines);
    }

    @Override
    public void step() {
      bar.step();
    }

    @Override
    public void finish() {
      bar.close();
    }
  }

  /** A run's break in the shape BreakJson prints (the lifecycle columns as the run knows them). */
  static dev.ledger.db.reconcile.StoredBreak stored(StoredRun run, RunBreak item) {
    return new dev.ledger.db.reconcile.StoredBreak(item.id(), run.source(), run.account(), item.details(),
        dev.ledger.reconcile.BreakStatus.parse(item.status()), run.id(), null, null, null, null, null);
  }

  public static String sha256(Path file) {
    return Reconciler.sha256(file);
  }
}
