package dev.ledger.cli.journal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.ledger.account.Account;
import dev.ledger.account.AccountCode;
import dev.ledger.account.CreateStatus;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerSession;
import dev.ledger.cli.SessionCommand;
import dev.ledger.cli.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "accounts", mixinStandardHelpOptions = true,
    description = "List or create accounts.",
    subcommands = {AccountsCommand.ListAccounts.class, AccountsCommand.CreateAccount.class})
public final class AccountsCommand {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Accounts at or below a prefix.")
  static final class ListAccounts extends SessionCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PREFIX", description = "e.g. assets:wallet")
    String prefix;

    @Override
    protected int run(LedgerSession session) {
      AccountCode code = prefix == null ? null : AccountCode.parse(prefix);
      ArrayNode json = Json.array();
      Table table = new Table("account", "type", "normal_side", "no_overdraft");
      for (Account account : session.ledger().accounts(code)) {
        json.addObject().put("account", account.code().value()).put("type", account.code().type().segment())
            .put("normal_side", account.code().normalSide().wireName()).put("no_overdraft", account.noOverdraft());
        table.row(account.code(), account.code().type().segment(), account.code().normalSide().wireName(),
            account.noOverdraft());
      }
      print(json, table);
      return ExitCode.OK;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create an account (idempotent); --no-overdraft keeps its balance at or above zero.")
  static final class CreateAccount extends SessionCommand {
    @Parameters(index = "0", paramLabel = "CODE", description = "e.g. assets:wallet:alipay:clearing")
    String code;

    @Option(names = "--no-overdraft", description = "reject postings that take the balance below zero")
    boolean noOverdraft;

    @Override
    protected void prepare() {
      AccountCode.parse(code);
    }

    @Override
    protected int run(LedgerSession session) {
      CreateStatus status = session.ledger().createAccount(new Account(AccountCode.parse(code), noOverdraft));
      print(Json.object().put("account", code).put("no_overdraft", noOverdraft).put("status", status.name()),
          new Table("account", "no_overdraft", "status").row(code, noOverdraft, status));
      if (status == CreateStatus.EXISTS_WITH_DIFFERENT_CONTENT) {
        err().println("ledger: account " + code + " already exists with a different no_overdraft flag");
        return ExitCode.INPUT_REJECTED;
      }
      return ExitCode.OK;
    }
  }
}
