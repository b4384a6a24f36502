package dev.ledger.statement;

import java.util.ArrayList;
import java.util.List;

/** Splits one CSV record (RFC 4180 quoting) held in a string. */
public final class Csv {
  private Csv() {}

  /**
   * Splits {@code record} into fields; returns null when a quoted field is still open at the end
   * (the caller appends the next physical line and tries again).
   */
  public static List<String> split(String record, char delimiter) {
    List<String> fields = new ArrayList<>();
    int n = record.length();
    if (record.indexOf('"') < 0) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (record.charAt(i) == delimiter) {
          fields.add(record.substring(start, i));
          start = i + 1;
        }
      }
      fields.add(record.substring(start));
      return fields;
    }
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < n; i++) {
      char c = record.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < n && record.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      return null;
    }
    fields.add(field.toString());
    return fields;
  }
}
