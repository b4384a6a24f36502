package dev.ledger.cli;

/** How a command prints its result. */
public enum OutputFormat {
  /** Aligned columns fitted to the terminal width. */
  TABLE,
  JSON,
  /** RFC 4180 CSV, formula injection neutralised; --bom prefixes a UTF-8 byte order mark for Excel. */
  CSV,
  /** An Excel workbook written to --output: amounts as exact numeric cells, text as text. */
  XLSX
}
