package dev.ledger.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the ledger lives: an external PostgreSQL by JDBC URL (credentials from LEDGER_DB_USER and
 * LEDGER_DB_PASSWORD, never from the command line), or else the embedded PostgreSQL in the data
 * directory.
 */
public final class DatabaseOptions {
  @Option(names = "--db", paramLabel = "JDBC_URL",
      description = "external PostgreSQL JDBC URL (default: $LEDGER_DB_URL, else the embedded database)")
  String url;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "data directory of the embedded database (default: $LEDGER_HOME, else ~/.ledger)")
  Path dataDir;

  public String url() {
    if (url != null && !url.isBlank()) {
      return url;
    }
    String env = System.getenv("LEDGER_DB_URL");
    return env == null || env.isBlank() ? null : env;
  }

  public Path dataDir() {
    if (dataDir != null) {
      return dataDir;
    }
    String env = System.getenv("LEDGER_HOME");
    return env == null || env.isBlank() ? Path.of(System.getProperty("user.home"), ".ledger") : Path.of(env);
  }

  /** Refuses URLs that carry a password: it would end up in shell history and process lists. */
  public void checkNoPasswordInUrl(String jdbcUrl) {
    String lower = jdbcUrl.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("password=") || lower.matches("jdbc:postgresql://[^/@]*:[^/@]*@.*")) {
      throw new CliException(ExitCode.USAGE,
          "The database URL must not contain a password: set LEDGER_DB_PASSWORD instead");
    }
  }
}
