package dev.ledger.cli.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.ledger.cli.Json;
import dev.ledger.journal.Entry;
import dev.ledger.statement.LineReader;
import dev.ledger.statement.StatementException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON Lines file of entries, read completely before anything is posted: every bad line is
 * reported (file:line and entry id), not only the first. Strict (DESIGN section 6): exactly one
 * JSON object per physical line, no duplicate keys, nothing after the object, strict UTF-8.
 * Remembers the line of every entry so that rejections made later (id conflicts, overdrafts)
 * name it too.
 */
public record EntryFile(String name, List<Entry> entries, List<String> failures, Map<String, Long> lines) {
  private static final int LINE_LENGTH_MAX = 4 * 1024 * 1024;
  // Duplicate keys and trailing tokens would otherwise be resolved silently (last key wins,
  // a second object on the line dropped).
  private static final ObjectReader STRICT = Json.MAPPER.reader()
      .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  public EntryFile {
    entries = List.copyOf(entries);
    failures = List.copyOf(failures);
    lines = Map.copyOf(lines);
  }

  /** "entries.jsonl:12" for an entry of this file, or the file name when the id is not one of its entries. */
  public String where(String entryId) {
    Long line = entryId == null ? null : lines.get(entryId);
    return line == null ? name : name + ":" + line;
  }

  public static EntryFile read(Path file) throws IOException {
    List<Entry> entries = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    Map<String, Long> lines = new HashMap<>();
    String name = file.toString();
    try (InputStream in = Files.newInputStream(file)) {
      LineReader reader = new LineReader(in, StandardCharsets.UTF_8, name, LINE_LENGTH_MAX);
      String line;
      while (true) {
        try {
          line = reader.readLine();
        } catch (StatementException e) {
          failures.add(e.getMessage()); // names the physical line of the bad byte or the overlong line
          break;
        }
        if (line == null) {
          break;
        }
        long number = reader.lineNumber();
        if (line.isBlank()) {
          continue;
        }
        try {
          JsonNode node = STRICT.readTree(line);
          Entry entry = EntryJson.read(node);
          lines.putIfAbsent(entry.id(), number);
          entries.add(entry);
        } catch (JsonProcessingException e) {
          // Jackson's own wording names its classes; say what a user can fix instead.
          String why = e.getOriginalMessage().startsWith("Trailing token")
              ? "more after the first JSON object" : e.getOriginalMessage();
          failures.add(name + ":" + number + ": invalid JSON: " + why
              + " (one JSON object per line, no duplicate keys, nothing after the object)");
        } catch (IllegalArgumentException e) {
          failures.add(name + ":" + number + ": " + e.getMessage());
        }
      }
    }
    return new EntryFile(name, entries, failures, lines);
  }
}
