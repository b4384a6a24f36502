package dev.ledger.cli;

import java.time.Instant;
import java.time.ZoneId;

/**
 * Time arguments read in UTC. Kept for callers that have no ledger at hand yet; commands read
 * dates in the ledger's zone through {@link Dates} and {@link SessionCommand#zone()}.
 */
public final class Times {
  private static final ZoneId UTC = ZoneId.of("UTC");

  private Times() {}

  public static Instant parse(String option, String text) {
    return Dates.end(option, text, UTC);
  }

  /** The start of a day for --from style options given as a date. */
  public static Instant parseStart(String option, String text) {
    return Dates.start(option, text, UTC);
  }
}
