package dev.ledger.statement.camt;

import dev.ledger.statement.StatementException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The characters of an XML file, decoded here rather than by the XML reader: the JDK's reader prints
 * {@code [Fatal Error]} to stderr on a malformed byte before it throws, and names no line. The
 * encoding is found as XML 1.0 appendix F says: a byte order mark, else the byte pattern of
 * {@code <?xml} in UTF-16, else the declaration's {@code encoding}, else UTF-8. A malformed byte is
 * a {@link StatementException} at its line. Whitespace before the declaration (left by some export
 * tools, and illegal there) is tolerated.
 */
final class XmlText {
  private static final Pattern ENCODING = Pattern.compile("^<\\?xml[^>]*?\\sencoding\\s*=\\s*[\"']([A-Za-z0-9._:-]+)[\"']");
  private static final int HEAD = 1024;

  private XmlText() {}

  static Reader open(InputStream input, String file) {
    BufferedInputStream in = new BufferedInputStream(input, 64 * 1024);
    try {
      in.mark(HEAD);
      byte[] head = in.readNBytes(HEAD);
      in.reset();
      Charset charset;
      int bom = 0;
      if (starts(head, 0xEF, 0xBB, 0xBF)) {
        charset = StandardCharsets.UTF_8;
        bom = 3;
      } else if (starts(head, 0xFE, 0xFF) || starts(head, 0x00, 0x3C, 0x00, 0x3F)) {
        charset = StandardCharsets.UTF_16BE;
        bom = starts(head, 0xFE, 0xFF) ? 2 : 0;
      } else if (starts(head, 0xFF, 0xFE) || starts(head, 0x3C, 0x00, 0x3F, 0x00)) {
        charset = StandardCharsets.UTF_16LE;
        bom = starts(head, 0xFF, 0xFE) ? 2 : 0;
      } else {
        charset = declared(head, file);
      }
      in.skipNBytes(bom);
      CharsetDecoder decoder = charset.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
      return new Checked(in, decoder, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean starts(byte[] head, int... bytes) {
    if (head.length < bytes.length) {
      return false;
    }
    for (int i = 0; i < bytes.length; i++) {
      if ((head[i] & 0xff) != bytes[i]) {
        return false;
      }
    }
    return true;
  }

  /** The declaration's encoding (read as ASCII, which every candidate spells it in), else UTF-8. */
  private static Charset declared(byte[] head, String file) {
    String ascii = new String(head, StandardCharsets.ISO_8859_1).stripLeading();
    Matcher m = ENCODING.matcher(ascii);
    if (!m.find()) {
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(m.group(1));
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new StatementException(file, 1, "the XML declaration names encoding '" + m.group(1)
          + "', which this system cannot decode");
    }
  }

  /**
   * Decodes strictly and counts the lines it hands out; the characters before a malformed byte are
   * handed out first, so the error names the byte's own line.
   */
  private static final class Checked extends Reader {
    private final InputStream in;
    private final CharsetDecoder decoder;
    private final String file;
    private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024).flip();
    private boolean eof;
    private boolean flushed;
    private boolean malformed;
    private long line = 1;
    private boolean started;

    Checked(InputStream in, CharsetDecoder decoder, String file) {
      this.in = in;
      this.decoder = decoder;
      this.file = file;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
      if (malformed) {
        throw new StatementException(file, line, "a byte sequence that is not " + decoder.charset().name()
            + " (the encoding the file declares or defaults to): not a readable XML file");
      }
      if (length == 0) {
        return 0;
      }
      if (flushed) {
        return -1;
      }
      CharBuffer out = CharBuffer.wrap(buffer, offset, length);
      while (true) {
        CoderResult result = decoder.decode(bytes, out, eof);
        if (result.isError()) {
          malformed = true;
          if (out.position() == offset) {
            return read(buffer, offset, length);
          }
          break;
        }
        if (result.isOverflow() || out.position() > offset) {
          break;
        }
        if (eof) {
          if (!flushed) {
            flushed = true;
            decoder.flush(out);
          }
          break;
        }
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
          eof = true;
        } else {
          bytes.position(bytes.position() + n);
        }
        bytes.flip();
      }
      int n = out.position() - offset;
      if (n == 0) {
        return -1;
      }
      if (!started) {
        started = true;
        n = prologue(buffer, offset, n);
        if (n == 0) {
          return read(buffer, offset, length); // the chunk was only a BOM
        }
      }
      for (int i = offset; i < offset + n; i++) {
        if (buffer[i] == '\n') {
          line++;
        }
      }
      return n;
    }

    /**
     * Drops a BOM character; where whitespace precedes the XML declaration, blanks the declaration
     * instead of the whitespace, so that the XML reader's line numbers stay the file's (the
     * declaration says nothing once the characters are decoded).
     */
    private int prologue(char[] buffer, int offset, int n) {
      if (buffer[offset] == '\uFEFF') {
        System.arraycopy(buffer, offset + 1, buffer, offset, n - 1);
        n--;
      }
      int i = offset;
      while (i < offset + n && Character.isWhitespace(buffer[i])) {
        i++;
      }
      String rest = new String(buffer, i, offset + n - i);
      if (i > offset && rest.startsWith("<?xml") && rest.indexOf("?>") > 0) {
        int end = i + rest.indexOf("?>") + 2;
        for (int k = i; k < end; k++) {
          if (buffer[k] != '\n') {
            buffer[k] = ' ';
          }
        }
      }
      return n;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
