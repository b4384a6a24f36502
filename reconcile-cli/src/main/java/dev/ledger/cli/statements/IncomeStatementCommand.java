package dev.ledger.cli.statements;

import dev.ledger.account.AccountType;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "incomestatement", aliases = "is", mixinStandardHelpOptions = true,
    description = {"Income and expenses as account trees with subtotals: what moved within each period,",
        "and net income (income - expenses). Without --monthly/--quarterly/--yearly there is one column,",
        "from --from (default: the beginning) to --as-of."})
public final class IncomeStatementCommand extends FinancialReport {
  @Override
  String name() {
    return "incomestatement";
  }

  @Override
  List<AccountType> sections() {
    return List.of(AccountType.INCOME, AccountType.EXPENSES);
  }

  @Override
  boolean movements() {
    return true;
  }
}
