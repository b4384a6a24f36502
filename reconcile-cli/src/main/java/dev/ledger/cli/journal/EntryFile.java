package dev.ledger.cli.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ledger.cli.Json;
import dev.ledger.journal.Entry;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStreamReader;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON Lines file of entries, read completely before anything is posted: every bad line is
 * reported (file:line and entry id), not only the first.
 */
public record EntryFile(List<Entry> entries, List<String> failures) {
  private static final int LINE_LENGTH_MAX = 4 * 1024 * 1024;

  public EntryFile {
    entries = List.copyOf(entries);
    failures = List.copyOf(failures);
  }

  public static EntryFile read(Path file) throws IOException {
    List<Entry> entries = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    String name = file.toString();
    var decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder))) {
      String line;
      long number = 0;
      while (true) {
        try {
          line = reader.readLine();
        } catch (CharacterCodingException e) {
          failures.add(name + ":" + (number + 1) + ": not valid UTF-8");
          break;
        }
        if (line == null) {
          break;
        }
        number++;
        if (number == 1 && line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        if (line.isBlank()) {
          continue;
        }
        if (line.length() > LINE_LENGTH_MAX) {
          failures.add(name + ":" + number + ": line longer than " + LINE_LENGTH_MAX + " characters");
          continue;
        }
        try {
          JsonNode node = Json.MAPPER.readTree(line);
          entries.add(EntryJson.read(node));
        } catch (JsonProcessingException e) {
          failures.add(name + ":" + number + ": invalid JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
          failures.add(name + ":" + number + ": " + e.getMessage());
        }
      }
    }
    return new EntryFile(entries, failures);
  }
}
