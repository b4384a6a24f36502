package dev.ledger.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.math.BigInteger;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Enumeration;
import java.util.Optional;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fast path past Flyway for a schema that is already at this build's version: the versioned
 * migrations on the classpath ({@code db/migration/V*__*.sql}) against the successful rows of
 * {@code flyway_schema_history}. Flyway itself (configuration, classpath scan, validation) costs a
 * warm command more than the command's own work, so it runs only when the two differ: a new,
 * older, newer or half-migrated schema, which Flyway then migrates, or refuses with its reasons.
 * Each applied migration's recorded checksum is compared too, computed as Flyway computes it
 * (CRC32 of the file's lines), so an edited migration or a changed history still goes to Flyway's
 * validation and its error. Should the computation ever differ from Flyway's, the only cost is
 * the fast path: Flyway then runs as before.
 */
final class SchemaHistory {
  private static final Pattern VERSIONED = Pattern.compile("V([0-9][0-9._]*)__.+\\.sql");
  private static final String LOCATION = "db/migration";
  /** Version to checksum of the migrations this build ships, in Flyway's order. */
  private static volatile java.util.NavigableMap<String, Integer> shipped;

  private SchemaHistory() {}

  /** The applied version when it is exactly this build's, else empty (then Flyway decides). */
  static Optional<String> currentVersion(Connection c) throws SQLException {
    java.util.NavigableMap<String, Integer> expected = shipped();
    if (expected.isEmpty()) {
      return Optional.empty();
    }
    java.util.TreeMap<String, Integer> applied = new java.util.TreeMap<>(SchemaHistory::compare);
    try (Statement s = c.createStatement();
        ResultSet exists = s.executeQuery("SELECT to_regclass('flyway_schema_history') IS NOT NULL "
            + "AND has_table_privilege(to_regclass('flyway_schema_history'), 'SELECT')")) {
      exists.next();
      if (!exists.getBoolean(1)) {
        return Optional.empty();
      }
    }
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, success, checksum FROM flyway_schema_history")) {
      while (rs.next()) {
        String version = rs.getString(1);
        if (!rs.getBoolean(2)) {
          return Optional.empty(); // a failed migration: Flyway reports it
        }
        if (version != null) { // the schema-creation marker row has no version
          int checksum = rs.getInt(3);
          applied.put(version, rs.wasNull() ? null : checksum);
        }
      }
    }
    return applied.equals(expected) ? Optional.of(expected.lastKey()) : Optional.empty();
  }

  /** The versions of the migrations this build ships, in Flyway's order. */
  static TreeSet<String> shippedVersions() {
    TreeSet<String> versions = new TreeSet<>(SchemaHistory::compare);
    versions.addAll(shipped().keySet());
    return versions;
  }

  private static java.util.NavigableMap<String, Integer> shipped() {
    java.util.NavigableMap<String, Integer> versions = shipped;
    if (versions == null) {
      versions = scan();
      shipped = versions;
    }
    return versions;
  }

  private static java.util.NavigableMap<String, Integer> scan() {
    java.util.TreeMap<String, Integer> versions = new java.util.TreeMap<>(SchemaHistory::compare);
    try {
      Enumeration<URL> locations = SchemaHistory.class.getClassLoader().getResources(LOCATION);
      while (locations.hasMoreElements()) {
        URL url = locations.nextElement();
        if (url.getProtocol().equals("jar")) {
          JarURLConnection connection = (JarURLConnection) url.openConnection();
          connection.setUseCaches(false);
          try (JarFile jar = connection.getJarFile()) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
              String name = entries.nextElement().getName();
              if (name.startsWith(LOCATION + "/") && name.indexOf('/', LOCATION.length() + 1) < 0) {
                add(versions, name.substring(LOCATION.length() + 1));
              }
            }
          }
        } else if (url.getProtocol().equals("file")) {
          try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            files.forEach(file -> add(versions, file.getFileName().toString()));
          }
        }
      }
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return new java.util.TreeMap<>(); // cannot tell: let Flyway look
    }
    return versions;
  }

  private static void add(java.util.TreeMap<String, Integer> versions, String fileName) {
    Matcher m = VERSIONED.matcher(fileName);
    if (m.matches()) {
      versions.put(m.group(1).replace('_', '.'), checksum(LOCATION + "/" + fileName));
    }
  }

  /**
   * Flyway's checksum of a SQL migration: CRC32 over the UTF-8 bytes of each line without its line
   * break, the first line without a byte-order mark. Null when the file cannot be read.
   */
  static Integer checksum(String resource) {
    try (InputStream in = SchemaHistory.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 4096);
      CRC32 crc = new CRC32();
      String line = reader.readLine();
      if (line != null && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      while (line != null) {
        crc.update(line.getBytes(StandardCharsets.UTF_8));
        line = reader.readLine();
      }
      return (int) crc.getValue();
    } catch (IOException e) {
      return null;
    }
  }

  /** Flyway's version order: numeric parts compared one by one, "1.0" equal to "1". */
  static int compare(String a, String b) {
    String[] left = a.split("\\.");
    String[] right = b.split("\\.");
    for (int i = 0; i < Math.max(left.length, right.length); i++) {
      BigInteger l = i < left.length && !left[i].isEmpty() ? new BigInteger(left[i]) : BigInteger.ZERO;
      BigInteger r = i < right.length && !right[i].isEmpty() ? new BigInteger(right[i]) : BigInteger.ZERO;
      int c = l.compareTo(r);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
