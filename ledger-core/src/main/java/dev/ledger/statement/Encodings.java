package dev.ledger.statement;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Chooses the encoding of a statement file from its first bytes: a byte-order mark decides
 * (UTF-8, UTF-16LE, UTF-16BE); otherwise the first candidate that decodes the opening window
 * without a malformed byte, or the one that decodes most of it. Real files come as UTF-8 with or without BOM, GBK (read as GB18030,
 * its superset) or ISO-8859-1 depending on who exported them, so no single guess is right.
 */
public final class Encodings {
  public static final Charset GB18030 = Charset.forName("GB18030");
  /** Bytes looked at; a window this size holds any statement's header and many rows. */
  static final int WINDOW = 256 * 1024;

  private Encodings() {}

  /**
   * The charset of {@code in}, which is left at its start (a BOM is not consumed: {@link
   * LineReader} drops it). When none decodes the whole window, the reader then fails at the first
   * bad line with its number.
   */
  public static Charset sniff(BufferedInputStream in, List<Charset> candidates) {
    byte[] window = new byte[WINDOW];
    int n;
    try {
      in.mark(WINDOW + 1);
      n = in.readNBytes(window, 0, WINDOW);
      in.reset();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (n >= 3 && (window[0] & 0xff) == 0xEF && (window[1] & 0xff) == 0xBB && (window[2] & 0xff) == 0xBF) {
      return StandardCharsets.UTF_8;
    }
    if (n >= 2 && (window[0] & 0xff) == 0xFF && (window[1] & 0xff) == 0xFE) {
      return StandardCharsets.UTF_16LE;
    }
    if (n >= 2 && (window[0] & 0xff) == 0xFE && (window[1] & 0xff) == 0xFF) {
      return StandardCharsets.UTF_16BE;
    }
    // The first candidate that decodes the whole window; failing that, the one that decodes the
    // longest part of it, so that a GBK file with one bad byte is reported at that byte's line
    // rather than at line 1 as "not UTF-8".
    Charset best = candidates.get(0);
    int bestPrefix = -1;
    for (Charset candidate : candidates) {
      int prefix = decodedPrefix(window, n, candidate, n == WINDOW);
      if (prefix == n) {
        return candidate;
      }
      if (prefix > bestPrefix) {
        best = candidate;
        bestPrefix = prefix;
      }
    }
    return best;
  }

  /**
   * The opening of {@code in} as text, decoded leniently as {@code charset}, leaving the stream at
   * its start: enough to tell sibling formats of one provider apart before choosing a parser.
   */
  public static String peek(BufferedInputStream in, Charset charset) {
    try {
      in.mark(PEEK + 1);
      byte[] head = in.readNBytes(PEEK);
      in.reset();
      return new String(head, charset);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final int PEEK = 16 * 1024;

  /** "UTF-8 (with or without BOM), GB18030 or GBK": what an encoding error says is accepted. */
  public static String describe(List<Charset> candidates) {
    return candidates.stream().map(c -> c.equals(StandardCharsets.UTF_8) ? "UTF-8 (with or without BOM)"
        : c.equals(GB18030) ? "GBK/GB18030" : c.name()).collect(Collectors.joining(", "));
  }

  /** How many bytes of the window decode before the first malformed one (all of them: {@code length}). */
  private static int decodedPrefix(byte[] bytes, int length, Charset charset, boolean cutShort) {
    CharsetDecoder decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
    CharBuffer out = CharBuffer.allocate(1024);
    while (true) {
      CoderResult result = decoder.decode(in, out, !cutShort);
      if (result.isError()) {
        return in.position();
      }
      if (result.isOverflow()) {
        out.clear();
        continue;
      }
      // underflow: everything decoded, or (cut short) a partial sequence left at the window's end
      return length;
    }
  }
}
