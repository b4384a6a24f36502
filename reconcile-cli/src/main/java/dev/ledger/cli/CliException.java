package dev.ledger.cli;

/** A failure the command reports as one message and an exit code, without a stack trace. */
public class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public static CliException inputRejected(String message) {
    return new CliException(ExitCode.INPUT_REJECTED, message);
  }

  public int exitCode() {
    return exitCode;
  }
}
