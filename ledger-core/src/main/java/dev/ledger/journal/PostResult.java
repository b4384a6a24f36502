package dev.ledger.journal;

import java.util.Objects;

/** The status of one posted entry, with a message naming the offending values when rejected. */
public record PostResult(String entryId, PostStatus status, String message) {
  public PostResult {
    Objects.requireNonNull(entryId, "entryId");
    Objects.requireNonNull(status, "status");
    message = message == null ? "" : message;
  }

  public static PostResult of(String entryId, PostStatus status) {
    return new PostResult(entryId, status, "");
  }

  public boolean accepted() {
    return status.accepted();
  }
}
