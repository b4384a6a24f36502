package dev.ledger.account;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Account type, given by the first segment of the account code. */
public enum AccountType {
  ASSETS(Side.DEBIT),
  EXPENSES(Side.DEBIT),
  LIABILITIES(Side.CREDIT),
  EQUITY(Side.CREDIT),
  INCOME(Side.CREDIT);

  private static final AccountType[] ALL = values();

  private final Side normalSide;
  private final String segment;

  AccountType(Side normalSide) {
    this.normalSide = normalSide;
    this.segment = name().toLowerCase(Locale.ROOT);
  }

  /** The side on which this type's balance grows. */
  public Side normalSide() {
    return normalSide;
  }

  public String segment() {
    return segment;
  }

  public static AccountType ofSegment(String segment, String code) {
    for (AccountType type : ALL) {
      if (type.segment.equals(segment)) {
        return type;
      }
    }
    throw new IllegalArgumentException(
        "Unknown account type '"
            + segment
            + "' in account '"
            + code
            + "': the first segment must be one of "
            + Arrays.stream(values()).map(AccountType::segment).collect(Collectors.joining(", ")));
  }
}
