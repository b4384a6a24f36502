package dev.ledger.statement;

import java.nio.file.Path;

/**
 * A statement file that cannot be trusted: malformed, truncated, wrongly encoded, or disagreeing
 * with its own totals. The message names the file and line.
 */
public class StatementException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String file;
  private final long line;

  public StatementException(String file, long line, String problem) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem);
    this.file = file;
    this.line = line;
  }

  public StatementException(String file, long line, String problem, Throwable cause) {
    super(file + (line > 0 ? ":" + line : "") + ": " + problem, cause);
    this.file = file;
    this.line = line;
  }

  public static StatementException at(Path file, long line, String problem) {
    return new StatementException(String.valueOf(file.getFileName()), line, problem);
  }

  public String file() {
    return file;
  }

  /** 1-based physical line, or 0 when the problem concerns the whole file. */
  public long line() {
    return line;
  }
}
