package dev.ledger.cli;

/** How a command prints its result. */
public enum OutputFormat {
  TABLE,
  JSON,
  CSV
}
