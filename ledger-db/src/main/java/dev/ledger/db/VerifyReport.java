package dev.ledger.db;

import java.util.List;

/**
 * Outcome of recomputing the ledger from its raw rows. When the chain is broken, {@code entryId}
 * and {@code sequence} name the first entry whose content, order or presence does not match and
 * {@code problem} says why. Balance rows that disagree with the postings are listed separately.
 */
public record VerifyReport(
    boolean ok, long entriesChecked, String entryId, Long sequence, String problem,
    List<String> balanceMismatches) {
  public VerifyReport {
    balanceMismatches = List.copyOf(balanceMismatches);
  }

  @Override
  public String toString() {
    if (ok) {
      return "OK: " + entriesChecked + " entries, hash chain and balances match";
    }
    StringBuilder text = new StringBuilder("INTEGRITY VIOLATION after " + entriesChecked + " entries");
    if (problem != null) {
      text.append(": entry ").append(entryId).append(" (sequence ").append(sequence).append("): ")
          .append(problem);
    }
    for (String mismatch : balanceMismatches) {
      text.append("\n  ").append(mismatch);
    }
    return text.toString();
  }
}
