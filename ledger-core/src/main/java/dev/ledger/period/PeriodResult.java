package dev.ledger.period;

import java.util.Objects;

/** The outcome of one close or reopen, with the event it recorded (null when nothing was recorded). */
public record PeriodResult(PeriodStatus status, PeriodEvent event, String message) {
  public PeriodResult {
    Objects.requireNonNull(status, "status");
    message = message == null ? "" : message;
    if ((event != null) != (status == PeriodStatus.CLOSED || status == PeriodStatus.REOPENED)) {
      throw new IllegalArgumentException("Period result " + status + " with event " + event);
    }
  }

  public boolean accepted() {
    return status.accepted();
  }
}
