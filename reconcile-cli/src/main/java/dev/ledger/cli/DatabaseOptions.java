package dev.ledger.cli;

import dev.ledger.db.LedgerDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

  @Option(names = "--statement-timeout", paramLabel = "DURATION",
      description = "cancel any database statement running longer, e.g. 30s, 5min, 1h "
          + "(default: $LEDGER_STATEMENT_TIMEOUT, else 5min)")
  String statementTimeout;

  /** Where LEDGER_* settings come from: the process environment, or a test's map (Cli). */
  private final Function<String, String> environment;

  public DatabaseOptions() {
    this(System::getenv);
  }

  DatabaseOptions(Function<String, String> environment) {
    this.environment = environment;
  }

  /** A setting from the environment, or null when it is unset or blank. */
  public String env(String name) {
    String value = environment.apply(name);
    return value == null || value.isBlank() ? null : value;
  }

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|min|h)?");

  public String url() {
    if (url != null && !url.isBlank()) {
      return url;
    }
    return env("LEDGER_DB_URL");
  }

  public Path dataDir() {
    if (dataDir != null) {
      return dataDir;
    }
    String env = env("LEDGER_HOME");
    if (env != null) {
      return Path.of(env);
    }
    // $HOME as the shell has it, so that ~/.ledger in a command line is this directory; Java's
    // user.home comes from the password database and ignores HOME.
    String home = env("HOME");
    return Path.of(home != null ? home : System.getProperty("user.home"), ".ledger");
  }

  /** The statement timeout for every connection; a plain number is seconds. */
  public Duration statementTimeout() {
    String value = statementTimeout;
    String source = "--statement-timeout";
    if (value == null || value.isBlank()) {
      value = env("LEDGER_STATEMENT_TIMEOUT");
      source = "LEDGER_STATEMENT_TIMEOUT";
    }
    if (value == null || value.isBlank()) {
      return LedgerDatabase.DEFAULT_STATEMENT_TIMEOUT;
    }
    Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      Duration duration = switch (unit) {
        case "ms" -> Duration.ofMillis(amount);
        case "min" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofSeconds(amount);
      };
      if (!duration.isZero() && duration.toMillis() <= Integer.MAX_VALUE) {
        return duration;
      }
    }
    throw new CliException(ExitCode.USAGE, source + " must be a positive duration of at most 596h "
        + "such as 30s, 5min or 1h, but was '" + value + "'");
  }

  /**
   * How long the embedded server stays up after the last command: LEDGER_IDLE_MINUTES (0 stops it
   * when the command ends), else 10 minutes.
   */
  public Duration idle() {
    String value = env("LEDGER_IDLE_MINUTES");
    if (value == null) {
      return dev.ledger.db.embedded.EmbeddedDatabase.DEFAULT_IDLE;
    }
    try {
      long minutes = Long.parseLong(value.trim());
      if (minutes >= 0 && minutes <= 7 * 24 * 60) {
        return Duration.ofMinutes(minutes);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CliException(ExitCode.USAGE, "LEDGER_IDLE_MINUTES must be a whole number of minutes from 0 "
        + "(stop the embedded server when the command ends) to 10080, but was '" + value + "'");
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
