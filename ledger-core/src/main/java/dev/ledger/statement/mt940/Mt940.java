package dev.ledger.statement.mt940;

import dev.ledger.statement.SourceProfile;
import dev.ledger.statement.SourceProfile.MatchKey;
import dev.ledger.statement.SourceProfile.SourceKind;

/** SWIFT MT940 customer statements. */
public final class Mt940 {
  /** Bank account named with --account; value dates only, so no zone of its own. */
  public static final SourceProfile STATEMENT = new SourceProfile(SourceKind.BANK, null, null, null, null,
      MatchKey.BANK_REFERENCE, 3, false, mapping -> new Mt940Parser());

  private Mt940() {}
}
