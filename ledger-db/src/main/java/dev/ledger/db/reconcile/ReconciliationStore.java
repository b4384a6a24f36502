package dev.ledger.db.reconcile;

import static dev.ledger.db.jooq.Tables.ENTRIES;
import static dev.ledger.db.jooq.Tables.POSTINGS;
import static dev.ledger.db.jooq.Tables.RECONCILIATION_BREAKS;
import static dev.ledger.db.jooq.Tables.RECONCILIATION_MATCHES;
import static dev.ledger.db.jooq.Tables.RECONCILIATION_RULE_COUNTS;
import static dev.ledger.db.jooq.Tables.RECONCILIATION_RUNS;

import dev.ledger.account.AccountCode;
import dev.ledger.db.Sealer;
import dev.ledger.db.SqlErrors;
import dev.ledger.db.jooq.tables.records.ReconciliationBreaksRecord;
import dev.ledger.money.Amounts;
import dev.ledger.reconcile.BankItem;
import dev.ledger.reconcile.Break;
import dev.ledger.reconcile.BreakKind;
import dev.ledger.reconcile.BreakStatus;
import dev.ledger.reconcile.EntryDescription;
import dev.ledger.reconcile.KeyHashes;
import dev.ledger.reconcile.Match;
import dev.ledger.reconcile.MatchOutcome;
import dev.ledger.reconcile.MatchRule;
import dev.ledger.reconcile.OpenBreak;
import dev.ledger.reconcile.RunBreak;
import dev.ledger.reconcile.RunDraft;
import dev.ledger.reconcile.RunStore;
import dev.ledger.reconcile.StoredRun;
import dev.ledger.reconcile.SumOverflowException;
import dev.ledger.reconcile.WalletItems;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.stream.Collectors;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.money.CurrencyUnit;
import javax.sql.DataSource;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * The PostgreSQL {@link RunStore}: persistence of reconciliation runs, their breaks, rule counts,
 * matches and matched keys, and the ledger-side reads a run needs. Runs are idempotent per
 * (source, account, file hash); a run and its break changes commit together. Writes go through the
 * ledger's functions of migrations V14 and V17 (the application role has no write grant on these
 * tables), and each write seals the hash chain after its commit. {@code account} is the reconciled
 * account; the break's {@code key} is the column {@code match_key}. Thread-safe.
 */
public final class ReconciliationStore implements RunStore {
  private static final int FETCH_SIZE = 10_000;
  private static final Field<String> PROVIDER = metadata("provider");
  private static final Field<String> TXN_ID = metadata("provider_txn_id");
  private static final Field<String> REFUND_ID =
      metadata("provider_refund_id");
  private static final Field<String> ORDER_ID = metadata("order_id");
  private static final Field<String> KIND = metadata("kind");
  private static final Field<String> BATCH = metadata("settlement_batch");

  private static final String KEYED_ENTRIES = """
      SELECT e.sequence FROM unnest(?::text[]) AS k(key)
        JOIN entries e ON (e.metadata ->> 'provider_txn_id') = k.key
      WHERE (e.metadata ->> 'provider_txn_id') IS NOT NULL AND (e.metadata ->> 'provider') = ?
      UNION
      SELECT e.sequence FROM unnest(?::text[]) AS k(key)
        JOIN entries e ON (e.metadata ->> 'provider_refund_id') = k.key
      WHERE (e.metadata ->> 'provider_refund_id') IS NOT NULL AND (e.metadata ->> 'provider') = ?""";

  private final DSLContext dsl;
  private final DataSource dataSource;

  /** {@code metadata ->> 'key'} exactly as the expression indexes of V10 are written. */
  private static Field<String> metadata(String key) {
    return DSL.field("({0} ->> {1})", SQLDataType.VARCHAR, ENTRIES.METADATA, DSL.inline(key));
  }

  public ReconciliationStore(DataSource dataSource) {
    this.dataSource = dataSource;
    this.dsl = DSL.using(dataSource, SQLDialect.POSTGRES);
  }

  /**
   * The ledger's items for a wallet provider: per entry, net on the clearing account and fee on the
   * fee account, keyed by refund id for refunds and transaction id otherwise. Entries effective in
   * [from, to), plus every entry carrying one of {@code keys} wherever it is in time. Chargebacks
   * and entries without a transaction id (settlements) are not bill lines.
   */
  @Override
  public WalletItems walletItems(String provider, AccountCode clearing, AccountCode fee, Instant from,
      Instant to, Collection<String> keys, int expected) {
    String[] keyArray = keys.toArray(String[]::new);
    Condition ofProvider = PROVIDER.eq(provider);
    Condition inWindow = ENTRIES.EFFECTIVE_AT.ge(utc(from)).and(ENTRIES.EFFECTIVE_AT.lt(utc(to)));
    WalletItems items = new WalletItems(expected);
    Map<String, CurrencyUnit> currencies = new HashMap<>();
    // Two index-driven queries instead of one OR (whose plan went wrong on stale and on fresh
    // statistics): the window, then the open breaks' keys outside it, so no entry counts twice.
    run("Loading the " + provider + " entries", () -> dsl.transaction(configuration -> {
      DSLContext tx = DSL.using(configuration);
      addWalletItems(tx, items, currencies, clearing, fee, ofProvider.and(inWindow));
      if (keyArray.length > 0) {
        // Key lookups first, joined from the key list so each is an index probe whatever the
        // statistics say (an "= ANY" filter was planned as a scan comparing every row with every key).
        Long[] keyed = tx.fetch(KEYED_ENTRIES, keyArray, provider, keyArray, provider).intoArray(0, Long.class);
        if (keyed.length > 0) {
          addWalletItems(tx, items, currencies, clearing, fee,
              ENTRIES.SEQUENCE.eq(DSL.any(keyed)).andNot(inWindow));
        }
      }
    }));
    return items;
  }

  /** Streams the chosen entries' clearing and fee sums into {@code items}. */
  private static void addWalletItems(DSLContext tx, WalletItems items, Map<String, CurrencyUnit> currencies,
      AccountCode clearing, AccountCode fee, Condition chosen) {
    Field<Long> net = DSL.coalesce(DSL.sum(POSTINGS.AMOUNT).filterWhere(POSTINGS.ACCOUNT.eq(clearing.value())),
        DSL.inline(0).cast(SQLDataType.NUMERIC)).cast(SQLDataType.BIGINT);
    Field<Long> feeSum = DSL.coalesce(DSL.sum(POSTINGS.AMOUNT).filterWhere(POSTINGS.ACCOUNT.eq(fee.value())),
        DSL.inline(0).cast(SQLDataType.NUMERIC)).cast(SQLDataType.BIGINT);
    // Inside a transaction the driver streams with the fetch size instead of reading all rows.
    try (var cursor = tx
        .select(ENTRIES.ID, ENTRIES.EFFECTIVE_AT, TXN_ID, REFUND_ID, POSTINGS.CURRENCY, net, feeSum)
        .from(ENTRIES)
        .join(POSTINGS).on(POSTINGS.ENTRY_SEQUENCE.eq(ENTRIES.SEQUENCE))
        .where(chosen)
        .and(POSTINGS.ACCOUNT.in(clearing.value(), fee.value()))
        .and(DSL.coalesce(KIND, "").ne("chargeback"))
        // entries.sequence is the primary key: PostgreSQL lets the other entry columns follow it.
        .groupBy(ENTRIES.SEQUENCE, POSTINGS.CURRENCY)
        .fetchSize(FETCH_SIZE)
        .fetchLazy()) {
      for (var row : cursor) {
        String refundId = row.value4();
        String key = refundId != null && !refundId.isEmpty() ? refundId : row.value3();
        if (key == null || key.isEmpty() || key.length() > Break.KEY_LENGTH_MAX) {
          // Settlements and other provider entries are not bill lines; nor is an id longer than
          // any statement line's key may be (such a line is rejected when read).
          continue;
        }
        CurrencyUnit currency = currencies.computeIfAbsent(row.value5(), Amounts::currency);
        long gross = SumOverflowException.add(row.value6(), row.value7(),
            "the net and the fee of entry " + row.value1(), currency);
        items.add(key, row.value1(), currency, gross, row.value7(),
            row.value2().toInstant());
      }
    }
  }

  /** Movements on a bank account effective in [from, to) per entry, dated in {@code zone}. */
  @Override
  public List<BankItem> bankItems(AccountCode account, Instant from, Instant to, ZoneId zone) {
    return movements(account, BATCH, from, to, zone);
  }

  @Override
  public List<BankItem> clearingItems(String provider, AccountCode clearing, Instant from, Instant to, ZoneId zone) {
    return movements(clearing, DSL.coalesce(DSL.nullif(REFUND_ID, ""), DSL.nullif(TXN_ID, ""), BATCH), from, to, zone);
  }

  /** The net movement of each entry on {@code account} effective in [from, to), with its reference. */
  private List<BankItem> movements(AccountCode account, Field<String> reference, Instant from, Instant to,
      ZoneId zone) {
    Field<Long> amount = DSL.sum(POSTINGS.AMOUNT).cast(SQLDataType.BIGINT);
    return read("Loading the movements of " + account, () -> dsl
        .select(ENTRIES.ID, ENTRIES.EFFECTIVE_AT, reference, POSTINGS.CURRENCY, amount)
        .from(POSTINGS).join(ENTRIES).on(ENTRIES.SEQUENCE.eq(POSTINGS.ENTRY_SEQUENCE))
        .where(POSTINGS.ACCOUNT.eq(account.value()))
        .and(POSTINGS.EFFECTIVE_AT.ge(utc(from))).and(POSTINGS.EFFECTIVE_AT.lt(utc(to)))
        .groupBy(ENTRIES.SEQUENCE, POSTINGS.CURRENCY)
        .having(DSL.sum(POSTINGS.AMOUNT).ne(java.math.BigDecimal.ZERO))
        .orderBy(ENTRIES.SEQUENCE)
        .fetch(row -> new BankItem(row.value1(), Amounts.currency(row.value4()), row.value5(),
            row.value2().toInstant().atZone(zone).toLocalDate(), row.value3())));
  }

  @Override
  public Optional<StoredRun> findRun(String source, String account, String fileSha256) {
    return read("Finding the run of " + fileSha256, () -> dsl.select(RECONCILIATION_RUNS.ID)
        .from(RECONCILIATION_RUNS)
        .where(RECONCILIATION_RUNS.SOURCE.eq(source), RECONCILIATION_RUNS.ACCOUNT.eq(account),
            RECONCILIATION_RUNS.FILE_SHA256.eq(fileSha256))
        .fetchOptional(RECONCILIATION_RUNS.ID)
        .map(id -> loadRun(dsl, id).asExisting()));
  }

  /** Breaks that a run may close: open and assigned ones (ledger_save_run accepts both). */
  @Override
  public List<OpenBreak> openBreaks(String source, String account) {
    List<OpenBreak> open = new ArrayList<>();
    List<StoredBreak> active = read("Listing the open breaks of " + source, () -> dsl.selectFrom(RECONCILIATION_BREAKS)
        .where(RECONCILIATION_BREAKS.STATUS.in(BreakStatus.OPEN.label(), BreakStatus.ASSIGNED.label()),
            RECONCILIATION_BREAKS.SOURCE.eq(source), RECONCILIATION_BREAKS.ACCOUNT.eq(account))
        .orderBy(RECONCILIATION_BREAKS.ID).fetch(ReconciliationStore::storedBreak));
    for (StoredBreak stored : active) {
      open.add(new OpenBreak(stored.id(), stored.details()));
    }
    return open;
  }

  private static final String MATCHED_KEYS = """
      SELECT k.key_hashes FROM reconciliation_runs r
        JOIN reconciliation_matched_keys k ON k.run_id = r.id
      WHERE r.source = ? AND r.account = ? AND r.file_sha256 <> ?
        AND (r.period_start IS NULL OR r.period_end IS NULL OR (r.period_end > ?::timestamptz AND r.period_start < ?::timestamptz))""";

  @Override
  public KeyHashes keysMatchedBefore(String source, String account, String fileSha256, Instant from, Instant to) {
    return read("Reading the keys matched by earlier " + source + " runs", () -> {
      KeyHashes.Builder keys = KeyHashes.builder();
      dsl.resultQuery(MATCHED_KEYS, source, account, fileSha256, utc(from), utc(to))
          .fetch(0, byte[].class)
          .forEach(bytes -> keys.addAll(KeyHashes.fromBytes(bytes)));
      return keys.build();
    });
  }

  /**
   * Stores a run, its new breaks and the closing of earlier ones in one transaction, through
   * {@code ledger_save_run} (migration V14), then seals the chain. When the same file was stored
   * meanwhile (a concurrent run), returns that run instead.
   */
  /** {@link #saveRun(RunDraft)} of these parts. */
  public StoredRun saveRun(String source, String account, String fileName, String fileSha256, long toleranceMinor,
      MatchOutcome outcome) {
    return saveRun(new RunDraft(source, account, fileName, fileSha256, toleranceMinor, outcome));
  }

  @Override
  public StoredRun saveRun(RunDraft draft) {
    StoredRun saved = read("Storing the " + draft.source() + " run of " + draft.fileName(),
        () -> dsl.transactionResult(configuration -> {
          DSLContext tx = DSL.using(configuration);
          long[] stored = tx.connectionResult(c -> callSaveRun(c, draft.source(), draft.account(), draft.fileName(),
              draft.fileSha256(), draft.toleranceMinor(), draft.outcome()));
          return stored[1] == 1 ? loadRun(tx, stored[0]) : null;
        }));
    if (saved == null) {
      return findRun(draft.source(), draft.account(), draft.fileSha256()).orElseThrow();
    }
    seal();
    return saved;
  }

  /**
   * Calls ledger_save_run (V17's overload) with one array per break column, the rule counts, the
   * matches and the matched keys; returns {run id, 1 if created}. Values longer than their columns
   * cannot arrive: the Reconciler rejects such statement lines when it reads them.
   */
  private static long[] callSaveRun(Connection c, String source, String account, String fileName,
      String fileSha256, long toleranceMinor, MatchOutcome outcome) throws SQLException {
    List<Break> breaks = outcome.breaks();
    int n = breaks.size();
    String[] kinds = new String[n];
    String[] keys = new String[n];
    String[] entryIds = new String[n];
    Long[] lines = new Long[n];
    String[] currencies = new String[n];
    Long[] statementGross = new Long[n];
    Long[] ledgerGross = new Long[n];
    Long[] statementFee = new Long[n];
    Long[] ledgerFee = new Long[n];
    String[] txnIds = new String[n];
    String[] refundIds = new String[n];
    String[] orderIds = new String[n];
    String[] stated = new String[n];
    String[] computed = new String[n];
    for (int i = 0; i < n; i++) {
      Break item = breaks.get(i);
      kinds[i] = item.kind().name();
      keys[i] = item.key();
      entryIds[i] = item.entryId();
      lines[i] = item.statementLine() == 0 ? null : item.statementLine();
      currencies[i] = item.currency() == null ? null : item.currency().getCurrencyCode();
      statementGross[i] = item.statementGross();
      ledgerGross[i] = item.ledgerGross();
      statementFee[i] = item.statementFee();
      ledgerFee[i] = item.ledgerFee();
      txnIds[i] = item.providerTxnId();
      refundIds[i] = item.providerRefundId();
      orderIds[i] = item.orderId();
      stated[i] = item.stated();
      computed[i] = item.computed();
    }
    Long[] closed = outcome.closedBreakIds().toArray(Long[]::new);
    List<MatchRule> rules = new ArrayList<>(outcome.matchedByRule().keySet());
    String[] ruleNames = rules.stream().map(MatchRule::wireName).toArray(String[]::new);
    Long[] ruleMatches = rules.stream().map(outcome.matchedByRule()::get).toArray(Long[]::new);
    List<Match> matches = outcome.matches().stream().filter(m -> m.rule().storedEachMatch()).toList();
    String[] matchRules = new String[matches.size()];
    String[] matchKeys = new String[matches.size()];
    String[] matchLines = new String[matches.size()];
    String[] matchEntries = new String[matches.size()];
    for (int i = 0; i < matches.size(); i++) {
      Match match = matches.get(i);
      matchRules[i] = match.rule().wireName();
      matchKeys[i] = match.key();
      matchLines[i] = match.statementLines().stream().map(String::valueOf).collect(Collectors.joining(","));
      matchEntries[i] = String.join(" ", match.entryIds());
    }
    try (PreparedStatement s = c.prepareStatement("SELECT run_id, created FROM ledger_save_run("
        + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int p = 1;
      s.setString(p++, source);
      s.setString(p++, account);
      s.setString(p++, fileName);
      s.setString(p++, fileSha256);
      s.setObject(p++, utc(outcome.periodStart()));
      s.setObject(p++, utc(outcome.periodEnd()));
      s.setLong(p++, outcome.lines());
      s.setLong(p++, outcome.matched());
      s.setLong(p++, toleranceMinor);
      for (Object[] column : new Object[][] {kinds, keys, entryIds, lines, currencies, statementGross, ledgerGross,
          statementFee, ledgerFee, txnIds, refundIds, orderIds, stated, computed, closed, ruleNames, ruleMatches,
          matchRules, matchKeys, matchLines, matchEntries}) {
        s.setArray(p++, c.createArrayOf(column instanceof Long[] ? "int8" : "varchar", column));
      }
      s.setBytes(p++, outcome.matchedKeys().toBytes());
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getBoolean(2) ? 1 : 0};
      }
    }
  }

  /**
   * Extends the hash chain over what was just committed. The records are durable already: a seal
   * that fails leaves them queued for the next writer's seal, and verify reports the lag, so it
   * never fails the write.
   */
  private void seal() {
    try {
      Sealer.sealAll(dataSource);
    } catch (RuntimeException e) {
      // Reported by verify as the unsealed tail and its lag.
    }
  }

  /** Breaks by status (null for all) and optionally source and account. */
  public List<StoredBreak> breaks(BreakStatus status, String source, String account) {
    Condition condition = DSL.noCondition();
    if (status != null) {
      condition = condition.and(RECONCILIATION_BREAKS.STATUS.eq(status.label()));
    }
    if (source != null) {
      condition = condition.and(RECONCILIATION_BREAKS.SOURCE.eq(source));
    }
    if (account != null) {
      condition = condition.and(RECONCILIATION_BREAKS.ACCOUNT.eq(account));
    }
    Condition where = condition;
    return read("Listing breaks", () -> dsl.selectFrom(RECONCILIATION_BREAKS).where(where)
        .orderBy(RECONCILIATION_BREAKS.ID).fetch(ReconciliationStore::storedBreak));
  }

  public Optional<StoredBreak> findBreak(long id) {
    return read("Finding break " + id, () -> dsl.selectFrom(RECONCILIATION_BREAKS)
        .where(RECONCILIATION_BREAKS.ID.eq(id)).fetchOptional(ReconciliationStore::storedBreak));
  }

  /**
   * Marks an open break resolved by a person, through {@code ledger_resolve_break} (one
   * 'resolved' event), then seals the chain; false when it was not open.
   */
  public boolean resolve(long id, String note, String adjustmentEntryId) {
    boolean resolved = read("Resolving break " + id, () -> dsl.select(DSL.field("ledger_resolve_break({0}, {1}, {2})",
            SQLDataType.BOOLEAN, DSL.val(id), DSL.val(note, SQLDataType.VARCHAR),
            DSL.val(adjustmentEntryId, SQLDataType.VARCHAR)))
        .fetchSingle().value1());
    if (resolved) {
      seal();
    }
    return resolved;
  }

  @Override
  public Map<String, EntryDescription> describeEntries(Collection<String> entryIds) {
    if (entryIds.isEmpty()) {
      return Map.of();
    }
    return read("Reading entry ids", () -> {
      Map<String, EntryDescription> ids = new HashMap<>();
      dsl.select(ENTRIES.ID, TXN_ID, REFUND_ID, ORDER_ID).from(ENTRIES)
          .where(ENTRIES.ID.in(entryIds))
          .forEach(row -> ids.put(row.value1(), new EntryDescription(row.value2(), row.value3(), row.value4())));
      return ids;
    });
  }

  static StoredBreak storedBreak(ReconciliationBreaksRecord row) {
    String currency = row.getCurrency();
    Break details = new Break(BreakKind.valueOf(row.getKind()), row.getMatchKey(), row.getEntryId(),
        row.getStatementLine() == null ? 0 : row.getStatementLine(),
        currency == null ? null : Amounts.currency(currency), row.getStatementGross(), row.getLedgerGross(),
        row.getStatementFee(), row.getLedgerFee(), row.getProviderTxnId(), row.getProviderRefundId(),
        row.getOrderId(), row.getStated(), row.getComputed());
    return new StoredBreak(row.getId(), row.getSource(), row.getAccount(), details, BreakStatus.parse(row.getStatus()),
        row.getRunId(), row.getClosedRunId(), instant(row.getResolvedAt()), row.getResolutionNote(),
        row.getAdjustmentEntryId(), row.getAssignee());
  }

  private static StoredRun loadRun(DSLContext context, long runId) {
    var run = context.selectFrom(RECONCILIATION_RUNS).where(RECONCILIATION_RUNS.ID.eq(runId)).fetchSingle();
    List<RunBreak> breaks = context.selectFrom(RECONCILIATION_BREAKS)
        .where(RECONCILIATION_BREAKS.RUN_ID.eq(runId)).orderBy(RECONCILIATION_BREAKS.ID)
        .fetch(row -> {
          StoredBreak stored = storedBreak(row);
          return new RunBreak(stored.id(), stored.details(), stored.state().label());
        });
    List<Long> closed = context.select(RECONCILIATION_BREAKS.ID).from(RECONCILIATION_BREAKS)
        .where(RECONCILIATION_BREAKS.CLOSED_RUN_ID.eq(runId)).orderBy(RECONCILIATION_BREAKS.ID)
        .fetch(RECONCILIATION_BREAKS.ID);
    Map<MatchRule, Long> byRule = new EnumMap<>(MatchRule.class);
    context.select(RECONCILIATION_RULE_COUNTS.RULE, RECONCILIATION_RULE_COUNTS.MATCHES)
        .from(RECONCILIATION_RULE_COUNTS).where(RECONCILIATION_RULE_COUNTS.RUN_ID.eq(runId))
        .forEach(row -> byRule.put(MatchRule.parse(row.value1()), row.value2()));
    List<Match> matches = context.selectFrom(RECONCILIATION_MATCHES)
        .where(RECONCILIATION_MATCHES.RUN_ID.eq(runId)).orderBy(RECONCILIATION_MATCHES.ID)
        .fetch(row -> new Match(MatchRule.parse(row.getRule()), row.getMatchKey(),
            Arrays.stream(row.getStatementLines().split(",")).map(Long::valueOf).toList(),
            List.of(row.getEntryIds().split(" "))));
    return new StoredRun(runId, run.getSource(), run.getAccount(), run.getFileName(), run.getFileSha256(),
        instant(run.getPeriodStart()), instant(run.getPeriodEnd()), run.getLines(), run.getMatched(), breaks,
        closed, byRule, matches, false);
  }

  /** Runs a database call, turning every failure into the store's one exception family. */
  private static <T> T read(String action, java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      throw SqlErrors.translate(action, e);
    }
  }

  private static void run(String action, Runnable work) {
    read(action, () -> {
      work.run();
      return null;
    });
  }

  private static OffsetDateTime utc(Instant time) {
    return time == null ? null : time.atOffset(ZoneOffset.UTC);
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }

}
