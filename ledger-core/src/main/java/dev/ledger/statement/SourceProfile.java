package dev.ledger.statement;

import dev.ledger.account.AccountCode;
import dev.ledger.statement.csv.CsvMapping;
import java.time.ZoneId;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything the ledger knows about one kind of statement file, kept in that source's package:
 * how to parse it, which accounts it speaks for, its time zone, how its lines find their entries
 * and the defaults a reconcile run starts from. Options on the command line override the
 * accounts, the zone and the window. Immutable and thread-safe.
 *
 * @param provider the provider name entries carry in their {@code provider} metadata; null for banks
 * @param clearingAccount the account whose movements the file lists; null where the user names it
 *     ({@code --account}, bank statements)
 * @param feeAccount where the source's fees are booked; null where the file states no fees
 * @param zone the zone of the file's local times; null where the file states it or has only dates
 * @param windowDaysDefault how many days around the statement's period entries are looked for
 */
public record SourceProfile(
    SourceKind kind,
    String provider,
    AccountCode clearingAccount,
    AccountCode feeAccount,
    ZoneId zone,
    MatchKey matchKey,
    int windowDaysDefault,
    boolean needsMapping,
    Function<CsvMapping, StatementParser> parsers) {

  public SourceProfile {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(matchKey, "matchKey");
    Objects.requireNonNull(parsers, "parsers");
    if (windowDaysDefault < 0) {
      throw new IllegalArgumentException("windowDaysDefault must not be negative: " + windowDaysDefault);
    }
  }

  /** What a reconcile run of the source compares the file with. */
  public enum SourceKind {
    /** A wallet's trade bill: one row per payment or refund, matched to entries by provider ids. */
    WALLET_BILL,
    /** A wallet's fund flow: every movement of the wallet balance (trades, fees, withdrawals). */
    WALLET_FUNDS,
    /** A bank statement of the account given with {@code --account}. */
    BANK
  }

  /** How a statement line finds its entry. */
  public enum MatchKey {
    /** The provider's transaction id to {@code provider_txn_id}, its refund id to {@code provider_refund_id}. */
    PROVIDER_IDS,
    /** The bank reference (a settlement batch or entry id in the line), else amount and value date. */
    BANK_REFERENCE
  }
}
