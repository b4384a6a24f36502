package dev.ledger.statement;

import java.io.InputStream;

/**
 * Streams one statement file into a handler in memory independent of the file's size. Throws
 * {@link StatementException} naming the file and line for anything it cannot read unambiguously;
 * the handler may already have received lines, so callers store nothing until parsing returned
 * normally. Figures that the file asserts and its lines contradict, and a file that stops short,
 * are not errors: they are reported in {@link StatementInfo} and the caller decides.
 */
public interface StatementParser {
  void parse(InputStream input, String fileName, StatementHandler handler);

  /**
   * Whether the entry of a {@code .zip} archive called {@code name} holds this parser's file (the
   * Alipay download holds a detail and a summary CSV, for example). The default takes any entry.
   */
  default boolean acceptsArchiveEntry(String name) {
    return true;
  }
}
