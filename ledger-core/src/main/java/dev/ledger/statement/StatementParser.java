package dev.ledger.statement;

import java.io.InputStream;

/**
 * Streams one statement file into a handler in memory independent of the file's size. Throws
 * {@link StatementException} naming the file and line for anything it cannot trust; the handler
 * may already have received lines, so callers store nothing until parsing returned normally.
 */
public interface StatementParser {
  /** The source name used on the command line: wechatpay, alipay, mt940, camt053, csv. */
  String source();

  void parse(InputStream input, String fileName, StatementHandler handler);
}
