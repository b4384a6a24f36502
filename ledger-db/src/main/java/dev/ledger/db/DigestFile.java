package dev.ledger.db;

import dev.ledger.statement.LineReader;
import dev.ledger.statement.StatementException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file of digests kept by an auditor: one JSON object per line as `ledger digest` prints it
 * ({@code {"sequence":N,"hash":"hex","recorded_at":"ISO-8601"}}), blank lines ignored. Strict like
 * entry files: no duplicate or unknown keys, nothing after the object, strict UTF-8; any bad line
 * rejects the file naming file:line, because a digest silently skipped would prove nothing.
 */
public record DigestFile(String name, List<Line> lines) {
  private static final int LINE_LENGTH_MAX = 64 * 1024;

  /** A digest and the physical line it was read from. */
  public record Line(long number, ChainDigest digest) {}

  public DigestFile {
    lines = List.copyOf(lines);
  }

  /** "digests.jsonl:3" */
  public String where(Line line) {
    return name + ":" + line.number();
  }

  /** Reads every digest; IllegalArgumentException naming file:line for the first bad line. */
  public static DigestFile read(Path file) throws IOException {
    String name = file.toString();
    List<Line> lines = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      LineReader reader = new LineReader(in, StandardCharsets.UTF_8, name, LINE_LENGTH_MAX);
      while (true) {
        String text;
        try {
          text = reader.readLine();
        } catch (StatementException e) {
          throw new IllegalArgumentException(e.getMessage(), e); // names the physical line
        }
        if (text == null) {
          break;
        }
        if (text.isBlank()) {
          continue;
        }
        try {
          lines.add(new Line(reader.lineNumber(), parse(text)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(name + ":" + reader.lineNumber() + ": invalid digest: "
              + e.getMessage() + " (one {\"sequence\":N,\"hash\":\"hex\",\"recorded_at\":\"..\"} per line,"
              + " as 'ledger digest' prints it)", e);
        }
      }
    }
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(name + ": holds no digest (one JSON object per line, as"
          + " 'ledger digest' prints it)");
    }
    return new DigestFile(name, lines);
  }

  /** One digest object; the JSON is parsed here because ledger-db has no JSON library. */
  public static ChainDigest parse(String json) {
    Map<String, Object> values = new Parser(json).object();
    for (String key : List.of("sequence", "hash", "recorded_at")) {
      if (!values.containsKey(key)) {
        throw new IllegalArgumentException("'" + key + "' is missing");
      }
    }
    Instant recordedAt;
    String time = (String) values.get("recorded_at");
    try {
      recordedAt = OffsetDateTime.parse(time).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("recorded_at '" + time + "' is not an ISO-8601 time with offset");
    }
    return new ChainDigest((Long) values.get("sequence"), (String) values.get("hash"), recordedAt);
  }

  /** Just enough JSON for one flat object of a number and two strings. */
  private static final class Parser {
    private final String text;
    private int at;

    Parser(String text) {
      this.text = text;
    }

    Map<String, Object> object() {
      Map<String, Object> values = new LinkedHashMap<>();
      space();
      expect('{');
      space();
      if (peek() == '}') {
        at++;
      } else {
        while (true) {
          space();
          String key = string();
          space();
          expect(':');
          space();
          Object value = switch (key) {
            case "sequence" -> number(key);
            case "hash", "recorded_at" -> {
              if (peek() != '"') {
                throw new IllegalArgumentException("'" + key + "' must be a string");
              }
              yield string();
            }
            default -> throw new IllegalArgumentException(
                "unknown key '" + key + "' (a digest has sequence, hash and recorded_at)");
          };
          if (values.put(key, value) != null) {
            throw new IllegalArgumentException("duplicate key '" + key + "'");
          }
          space();
          char next = next();
          if (next == '}') {
            break;
          }
          if (next != ',') {
            throw new IllegalArgumentException("expected ',' or '}' at column " + at);
          }
        }
      }
      space();
      if (at < text.length()) {
        throw new IllegalArgumentException("text after the object at column " + (at + 1));
      }
      return values;
    }

    private long number(String key) {
      int start = at;
      while (at < text.length() && (Character.isDigit(text.charAt(at)) || "-+.eE".indexOf(text.charAt(at)) >= 0)) {
        at++;
      }
      String digits = text.substring(start, at);
      if (!digits.matches("0|[1-9][0-9]{0,18}")) {
        throw new IllegalArgumentException("'" + key + "' must be a whole number >= 0, not '"
            + (digits.isEmpty() ? text.substring(start, Math.min(text.length(), start + 20)) : digits) + "'");
      }
      try {
        return Long.parseLong(digits);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + key + "' " + digits + " is out of range");
      }
    }

    private String string() {
      expect('"');
      StringBuilder value = new StringBuilder();
      while (true) {
        char c = next();
        if (c == '"') {
          return value.toString();
        }
        if (c < 0x20) {
          throw new IllegalArgumentException("control character in a string at column " + at);
        }
        if (c != '\\') {
          value.append(c);
          continue;
        }
        char escaped = next();
        switch (escaped) {
          case '"', '\\', '/' -> value.append(escaped);
          case 'b' -> value.append('\b');
          case 'f' -> value.append('\f');
          case 'n' -> value.append('\n');
          case 'r' -> value.append('\r');
          case 't' -> value.append('\t');
          case 'u' -> {
            if (at + 4 > text.length()) {
              throw new IllegalArgumentException("unfinished \\u escape at column " + at);
            }
            try {
              value.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("invalid \\u escape at column " + at);
            }
            at += 4;
          }
          default -> throw new IllegalArgumentException("invalid escape \\" + escaped + " at column " + at);
        }
      }
    }

    private void space() {
      while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
        at++;
      }
    }

    private char peek() {
      return at < text.length() ? text.charAt(at) : '\0';
    }

    private char next() {
      if (at >= text.length()) {
        throw new IllegalArgumentException("the object is not complete (line ends at column " + at + ")");
      }
      return text.charAt(at++);
    }

    private void expect(char c) {
      if (at >= text.length() || text.charAt(at) != c) {
        throw new IllegalArgumentException("expected '" + c + "' at column " + (at + 1)
            + (at == 0 && c == '{' ? " (not a JSON object)" : ""));
      }
      at++;
    }
  }
}
