package dev.ledger.cli;

import dev.ledger.db.LedgerDatabase;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** {@code ledger --version}: the build's version and time, and the schema version it migrates to. */
public final class LedgerVersion implements IVersionProvider {
  @Override
  public String[] getVersion() {
    Properties build = new Properties();
    try (InputStream in = LedgerVersion.class.getResourceAsStream("ledger-version.properties")) {
      if (in != null) {
        build.load(in);
      }
    } catch (IOException e) {
      // An unreadable resource leaves the version unknown, never a failed --version.
    }
    String version = build.getProperty("version", "unknown");
    String built = build.getProperty("built", "");
    String schema = LedgerDatabase.shippedSchemaVersion();
    return new String[] {
      "ledger " + version + (built.isEmpty() || built.startsWith("$") ? "" : " (built " + built + ")"),
      "schema version " + (schema == null ? "unknown" : schema) + " (Flyway migrations in db/migration)",
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
