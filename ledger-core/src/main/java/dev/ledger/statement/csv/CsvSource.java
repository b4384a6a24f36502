package dev.ledger.statement.csv;

import dev.ledger.statement.SourceProfile;
import dev.ledger.statement.SourceProfile.MatchKey;
import dev.ledger.statement.SourceProfile.SourceKind;

/** Any bank's CSV export, read through a mapping file that names its columns. */
public final class CsvSource {
  public static final SourceProfile STATEMENT = new SourceProfile(SourceKind.BANK, null, null, null, null,
      MatchKey.BANK_REFERENCE, 3, true, CsvStatementParser::new);

  private CsvSource() {}
}
