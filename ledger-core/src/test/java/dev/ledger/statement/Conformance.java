package dev.ledger.statement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.money.CurrencyUnit;
import org.junit.jupiter.api.Assumptions;

/** Locates the shared conformance corpus (DESIGN section 9); tests skip visibly without it. */
public final class Conformance {
  private Conformance() {}

  public static Path dir(String sub) {
    List<Path> candidates = new ArrayList<>();
    String property = System.getProperty("ledger.conformance.dir");
    if (property != null && !property.isBlank()) {
      candidates.add(Paths.get(property));
    }
    // surefire runs in the module directory: the corpus sits beside the project (worktree) root
    Path here = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    candidates.add(here.resolve("../shared/conformance"));
    candidates.add(here.resolve("../../shared/conformance"));
    for (Path c : candidates) {
      Path d = c.resolve(sub).normalize();
      if (Files.isDirectory(d)) {
        return d;
      }
    }
    String message = "conformance corpus not found (looked in " + candidates + "): skipping " + sub + " conformance tests";
    System.err.println("SKIPPED: " + message);
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  public static List<Path> files(Path dir, String suffix) {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<ParsedStatement> parse(StatementParser parser, Path file) {
    try (var in = Files.newInputStream(file)) {
      CollectingHandler handler = new CollectingHandler();
      parser.parse(in, file.getFileName().toString(), handler);
      return handler.statements();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static long minor(String decimal, CurrencyUnit currency) {
    return new BigDecimal(decimal).movePointRight(currency.getDefaultFractionDigits()).longValueExact();
  }
}
