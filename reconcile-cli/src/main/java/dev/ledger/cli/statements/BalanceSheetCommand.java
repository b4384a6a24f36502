package dev.ledger.cli.statements;

import dev.ledger.account.AccountType;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "balancesheet", aliases = "bs", mixinStandardHelpOptions = true,
    description = {"Assets, liabilities and equity as account trees with subtotals, at the end of each period.",
        "Net income (income - expenses) not yet closed to equity is shown on its own line, so that",
        "assets = liabilities + equity + net income in every currency and column (JSON: \"balanced\").",
        "Without --monthly/--quarterly/--yearly there is one column, as of --as-of."})
public final class BalanceSheetCommand extends FinancialReport {
  @Override
  String name() {
    return "balancesheet";
  }

  @Override
  List<AccountType> sections() {
    return List.of(AccountType.ASSETS, AccountType.LIABILITIES, AccountType.EQUITY);
  }

  @Override
  boolean movements() {
    return false;
  }
}
