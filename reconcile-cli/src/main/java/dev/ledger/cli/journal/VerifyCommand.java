package dev.ledger.cli.journal;

import dev.ledger.cli.ExitCode;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import picocli.CommandLine.Command;

@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {"Recompute every hash and stored balance from the raw rows.",
        "Exit 4 names the first entry whose content, order or presence does not match."})
public final class VerifyCommand extends SessionCommand {
  @Override
  protected int run(LedgerSession session) {
    return session.verify(output.format(), out(), err()) ? ExitCode.OK : ExitCode.INTEGRITY_VIOLATION;
  }
}
