package dev.ledger.cli.statements;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class PeriodsTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");

  @Test
  void monthsEndAtMidnightInTheZoneAndTheLastIsCutAtTheReportsEnd() {
    var periods = Periods.of(Instant.parse("2024-08-14T16:00:00Z"), Instant.parse("2024-10-12T15:59:59.999999Z"),
        Periods.Interval.MONTHLY, SHANGHAI);
    assertThat(periods).extracting(Periods.Period::label).containsExactly("2024-08", "2024-09", "2024-10");
    assertThat(periods.get(0).start()).isEqualTo(Instant.parse("2024-08-14T16:00:00Z"));
    assertThat(periods.get(0).end()).isEqualTo(Instant.parse("2024-08-31T15:59:59.999999Z"));
    assertThat(periods.get(1).start()).isEqualTo(Instant.parse("2024-08-31T16:00:00Z"));
    assertThat(periods.get(2).end()).isEqualTo(Instant.parse("2024-10-12T15:59:59.999999Z"));
  }

  @Test
  void quartersAndYearsAreCalendarOnes() {
    Instant from = Instant.parse("2023-11-01T00:00:00Z");
    Instant to = Instant.parse("2024-09-12T00:00:00Z");
    assertThat(Periods.of(from, to, Periods.Interval.QUARTERLY, ZoneId.of("UTC")))
        .extracting(Periods.Period::label).containsExactly("2023-Q4", "2024-Q1", "2024-Q2", "2024-Q3");
    assertThat(Periods.of(from, to, Periods.Interval.YEARLY, ZoneId.of("UTC")))
        .extracting(Periods.Period::label).containsExactly("2023", "2024");
  }
}
