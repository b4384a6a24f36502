package dev.ledger.cli.journal;

import dev.ledger.cli.CliException;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.db.LedgerStoreException;
import dev.ledger.db.LedgerZone;
import java.time.ZoneId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "init", mixinStandardHelpOptions = true,
    description = {"Create or migrate the schema (idempotent); the schema owner only.",
        "--zone sets the ledger's time zone (default UTC): dates without an offset are read in it, days",
        "and months end in it, tables show times in it. The first --zone sets it; changing a zone set",
        "before needs --change-zone as well, because every date given to a command is then read anew."})
public final class InitCommand extends SessionCommand {
  @Option(names = "--zone", paramLabel = "ZONE", description = "the ledger's time zone, e.g. Asia/Shanghai")
  String zone;

  @Option(names = "--change-zone", description = "replace a zone that an earlier init set")
  boolean changeZone;

  private ZoneId wanted;

  @Override
  protected void prepare() {
    if (zone != null) {
      try {
        wanted = LedgerZone.parse(zone);
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCode.USAGE, "--zone: " + e.getMessage());
      }
    } else if (changeZone) {
      throw new CliException(ExitCode.USAGE, "--change-zone needs --zone ZONE");
    }
  }

  @Override
  protected int run(LedgerSession session) {
    // Opening the session already migrated the schema.
    String change = "unchanged";
    ZoneId current;
    if (wanted != null) {
      LedgerZone.Choice choice;
      try {
        choice = session.chooseZone(wanted, changeZone);
      } catch (LedgerStoreException e) {
        if (e.kind() == LedgerStoreException.Kind.PERMISSION_DENIED) {
          throw new CliException(ExitCode.ENVIRONMENT,
              "Only the schema owner may set the ledger's zone: run 'ledger init --zone' as the owner ("
                  + e.getMessage() + ")", e);
        }
        throw e;
      }
      if (choice.change() == LedgerZone.Change.REFUSED) {
        throw new CliException(ExitCode.INPUT_REJECTED, "The ledger's zone is " + choice.previous()
            + "; changing it to " + wanted + " changes how every date given to a command is read "
            + "(2024-09-12 would end at another instant): add --change-zone to change it. Nothing changed");
      }
      change = choice.change().name().toLowerCase(java.util.Locale.ROOT);
      current = choice.zone();
    } else {
      current = session.zone();
    }
    var json = Json.object().put("database", session.describe()).put("schema_version", session.schemaVersion())
        .put("zone", current.getId()).put("zone_change", change);
    print(json, new Table("database", "schema_version", "zone", "zone_change")
        .row(session.describe(), session.schemaVersion(), current.getId(), change));
    return 0;
  }
}
