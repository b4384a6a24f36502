package dev.ledger.reconcile;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Where a break is in its workflow (DESIGN.md section 4): {@code open} when a run finds it,
 * {@code assigned} to a person, then {@code resolved} by a person (note, optional adjustment) or
 * {@code closed} by a later run that matched it. Open and assigned breaks still need work.
 */
public enum BreakStatus {
  OPEN("open"),
  ASSIGNED("assigned"),
  RESOLVED("resolved"),
  CLOSED("closed");

  private final String label;

  BreakStatus(String label) {
    this.label = label;
  }

  /** The name in SQL, JSON and on the command line. */
  public String label() {
    return label;
  }

  /** Open or assigned: the break still needs someone (or a later run). */
  public boolean active() {
    return this == OPEN || this == ASSIGNED;
  }

  /** The status labelled {@code label}, case-insensitively. */
  public static BreakStatus parse(String label) {
    if (label != null) {
      String key = label.trim().toLowerCase(Locale.ROOT);
      for (BreakStatus status : values()) {
        if (status.label.equals(key)) {
          return status;
        }
      }
    }
    throw new IllegalArgumentException("Unknown break status '" + label + "': use one of " + labels());
  }

  /** "open, assigned, resolved, closed". */
  public static String labels() {
    return Arrays.stream(values()).map(BreakStatus::label).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return label;
  }
}
