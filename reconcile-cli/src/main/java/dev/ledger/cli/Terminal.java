package dev.ledger.cli;

/**
 * Text bound for a terminal: control characters (C0, DEL, C1) and bidirectional overrides from
 * stored data are shown as visible escapes, so a description holding {@code ESC[2J} cannot clear
 * the screen or forge a total, and a right-to-left override cannot reorder an amount.
 */
public final class Terminal {
  private Terminal() {}

  public static String safe(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean unsafe = (c < 0x20 && c != '\n') || (c >= 0x7f && c <= 0x9f)
          || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');
      if (unsafe && out == null) {
        out = new StringBuilder(text.length() + 8).append(text, 0, i);
      }
      if (out != null) {
        if (unsafe) {
          out.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  /** A writer that passes text through {@link #safe}, for messages to stderr. */
  public static java.io.PrintWriter writer(java.io.Writer target) {
    return new java.io.PrintWriter(new java.io.FilterWriter(target) {
      @Override
      public void write(int c) throws java.io.IOException {
        out.write(safe(String.valueOf((char) c)));
      }

      @Override
      public void write(char[] buffer, int offset, int length) throws java.io.IOException {
        out.write(safe(new String(buffer, offset, length)));
      }

      @Override
      public void write(String text, int offset, int length) throws java.io.IOException {
        out.write(safe(text.substring(offset, offset + length)));
      }
    }, true);
  }

  /** One line: also a newline becomes visible. */
  public static String line(String text) {
    String safe = safe(text);
    return safe == null ? null : safe.replace("\n", "\\n");
  }
}
