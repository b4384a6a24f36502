package dev.ledger.cli;

import dev.ledger.db.LedgerZone;
import java.time.ZoneId;
import picocli.CommandLine.Option;

/** The shared --tz option: this command's zone instead of the ledger's. */
public final class TimeZoneOptions {
  @Option(names = "--tz", paramLabel = "ZONE",
      description = "read dates and show times in this zone, e.g. Asia/Shanghai or UTC "
          + "(default: the ledger's zone, set by 'ledger init --zone')")
  String tz;

  /** The zone asked for, or null; an unknown zone is a usage error (exit 2). */
  public ZoneId override() {
    if (tz == null) {
      return null;
    }
    try {
      return LedgerZone.parse(tz);
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCode.USAGE, "--tz: " + e.getMessage());
    }
  }
}
