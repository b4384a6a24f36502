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
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/** Locates the shared conformance corpus (DESIGN section 9); tests skip visibly without it. */
public final class Conformance {
  private Conformance() {}

  /**
   * The tests {@code build} makes over the corpus folder {@code sub}; where the folder is absent, one
   * test that is reported as skipped, saying where it looked (an aborted test factory would be
   * counted as no test at all).
   */
  public static Stream<DynamicNode> tests(String sub, Function<Path, Stream<? extends DynamicNode>> build) {
    Path dir = find(sub);
    if (dir == null) {
      String message = "conformance corpus not found (looked in " + candidates() + "): skipping " + sub
          + " conformance tests";
      System.err.println("SKIPPED: " + message);
      return Stream.of(DynamicTest.dynamicTest(sub + " (corpus absent)", () -> Assumptions.abort(message)));
    }
    return build.apply(dir).map(DynamicNode.class::cast);
  }

  private static Path find(String sub) {
    for (Path c : candidates()) {
      Path d = c.resolve(sub).normalize();
      if (Files.isDirectory(d)) {
        return d;
      }
    }
    return null;
  }

  private static List<Path> candidates() {
    List<Path> candidates = new ArrayList<>();
    String property = System.getProperty("ledger.conformance.dir");
    if (property != null && !property.isBlank()) {
      candidates.add(Paths.get(property));
    }
    // surefire runs in the module directory: the corpus sits beside the project (worktree) root
    Path here = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    candidates.add(here.resolve("../shared/conformance"));
    candidates.add(here.resolve("../../shared/conformance"));
    return candidates;
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
