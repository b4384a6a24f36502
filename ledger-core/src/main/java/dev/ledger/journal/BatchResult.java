package dev.ledger.journal;

import java.util.List;

/**
 * Result of an all-or-nothing batch: one result per submitted entry, in order. When any entry is
 * rejected nothing was written and the valid ones report {@link PostStatus#REJECTED_WITH_BATCH}.
 */
public record BatchResult(List<PostResult> results) {
  public BatchResult {
    results = List.copyOf(results);
  }

  public boolean committed() {
    return results.stream().allMatch(PostResult::accepted);
  }

  public List<PostResult> rejections() {
    return results.stream()
        .filter(r -> !r.accepted() && r.status() != PostStatus.REJECTED_WITH_BATCH)
        .toList();
  }

  public long count(PostStatus status) {
    return results.stream().filter(r -> r.status() == status).count();
  }
}
