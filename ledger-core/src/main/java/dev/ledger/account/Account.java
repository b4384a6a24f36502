package dev.ledger.account;

import java.util.Objects;

/**
 * An account: its code and whether its balance may go below zero in its normal direction.
 * Immutable and thread-safe.
 */
public record Account(AccountCode code, boolean noOverdraft) {
  public Account {
    Objects.requireNonNull(code, "code");
  }

  public static Account of(String code) {
    return new Account(AccountCode.parse(code), false);
  }

  public static Account noOverdraft(String code) {
    return new Account(AccountCode.parse(code), true);
  }
}
