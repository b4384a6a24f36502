package dev.ledger.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BreakStatusTest {
  @Test
  void everyLabelParsesBackToItsStatusWhateverTheCase() {
    for (BreakStatus status : BreakStatus.values()) {
      assertThat(BreakStatus.parse(status.label())).isEqualTo(status);
      assertThat(BreakStatus.parse(" " + status.label().toUpperCase() + " ")).isEqualTo(status);
    }
  }

  @Test
  void onlyOpenAndAssignedBreaksStillNeedWork() {
    assertThat(BreakStatus.values()).filteredOn(BreakStatus::active)
        .containsExactly(BreakStatus.OPEN, BreakStatus.ASSIGNED);
  }

  @Test
  void anUnknownLabelIsRejectedNamingItAndTheKnownOnes() {
    assertThatThrownBy(() -> BreakStatus.parse("done")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown break status 'done': use one of open, assigned, resolved, closed");
    assertThatThrownBy(() -> BreakStatus.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
