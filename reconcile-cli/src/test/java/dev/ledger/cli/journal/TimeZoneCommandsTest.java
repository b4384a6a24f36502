package dev.ledger.cli.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.cli.Cli;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger's zone: set once by init, overridden per command, used by dates and tables. */
class TimeZoneCommandsTest {
  private final Cli cli = new Cli();
  @TempDir Path dir;

  private static JsonNode json(Cli.Run run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    return Json.MAPPER.readTree(run.out());
  }

  private void post(String jsonl) throws Exception {
    Path file = Files.writeString(dir.resolve("e" + System.nanoTime() + ".jsonl"), jsonl, StandardCharsets.UTF_8);
    Cli.Run run = cli.run("post", "--file", file.toString(), "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
  }

  private static String entry(String id, String effectiveAt, String amount) {
    return "{\"id\":\"" + id + "\",\"effective_at\":\"" + effectiveAt + "\",\"description\":\"" + id + "\","
        + "\"postings\":[{\"account\":\"assets:bank:icbc:main\",\"currency\":\"CNY\",\"debit\":\"" + amount + "\"},"
        + "{\"account\":\"equity:capital\",\"currency\":\"CNY\",\"credit\":\"" + amount + "\"}]}\n";
  }

  @Test
  void initSetsTheZoneOnceAndAChangeNeedsChangeZone() throws Exception {
    assertThat(json(cli.run("init", "--format", "json")).get("zone").asText()).isEqualTo("UTC");
    JsonNode chosen = json(cli.run("init", "--zone", "Asia/Shanghai", "--format", "json"));
    assertThat(chosen.get("zone").asText()).isEqualTo("Asia/Shanghai");
    assertThat(chosen.get("zone_change").asText()).isEqualTo("chosen");
    assertThat(json(cli.run("init", "--zone", "Asia/Shanghai", "--format", "json")).get("zone_change").asText())
        .isEqualTo("unchanged");

    Cli.Run refused = cli.run("init", "--zone", "Europe/Berlin");
    assertThat(refused.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(refused.err()).contains("The ledger's zone is Asia/Shanghai").contains("--change-zone")
        .contains("Nothing changed");
    assertThat(json(cli.run("init", "--format", "json")).get("zone").asText()).isEqualTo("Asia/Shanghai");

    JsonNode changed = json(cli.run("init", "--zone", "Europe/Berlin", "--change-zone", "--format", "json"));
    assertThat(changed.get("zone_change").asText()).isEqualTo("changed");
    assertThat(json(cli.run("init", "--format", "json")).get("zone").asText()).isEqualTo("Europe/Berlin");
  }

  @Test
  void anUnknownZoneIsAUsageErrorAndChangesNothing() throws Exception {
    Cli.Run bad = cli.run("init", "--zone", "Asia/Shangai");
    assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(bad.err()).contains("Unknown time zone 'Asia/Shangai'");
    Cli.Run offset = cli.run("balance", "assets", "--tz", "+08:00");
    assertThat(offset.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(offset.err()).contains("--tz").contains("Asia/Shanghai");
    assertThat(json(cli.run("init", "--format", "json")).get("zone").asText()).isEqualTo("UTC");
  }

  @Test
  void datesEndAtMidnightInTheLedgersZoneAndTzOverridesIt() throws Exception {
    assertThat(cli.run("init", "--zone", "Asia/Shanghai").exitCode()).isZero();
    post(entry("in-12th", "2024-09-12T23:30:00+08:00", "10.00") + entry("in-13th", "2024-09-13T01:00:00+08:00", "5.00"));

    JsonNode shanghai = json(cli.run("balance", "assets:bank", "--as-of", "2024-09-12", "--format", "json"));
    assertThat(shanghai.get("balances").get(0).get("balance").asText()).isEqualTo("10.00");
    assertThat(shanghai.get("as_of").asText()).isEqualTo("2024-09-12T23:59:59.999999+08:00");
    JsonNode utc = json(cli.run("balance", "assets:bank", "--as-of", "2024-09-12", "--tz", "UTC", "--format", "json"));
    assertThat(utc.get("balances").get(0).get("balance").asText()).isEqualTo("15.00");
    assertThat(utc.get("as_of").asText()).isEqualTo("2024-09-12T23:59:59.999999Z");

    JsonNode local = json(cli.run("balance", "assets:bank", "--as-of", "2024-09-13T00:59:59", "--format", "json"));
    assertThat(local.get("balances").get(0).get("balance").asText()).isEqualTo("10.00");
    JsonNode month = json(cli.run("balance", "assets:bank", "--as-of", "2024-09", "--format", "json"));
    assertThat(month.get("balances").get(0).get("balance").asText()).isEqualTo("15.00");

    Cli.Run table = cli.run("history", "assets:bank", "--format", "table");
    assertThat(table.out()).contains("2024-09-12 23:30:00").contains("2024-09-13 01:00:00");
    JsonNode history = json(cli.run("history", "assets:bank", "--format", "json"));
    assertThat(history.get(1).get("effective_at").asText()).isEqualTo("2024-09-13T01:00:00+08:00");
    JsonNode fromThe13th = json(cli.run("history", "assets:bank", "--from", "2024-09-13", "--format", "json"));
    assertThat(fromThe13th).extracting(h -> h.get("entry_id").asText()).containsExactly("in-13th");
    assertThat(fromThe13th.get(0).get("balance").asText()).isEqualTo("15.00");
  }

  @Test
  void aBadDateNamesTheOptionAndTheAcceptedFormsWithExit2() {
    Cli.Run bad = cli.run("balance", "assets", "--as-of", "12.09.2024");
    assertThat(bad.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(bad.err()).contains("Invalid --as-of '12.09.2024'").contains("2024-09-12T10:15:02+08:00")
        .contains("2024-09 (a month)").contains("yesterday");
    assertThat(cli.run("history", "assets", "--from", "someday").err()).contains("Invalid --from 'someday'");
  }

  @Test
  void anEmptyKnownAtResultSaysThatNothingWasRecordedYet() throws Exception {
    post(entry("late", "2024-09-12T10:00:00+08:00", "1.00"));
    Cli.Run past = cli.run("balance", "assets", "--known-at", "2024-09-12", "--format", "json");
    assertThat(past.exitCode()).isZero();
    assertThat(Json.MAPPER.readTree(past.out()).get("balances")).isEmpty();
    assertThat(past.err()).contains("nothing was recorded by 2024-09-12 23:59:59 UTC")
        .contains("the first entry was recorded at");
    Cli.Run trial = cli.run("trial-balance", "--known-at", "2024-09-12", "--format", "json");
    assertThat(trial.err()).contains("nothing was recorded by");
  }
}
