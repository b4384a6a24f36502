package dev.ledger.db;

import dev.ledger.journal.PostResult;
import java.util.List;

/**
 * Outcome of a streamed all-or-nothing post: how many entries were read, created and already
 * present, and the rejections of the first chunk that had any (nothing was written then, and the
 * entries after that chunk were not checked: {@code entriesChecked} says how far it got).
 * Immutable and thread-safe.
 */
public record PostSummary(long entriesChecked, long created, long existing, List<PostResult> rejections,
    boolean complete) {
  public PostSummary {
    rejections = List.copyOf(rejections);
  }

  public boolean committed() {
    return rejections.isEmpty();
  }
}
