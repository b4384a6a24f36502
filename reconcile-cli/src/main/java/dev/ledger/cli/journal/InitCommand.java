package dev.ledger.cli.journal;

import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import picocli.CommandLine.Command;

@Command(name = "init", mixinStandardHelpOptions = true,
    description = "Create or migrate the schema (idempotent).")
public final class InitCommand extends SessionCommand {
  @Override
  protected int run(LedgerSession session) {
    // Opening the session already migrated the schema.
    var json = Json.object().put("database", session.describe()).put("schema_version", session.schemaVersion());
    print(json, new Table("database", "schema_version").row(session.describe(), session.schemaVersion()));
    return 0;
  }
}
