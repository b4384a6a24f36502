package dev.ledger.statement;

import java.util.Objects;

/**
 * A figure that a statement asserts about itself and that its own lines contradict: a closing
 * balance that opening plus movements do not reach, a summary count or total that the rows do not
 * add up to. The file is still read (DESIGN section 4): reconcile turns each into a
 * {@code STATEMENT_INCONSISTENT} break and {@code --strict} rejects the file instead.
 * {@code stated} and {@code computed} are decimal strings (or counts) as the file writes them.
 * Immutable and thread-safe.
 *
 * @param line physical line (1-based) of the asserted figure, 0 when it has none
 * @param figure what is asserted, e.g. "closing balance :62F:" or "summary 总交易单数"
 */
public record Inconsistency(long line, String figure, String stated, String computed) {
  public Inconsistency {
    Objects.requireNonNull(figure, "figure");
    Objects.requireNonNull(stated, "stated");
    Objects.requireNonNull(computed, "computed");
  }

  /** "line 12: closing balance :62F: states 100.00 but the lines give 90.00". */
  public String message() {
    return (line > 0 ? "line " + line + ": " : "") + figure + " states " + stated + " but the lines give " + computed;
  }
}
