package dev.ledger.statement.camt;

import dev.ledger.statement.SourceProfile;
import dev.ledger.statement.SourceProfile.MatchKey;
import dev.ledger.statement.SourceProfile.SourceKind;

/** ISO 20022 camt.052, camt.053 and camt.054 bank-to-customer messages. */
public final class Camt {
  public static final SourceProfile STATEMENT = new SourceProfile(SourceKind.BANK, null, null, null, null,
      MatchKey.BANK_REFERENCE, 3, false, mapping -> new CamtParser());

  private Camt() {}
}
