package dev.ledger.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.cli.Cli;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import java.io.File;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daily report of the demo's marketplace day, read as finance reads it: the HTML page rendered
 * by headless Chromium (Debian's chromium package) and the workbook read back with POI, both with
 * the figures that {@code ledger breaks --status all --format json} gives.
 */
class ReportCommandTest {
  private static final Pattern SUMMARY_ROW =
      Pattern.compile("<tr data-source=\"([^\"]+)\" data-currency=\"([^\"]*)\">(.*?)</tr>", Pattern.DOTALL);
  private static final Pattern BREAK_ROW =
      Pattern.compile("<tr data-break=\"(\\d+)\" data-source=\"[^\"]+\" data-status=\"([a-z]+)\">");
  private final Cli cli = new Cli();
  @TempDir Path dir;
  private String resolvedId;

  private static JsonNode json(Cli.Run run) throws Exception {
    return Json.MAPPER.readTree(run.out());
  }

  /** The demo day, one break resolved with a note that tries to inject markup. */
  @BeforeEach
  void runTheDemoDayAndResolveOneBreak() throws Exception {
    Cli.Run run = cli.run("demo", "--out", dir.toString(), "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    resolvedId = json(cli.run("breaks", "--source", "wechatpay", "--format", "json")).get(2).get("id").asText();
    Cli.Run resolve = cli.run("breaks", "resolve", resolvedId, "--note", "<script>alert('x')</script> & duplicate");
    assertThat(resolve.exitCode()).as(resolve.err()).isZero();
  }

  /** Per source: [break count, sum of the size of each break's difference], from breaks --format json. */
  private Map<String, String[]> breakTotals() throws Exception {
    Map<String, long[]> counts = new TreeMap<>();
    Map<String, BigDecimal> amounts = new TreeMap<>();
    for (JsonNode b : json(cli.run("breaks", "--status", "all", "--format", "json"))) {
      String source = b.get("source").asText();
      counts.computeIfAbsent(source, s -> new long[1])[0]++;
      BigDecimal difference = b.get("difference").isNull() ? BigDecimal.ZERO : new BigDecimal(b.get("difference").asText());
      amounts.merge(source, difference.abs(), BigDecimal::add);
    }
    Map<String, String[]> totals = new TreeMap<>();
    counts.forEach((source, n) -> totals.put(source, new String[] {Long.toString(n[0]),
        amounts.get(source).setScale(2).toPlainString()}));
    return totals;
  }

  private static String field(String row, String name) {
    Matcher m = Pattern.compile("data-field=\"" + name + "\">([^<]*)<").matcher(row);
    assertThat(m.find()).as("field " + name + " in " + row).isTrue();
    return m.group(1);
  }

  private static Optional<String> chromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String path : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        Path candidate = Path.of(path, name);
        if (Files.isExecutable(candidate)) {
          return Optional.of(candidate.toString());
        }
      }
    }
    return Optional.empty();
  }

  private Process chromium(String binary, Path profile, Path output, String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu",
        "--user-data-dir=" + profile));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectOutput(output.toFile())
        .redirectError(dir.resolve("chromium-" + output.getFileName() + ".err").toFile()).start();
  }

  private String runChromium(String binary, String... args) throws Exception {
    Path output = dir.resolve("chromium-" + System.nanoTime() + ".out");
    Process process = chromium(binary, Files.createTempDirectory(dir, "profile"), output, args);
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("chromium did not finish within 180 s: " + String.join(" ", args));
    }
    assertThat(process.exitValue()).as("chromium exit, stderr in " + dir).isZero();
    return Files.readString(output, StandardCharsets.UTF_8);
  }

  @Test
  void theHtmlReportRendersInChromiumWithTheSameFiguresAsBreaksJson() throws Exception {
    Optional<String> browser = chromium();
    Assumptions.assumeTrue(browser.isPresent(), "no chromium binary on PATH (apt-get install chromium):"
        + " the browser check of the HTML report is skipped");
    Path html = dir.resolve("report.html");
    Cli.Run report = cli.run("report", "--day", "2024-09-12", "--html", html.toString(), "--format", "json");
    assertThat(report.exitCode()).as(report.err()).isZero();

    String dom = runChromium(browser.get(), "--dump-dom", html.toUri().toString());
    Map<String, String[]> expected = breakTotals();
    Map<String, String[]> shown = new TreeMap<>();
    Matcher rows = SUMMARY_ROW.matcher(dom);
    while (rows.find()) {
      shown.put(rows.group(1), new String[] {field(rows.group(3), "break-count"), field(rows.group(3), "break-amount")});
      assertThat(new BigDecimal(field(rows.group(3), "matched-amount"))).as("matched " + rows.group(1)).isPositive();
    }
    assertThat(shown).containsOnlyKeys("wechatpay", "alipay", "camt053");
    shown.forEach((source, figures) -> assertThat(figures).as(source).containsExactly(expected.get(source)));

    Map<String, String> statuses = new HashMap<>();
    Matcher breaks = BREAK_ROW.matcher(dom);
    while (breaks.find()) {
      statuses.put(breaks.group(1), breaks.group(2));
    }
    assertThat(statuses).hasSize(10).containsEntry(resolvedId, "resolved");
    assertThat(dom).contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; duplicate").doesNotContain("<script")
        .contains("<svg id=\"chart\"");
    String page = Files.readString(html);
    assertThat(page).as("self-contained").doesNotContain("src=").doesNotContain("href=").doesNotContain("<script");

    Path png = dir.resolve("report.png");
    runChromium(browser.get(), "--window-size=1280,1600", "--screenshot=" + png, html.toUri().toString());
    byte[] image = Files.readAllBytes(png);
    assertThat(image.length).isGreaterThan(10_000);
    assertThat(new String(image, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }

  @Test
  void theWorkbookHoldsTheSameFiguresAsNumbersWithExactAmounts() throws Exception {
    Path xlsx = dir.resolve("report.xlsx");
    String run = json(cli.run("breaks", "--source", "alipay", "--format", "json")).get(0).get("opened_run_id").asText();
    Cli.Run day = cli.run("report", "--day", "2024-09-12", "--xlsx", xlsx.toString(), "--format", "json");
    assertThat(day.exitCode()).as(day.err()).isZero();
    assertThat(day.err()).as("no library chatter").isEmpty();
    Map<String, String[]> expected = breakTotals();
    try (InputStream in = Files.newInputStream(xlsx); XSSFWorkbook book = new XSSFWorkbook(in)) {
      Sheet summary = book.getSheet("Summary");
      assertThat(summary.getRow(0).getCell(6).getStringCellValue()).isEqualTo("breaks");
      for (int r = 1; r <= summary.getLastRowNum(); r++) {
        Row row = summary.getRow(r);
        String source = row.getCell(0).getStringCellValue();
        Cell count = row.getCell(6);
        Cell amount = row.getCell(7);
        assertThat(count.getCellType()).isEqualTo(CellType.NUMERIC);
        assertThat(amount.getCellType()).isEqualTo(CellType.NUMERIC);
        assertThat(amount.getCellStyle().getDataFormatString()).isEqualTo("#,##0.00");
        assertThat(new String[] {Long.toString((long) count.getNumericCellValue()),
            BigDecimal.valueOf(amount.getNumericCellValue()).setScale(2).toPlainString()})
            .as(source).containsExactly(expected.get(source));
        assertThat(row.getCell(3).getNumericCellValue()).as("lines of " + source).isPositive();
      }
      assertThat(summary.getLastRowNum()).isEqualTo(3);
      Sheet breaks = book.getSheet("Breaks");
      assertThat(breaks.getLastRowNum()).isEqualTo(10);
      assertThat(book.getSheet("By kind").getRow(1).getCell(2).getCellType()).isEqualTo(CellType.NUMERIC);
      assertThat(book.getSheet("By age").getRow(1).getCell(0).getStringCellValue()).isEqualTo("0-1 days");
    }

    Path one = dir.resolve("run.xlsx");
    Cli.Run single = cli.run("report", "--run", run, "--xlsx", one.toString(), "--html",
        dir.resolve("run.html").toString(), "--format", "json");
    assertThat(single.exitCode()).as(single.err()).isZero();
    assertThat(json(single).get("sources")).singleElement()
        .satisfies(s -> assertThat(s.get("break_count").asText()).isEqualTo(expected.get("alipay")[0]));
  }

  @Test
  void aDayWithoutRunsAnUnknownRunAndNoOutputAreRefusedWithoutWritingAFile() {
    Path html = dir.resolve("empty.html");
    Cli.Run none = cli.run("report", "--day", "2024-09-20", "--html", html.toString());
    assertThat(none.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(none.err()).contains("No reconciliation runs for 2024-09-20 (Asia/Shanghai): nothing written");
    Cli.Run unknown = cli.run("report", "--run", "999999", "--html", html.toString());
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(unknown.err()).contains("Run 999999 does not exist");
    assertThat(html).doesNotExist();
    assertThat(cli.run("report", "--day", "2024-09-12").exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(cli.run("report", "--day", "2024-09-12", "--run", "1", "--html", html.toString()).exitCode())
        .isEqualTo(ExitCode.USAGE);
    assertThat(cli.run("report", "--day", "2024-09-12", "--html", dir.resolve("no/such/dir.html").toString())
        .exitCode()).isEqualTo(ExitCode.USAGE);
  }
}
