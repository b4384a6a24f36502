package dev.ledger.statement;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;

/** Helpers to run a parser over test resources or bytes built in the test. */
public final class Fixtures {
  private Fixtures() {}

  public static byte[] resource(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/statement/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource statement/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String name, Charset charset) {
    return new String(resource(name), charset);
  }

  public static List<ParsedStatement> parse(StatementParser parser, byte[] bytes, String fileName) {
    CollectingHandler handler = new CollectingHandler();
    parser.parse(new ByteArrayInputStream(bytes), fileName, handler);
    return handler.statements();
  }

  public static List<ParsedStatement> parse(StatementParser parser, String resource) {
    return parse(parser, resource(resource), resource);
  }

  public static ParsedStatement single(StatementParser parser, String resource) {
    List<ParsedStatement> all = parse(parser, resource);
    if (all.size() != 1) {
      throw new AssertionError("expected one statement, got " + all.size());
    }
    return all.get(0);
  }

  /** Asserts the parse fails with a StatementException naming the file; returns it for more checks. */
  public static AbstractThrowableAssert<?, ? extends Throwable> rejects(
      StatementParser parser, byte[] bytes, String fileName) {
    return assertThatThrownBy(() -> parse(parser, bytes, fileName))
        .isInstanceOf(StatementException.class)
        .hasMessageStartingWith(fileName);
  }

  /** A stream of {@code size} bytes of {@code fill} after {@code prefix}, without holding it. */
  public static InputStream huge(byte[] prefix, long size, byte fill) {
    return new InputStream() {
      long pos;

      @Override
      public int read() {
        if (pos >= size) {
          return -1;
        }
        return pos < prefix.length ? prefix[(int) pos++] & 0xff : (pos++ >= 0 ? fill : fill);
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (pos >= size) {
          return -1;
        }
        int n = (int) Math.min(len, size - pos);
        for (int i = 0; i < n; i++) {
          b[off + i] = pos < prefix.length ? prefix[(int) pos] : fill;
          pos++;
        }
        return n;
      }
    };
  }
}
