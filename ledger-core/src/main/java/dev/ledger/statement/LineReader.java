package dev.ledger.statement;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.List;

/**
 * Reads physical lines (LF, CRLF or CR) with strict decoding and a bound on line length, so a
 * malformed byte or a 10 MB field fails at its line instead of being replaced or exhausting memory.
 * A leading BOM is dropped. Decoding is done here rather than by InputStreamReader because that
 * one throws before handing out the lines decoded ahead of a bad byte, losing the line number.
 */
public final class LineReader {
  public static final int DEFAULT_MAX_LINE = 64 * 1024;

  private final InputStream in;
  private final CharsetDecoder decoder;
  private final String file;
  private final int maxLine;
  private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
  private final char[] chars;
  private int pos;
  private int limit;
  private boolean inputDone;
  private boolean decoderDone;
  private String pendingError;
  private boolean skipLf;
  private long lineNumber;
  private boolean first = true;
  private List<Charset> accepted;

  public LineReader(InputStream in, Charset charset, String file, int maxLine) {
    this.in = in;
    this.decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    this.file = file;
    this.maxLine = maxLine;
    this.chars = new char[maxLine + 16 * 1024];
    bytes.flip();
  }

  public LineReader(InputStream in, Charset charset, String file) {
    this(in, charset, file, DEFAULT_MAX_LINE);
  }

  /**
   * A reader in the encoding that {@link Encodings#sniff} finds among {@code accepted}; a
   * malformed byte later in the file is reported at its line, naming what the source accepts.
   */
  public static LineReader open(InputStream in, List<Charset> accepted, String file, int maxLine) {
    BufferedInputStream buffered = buffered(in);
    Charset charset;
    try {
      charset = Encodings.sniff(buffered, accepted);
    } catch (java.io.UncheckedIOException e) {
      // the sniffer reads ahead: a damaged .gz fails here, before any line
      throw new StatementException(file, 0, "cannot read: " + e.getCause().getMessage(), e);
    }
    LineReader reader = new LineReader(buffered, charset, file, maxLine);
    reader.accepted = accepted;
    return reader;
  }

  /** {@code in} itself when it is buffered (and so can mark and reset for sniffing), else a buffer around it. */
  public static BufferedInputStream buffered(InputStream in) {
    return in instanceof BufferedInputStream b ? b : new BufferedInputStream(in, 64 * 1024);
  }

  /** A parser's longest accepted line, checked: a bill's header alone needs a few hundred characters. */
  public static int requireMaxLine(int maxLine) {
    if (maxLine < 256) {
      throw new IllegalArgumentException("maxLine must be at least 256: " + maxLine);
    }
    return maxLine;
  }

  /** The encoding the file is decoded with. */
  public Charset charset() {
    return decoder.charset();
  }

  /** Number of the line last returned (1-based), 0 before the first. */
  public long lineNumber() {
    return lineNumber;
  }

  public String file() {
    return file;
  }

  /** The next line without its terminator, or null at the end of input. */
  public String readLine() {
    int scanned = 0; // characters after pos already known to hold no terminator
    while (true) {
      if (skipLf && pos < limit) {
        skipLf = false;
        if (chars[pos] == '\n') {
          pos++;
        }
      }
      if (!skipLf) {
        for (int i = pos + scanned; i < limit; i++) {
          char c = chars[i];
          if (c == '\n' || c == '\r') {
            String line = take(i);
            pos = i + 1;
            skipLf = c == '\r';
            return line;
          }
        }
        scanned = limit - pos;
        if (scanned > maxLine) {
          throw new StatementException(
              file, lineNumber + 1, "line is longer than " + maxLine + " characters");
        }
      }
      if (!fill()) {
        skipLf = false;
        if (pos < limit) {
          String line = take(limit);
          pos = limit;
          return line;
        }
        return null;
      }
    }
  }

  private String take(int end) {
    lineNumber++;
    if (end - pos > maxLine) {
      throw new StatementException(file, lineNumber, "line is longer than " + maxLine + " characters");
    }
    int start = pos;
    if (first) {
      first = false;
      if (start < end && chars[start] == '\uFEFF') {
        start++;
      }
    }
    return new String(chars, start, end - start);
  }

  /** Decodes more characters; false at the end of input. */
  private boolean fill() {
    if (pos > 0) {
      System.arraycopy(chars, pos, chars, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    int before = limit;
    CharBuffer out = CharBuffer.wrap(chars, limit, chars.length - limit);
    while (out.position() == before) {
      if (pendingError != null) {
        throw new StatementException(file, lineNumber + 1, pendingError);
      }
      if (decoderDone) {
        return false;
      }
      CoderResult result = decoder.decode(bytes, out, inputDone);
      if (result.isError()) {
        pendingError = accepted == null
            ? "not valid " + decoder.charset().name() + " (malformed byte sequence); the file must be "
                + decoder.charset().name() + "-encoded"
            : "not valid " + decoder.charset().name() + " (malformed byte sequence; the encoding was chosen from"
                + " the file's first bytes); this source reads " + Encodings.describe(accepted);
      } else if (result.isUnderflow()) {
        if (inputDone) {
          decoder.flush(out);
          decoderDone = true;
        } else {
          readBytes();
        }
      }
    }
    limit = out.position();
    return true;
  }

  private void readBytes() {
    bytes.compact();
    try {
      int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
      if (n < 0) {
        inputDone = true;
      } else {
        bytes.position(bytes.position() + n);
      }
    } catch (IOException e) {
      throw new StatementException(file, lineNumber + 1, "cannot read: " + e.getMessage(), e);
    }
    bytes.flip();
  }
}
