package dev.ledger.journal;

import java.util.Locale;
import java.util.Objects;

/**
 * The link of a settlement entry to the pending entry it posts or voids; part of the entry's
 * content (and hash). A pending entry has at most one settlement. Immutable and thread-safe.
 */
public record Settlement(String pendingId, Kind kind) {
  public enum Kind {
    /** Books the final amounts (at most the pending ones); the rest is released. */
    POST,
    /** Releases the whole reservation; its postings repeat the pending ones and move nothing. */
    VOID;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind parse(String text) {
      for (Kind kind : values()) {
        if (kind.wireName().equals(text)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("Unknown settlement kind '" + text + "' (post or void)");
    }
  }

  public Settlement {
    Objects.requireNonNull(pendingId, "settlement pending id is missing");
    Objects.requireNonNull(kind, "settlement kind is missing");
    if (pendingId.isEmpty()) {
      throw new IllegalArgumentException("settlement pending id is empty");
    }
  }
}
