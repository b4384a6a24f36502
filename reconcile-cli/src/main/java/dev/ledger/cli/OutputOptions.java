package dev.ledger.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import picocli.CommandLine.Option;

/**
 * The shared --format, --output and --bom options: a table on a terminal, JSON when piped (batch
 * jobs), CSV or an XLSX workbook for finance.
 */
public final class OutputOptions {
  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description = "table, json, csv or xlsx (default: table on a terminal, json otherwise); "
          + "xlsx needs --output")
  String format;

  @Option(names = "--output", paramLabel = "FILE",
      description = "write the result to FILE instead of standard output (required for xlsx)")
  Path file;

  @Option(names = "--bom", description = "start CSV with a UTF-8 byte order mark, so that Excel reads "
      + "Chinese text right")
  boolean bom;

  public OutputFormat format() {
    if (format == null) {
      return System.console() != null ? OutputFormat.TABLE : OutputFormat.JSON;
    }
    return switch (format.toLowerCase(java.util.Locale.ROOT)) {
      case "table" -> OutputFormat.TABLE;
      case "json" -> OutputFormat.JSON;
      case "csv" -> OutputFormat.CSV;
      case "xlsx" -> OutputFormat.XLSX;
      default -> throw new CliException(ExitCode.USAGE,
          "Unknown --format '" + format + "': use table, json, csv or xlsx");
    };
  }

  /** Usage errors (exit 2) before anything runs: xlsx without a file, --bom without CSV. */
  public void check() {
    OutputFormat chosen = format();
    if (chosen == OutputFormat.XLSX && file == null) {
      throw new CliException(ExitCode.USAGE, "--format xlsx writes a workbook: add --output FILE.xlsx");
    }
    if (bom && chosen != OutputFormat.CSV) {
      throw new CliException(ExitCode.USAGE, "--bom applies to --format csv only");
    }
    if (file != null && Files.isDirectory(file)) {
      throw new CliException(ExitCode.USAGE, "--output " + file + " is a directory: name a file");
    }
  }

  /** The file given with --output, or null for standard output. */
  public Path file() {
    return file;
  }

  /** Prints {@code json} or {@code table}, as the format says, to {@code out} or --output. */
  public void print(PrintWriter out, Object json, Table table) {
    OutputFormat chosen = format();
    if (chosen == OutputFormat.XLSX) {
      write(stream -> table.writeXlsx(stream));
      return;
    }
    if (file == null) {
      switch (chosen) {
        case JSON -> Json.print(out, json);
        case CSV -> {
          if (bom) {
            out.print('\uFEFF');
          }
          table.printCsv(out);
        }
        default -> table.printTable(out);
      }
      return;
    }
    write(stream -> {
      PrintWriter writer = new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
      switch (chosen) {
        case JSON -> Json.print(writer, json);
        case CSV -> {
          if (bom) {
            writer.print('\uFEFF');
          }
          table.printCsv(writer);
        }
        default -> table.printTable(writer, Integer.MAX_VALUE);
      }
      writer.flush();
    });
  }

  /** What writes the --output file. */
  @FunctionalInterface
  public interface FileWriting {
    void write(OutputStream out) throws IOException;
  }

  /**
   * Writes --output through a temporary file beside it, moved into place when complete, so that a
   * failure never leaves half a workbook under the name a user opens.
   */
  public void write(FileWriting writing) {
    Path target = file.toAbsolutePath();
    Path temporary = null;
    try {
      Path dir = target.getParent();
      if (dir != null && !Files.isDirectory(dir)) {
        throw CliException.inputRejected("--output " + file + ": directory " + dir + " does not exist");
      }
      temporary = Files.createTempFile(dir, "." + target.getFileName(), ".part");
      try (OutputStream stream = Files.newOutputStream(temporary)) {
        writing.write(stream);
      }
      Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      temporary = null;
    } catch (IOException e) {
      throw new CliException(ExitCode.ENVIRONMENT, "Cannot write --output " + file + ": " + e.getMessage(), e);
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // the failure above is the one to report
        }
      }
    }
  }

  /**
   * Rows written as they come, in the chosen format, for results that must not be held in memory:
   * a JSON array streamed element by element, CSV lines, a table with fixed column widths
   * ({@link Table.Stream}), or a streamed XLSX sheet written to --output on {@link Rows#close}.
   */
  public Rows rows(PrintWriter out, java.util.List<String> headers, int[] tableWidths) {
    return rows(out, headers, headers, tableWidths);
  }

  /** As {@link #rows(PrintWriter, java.util.List, int[])}, with shorter headers for a narrow table. */
  public Rows rows(PrintWriter out, java.util.List<String> headers, java.util.List<String> tableHeaders,
      int[] tableWidths) {
    return new Rows(this, format(), out, format() == OutputFormat.TABLE ? tableHeaders : headers, tableWidths);
  }

  /** See {@link #rows}. Not thread-safe. */
  public static final class Rows implements AutoCloseable {
    private final OutputOptions options;
    private final OutputFormat format;
    private final java.util.List<String> headers;
    private final PrintWriter out;
    private final OutputStream fileStream;
    private final Path temporary;
    private com.fasterxml.jackson.core.JsonGenerator json;
    private Table.Stream table;
    private Table.Xlsx xlsx;
    private boolean closed;

    private Rows(OutputOptions options, OutputFormat format, PrintWriter stdout, java.util.List<String> headers,
        int[] tableWidths) {
      this.options = options;
      this.format = format;
      this.headers = java.util.List.copyOf(headers);
      try {
        if (options.file != null && format != OutputFormat.XLSX) {
          Path target = options.file.toAbsolutePath();
          temporary = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
          fileStream = Files.newOutputStream(temporary);
          out = new PrintWriter(new java.io.BufferedWriter(new OutputStreamWriter(fileStream, StandardCharsets.UTF_8)));
        } else {
          temporary = null;
          fileStream = null;
          out = stdout;
        }
        switch (format) {
          case JSON -> {
            json = Json.MAPPER.getFactory().createGenerator(out).useDefaultPrettyPrinter();
            json.writeStartArray();
          }
          case CSV -> {
            if (options.bom) {
              out.print('\uFEFF');
            }
            out.println(Table.csvLine(headers));
          }
          case XLSX -> xlsx = new Table.Xlsx(headers, true);
          default -> table = new Table.Stream(out, headers, tableWidths,
              options.file == null ? Table.terminalWidth() : 200);
        }
      } catch (IOException e) {
        throw new CliException(ExitCode.ENVIRONMENT, "Cannot write " + where() + ": " + e.getMessage(), e);
      }
    }

    private String where() {
      return options.file == null ? "the output" : "--output " + options.file;
    }

    public OutputFormat format() {
      return format;
    }

    /** One row: {@code object} for JSON, {@code cells} (in header order) for the other formats. */
    public void row(com.fasterxml.jackson.databind.JsonNode object, String... cells) {
      try {
        switch (format) {
          case JSON -> json.writeTree(object);
          case CSV -> out.println(Table.csvLine(java.util.Arrays.asList(cells)));
          case XLSX -> xlsx.row(cells);
          default -> table.row(cells);
        }
      } catch (IOException e) {
        throw new CliException(ExitCode.ENVIRONMENT, "Cannot write " + where() + ": " + e.getMessage(), e);
      }
    }

    /**
     * Without {@link #finish()} first (a failure midway), an --output file is not created: the
     * partial one is deleted.
     */
    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      out.flush();
      try {
        if (xlsx != null) {
          xlsx.close();
        }
        if (fileStream != null) {
          out.close();
        }
        if (temporary != null) {
          Files.deleteIfExists(temporary);
        }
      } catch (IOException ignored) {
        // the failure that stopped the rows is the one to report
      }
    }

    /** Ends the output; an XLSX or --output file is moved into place only now, complete. */
    public void finish() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (json != null) {
          json.writeEndArray();
          json.flush();
          out.println();
        }
        out.flush();
        if (xlsx != null) {
          try (Table.Xlsx workbook = xlsx) {
            options.write(workbook::write);
          }
        }
        if (fileStream != null) {
          out.close();
          if (out.checkError()) {
            throw new IOException("write failed");
          }
          Files.move(temporary, options.file.toAbsolutePath(), StandardCopyOption.REPLACE_EXISTING,
              StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (IOException e) {
        throw new CliException(ExitCode.ENVIRONMENT, "Cannot write " + where() + ": " + e.getMessage(), e);
      } finally {
        if (temporary != null) {
          try {
            Files.deleteIfExists(temporary);
          } catch (IOException ignored) {
            // the failure above is the one to report
          }
        }
      }
    }
  }
}
