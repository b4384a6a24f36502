package dev.ledger.cli.reconcile;

import dev.ledger.account.AccountCode;
import dev.ledger.cli.CliException;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.Progress;
import dev.ledger.db.LedgerStoreException;
import dev.ledger.db.reconcile.ReconciliationStore;
import dev.ledger.db.reconcile.RunRecord;
import dev.ledger.money.Amounts;
import dev.ledger.reconcile.BankMatcher;
import dev.ledger.reconcile.Break;
import dev.ledger.reconcile.BreakKind;
import dev.ledger.reconcile.MatchOutcome;
import dev.ledger.reconcile.OpenBreak;
import dev.ledger.reconcile.StatementPeriod;
import dev.ledger.reconcile.SumOverflowException;
import dev.ledger.reconcile.WalletItems;
import dev.ledger.reconcile.WalletMatcher;
import dev.ledger.statement.StatementHandler;
import dev.ledger.statement.StatementInfo;
import dev.ledger.statement.StatementLine;
import dev.ledger.statement.Inconsistency;
import dev.ledger.statement.Source;
import dev.ledger.statement.SourceProfile.SourceKind;
import dev.ledger.statement.StatementFiles;
import dev.ledger.statement.StatementParser;
import dev.ledger.statement.csv.CsvMapping;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.money.CurrencyUnit;

/**
 * One reconciliation run: the statement is read twice (first for its period, currency and zone,
 * then streamed through the matcher), so memory does not grow with the file. Nothing is stored
 * unless both passes succeed; the run and its break changes are stored in one transaction.
 */
public final class Reconciliation {
  /** What to reconcile. {@code account} is the clearing account for wallets, the bank account otherwise. */
  public record Request(Source source, Path statement, AccountCode account, AccountCode feeAccount,
      Path mapping, BigDecimal tolerance, int windowDays, boolean strict) {}

  /** {@code statement} is null when the run was stored before (same file). */
  public record Result(RunRecord run, List<String> confirmedBreakIds, Summary statement) {
    /**
     * Whether this run leaves breaks open: new or confirmed ones; for a file stored before, those
     * of the stored run that nobody has closed or resolved since (a retried nightly job must not
     * exit 0 while that run's breaks are open).
     */
    public boolean hasBreaks() {
      if (run.existing()) {
        return run.breaks().stream().anyMatch(b -> b.status().equals("open"));
      }
      return !run.breaks().isEmpty() || !confirmedBreakIds.isEmpty();
    }
  }

  /**
   * What the first pass learnt about the statement: its size, currency and period, its warnings,
   * the figures it contradicts and, when it stops short, why it looks truncated.
   */
  public record Summary(long lines, CurrencyUnit currency, StatementPeriod period, List<String> warnings,
      List<Inconsistency> inconsistencies, List<String> truncations, long movements, boolean balances) {}

  private Reconciliation() {}

  public static void checkRequest(Request request) {
    if (request.source().profile().kind() == SourceKind.WALLET_FUNDS) {
      // A fund flow lists a payment and its fee deduction as separate lines against one entry:
      // that needs matching by sum (three-way reconciliation), which key or amount matching is not.
      throw new CliException(ExitCode.USAGE, "reconcile does not read fund-flow statements (" + request.source()
          + ") yet; 'ledger statement parse --source " + request.source() + "' reads and checks them");
    }
    if (request.source().profile().clearingAccount() == null && request.account() == null) {
      throw new CliException(ExitCode.USAGE, "--account is required for bank statements (" + request.source() + ")");
    }
    if (request.source().profile().needsMapping() && request.mapping() == null) {
      throw new CliException(ExitCode.USAGE, "--mapping is required for --source " + request.source());
    }
    if (request.tolerance() != null && request.tolerance().signum() < 0) {
      throw new CliException(ExitCode.USAGE, "--tolerance must not be negative: " + request.tolerance());
    }
  }

  public static AccountCode account(Request request) {
    return request.account() != null ? request.account() : request.source().profile().clearingAccount();
  }

  public static Result run(LedgerSession session, Request request) throws IOException {
    checkRequest(request);
    AccountCode account = account(request);
    String fileName = request.statement().getFileName().toString();
    try {
      return reconcile(session, request, account, fileName);
    } catch (SumOverflowException e) {
      throw overflow(fileName, account, e);
    } catch (LedgerStoreException e) {
      // Loading the ledger's items runs inside the store, which reports what failed in it.
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof SumOverflowException overflow) {
          throw overflow(fileName, account, overflow);
        }
      }
      throw e;
    }
  }

  /** Exit 3: the run is not stored, and the figures that would have wrapped are named. */
  private static CliException overflow(String fileName, AccountCode account, SumOverflowException e) {
    return new CliException(ExitCode.INPUT_REJECTED, fileName + ": cannot reconcile against " + account + ": "
        + e.getMessage() + "; nothing stored", e);
  }

  private static Result reconcile(LedgerSession session, Request request, AccountCode account, String fileName)
      throws IOException {
    StatementParser parser = request.source().parser(
        request.mapping() == null ? null : CsvMapping.load(request.mapping()));
    String source = request.source().wireName();
    ReconciliationStore store = session.reconciliation();
    String sha256 = sha256(request.statement());
    var existing = store.findRun(source, account.value(), sha256);
    if (existing.isPresent()) {
      // The same file again: report the stored run without reading the statement.
      return new Result(existing.get(), List.of(), null);
    }
    Summary summary = summarize(parser, request.statement());
    if (request.source().profile().kind() == SourceKind.WALLET_BILL && (summary.movements() > 0 || summary.balances())) {
      // A trade bill lists payments and refunds and states no balance; fee deductions, withdrawals
      // or a running balance mean the file is the provider's fund flow, which key matching would
      // turn into false breaks.
      throw CliException.inputRejected(fileName + ": a fund-flow statement (it states balances or lists fee and"
          + " withdrawal movements), not a trade bill; nothing stored. 'ledger statement parse --source "
          + request.source() + "-funds' reads it");
    }
    if (!summary.truncations().isEmpty()) {
      // Reconciling half a file would invent MISSING_IN_STATEMENT breaks for the other half.
      throw CliException.inputRejected(fileName + ": looks truncated (" + String.join("; ", summary.truncations())
          + "); nothing stored. 'ledger statement parse' shows what it holds");
    }
    if (request.strict() && !summary.inconsistencies().isEmpty()) {
      Inconsistency first = summary.inconsistencies().get(0);
      throw CliException.inputRejected(fileName + (first.line() > 0 ? ":" + first.line() : "") + ": "
          + first.figure() + " states " + first.stated() + " but the lines give " + first.computed()
          + (summary.inconsistencies().size() > 1 ? " (and " + (summary.inconsistencies().size() - 1) + " more)" : "")
          + "; rejected by --strict, nothing stored");
    }
    long toleranceMinor = toleranceMinor(request.tolerance(), summary.currency());
    List<OpenBreak> open = store.openBreaks(source, account.value());
    MatchOutcome outcome;
    // Entries a few days around the period: a payment booked before midnight may be billed the next day.
    StatementPeriod period = summary.period();
    ZoneId zone = period.zone();
    Duration window = Duration.ofDays(request.windowDays());
    Instant from = period.isKnown() ? period.start().minus(window) : Instant.EPOCH;
    Instant to = period.isKnown() ? period.end().plus(window) : Instant.now();
    if (request.source().profile().kind() == SourceKind.WALLET_BILL) {
      Set<String> keys = new HashSet<>();
      open.forEach(b -> {
        if (b.details().key() != null) {
          keys.add(b.details().key());
        }
      });
      AccountCode fee = request.feeAccount() != null ? request.feeAccount() : request.source().profile().feeAccount();
      WalletItems items = store.walletItems(request.source().profile().provider(), account, fee, from, to, keys,
          (int) Math.min(Integer.MAX_VALUE / 4, Math.max(16, summary.lines())));
      WalletMatcher matcher = new WalletMatcher(items, open, toleranceMinor);
      match(parser, request.statement(), matcher, summary.lines());
      outcome = matcher.finish();
    } else {
      BankMatcher matcher = new BankMatcher(store.bankItems(account, from, to, zone), open, toleranceMinor,
          request.windowDays());
      match(parser, request.statement(), matcher, summary.lines());
      outcome = matcher.finish();
    }
    outcome = describeEntries(store, outcome);
    RunRecord run = store.saveRun(source, account.value(), fileName, sha256, toleranceMinor, outcome);
    return new Result(run, outcome.confirmedBreakIds(), summary);
  }

  /** MISSING_IN_STATEMENT breaks name the entry's provider ids and order. */
  private static MatchOutcome describeEntries(ReconciliationStore store, MatchOutcome outcome) {
    Set<String> entryIds = new HashSet<>();
    for (Break item : outcome.breaks()) {
      if (item.kind() == BreakKind.MISSING_IN_STATEMENT && item.entryId() != null) {
        entryIds.add(item.entryId());
      }
    }
    if (entryIds.isEmpty()) {
      return outcome;
    }
    Map<String, String[]> ids = store.entryIds(entryIds);
    List<Break> described = new ArrayList<>(outcome.breaks().size());
    for (Break item : outcome.breaks()) {
      String[] found = item.entryId() == null ? null : ids.get(item.entryId());
      described.add(item.kind() == BreakKind.MISSING_IN_STATEMENT && found != null
          ? item.withIds(found[0], found[1], found[2]) : item);
    }
    return new MatchOutcome(outcome.lines(), outcome.matched(), described, outcome.closedBreakIds(),
        outcome.confirmedBreakIds(), outcome.periodStart(), outcome.periodEnd());
  }

  static long toleranceMinor(BigDecimal tolerance, CurrencyUnit currency) {
    if (tolerance == null || tolerance.signum() == 0) {
      return 0;
    }
    if (currency == null) {
      throw CliException.inputRejected("--tolerance needs a statement currency, and the statement has none");
    }
    return Amounts.toMinor(Amounts.parse(tolerance.toPlainString(), currency));
  }

  public static Summary summarize(StatementParser parser, Path file) throws IOException {
    long[] lines = {0};
    long[] movements = {0};
    boolean[] balances = {false};
    CurrencyUnit[] currency = {null};
    StatementPeriod period = new StatementPeriod();
    List<String> warnings = new ArrayList<>();
    List<Inconsistency> inconsistencies = new ArrayList<>();
    List<String> truncations = new ArrayList<>();
    StatementFiles.parse(parser, file, new StatementHandler() {
      @Override
      public void line(StatementLine line) {
        lines[0]++;
        if (line.type() != dev.ledger.statement.LineType.PAYMENT && line.type() != dev.ledger.statement.LineType.REFUND) {
          movements[0]++;
        }
        currency[0] = currency[0] == null ? line.currency() : currency[0];
      }

      @Override
      public void end(StatementInfo info) {
        period.add(info);
        if (info.openingBalance() != null || info.closingBalance() != null) {
          balances[0] = true;
        }
        currency[0] = currency[0] == null ? info.currency() : currency[0];
        warnings.addAll(info.warnings());
        inconsistencies.addAll(info.inconsistencies());
        if (info.isTruncated()) {
          truncations.add(info.truncated());
        }
      }
    });
    return new Summary(lines[0], currency[0], period, warnings, inconsistencies, truncations, movements[0],
        balances[0]);
  }

  /** The matching pass, with a progress bar on a terminal for large statements. */
  private static void match(StatementParser parser, Path file, StatementHandler matcher, long lines)
      throws IOException {
    try (Progress progress = Progress.start("Reconciling", lines)) {
      StatementFiles.parse(parser, file, new StatementHandler() {
        @Override
        public void line(StatementLine line) {
          matcher.line(line);
          progress.step();
        }

        @Override
        public void end(StatementInfo info) {
          matcher.end(info);
        }
      });
    }
  }

  public static String sha256(Path file) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (InputStream input = new DigestInputStream(Files.newInputStream(file), digest)) {
        input.transferTo(java.io.OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
