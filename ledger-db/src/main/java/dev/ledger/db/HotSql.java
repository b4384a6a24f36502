package dev.ledger.db;

/**
 * The SQL that the ledger's commands run on every post and read, kept together so that a change
 * of schema shows here, and checked by {@code HotSqlTest}, which runs EXPLAIN on every statement
 * (a renamed column or a changed function signature fails the build). Statements with {@code ?}
 * bind by position; {@link NamedSql} ones bind {@code :name}. Reconciliation, verify and the
 * migration checks keep their SQL beside their code: they run once per command, not per row.
 */
final class HotSql {
  private HotSql() {}

  /** Content hashes of the stored entries among a batch's ids (EXISTS / EXISTS_WITH_DIFFERENT_CONTENT). */
  static final String ENTRY_HASHES = "SELECT id, content_hash FROM entries WHERE id = ANY(?::varchar[])";

  /** no_overdraft flags of a batch's accounts not yet in the cache. */
  static final String ACCOUNT_FLAGS = "SELECT code, no_overdraft FROM accounts WHERE code = ANY(?::varchar[])";

  /** Which stored entries already reverse a batch's reversal targets. */
  static final String REVERSED_BY = "SELECT reversal_of, id FROM entries WHERE reversal_of = ANY(?::varchar[])";

  /** Current totals of balance rows, unlocked: for the results of a batch rejected anyway. */
  static final String READ_BALANCES = """
      SELECT b.account, b.currency, b.debits, b.credits
      FROM balances b JOIN unnest(?::varchar[], ?::varchar[]) AS t(a, c)
        ON b.account = t.a AND b.currency = t.c""";

  /** The write path of a batch (V13): entry arrays, then posting arrays. */
  static final String POST = """
      SELECT ledger_post(?::varchar[], ?::timestamptz[], ?::varchar[], ?::jsonb[], ?::varchar[],
        ?::int[], ?::bytea[], ?::int[], ?::int[], ?::varchar[], ?::varchar[], ?::bigint[])""";

  /** Opens a stream over the (account, currency) pairs of two arrays (V23); false: post chunk by chunk. */
  static final String STREAM_BEGIN = "SELECT ledger_stream_begin(?::varchar[], ?::varchar[])";

  /** Writes a stream's balance rows and daily checkpoints (V23). */
  static final String STREAM_END = "SELECT ledger_stream_end()";

  static final String CREATE_ACCOUNT = "SELECT ledger_create_account(?::varchar, ?::boolean)";

  /** Seals up to N queued records; the second argument asks for a durable commit. */
  static final String SEAL = "SELECT ledger_seal(?::int, ?::boolean)";

  static final String CHAIN_HEAD = "SELECT last_sequence, last_hash, last_recorded_at FROM chain_head WHERE id = 1";

  /** Entries by id, with their metadata as sorted key and value arrays (reversal targets, reads). */
  static final String ENTRIES_BY_IDS = """
      SELECT e.sequence, e.id, e.effective_at, e.recorded_at, e.description, e.reversal_of,
        ARRAY(SELECT key FROM jsonb_each_text(e.metadata) ORDER BY key),
        ARRAY(SELECT value FROM jsonb_each_text(e.metadata) ORDER BY key),
        pe.expires_at, s.pending_id, s.kind
      FROM entries e
      LEFT JOIN pending_entries pe ON pe.entry_sequence = e.sequence
      LEFT JOIN pending_settlements s ON s.entry_id = e.id
      WHERE e.id = ANY(?::varchar[])""";

  /** Postings of entries: posted ones, and those of pending entries and voids (V15). */
  static final String POSTINGS_OF_ENTRIES = """
      SELECT entry_sequence, account, currency, amount, posting_index FROM postings
      WHERE entry_sequence = ANY(?::bigint[])
      UNION ALL
      SELECT entry_sequence, account, currency, amount, posting_index FROM pending_postings
      WHERE entry_sequence = ANY(?::bigint[])
      ORDER BY 1, 5""";

  /** Which stored entries already settle a batch's pending targets. */
  static final String SETTLED_BY =
      "SELECT pending_id, entry_id FROM pending_settlements WHERE pending_id = ANY(?::varchar[])";

  /** What open pending entries reserve on keys at a time (V15 ledger_reserved). */
  static final String RESERVED = """
      SELECT account, currency, debits, credits
      FROM ledger_reserved(?::varchar[], ?::varchar[], ?::timestamptz)""";

  /** The write path of one pending entry or settlement (V15). */
  static final String POST_PENDING = """
      SELECT ledger_post_pending(?::varchar, ?::timestamptz, ?::varchar, ?::jsonb, ?::bytea,
        ?::timestamptz, ?::varchar, ?::varchar, ?::varchar[], ?::varchar[], ?::bigint[])""";

  /** Unsettled pending entries, expired or not, in recording order. */
  static final String PENDING_IDS = """
      SELECT pe.entry_id FROM pending_entries pe
      WHERE NOT EXISTS (SELECT 1 FROM pending_settlements s WHERE s.pending_id = pe.entry_id)
        AND (pe.expires_at <= clock_timestamp()) = ?::boolean
      ORDER BY pe.entry_sequence""";

  /**
   * Pending totals per currency of the account or prefix: pending entries effective by :t that
   * were open (recorded, unsettled, unexpired) at :k, or now.
   */
  static final NamedSql PENDING_SUMS = new NamedSql("""
      WITH o AS MATERIALIZED (SELECT coalesce(:k::timestamptz, clock_timestamp()) AS at)
      SELECT pp.currency,
        coalesce(sum(pp.amount) FILTER (WHERE pp.amount > 0), 0),
        coalesce(-sum(pp.amount) FILTER (WHERE pp.amount < 0), 0)
      FROM o, pending_postings pp
      JOIN pending_entries pe ON pe.entry_sequence = pp.entry_sequence
      JOIN entries e ON e.sequence = pe.entry_sequence
      WHERE (pp.account = :p::varchar OR (pp.account >= :lo::varchar AND pp.account < :hi::varchar))
        AND (:cur::varchar IS NULL OR pp.currency = :cur::varchar)
        AND (:t::timestamptz IS NULL OR e.effective_at <= :t::timestamptz)
        AND e.recorded_at <= o.at AND pe.expires_at > o.at
        AND NOT EXISTS (SELECT 1 FROM pending_settlements s JOIN entries se ON se.id = s.entry_id
                        WHERE s.pending_id = pe.entry_id AND se.recorded_at <= o.at)
      GROUP BY pp.currency""");

  /**
   * Sums as of :t (known at :k, or null for now) from the daily checkpoints: days before T's day
   * whole when all of them was recorded by K, skipped when none was, and otherwise their latest
   * version recorded by K (V20), one index probe each; T's own day is a range sum of postings,
   * bounded by :tday and :t themselves so that the planner sees a day's range, not a join bound
   * (with r.day it chose a scan of all postings: 115-367 ms at 1M postings on PostgreSQL 15). A
   * partly known day without a version (not expected: V20 writes and backfills them) is summed
   * from its postings, so the answer stays exact. A balance row that keeps no daily checkpoints
   * yet (V26: fewer postings than checkpoint_postings_min) is a range sum of its postings up to :t.
   */
  private static final String SUMS_TEMPLATE = """
      WITH b AS MATERIALIZED (
        SELECT account, currency, day, debits, credits, max_recorded_at
        FROM balance_days
        WHERE %s day <= :tday::timestamptz
          AND (:cur::varchar IS NULL OR currency = :cur::varchar)
          AND (:k::timestamptz IS NULL OR min_recorded_at <= :k::timestamptz)
      ), partly AS MATERIALIZED (
        SELECT b.account, b.currency, b.day, v.debits, v.credits
        FROM b LEFT JOIN LATERAL (
          SELECT bv.debits, bv.credits FROM balance_day_versions bv
          WHERE bv.account = b.account AND bv.currency = b.currency AND bv.day = b.day
            AND bv.recorded_at <= :k::timestamptz
          ORDER BY bv.recorded_at DESC, bv.debits DESC, bv.credits DESC LIMIT 1) v ON true
        WHERE b.day < :tday::timestamptz AND b.max_recorded_at > :k::timestamptz
      )
      SELECT %s currency, sum(d), sum(c) FROM (
        SELECT account, currency, debits AS d, credits AS c FROM b
        WHERE day < :tday::timestamptz
          AND (:k::timestamptz IS NULL OR max_recorded_at <= :k::timestamptz)
        UNION ALL
        SELECT account, currency, debits, credits FROM partly WHERE debits IS NOT NULL
        UNION ALL
        SELECT p.account, p.currency, greatest(p.amount, 0), greatest(-p.amount, 0)
        FROM b JOIN postings p ON p.account = b.account AND p.currency = b.currency
          AND p.effective_at >= :tday::timestamptz AND p.effective_at <= :t::timestamptz
        WHERE b.day = :tday::timestamptz
          AND (:k::timestamptz IS NULL OR p.recorded_at <= :k::timestamptz)
        UNION ALL
        SELECT p.account, p.currency, greatest(p.amount, 0), greatest(-p.amount, 0)
        FROM partly r JOIN postings p ON p.account = r.account AND p.currency = r.currency
          AND p.effective_at >= r.day AND p.effective_at < r.day + interval '24 hours'
        WHERE r.debits IS NULL AND p.recorded_at <= :k::timestamptz
        UNION ALL
        SELECT s.account, s.currency, greatest(p.amount, 0), greatest(-p.amount, 0)
        FROM (SELECT account, currency FROM balances
              WHERE %s NOT checkpointed AND (:cur::varchar IS NULL OR currency = :cur::varchar)) s
        CROSS JOIN LATERAL (SELECT q.amount FROM postings q
          WHERE q.account = s.account AND q.currency = s.currency AND q.effective_at <= :t::timestamptz
            AND (:k::timestamptz IS NULL OR q.recorded_at <= :k::timestamptz) OFFSET 0) p
      ) x GROUP BY %s currency ORDER BY %s currency""";
  /**
   * The start (UTC) of the earliest day with postings: the daily checkpoints' first day, or a
   * balance row without checkpoints (V26) whose first posting is earlier (one index probe each).
   */
  static final String FIRST_DAY = """
      SELECT least((SELECT min(day) FROM balance_days),
        (SELECT date_trunc('day', min(p.effective_at) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
         FROM balances s CROSS JOIN LATERAL (SELECT q.effective_at FROM postings q
           WHERE q.account = s.account AND q.currency = s.currency ORDER BY q.effective_at LIMIT 1) p
         WHERE NOT s.checkpointed))""";

  /** The earliest recording time of a posting, found as FIRST_DAY finds the earliest day. */
  static final String FIRST_RECORDED_AT = """
      SELECT least((SELECT min(min_recorded_at) FROM balance_days),
        (SELECT min(p.recorded_at)
         FROM balances s CROSS JOIN LATERAL (SELECT min(q.recorded_at) AS recorded_at FROM postings q
           WHERE q.account = s.account AND q.currency = s.currency) p
         WHERE NOT s.checkpointed))""";

  private static final String PREFIX =
      "(account = :p::varchar OR (account >= :lo::varchar AND account < :hi::varchar)) AND";
  // Planned each time: the versions table (V20) starts empty, and a generic plan made then
  // probes it by a scan per day for as long as the connection lives, however large it grows
  // (BalanceBench, known at K, 100k postings, p50: 10.9 ms with the cached plan, 2.4 ms planned
  // each time; see BENCHMARKS.md).
  static final NamedSql PREFIX_SUMS =
      new NamedSql(String.format(SUMS_TEMPLATE, PREFIX, "", PREFIX, "", "")).planEachTime();
  static final NamedSql ACCOUNT_SUMS =
      new NamedSql(String.format(SUMS_TEMPLATE, "", "account,", "", "account,", "account,")).planEachTime();
  static final NamedSql HISTORY = new NamedSql("""
      SELECT e.id, p.effective_at, p.recorded_at, e.description, p.account, p.currency, p.amount
      FROM postings p JOIN entries e ON e.sequence = p.entry_sequence
      WHERE (p.account = :p::varchar OR (p.account >= :lo::varchar AND p.account < :hi::varchar))
        AND p.effective_at >= :from::timestamptz AND p.effective_at <= :to::timestamptz
      ORDER BY p.effective_at, p.entry_sequence, p.posting_index""");

  /**
   * A page of history by keyset: the postings after (:at, :seq, :idx) in key order, at most :lim
   * (null: all), streamed with a fetch size (HistoryReader).
   */
  static final NamedSql HISTORY_PAGE = new NamedSql("""
      SELECT e.id, p.effective_at, p.recorded_at, e.description, p.account, p.currency, p.amount,
        p.entry_sequence, p.posting_index
      FROM postings p JOIN entries e ON e.sequence = p.entry_sequence
      WHERE (p.account = :p::varchar OR (p.account >= :lo::varchar AND p.account < :hi::varchar))
        AND p.effective_at >= :from::timestamptz AND p.effective_at <= :to::timestamptz
        AND (p.effective_at, p.entry_sequence, p.posting_index)
          > (:at::timestamptz, :seq::bigint, :idx::int)
      ORDER BY p.effective_at, p.entry_sequence, p.posting_index
      LIMIT :lim::bigint""");

  /**
   * A page of one account's history in one currency by keyset: an ordered range of
   * postings_account_effective_ix, ties at one instant sorted by sequence and index.
   */
  static final NamedSql HISTORY_PAIR_PAGE = new NamedSql("""
      SELECT e.id, p.effective_at, p.recorded_at, e.description, p.account, p.currency, p.amount,
        p.entry_sequence, p.posting_index
      FROM postings p JOIN entries e ON e.sequence = p.entry_sequence
      WHERE p.account = :a::varchar AND p.currency = :c::varchar
        AND p.effective_at >= :at::timestamptz AND p.effective_at <= :to::timestamptz
        AND (p.effective_at, p.entry_sequence, p.posting_index)
          > (:at::timestamptz, :seq::bigint, :idx::int)
      ORDER BY p.effective_at, p.entry_sequence, p.posting_index
      LIMIT :lim::bigint""");

  /** The (account, currency) pairs at or below a prefix: the streams a history merges. */
  static final NamedSql HISTORY_PAIRS = new NamedSql("""
      SELECT account, currency FROM balances
      WHERE account = :p::varchar OR (account >= :lo::varchar AND account < :hi::varchar)
      ORDER BY account, currency LIMIT :lim::int""");

  /** Debits and credits of the postings at the cursor's own time up to and including it. */
  static final NamedSql HISTORY_SAME_TIME_SUMS = new NamedSql("""
      SELECT p.currency, sum(greatest(p.amount, 0)), sum(greatest(-p.amount, 0))
      FROM postings p
      WHERE (p.account = :p::varchar OR (p.account >= :lo::varchar AND p.account < :hi::varchar))
        AND p.effective_at = :at::timestamptz
        AND (p.entry_sequence, p.posting_index) <= (:seq::bigint, :idx::int)
      GROUP BY p.currency""");
}
