package dev.ledger.reconcile;

import java.util.Objects;

/**
 * A run ready to be stored: which file of which source against which account, the tolerance it
 * used (minor units, absolute part) and what matching found, with the keys it matched. Immutable.
 */
public record RunDraft(String source, String account, String fileName, String fileSha256, long toleranceMinor,
    MatchOutcome outcome) {
  public RunDraft {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(fileName, "fileName");
    Objects.requireNonNull(fileSha256, "fileSha256");
    Objects.requireNonNull(outcome, "outcome");
  }
}
