package dev.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void defusesEveryFormulaPrefixButLeavesPlainNumbersAlone() {
    assertThat(Table.csvCell("=1+1")).isEqualTo("\"'=1+1\"");
    assertThat(Table.csvCell("+cmd")).isEqualTo("\"'+cmd\"");
    assertThat(Table.csvCell("-2+3")).isEqualTo("\"'-2+3\"");
    assertThat(Table.csvCell("@SUM(A1)")).isEqualTo("\"'@SUM(A1)\"");
    assertThat(Table.csvCell("\tx")).isEqualTo("\"'\tx\"");
    assertThat(Table.csvCell("-12.50")).isEqualTo("-12.50");
    assertThat(Table.csvCell("a,b")).isEqualTo("\"a,b\"");
    assertThat(Table.csvCell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
  }

  @Test
  void alignsNumbersRightAndCountsChineseCharactersAsTwoColumns() {
    StringWriter out = new StringWriter();
    new Table("name", "amount").row("午餐", "1.00").row("coffee", "12.50").printTable(new PrintWriter(out));
    assertThat(out.toString()).isEqualTo("""
        name    amount
        ------  ------
        午餐      1.00
        coffee   12.50
        """);
  }

  @Test
  void aTableWiderThanTheTerminalCutsTheWidestTextColumnNeverANumber() {
    StringWriter out = new StringWriter();
    new Table("id", "description", "amount")
        .row("pay-1", "a very long description that would wrap on any terminal", "123456789.01")
        .printTable(new PrintWriter(out), 40);
    String[] lines = out.toString().split(System.lineSeparator());
    assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(40));
    assertThat(lines[2]).startsWith("pay-1  a very long").contains("\u2026").endsWith("123456789.01");
  }

  @Test
  void aStreamedTableSharesTheWidthLeftAmongItsTextColumns() {
    StringWriter out = new StringWriter();
    PrintWriter writer = new PrintWriter(out);
    Table.Stream stream = new Table.Stream(writer, java.util.List.of("time", "text", "amount"), new int[] {4, -1, 6}, 30);
    stream.row("0912", "x".repeat(50), "1.00");
    writer.flush();
    String[] lines = out.toString().split(System.lineSeparator());
    assertThat(lines[2]).hasSize(30).endsWith("  1.00").contains("\u2026");
  }
}
