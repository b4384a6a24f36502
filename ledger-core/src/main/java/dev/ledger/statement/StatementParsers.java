package dev.ledger.statement;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The built-in parsers by source name, as given on the command line with {@code --source}. */
public final class StatementParsers {
  public static final List<String> SOURCES = List.of("wechatpay", "alipay", "mt940", "camt053", "csv");

  private StatementParsers() {}

  /** The parser for a source that needs no mapping (every source but csv). */
  public static StatementParser forSource(String source) {
    return forSource(source, null);
  }

  /**
   * The parser for {@code source}; {@code mapping} is required for csv and ignored otherwise.
   * camt052 and camt054 are accepted as names of the camt parser.
   */
  public static StatementParser forSource(String source, CsvMapping mapping) {
    if (source == null) {
      throw new IllegalArgumentException("source is required; one of " + SOURCES);
    }
    switch (source.toLowerCase(Locale.ROOT)) {
      case "wechatpay":
        return new WechatPayBillParser();
      case "alipay":
        return new AlipayBillParser();
      case "mt940":
        return new Mt940Parser();
      case "camt053":
      case "camt052":
      case "camt054":
        return new CamtParser();
      case "csv":
        if (mapping == null) {
          throw new IllegalArgumentException("source csv needs a mapping file (--mapping)");
        }
        return new CsvStatementParser(mapping);
      default:
        throw new IllegalArgumentException("unknown source '" + source + "'; one of " + SOURCES);
    }
  }

  /** Streams {@code file} through {@code parser}; errors name the file by its file name. */
  public static void parse(StatementParser parser, Path file, StatementHandler handler) {
    try (InputStream in = Files.newInputStream(file)) {
      parser.parse(new java.io.BufferedInputStream(in, 64 * 1024), String.valueOf(file.getFileName()), handler);
    } catch (IOException e) {
      throw new StatementException(String.valueOf(file.getFileName()), 0, "cannot read: " + e.getMessage(), e);
    }
  }

  /** Parses a whole (small) file into memory, for tests and the CLI's JSON output. */
  public static List<ParsedStatement> parseAll(StatementParser parser, Path file) {
    CollectingHandler handler = new CollectingHandler();
    parse(parser, file, handler);
    return handler.statements();
  }
}
