package dev.ledger.db;

import java.util.ArrayList;
import java.util.List;

/**
 * Outcome of recomputing the ledger from its raw rows. When the chain is broken, {@code entryId}
 * (null when no entry row is at fault, e.g. the chain head) and {@code sequence} name the first
 * entry whose content, order or presence does not match and {@code problem} says why. Account rows
 * that contradict their code or their no_overdraft flag, sums that would overflow, and balance rows
 * that disagree with the postings are listed separately, each naming its account; so are
 * reconciliation runs and break events that are not what was sealed, or not sealed at all, and
 * breaks whose stored state is not what their events lead to; period events (closing and reopening)
 * are listed with them ({@code reconciliationViolations}). {@code digest}
 * is the first digest (in file order) that the ledger no longer extends.
 */
public record VerifyReport(
    boolean ok, long entriesChecked, String entryId, Long sequence, String problem,
    List<String> balanceMismatches, List<String> accountViolations, List<String> reconciliationViolations,
    int digestsChecked,
    DigestViolation digest, Seal seal) {

  /**
   * How far the chain covers the ledger: records sealed into it, records committed and still queued
   * for the sealer, and how long the oldest of those has waited (zero when none).
   */
  public record Seal(long sealed, long unsealed, java.time.Duration lag) {
    @Override
    public String toString() {
      return sealed + " records sealed" + (unsealed == 0 ? ", none waiting"
          : ", " + unsealed + " committed and not yet sealed (oldest " + lag.toMillis() + " ms)");
    }
  }

  /** A digest the ledger does not extend: where it was read (file:line), its sequence, and why. */
  public record DigestViolation(String where, long sequence, String problem) {
    @Override
    public String toString() {
      return "digest " + where + " (sequence " + sequence + ") is not extended by the ledger: " + problem;
    }
  }

  public VerifyReport {
    balanceMismatches = List.copyOf(balanceMismatches);
    accountViolations = List.copyOf(accountViolations);
    reconciliationViolations = List.copyOf(reconciliationViolations);
  }

  /** The chain problem with where it is, or null. */
  public String chainProblem() {
    if (problem == null) {
      return null;
    }
    String where = entryId != null ? "entry " + entryId + " (sequence " + sequence + ")"
        : "chain at sequence " + sequence;
    return where + ": " + problem;
  }

  /** Every violation, one self-contained line each (what and where), most fundamental first. */
  public List<String> violations() {
    List<String> all = new ArrayList<>();
    if (problem != null) {
      all.add(chainProblem());
    }
    if (digest != null) {
      all.add(digest.toString());
    }
    all.addAll(accountViolations);
    all.addAll(reconciliationViolations);
    all.addAll(balanceMismatches);
    return all;
  }

  /** The first violation, and how many more there are; for a one-line message. */
  public String summary() {
    List<String> all = violations();
    if (all.isEmpty()) {
      return "none";
    }
    return all.get(0) + (all.size() > 1 ? " (and " + (all.size() - 1) + " more)" : "");
  }

  @Override
  public String toString() {
    if (ok) {
      return "OK: " + entriesChecked + " entries, hash chain, accounts, reconciliation records and balances match"
          + (digestsChecked > 0 ? "; the ledger extends all " + digestsChecked + " digests" : "")
          + "; chain: " + seal;
    }
    StringBuilder text = new StringBuilder("INTEGRITY VIOLATION after " + entriesChecked + " entries"
        + (seal == null ? "" : " (chain: " + seal + ")"));
    for (String violation : violations()) {
      text.append("\n  ").append(violation);
    }
    return text.toString();
  }
}
