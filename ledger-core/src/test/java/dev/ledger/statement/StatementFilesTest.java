package dev.ledger.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ledger.statement.csv.CsvMapping;
import dev.ledger.statement.mt940.Mt940Parser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementFilesTest {
  @Test
  void everySourceNameGivesItsSourceAndParser() {
    for (Source source : Source.values()) {
      assertThat(Source.parse(source.wireName())).isSameAs(source);
    }
    assertThat(Source.parse("CAMT054")).isSameAs(Source.CAMT053);
    CsvMapping mapping = CsvMapping.of(Map.of("datetime", "d", "amount", "a", "fixed_currency", "CNY"));
    assertThat(Source.CSV.parser(mapping)).isNotNull();
  }

  @Test
  void unknownSourceOrCsvWithoutMappingIsACallerMistake() {
    assertThatThrownBy(() -> Source.parse("paypal")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("paypal").hasMessageContaining("wechatpay");
    assertThatThrownBy(() -> Source.CSV.parser()).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mapping");
  }

  @Test
  void parseAllReadsAFileByPath(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bill.csv");
    Files.write(file, Fixtures.resource("wechatpay/all.csv"));

    assertThat(StatementFiles.parseAll(Source.WECHATPAY.parser(), file))
        .singleElement().satisfies(s -> assertThat(s.lines()).hasSize(4));
  }

  @Test
  void gzipCompressedFileIsReadDirectly(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bill.csv.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(Fixtures.resource("wechatpay/all.csv"));
    }

    assertThat(StatementFiles.parseAll(Source.WECHATPAY.parser(), file))
        .singleElement().satisfies(s -> assertThat(s.lines()).hasSize(4));
  }

  @Test
  void zipArchiveEntryIsChosenByTheParserAndNamedInErrors(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bill.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new ZipEntry("broken.csv"));
      zip.write("not a bill\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      zip.closeEntry();
    }

    assertThatThrownBy(() -> StatementFiles.parseAll(Source.WECHATPAY.parser(), file))
        .isInstanceOf(StatementException.class).hasMessageStartingWith("bill.zip!broken.csv");
  }

  @Test
  void everyAcceptedPartOfAZipIsReadInNameOrder(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("month.zip");
    byte[] bill = Fixtures.resource("wechatpay/all.csv");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      for (String part : new String[] {"bill_2.csv", "bill_1.csv"}) {
        zip.putNextEntry(new ZipEntry(part));
        zip.write(bill);
        zip.closeEntry();
      }
    }

    assertThat(StatementFiles.parseAll(Source.WECHATPAY.parser(), file)).hasSize(2)
        .allSatisfy(s -> assertThat(s.lines()).hasSize(4));
  }

  @Test
  void aZipWithoutAnEntryOfTheSourceNamesItsEntries(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("download.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new ZipEntry("20881234_20240912_业务明细(汇总).csv"));
      zip.write("#支付宝业务明细查询(汇总)\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      zip.closeEntry();
    }

    assertThatThrownBy(() -> StatementFiles.parseAll(Source.ALIPAY.parser(), file))
        .isInstanceOf(StatementException.class).hasMessageStartingWith("download.zip")
        .hasMessageContaining("汇总");
  }

  @Test
  void truncatedGzipIsAStatementError(@TempDir Path dir) throws IOException {
    Path whole = dir.resolve("whole.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(whole))) {
      out.write(Fixtures.resource("wechatpay/all.csv"));
    }
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = dir.resolve("cut.gz");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> StatementFiles.parseAll(Source.WECHATPAY.parser(), cut))
        .isInstanceOf(StatementException.class).hasMessageStartingWith("cut.gz");
  }

  @Test
  void missingFileIsAStatementError(@TempDir Path dir) {
    assertThatThrownBy(() -> StatementFiles.parseAll(new Mt940Parser(), dir.resolve("nope.sta")))
        .isInstanceOf(StatementException.class).hasMessageStartingWith("nope.sta");
  }
}
