package dev.ledger.cli;

/** Exit codes of DESIGN.md section 5; batch jobs script against them. */
public final class ExitCode {
  public static final int OK = 0;
  public static final int BREAKS_FOUND = 1;
  public static final int USAGE = 2;
  public static final int INPUT_REJECTED = 3;
  public static final int INTEGRITY_VIOLATION = 4;
  public static final int ENVIRONMENT = 5;

  private ExitCode() {}
}
