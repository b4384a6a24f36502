package dev.ledger.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementParsersTest {
  @Test
  void everySourceNameGivesItsParser() {
    assertThat(StatementParsers.forSource("wechatpay")).isInstanceOf(WechatPayBillParser.class);
    assertThat(StatementParsers.forSource("alipay")).isInstanceOf(AlipayBillParser.class);
    assertThat(StatementParsers.forSource("mt940")).isInstanceOf(Mt940Parser.class);
    assertThat(StatementParsers.forSource("camt054")).isInstanceOf(CamtParser.class);
    CsvMapping mapping = CsvMapping.of(Map.of("datetime", "d", "amount", "a", "fixed_currency", "CNY"));
    assertThat(StatementParsers.forSource("csv", mapping).source()).isEqualTo("csv");
  }

  @Test
  void unknownSourceOrCsvWithoutMappingIsACallerMistake() {
    assertThatThrownBy(() -> StatementParsers.forSource("paypal")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("wechatpay");
    assertThatThrownBy(() -> StatementParsers.forSource("csv")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mapping");
  }

  @Test
  void parseAllReadsAFileByPath(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bill.csv");
    Files.write(file, Fixtures.resource("wechatpay/all.csv"));

    assertThat(StatementParsers.parseAll(StatementParsers.forSource("wechatpay"), file))
        .singleElement().satisfies(s -> assertThat(s.lines()).hasSize(4));
  }

  @Test
  void missingFileIsAStatementError(@TempDir Path dir) {
    assertThatThrownBy(() -> StatementParsers.parseAll(new Mt940Parser(), dir.resolve("nope.sta")))
        .isInstanceOf(StatementException.class).hasMessageStartingWith("nope.sta");
  }
}
