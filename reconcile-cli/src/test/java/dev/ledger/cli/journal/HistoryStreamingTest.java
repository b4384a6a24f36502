package dev.ledger.cli.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.cli.Cli;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import dev.ledger.cli.LedgerCommand;
import java.io.BufferedWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** history streams from a database cursor and pages by keyset; the running balance carries across pages. */
class HistoryStreamingTest {
  private final Cli cli = new Cli();
  @TempDir Path dir;

  private static String entry(String id, String effectiveAt, String amount) {
    return "{\"id\":\"" + id + "\",\"effective_at\":\"" + effectiveAt + "\",\"description\":\"" + id + "\","
        + "\"postings\":[{\"account\":\"assets:bank:icbc:main\",\"currency\":\"CNY\",\"debit\":\"" + amount + "\"},"
        + "{\"account\":\"equity:capital\",\"currency\":\"CNY\",\"credit\":\"" + amount + "\"}]}\n";
  }

  private void post(Path file) {
    Cli.Run run = cli.run("post", "--file", file.toString(), "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
  }

  private static List<String> lines(JsonNode page) {
    List<String> lines = new ArrayList<>();
    page.forEach(line -> lines.add(line.get("entry_id").asText() + " " + line.get("balance").asText()));
    return lines;
  }

  @Test
  void pagesWithLimitAndAfterAddUpToTheWholeHistoryWithTheSameRunningBalances() throws Exception {
    StringBuilder text = new StringBuilder();
    // Three entries at one instant: the keyset must order and split them by sequence and index.
    for (int i = 1; i <= 8; i++) {
      String at = i <= 3 ? "2024-09-12T10:00:00+08:00" : "2024-09-12T1" + i + ":00:00+08:00";
      text.append(entry("e-" + i, at, i + ".00"));
    }
    post(Files.writeString(dir.resolve("e.jsonl"), text, StandardCharsets.UTF_8));
    Cli.Run all = cli.run("history", "assets:bank", "--format", "json");
    List<String> whole = lines(Json.MAPPER.readTree(all.out()));
    assertThat(whole).hasSize(8).last().isEqualTo("e-8 36.00");
    assertThat(all.err()).isEmpty();

    List<String> paged = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      Cli.Run page = after == null ? cli.run("history", "assets:bank", "--limit", "3", "--format", "json")
          : cli.run("history", "assets:bank", "--limit", "3", "--after", after, "--format", "json");
      assertThat(page.exitCode()).as(page.err()).isZero();
      JsonNode lines = Json.MAPPER.readTree(page.out());
      paged.addAll(lines(lines));
      pages++;
      if (page.err().isEmpty()) {
        after = null;
      } else {
        String last = lines.get(lines.size() - 1).get("cursor").asText();
        assertThat(page.err()).contains("--after " + last);
        after = last;
      }
    } while (after != null && pages < 10);
    assertThat(pages).isEqualTo(3);
    assertThat(paged).isEqualTo(whole);

    Cli.Run table = cli.run("history", "assets:bank", "--limit", "2", "--format", "table");
    assertThat(table.out()).contains("More postings follow: ledger history assets:bank --after ");
  }

  @Test
  void aBadCursorOrLimitIsAUsageError() {
    Cli.Run cursor = cli.run("history", "assets", "--after", "not-a-cursor");
    assertThat(cursor.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(cursor.err()).contains("Invalid cursor 'not-a-cursor'");
    assertThat(cli.run("history", "assets", "--limit", "0").exitCode()).isEqualTo(ExitCode.USAGE);
  }

  /** A writer that only counts lines: the output of a large history goes nowhere. */
  private static final class LineCounter extends Writer {
    long lines;

    @Override
    public void write(char[] buffer, int offset, int length) {
      for (int i = offset; i < offset + length; i++) {
        if (buffer[i] == '\n') {
          lines++;
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void aLargeHistoryStreamsThroughTheCliToANullOutput() throws Exception {
    int entries = 60_000;
    Path file = dir.resolve("many.jsonl");
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < entries; i++) {
        out.write(entry("m-" + i, java.time.Instant.parse("2024-01-01T00:00:00Z").plusSeconds(i * 37L).toString(), "1.00"));
      }
    }
    post(file);
    for (String format : new String[] {"csv", "table", "json"}) {
      LineCounter counter = new LineCounter();
      CommandLine command = LedgerCommand.commandLine(System::getenv);
      command.setOut(new PrintWriter(counter));
      StringWriter err = new StringWriter();
      command.setErr(new PrintWriter(err));
      int code = command.execute("history", "assets:bank:icbc:main", "--format", format, "--db", cli.url());
      assertThat(code).as(err.toString()).isZero();
      long header = format.equals("json") ? 0 : format.equals("csv") ? 1 : 2;
      if (format.equals("json")) {
        assertThat(counter.lines).as(format).isGreaterThan(entries * 9L);
      } else {
        assertThat(counter.lines).as(format).isEqualTo(entries + header);
      }
    }
  }
}
