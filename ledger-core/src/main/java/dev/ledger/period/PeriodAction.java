package dev.ledger.period;

import java.util.Locale;

/** What a period event does; stored in lower case ('close', 'reopen'). */
public enum PeriodAction {
  CLOSE,
  REOPEN;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static PeriodAction parse(String text) {
    for (PeriodAction action : values()) {
      if (action.wireName().equals(text)) {
        return action;
      }
    }
    throw new IllegalArgumentException("Unknown period action '" + text + "': use close or reopen");
  }
}
