package dev.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.cli.Dates.Bound;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class DatesTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-09-12T17:30:00Z"), ZoneId.of("UTC"));

  private static Instant end(String text, ZoneId zone) {
    return Dates.parse("--as-of", text, zone, Bound.END, CLOCK);
  }

  private static Instant start(String text, ZoneId zone) {
    return Dates.parse("--from", text, zone, Bound.START, CLOCK);
  }

  @Test
  void aDateIsTheLastMicrosecondOfThatDayInTheZoneAndTheFirstForFrom() {
    assertThat(end("2024-09-12", SHANGHAI)).isEqualTo(Instant.parse("2024-09-12T15:59:59.999999Z"));
    assertThat(start("2024-09-12", SHANGHAI)).isEqualTo(Instant.parse("2024-09-11T16:00:00Z"));
    assertThat(end("2024-09-12", ZoneId.of("UTC"))).isEqualTo(Instant.parse("2024-09-12T23:59:59.999999Z"));
  }

  @Test
  void aMonthIsItsLastMicrosecondOrItsFirstInstant() {
    assertThat(end("2024-09", SHANGHAI)).isEqualTo(Instant.parse("2024-09-30T15:59:59.999999Z"));
    assertThat(start("2024-09", SHANGHAI)).isEqualTo(Instant.parse("2024-08-31T16:00:00Z"));
    assertThat(end("2024-02", ZoneId.of("UTC"))).isEqualTo(Instant.parse("2024-02-29T23:59:59.999999Z"));
  }

  @Test
  void anOffsetTimeIsTakenAsWrittenAndALocalTimeIsReadInTheZone() {
    assertThat(end("2024-09-12T10:15:02+08:00", NEW_YORK)).isEqualTo(Instant.parse("2024-09-12T02:15:02Z"));
    assertThat(end("2024-09-12T10:15:02Z", SHANGHAI)).isEqualTo(Instant.parse("2024-09-12T10:15:02Z"));
    assertThat(end("2024-09-12T23:59:59", SHANGHAI)).isEqualTo(Instant.parse("2024-09-12T15:59:59Z"));
    assertThat(end("2024-09-12 23:59:59", SHANGHAI)).isEqualTo(Instant.parse("2024-09-12T15:59:59Z"));
  }

  @Test
  void todayAndYesterdayAreDaysInTheZoneNotInUtc() {
    // 17:30 UTC is already 13 September in Shanghai, still 12 September in New York.
    assertThat(end("today", SHANGHAI)).isEqualTo(Instant.parse("2024-09-13T15:59:59.999999Z"));
    assertThat(end("yesterday", SHANGHAI)).isEqualTo(Instant.parse("2024-09-12T15:59:59.999999Z"));
    assertThat(start("today", NEW_YORK)).isEqualTo(Instant.parse("2024-09-12T04:00:00Z"));
    assertThat(end("now", NEW_YORK)).isEqualTo(Instant.parse("2024-09-12T17:30:00Z"));
  }

  @Test
  void daysOnWhichDaylightSavingTimeChangesHave23Or25Hours() {
    // New York springs forward on 10 March 2024 and falls back on 3 November 2024.
    assertThat(java.time.Duration.between(start("2024-03-10", NEW_YORK), end("2024-03-10", NEW_YORK)).plusNanos(1000))
        .hasHours(23);
    assertThat(java.time.Duration.between(start("2024-11-03", NEW_YORK), end("2024-11-03", NEW_YORK)).plusNanos(1000))
        .hasHours(25);
    assertThat(end("2024-03-10", NEW_YORK)).isEqualTo(Instant.parse("2024-03-11T03:59:59.999999Z"));
  }

  @Test
  void aSkippedLocalTimeMovesForwardAndARepeatedOneMeansTheEarlier() {
    // 02:30 does not exist in New York on 10 March 2024: it is read as 03:30 EDT.
    assertThat(end("2024-03-10T02:30:00", NEW_YORK)).isEqualTo(Instant.parse("2024-03-10T07:30:00Z"));
    // 02:30 happens twice in Berlin on 27 October 2024: the first one (CEST, +02:00).
    assertThat(end("2024-10-27T02:30:00", BERLIN)).isEqualTo(Instant.parse("2024-10-27T00:30:00Z"));
  }

  @Test
  void aDayWhoseMidnightDoesNotExistStartsAtItsFirstInstant() {
    // Santiago de Chile moved clocks from 00:00 to 01:00 on 8 September 2024.
    ZoneId santiago = ZoneId.of("America/Santiago");
    assertThat(start("2024-09-08", santiago)).isEqualTo(Instant.parse("2024-09-08T04:00:00Z"));
    assertThat(end("2024-09-07", santiago)).isEqualTo(Instant.parse("2024-09-08T03:59:59.999999Z"));
  }

  @Test
  void anythingElseIsAUsageErrorNamingTheOptionAndTheForms() {
    for (String bad : new String[] {"12/09/2024", "2024-13", "2024-09-31", "tomorrow", "2024-09-12T25:00", ""}) {
      assertThatThrownBy(() -> end(bad, SHANGHAI)).isInstanceOfSatisfying(CliException.class, e -> {
        assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(e.getMessage()).startsWith("Invalid --as-of '" + bad + "'")
            .contains("2024-09-12T23:59:59 (in Asia/Shanghai)").contains("2024-09 (a month)").contains("yesterday");
      });
    }
    assertThat(end(null, SHANGHAI)).isNull();
  }

  @Test
  void tablesShowTheZonesWallClockAndJsonTheOffset() {
    Instant payment = Instant.parse("2024-09-12T01:11:19Z");
    assertThat(Dates.table(payment, SHANGHAI)).isEqualTo("2024-09-12 09:11:19");
    assertThat(Dates.iso(payment, SHANGHAI)).isEqualTo("2024-09-12T09:11:19+08:00");
    assertThat(Dates.iso(payment, ZoneId.of("UTC"))).isEqualTo("2024-09-12T01:11:19Z");
    assertThat(Dates.iso(Instant.parse("2024-09-12T01:11:00.5Z"), BERLIN)).isEqualTo("2024-09-12T03:11:00.500+02:00");
  }
}
