package dev.ledger.cli.journal;

import dev.ledger.cli.ExitCode;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.OutputFormat;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import dev.ledger.db.ChainDigest;
import picocli.CommandLine.Command;

@Command(name = "digest", mixinStandardHelpOptions = true,
    description = {"Print the current chain head: {\"sequence\":N,\"hash\":\"hex\",\"recorded_at\":..}.",
        "Keep digests outside the database (append them to a file, one per line); 'ledger verify"
            + " --digest FILE' later proves that the ledger still extends each of them."})
public final class DigestCommand extends SessionCommand {
  @Override
  protected int run(LedgerSession session) {
    ChainDigest digest = session.audit().digest();
    if (output.format() == OutputFormat.JSON) {
      // One line, so that `ledger digest >> digests.jsonl` keeps one digest per line.
      out().println(digest.toJson());
      out().flush();
    } else {
      print(null, new Table("sequence", "hash", "recorded_at")
          .row(digest.sequence(), digest.hash(), digest.recordedAt()));
    }
    return ExitCode.OK;
  }
}
