package dev.ledger.cli;

import picocli.CommandLine.Option;

/** The shared --format option: a table on a terminal, JSON when piped (batch jobs). */
public final class OutputOptions {
  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "table, json or csv (default: table on a terminal, json otherwise)")
  String format;

  public OutputFormat format() {
    if (format == null) {
      return System.console() != null ? OutputFormat.TABLE : OutputFormat.JSON;
    }
    return switch (format.toLowerCase(java.util.Locale.ROOT)) {
      case "table" -> OutputFormat.TABLE;
      case "json" -> OutputFormat.JSON;
      case "csv" -> OutputFormat.CSV;
      default -> throw new CliException(ExitCode.USAGE,
          "Unknown --format '" + format + "': use table, json or csv");
    };
  }
}
