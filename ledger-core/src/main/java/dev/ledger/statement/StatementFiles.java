package dev.ledger.statement;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Opens statement files as the providers hand them over: plain, gzip-compressed ({@code .gz}, as
 * WeChat Pay's API returns with {@code tar_type=GZIP}) or a {@code .zip} archive (Alipay's bill
 * download holds a detail CSV and a summary CSV), recognised by their first bytes, not their
 * names. Errors inside an archive name {@code archive.zip!entry.csv:line}. Of a zip, every entry
 * the parser accepts is read, in name order.
 */
public final class StatementFiles {
  private StatementFiles() {}

  /** Streams {@code file} through {@code parser}. */
  public static void parse(StatementParser parser, Path file, StatementHandler handler) {
    try {
      open(parser, file, handler);
    } catch (java.io.UncheckedIOException e) {
      // a parser peeking ahead at the first bytes (encoding, file kind) met the read error first
      throw readError(String.valueOf(file.getFileName()), e.getCause());
    } catch (IOException e) {
      throw readError(String.valueOf(file.getFileName()), e);
    }
  }

  private static StatementException readError(String name, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new StatementException(name, 0, "no such file");
    }
    if (e instanceof ZipException) {
      return new StatementException(name, 0, "not a readable archive: " + e.getMessage(), e);
    }
    if (e instanceof java.io.EOFException) {
      return new StatementException(name, 0, "the compressed file ends early (truncated)", e);
    }
    return new StatementException(name, 0, "cannot read: " + e.getMessage(), e);
  }

  private static void open(StatementParser parser, Path file, StatementHandler handler) throws IOException {
    String name = String.valueOf(file.getFileName());
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 64 * 1024)) {
      raw.mark(4);
      byte[] magic = raw.readNBytes(4);
      raw.reset();
      if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
        try (InputStream in = new BufferedInputStream(new GZIPInputStream(raw, 64 * 1024), 64 * 1024)) {
          parser.parse(in, name, handler);
        }
      } else if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
        raw.close();
        parseZip(parser, file, name, handler);
      } else {
        parser.parse(raw, name, handler);
      }
    }
  }

  private static void parseZip(StatementParser parser, Path file, String name, StatementHandler handler)
      throws IOException {
    // Alipay writes entry names in GBK without the UTF-8 flag; flagged names are still read as UTF-8.
    try (ZipFile zip = new ZipFile(file.toFile(), Encodings.GB18030)) {
      List<ZipEntry> candidates = new ArrayList<>();
      for (ZipEntry entry : Collections.list(zip.entries())) {
        if (!entry.isDirectory() && parser.acceptsArchiveEntry(entry.getName())) {
          candidates.add(entry);
        }
      }
      if (candidates.isEmpty()) {
        List<String> names = new ArrayList<>();
        Collections.list(zip.entries()).forEach(e -> names.add(e.getName()));
        throw new StatementException(name, 0, "no entry of the archive holds a statement of this source; entries: "
            + names);
      }
      // Several parts (a month's bill split as _1.csv, _2.csv, or a zip of daily statements) are
      // read in name order, each as the statements it holds.
      candidates.sort(java.util.Comparator.comparing(ZipEntry::getName));
      for (ZipEntry entry : candidates) {
        try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), 64 * 1024)) {
          parser.parse(in, name + "!" + entry.getName(), handler);
        }
      }
    }
  }

  /** Parses a whole (small) file into memory, for tests and small files. */
  public static List<ParsedStatement> parseAll(StatementParser parser, Path file) {
    CollectingHandler handler = new CollectingHandler();
    parse(parser, file, handler);
    return handler.statements();
  }
}
