package dev.ledger.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import org.junit.jupiter.api.Test;

class AllocationTest {

  @Test
  void splitsOneHundredInThreeWithAnExplicitResidual() {
    Allocation allocation = Allocation.of(Amounts.parse("100.00", "CNY"), List.of(1L, 1L, 1L));
    assertThat(allocation.shares()).extracting(Amounts::format).containsExactly("33.33", "33.33", "33.33");
    assertThat(Amounts.format(allocation.residual())).isEqualTo("0.01");
  }

  @Test
  void takesBasisPointsRoundedDown() {
    Allocation commission = Allocation.basisPoints(Amounts.parse("99.99", "CNY"), 250);
    assertThat(Amounts.format(commission.shares().get(0))).isEqualTo("2.49");
    assertThat(Amounts.format(commission.shares().get(1))).isEqualTo("97.49");
    assertThat(Amounts.format(commission.residual())).isEqualTo("0.01");
  }

  @Test
  void sharesPlusResidualAlwaysEqualTheTotal() {
    qt().withExamples(1000)
        .forAll(longs().between(-10_000_000L, 10_000_000L),
            lists().of(integers().between(0, 1000)).ofSizeBetween(1, 8))
        .assuming((total, ratios) -> ratios.stream().mapToInt(Integer::intValue).sum() > 0)
        .checkAssert((total, ratios) -> {
          var currency = Amounts.currency("CNY");
          Allocation allocation = Allocation.of(Amounts.ofMinor(total, currency),
              ratios.stream().map(Integer::longValue).toList());
          long sum = allocation.shares().stream().mapToLong(Amounts::toMinor).sum();
          assertThat(sum + Amounts.toMinor(allocation.residual())).isEqualTo(total);
          assertThat(Math.abs(Amounts.toMinor(allocation.residual()))).isLessThan(ratios.size());
        });
  }

  @Test
  void rejectsRatiosThatSumToZero() {
    assertThatThrownBy(() -> Allocation.of(Amounts.parse("1.00", "CNY"), List.of(0L, 0L)))
        .hasMessageContaining("[0, 0]");
  }
}
