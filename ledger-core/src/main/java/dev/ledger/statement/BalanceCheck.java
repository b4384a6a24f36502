package dev.ledger.statement;

/**
 * What a bank statement parser does when opening balance plus movements differs from the closing
 * balance: reject the file (the contract's default) or keep it and record a warning in the info
 * (for inspecting files that are known to be anonymised or cut, such as public test fixtures).
 */
public enum BalanceCheck {
  STRICT,
  WARN
}
