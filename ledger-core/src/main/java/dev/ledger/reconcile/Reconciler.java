package dev.ledger.reconcile;

import dev.ledger.account.AccountCode;
import dev.ledger.statement.Inconsistency;
import dev.ledger.statement.LineType;
import dev.ledger.statement.Source;
import dev.ledger.statement.SourceProfile.SourceKind;
import dev.ledger.statement.StatementException;
import dev.ledger.statement.StatementFiles;
import dev.ledger.statement.StatementHandler;
import dev.ledger.statement.StatementInfo;
import dev.ledger.statement.StatementLine;
import dev.ledger.statement.StatementParser;
import dev.ledger.statement.csv.CsvMapping;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.money.CurrencyUnit;

/**
 * The reconciliation use case: one statement file of one source against the ledger, through a
 * {@link RunStore}. The file is read twice (first for its period, currency, zone and soundness,
 * then streamed through the matcher), so memory does not grow with it; nothing is stored unless
 * both passes succeed, and the run with its break changes is stored at once. The same file again
 * (same SHA-256) reports the stored run without reading it. Thread-safe (no state between runs).
 */
public final class Reconciler {
  /** Told how far the matching pass got, for a progress bar. */
  public interface Progress {
    Progress NONE = new Progress() {};

    default void start(long lines) {}

    default void step() {}

    default void finish() {}
  }

  /**
   * What to reconcile. {@code account} overrides the reconciled account (required for bank
   * statements, which name no ledger account; the source's clearing account otherwise),
   * {@code feeAccount} the wallet's fee account; {@code mapping} is required for csv.
   * {@code rules} null means the source's defaults. Immutable.
   */
  public record Request(Source source, Path statement, AccountCode account, AccountCode feeAccount,
      CsvMapping mapping, MatchRules rules, boolean strict) {
    public Request {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(statement, "statement");
      rules = rules == null ? MatchRules.defaults(source) : rules;
      if (source.profile().clearingAccount() == null && account == null) {
        throw new IllegalArgumentException("an account is required for bank statements (" + source + ")");
      }
      if (source.profile().needsMapping() && mapping == null) {
        throw new IllegalArgumentException("a column mapping is required for source " + source);
      }
    }

    /** The reconciled account: the one given, else the source's clearing account. */
    public AccountCode reconciledAccount() {
      return account != null ? account : source.profile().clearingAccount();
    }

    public AccountCode reconciledFeeAccount() {
      return feeAccount != null ? feeAccount : source.profile().feeAccount();
    }
  }

  /**
   * A run's result: the stored run (null when rejected), the earlier breaks it found again
   * (still open), what the first pass learnt of the file (null for a file stored before), why
   * nothing was stored (null when stored) and, for a fund flow read now, each day of it beside the
   * ledger's clearing account (the three-way picture; empty otherwise). Immutable.
   */
  public record Result(StoredRun run, List<Long> stillOpenBreakIds, StatementSummary statement,
      RunRejection rejection, String rejectionMessage, List<FundFlowDay> days) {
    public Result {
      stillOpenBreakIds = List.copyOf(stillOpenBreakIds);
      days = days == null ? List.of() : List.copyOf(days);
    }

    static Result rejected(RunRejection rejection, String message, StatementSummary statement) {
      return new Result(null, List.of(), statement, rejection, message, List.of());
    }

    public boolean isRejected() {
      return rejection != null;
    }

    /**
     * Whether this run leaves breaks open: new or confirmed ones; for a file stored before, those
     * of the stored run that nobody has closed or resolved since (a retried nightly job must not
     * report success while that run's breaks are open).
     */
    public boolean hasBreaks() {
      if (run == null) {
        return false;
      }
      if (run.existing()) {
        return run.breaks().stream().anyMatch(RunBreak::isOpen);
      }
      return !run.breaks().isEmpty() || !stillOpenBreakIds.isEmpty();
    }
  }

  private final RunStore store;

  public Reconciler(RunStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  public Result reconcile(Request request) {
    return reconcile(request, Progress.NONE);
  }

  public Result reconcile(Request request, Progress progress) {
    String fileName = String.valueOf(request.statement().getFileName());
    AccountCode account = request.reconciledAccount();
    try {
      return run(request, progress, fileName, account);
    } catch (RuntimeException e) {
      SumOverflowException overflow = overflowIn(e);
      if (overflow == null) {
        throw e;
      }
      return Result.rejected(RunRejection.AMOUNTS_OUT_OF_RANGE, fileName + ": cannot reconcile against " + account
          + ": " + overflow.getMessage() + "; nothing stored", null);
    }
  }

  /** Loading the ledger side runs inside the store, which may wrap what failed in it. */
  private static SumOverflowException overflowIn(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof SumOverflowException overflow) {
        return overflow;
      }
    }
    return null;
  }

  private Result run(Request request, Progress progress, String fileName, AccountCode account) {
    Source source = request.source();
    SourceKind kind = source.profile().kind();
    StatementParser parser = source.parser(request.mapping());
    String sha256 = sha256(request.statement());
    var existing = store.findRun(source.wireName(), account.value(), sha256);
    if (existing.isPresent()) {
      return new Result(existing.get(), List.of(), null, null, null, List.of());
    }
    StatementSummary summary = summarize(parser, request.statement());
    if (kind == SourceKind.WALLET_BILL && (summary.movements() > 0 || summary.balances())) {
      // A trade bill lists payments and refunds and states no balance; fee deductions, withdrawals
      // or a running balance mean the file is the provider's fund flow, which key matching would
      // turn into false breaks.
      return Result.rejected(RunRejection.NOT_A_TRADE_BILL, fileName + ": a fund-flow statement (it states balances"
          + " or lists fee and withdrawal movements), not a trade bill; nothing stored. Reconcile it with --source "
          + source + "-funds", summary);
    }
    if (!summary.truncations().isEmpty()) {
      return Result.rejected(RunRejection.TRUNCATED, fileName + ": looks truncated ("
          + String.join("; ", summary.truncations()) + "); nothing stored. 'ledger statement parse' shows what it"
          + " holds", summary);
    }
    if (request.strict() && !summary.inconsistencies().isEmpty()) {
      Inconsistency first = summary.inconsistencies().get(0);
      return Result.rejected(RunRejection.INCONSISTENT, fileName + (first.line() > 0 ? ":" + first.line() : "") + ": "
          + first.figure() + " states " + first.stated() + " but the lines give " + first.computed()
          + (summary.inconsistencies().size() > 1 ? " (and " + (summary.inconsistencies().size() - 1) + " more)" : "")
          + "; rejected by strict, nothing stored", summary);
    }
    MatchRules rules = request.rules();
    Tolerance tolerance = rules.tolerance(summary.currency());
    List<OpenBreak> open = store.openBreaks(source.wireName(), account.value());
    // Entries a few days around the period: a payment booked before midnight may be billed the next day.
    StatementPeriod period = summary.period();
    Duration window = Duration.ofDays(rules.dateLagDays());
    Instant from = period.isKnown() ? period.start().minus(window) : Instant.EPOCH;
    Instant to = period.isKnown() ? period.end().plus(window) : Instant.now();
    // Runs that could have matched an entry loaded now: their periods reach into this window.
    KeyHashes before = store.keysMatchedBefore(source.wireName(), account.value(), sha256, from.minus(window),
        to.plus(window));
    MatchOutcome outcome;
    List<FundFlowDay> days = List.of();
    if (kind == SourceKind.WALLET_BILL) {
      Set<String> keys = new HashSet<>();
      open.forEach(b -> {
        if (b.details().key() != null) {
          keys.add(b.details().key());
        }
      });
      WalletItems items = store.walletItems(source.profile().provider(), account, request.reconciledFeeAccount(),
          from, to, keys, (int) Math.min(Integer.MAX_VALUE / 4, Math.max(16, summary.lines())));
      WalletMatcher matcher = new WalletMatcher(items, open, tolerance, rules.checkFeeRate(), before,
          source.profile().zone() != null ? source.profile().zone() : period.zone());
      match(parser, request.statement(), matcher, summary.lines(), progress);
      outcome = matcher.finish();
    } else if (kind == SourceKind.BANK) {
      BankMatcher matcher = new BankMatcher(store.bankItems(account, from, to, period.zone()), open, tolerance,
          rules.dateLagDays(), rules.matchBySum(), before);
      match(parser, request.statement(), matcher, summary.lines(), progress);
      outcome = matcher.finish();
    } else {
      FundFlowMatcher matcher = new FundFlowMatcher(store.clearingItems(source.profile().provider(), account, from, to,
          source.profile().zone() != null ? source.profile().zone() : period.zone()), open, tolerance,
          rules.dateLagDays(), rules.matchBySum(), before,
          source.profile().zone() != null ? source.profile().zone() : period.zone());
      match(parser, request.statement(), matcher, summary.lines(), progress);
      outcome = matcher.finish();
      days = matcher.days();
    }
    outcome = describeEntries(outcome);
    StoredRun run = store.saveRun(new RunDraft(source.wireName(), account.value(), fileName, sha256,
        tolerance.absoluteMinor(), outcome));
    return new Result(run, run.existing() ? List.of() : outcome.confirmedBreakIds(), summary, null, null, days);
  }

  /** MISSING_IN_STATEMENT breaks name the entry's provider ids and order. */
  private MatchOutcome describeEntries(MatchOutcome outcome) {
    Set<String> entryIds = new HashSet<>();
    for (Break item : outcome.breaks()) {
      if (item.kind() == BreakKind.MISSING_IN_STATEMENT && item.entryId() != null) {
        entryIds.add(item.entryId());
      }
    }
    if (entryIds.isEmpty()) {
      return outcome;
    }
    Map<String, EntryDescription> ids = store.describeEntries(entryIds);
    List<Break> described = new ArrayList<>(outcome.breaks().size());
    for (Break item : outcome.breaks()) {
      EntryDescription found = item.entryId() == null ? null : ids.get(item.entryId());
      described.add(item.kind() == BreakKind.MISSING_IN_STATEMENT && found != null
          ? item.withIds(cut(found.providerTxnId()), cut(found.providerRefundId()), cut(found.orderId())) : item);
    }
    return outcome.withBreaks(described);
  }

  /**
   * An entry's metadata value for display in a break (metadata allows 1,000 characters, a break
   * column 200). Only ids that are not keys reach here: a key longer than that never matches,
   * since every statement key is at most that long.
   */
  private static String cut(String value) {
    return value == null || value.length() <= Break.KEY_LENGTH_MAX ? value : value.substring(0, Break.KEY_LENGTH_MAX);
  }

  /**
   * The first pass. Rejects, as a statement error naming file and line, an id longer than a
   * stored break holds: cut, it would match or close another key's break.
   */
  public static StatementSummary summarize(StatementParser parser, Path file) {
    long[] counts = {0, 0};
    boolean[] balances = {false};
    CurrencyUnit[] currency = {null};
    StatementPeriod period = new StatementPeriod();
    List<String> warnings = new ArrayList<>();
    List<Inconsistency> inconsistencies = new ArrayList<>();
    List<String> truncations = new ArrayList<>();
    String name = String.valueOf(file.getFileName());
    StatementFiles.parse(parser, file, new StatementHandler() {
      @Override
      public void line(StatementLine line) {
        counts[0]++;
        checkLength(name, line, "provider transaction id", line.providerTxnId());
        checkLength(name, line, "provider refund id", line.providerRefundId());
        checkLength(name, line, "order id", line.orderId());
        checkLength(name, line, "bank reference", line.bankReference());
        if (line.type() != LineType.PAYMENT && line.type() != LineType.REFUND) {
          counts[1]++;
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
    return new StatementSummary(counts[0], currency[0], period, warnings, inconsistencies, truncations, counts[1],
        balances[0]);
  }

  private static void checkLength(String file, StatementLine line, String what, String value) {
    if (value != null && value.length() > Break.KEY_LENGTH_MAX) {
      throw new StatementException(file, line.line(), "the " + what + " is " + value.length()
          + " characters long; at most " + Break.KEY_LENGTH_MAX + " are kept with a break: '"
          + value.substring(0, 40) + "...'");
    }
  }

  private static void match(StatementParser parser, Path file, StatementHandler matcher, long lines,
      Progress progress) {
    progress.start(lines);
    try {
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
    } finally {
      progress.finish();
    }
  }

  /** The file's SHA-256 in lowercase hex: a run's identity with its source and account. */
  public static String sha256(Path file) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      try (InputStream input = new DigestInputStream(Files.newInputStream(file), digest)) {
        input.transferTo(OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new StatementException(String.valueOf(file.getFileName()), 0, "no such file");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
