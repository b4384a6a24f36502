package dev.ledger.cli.statements;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.cli.Cli;
import dev.ledger.cli.ExitCode;
import dev.ledger.cli.Json;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.poi.ss.usermodel.CellType;
import org.apache.poi.xssf.usermodel.XSSFCell;
import org.apache.poi.xssf.usermodel.XSSFRow;
import org.apache.poi.xssf.usermodel.XSSFSheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports on the demo ledger (Asia/Shanghai): they agree with the trial balance and with each other. */
class DemoReportsTest {
  private static final Cli CLI = new Cli();
  @TempDir static Path dir;

  @BeforeAll
  static void demo() {
    Cli.Run demo = CLI.run("demo", "--out", dir.toString(), "--format", "json");
    assertThat(demo.exitCode()).as(demo.err()).isZero();
  }

  private static JsonNode json(String... args) throws Exception {
    Cli.Run run = CLI.run(args);
    assertThat(run.exitCode()).as(run.err()).isZero();
    return Json.MAPPER.readTree(run.out());
  }

  /** Balance in the normal direction per "account currency" from the trial balance. */
  private static Map<String, BigDecimal> trial(String... extra) throws Exception {
    String[] args = new String[2 + extra.length];
    args[0] = "trial-balance";
    args[1] = "--format=json";
    System.arraycopy(extra, 0, args, 2, extra.length);
    Map<String, BigDecimal> balances = new HashMap<>();
    for (JsonNode line : json(args).get("accounts")) {
      balances.put(line.get("account").asText() + " " + line.get("currency").asText(),
          new BigDecimal(line.get("balance").asText()));
    }
    return balances;
  }

  private static BigDecimal typeTotal(Map<String, BigDecimal> trial, String type, String currency) {
    return trial.entrySet().stream().filter(e -> e.getKey().startsWith(type + ":") && e.getKey().endsWith(" " + currency))
        .map(Map.Entry::getValue).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static BigDecimal sectionTotal(JsonNode report, String section, String currency, int column) {
    for (JsonNode s : report.get("sections")) {
      if (s.get("section").asText().equals(section)) {
        for (JsonNode total : s.get("totals")) {
          if (total.get("currency").asText().equals(currency)) {
            return new BigDecimal(total.get("amounts").get(column).asText());
          }
        }
      }
    }
    return BigDecimal.ZERO;
  }

  private static BigDecimal netIncome(JsonNode report, String currency, int column) {
    for (JsonNode n : report.get("net_income")) {
      if (n.get("currency").asText().equals(currency)) {
        return new BigDecimal(n.get("amounts").get(column).asText());
      }
    }
    return BigDecimal.ZERO;
  }

  @Test
  void asOfADateCountsShanghaisDayAndExcludesOneAmInShanghaiOnTheNextDay() throws Exception {
    assertThat(json("init", "--format", "json").get("zone").asText()).isEqualTo("Asia/Shanghai");
    String late = "{\"id\":\"late-night-fee\",\"effective_at\":\"2024-09-13T01:00:00+08:00\",\"description\":\"bank fee\","
        + "\"postings\":[{\"account\":\"expenses:fees:bank\",\"currency\":\"CNY\",\"debit\":\"7.00\"},"
        + "{\"account\":\"assets:bank:icbc:main\",\"currency\":\"CNY\",\"credit\":\"7.00\"}]}";
    Path file = Files.writeString(dir.resolve("late.jsonl"), late, StandardCharsets.UTF_8);
    assertThat(CLI.run("post", "--file", file.toString()).exitCode()).isZero();

    BigDecimal shanghaiDay = new BigDecimal(json("balance", "assets:bank:icbc:main", "--as-of", "2024-09-12",
        "--format", "json").get("balances").get(0).get("balance").asText());
    BigDecimal utcDay = new BigDecimal(json("balance", "assets:bank:icbc:main", "--as-of", "2024-09-12",
        "--tz", "UTC", "--format", "json").get("balances").get(0).get("balance").asText());
    BigDecimal now = new BigDecimal(json("balance", "assets:bank:icbc:main", "--format", "json")
        .get("balances").get(0).get("balance").asText());
    // 01:00 in Shanghai on the 13th is 17:00 UTC on the 12th: in UTC's 12 September, not Shanghai's.
    assertThat(shanghaiDay.subtract(utcDay)).isEqualByComparingTo("7.00");
    assertThat(shanghaiDay.subtract(now)).isEqualByComparingTo("7.00");
  }

  @Test
  void balanceSheetAndIncomeStatementAgreeWithTheTrialBalance() throws Exception {
    Map<String, BigDecimal> trial = trial("--as-of", "2024-09-12");
    JsonNode sheet = json("balancesheet", "--as-of", "2024-09-12", "--format", "json");
    JsonNode income = json("incomestatement", "--as-of", "2024-09-12", "--format", "json");
    assertThat(sheet.get("balanced").asBoolean()).isTrue();
    for (String currency : new String[] {"CNY", "USD"}) {
      BigDecimal assets = sectionTotal(sheet, "assets", currency, 0);
      BigDecimal liabilities = sectionTotal(sheet, "liabilities", currency, 0);
      BigDecimal equity = sectionTotal(sheet, "equity", currency, 0);
      BigDecimal revenue = sectionTotal(income, "income", currency, 0);
      BigDecimal expenses = sectionTotal(income, "expenses", currency, 0);
      assertThat(assets).as(currency).isEqualByComparingTo(typeTotal(trial, "assets", currency));
      assertThat(liabilities).as(currency).isEqualByComparingTo(typeTotal(trial, "liabilities", currency));
      assertThat(equity).as(currency).isEqualByComparingTo(typeTotal(trial, "equity", currency));
      assertThat(revenue).as(currency).isEqualByComparingTo(typeTotal(trial, "income", currency));
      assertThat(expenses).as(currency).isEqualByComparingTo(typeTotal(trial, "expenses", currency));
      assertThat(netIncome(income, currency, 0)).as(currency).isEqualByComparingTo(revenue.subtract(expenses));
      assertThat(netIncome(sheet, currency, 0)).as(currency).isEqualByComparingTo(revenue.subtract(expenses));
      assertThat(assets).as(currency).isEqualByComparingTo(liabilities.add(equity).add(revenue.subtract(expenses)));
    }
    assertThat(sectionTotal(income, "income", "CNY", 0)).isPositive();
  }

  @Test
  void monthlyColumnsEndInTheZoneAndMovementsAddUpToTheWhole() throws Exception {
    JsonNode monthly = json("incomestatement", "--from", "2024-08", "--as-of", "2024-10", "--monthly", "--format", "json");
    assertThat(monthly.get("periods")).extracting(p -> p.get("label").asText())
        .containsExactly("2024-08", "2024-09", "2024-10");
    assertThat(monthly.get("periods").get(1).get("to").asText()).isEqualTo("2024-09-30T23:59:59.999999+08:00");
    JsonNode whole = json("incomestatement", "--from", "2024-08", "--as-of", "2024-10", "--format", "json");
    BigDecimal sum = BigDecimal.ZERO;
    for (int i = 0; i < 3; i++) {
      sum = sum.add(netIncome(monthly, "CNY", i));
    }
    assertThat(sum).isEqualByComparingTo(netIncome(whole, "CNY", 0));
    JsonNode quarterly = json("balancesheet", "--from", "2024-07", "--as-of", "2024-09-30", "--quarterly", "--format", "json");
    assertThat(quarterly.get("periods")).extracting(p -> p.get("label").asText()).containsExactly("2024-Q3");
    assertThat(quarterly.get("balanced").asBoolean()).isTrue();
  }

  @Test
  void balanceDepthShowsAnIndentedTreeWithSubtotals() throws Exception {
    Cli.Run table = CLI.run("balance", "assets", "--depth", "2", "--as-of", "2024-09-12", "--format", "table");
    assertThat(table.exitCode()).as(table.err()).isZero();
    assertThat(table.out()).contains("\nassets ").contains("\n  bank ").contains("\n  wallet ")
        .doesNotContain("icbc");
    JsonNode tree = json("balance", "assets", "--depth", "3", "--as-of", "2024-09-12", "--format", "json");
    BigDecimal bank = BigDecimal.ZERO;
    BigDecimal children = BigDecimal.ZERO;
    for (JsonNode node : tree.get("accounts")) {
      if (!node.get("currency").asText().equals("CNY")) {
        continue;
      }
      if (node.get("account").asText().equals("assets:bank")) {
        bank = new BigDecimal(node.get("balance").asText());
      } else if (node.get("account").asText().startsWith("assets:bank:")) {
        assertThat(node.get("depth").asInt()).isEqualTo(3);
        children = children.add(new BigDecimal(node.get("balance").asText()));
      }
    }
    assertThat(bank).isPositive().isEqualByComparingTo(children);
  }

  @Test
  void entriesShowPrintsPostingsHashesAndTheReversalLinkAndRefusesAnUnknownId() throws Exception {
    String id = json("history", "income:commission", "--limit", "1", "--format", "json").get(0).get("entry_id").asText();
    Cli.Run reverse = CLI.run("reverse", id, "--id", id + "-rev", "--reason", "test");
    assertThat(reverse.exitCode()).as(reverse.err()).isZero();
    JsonNode entry = json("entries", "show", id, "--format", "json");
    assertThat(entry.get("id").asText()).isEqualTo(id);
    assertThat(entry.get("postings").size()).isGreaterThanOrEqualTo(2);
    assertThat(entry.get("content_hash").asText()).hasSize(64);
    assertThat(entry.get("reversed_by").asText()).isEqualTo(id + "-rev");
    assertThat(entry.get("recorded_at").asText()).endsWith("+08:00");
    assertThat(entry.get("chain").get("hash").asText()).hasSize(64);
    JsonNode reversal = json("entries", "show", id + "-rev", "--format", "json");
    assertThat(reversal.get("reversal_of").asText()).isEqualTo(id);
    Cli.Run table = CLI.run("entries", "show", id, "--format", "table");
    assertThat(table.out()).contains("content hash").containsPattern("reversed by +" + id + "-rev").contains("income:commission");

    Cli.Run unknown = CLI.run("entries", "show", "no-such-entry");
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(unknown.err()).contains("No entry with id 'no-such-entry'");
  }

  @Test
  void anXlsxExportHoldsTheSameFiguresAsTheJsonAsNumbers() throws Exception {
    Path xlsx = dir.resolve("trial.xlsx");
    Cli.Run run = CLI.run("trial-balance", "--as-of", "2024-09-12", "--format", "xlsx", "--output", xlsx.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
    JsonNode json = json("trial-balance", "--as-of", "2024-09-12", "--format", "json");
    try (InputStream in = Files.newInputStream(xlsx); XSSFWorkbook workbook = new XSSFWorkbook(in)) {
      XSSFSheet sheet = workbook.getSheetAt(0);
      assertThat(sheet.getRow(0).getCell(0).getStringCellValue()).isEqualTo("account");
      int rows = 0;
      for (JsonNode line : json.get("accounts")) {
        XSSFRow row = sheet.getRow(++rows);
        assertThat(row.getCell(0).getStringCellValue()).isEqualTo(line.get("account").asText());
        assertThat(row.getCell(1).getStringCellValue()).isEqualTo(line.get("currency").asText());
        for (int c = 2; c <= 4; c++) {
          XSSFCell cell = row.getCell(c);
          assertThat(cell.getCellType()).isEqualTo(CellType.NUMERIC);
          String field = new String[] {"debits", "credits", "balance"}[c - 2];
          assertThat(new BigDecimal(cell.getRawValue())).isEqualTo(new BigDecimal(line.get(field).asText()));
        }
      }
      assertThat(sheet.getRow(rows + 1).getCell(0).getStringCellValue()).isEqualTo("TOTAL");
    }

    Path history = dir.resolve("history.xlsx");
    assertThat(CLI.run("history", "assets:bank", "--format", "xlsx", "--output", history.toString()).exitCode()).isZero();
    JsonNode lines = json("history", "assets:bank", "--format", "json");
    try (InputStream in = Files.newInputStream(history); XSSFWorkbook workbook = new XSSFWorkbook(in)) {
      XSSFSheet sheet = workbook.getSheetAt(0);
      assertThat(sheet.getLastRowNum()).isEqualTo(lines.size());
      XSSFRow first = sheet.getRow(1);
      assertThat(first.getCell(1).getStringCellValue()).isEqualTo(lines.get(0).get("entry_id").asText());
      assertThat(BigDecimal.valueOf(first.getCell(6).getNumericCellValue()))
          .isEqualByComparingTo(lines.get(0).get("balance").asText());
    }

    Cli.Run noFile = CLI.run("trial-balance", "--format", "xlsx");
    assertThat(noFile.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(noFile.err()).contains("--output");
  }

  @Test
  void csvForExcelStartsWithAByteOrderMark() throws Exception {
    Path csv = dir.resolve("accounts.csv");
    Cli.Run run = CLI.run("trial-balance", "--format", "csv", "--bom", "--output", csv.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    byte[] bytes = Files.readAllBytes(csv);
    assertThat(new String(bytes, 0, 3, StandardCharsets.ISO_8859_1)).isEqualTo("\u00ef\u00bb\u00bf");
    assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("account,currency,debits,credits,balance");
    assertThat(CLI.run("trial-balance", "--format", "json", "--bom").exitCode()).isEqualTo(ExitCode.USAGE);
  }
}
