package dev.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's tour, as printed: every line of its {@code ```sh} blocks, in order, through the CLI
 * in process against a fresh demo ledger. The one substitution is the data directory: the README's
 * {@code ~/.ledger} (the default data directory) is a temporary directory here, given to every
 * command as {@code LEDGER_HOME}. A line's trailing {@code # exit N} comment is the exit code it
 * must end with (default 0); {@code > FILE} and {@code >> FILE} write or append its output. The
 * tour runs in the temporary home: relative files given to {@code --html}, {@code --xlsx},
 * {@code --output} or a redirect are written there.
 */
class ReadmeTourTest {
  private static final Pattern EXIT = Pattern.compile("#.*\\bexit (\\d+)\\b");
  private static Path home;
  private static Path dataDir;

  /** One command line of the README and where it stands. */
  record TourLine(int lineNumber, String text, List<String> args, int expectedExit, Path output, boolean append) {}

  @BeforeAll
  static void freshDirectories() throws Exception {
    home = Files.createTempDirectory(Path.of("target"), "readme-home-").toAbsolutePath();
    dataDir = home.resolve(".ledger");
  }

  @AfterAll
  static void stopTheServer() {
    Cli.runWithEnvironment(Map.of("LEDGER_HOME", dataDir.toString()), "stop");
  }

  static Path readme() {
    String configured = System.getProperty("ledger.readme");
    return configured != null ? Path.of(configured) : Path.of("..", "README.md");
  }

  @Test
  void everyShellBlockOfTheReadmeRunsAsPrintedAgainstTheDemoLedger() throws Exception {
    List<TourLine> tour = parse(Files.readAllLines(readme(), StandardCharsets.UTF_8));
    assertThat(tour).as("the README has a tour").hasSizeGreaterThan(20);
    assertThat(tour.get(0).args()).as("the tour starts with the demo").containsExactly("demo");
    Map<String, String> environment = Map.of("LEDGER_HOME", dataDir.toString());
    for (TourLine line : tour) {
      Cli.Run run = Cli.runWithEnvironment(environment, line.args().toArray(String[]::new));
      assertThat(run.exitCode())
          .as("README.md:%d `%s` exits %d; stderr: %s", line.lineNumber(), line.text(), line.expectedExit(), run.err())
          .isEqualTo(line.expectedExit());
      assertThat(run.err()).as("README.md:%d `%s`: no stack trace", line.lineNumber(), line.text())
          .doesNotContain("\tat ");
      if (line.output() != null) {
        Files.createDirectories(line.output().getParent());
        Files.writeString(line.output(), run.out(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            line.append() ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
      }
    }
  }

  @Test
  void linesAreSplitAsAShellSplitsThem() {
    TourLine line = line(7, "ledger breaks resolve 9 --note \"bank fee, booked\" --adjustment ~/.ledger/x.jsonl  # exit 3");
    assertThat(line.args()).containsExactly("breaks", "resolve", "9", "--note", "bank fee, booked", "--adjustment",
        dataDir.resolve("x.jsonl").toString());
    assertThat(line.expectedExit()).isEqualTo(3);
    TourLine redirected = line(8, "ledger digest --format json >> ~/.ledger/d.jsonl   # keep it elsewhere");
    assertThat(redirected.args()).containsExactly("digest", "--format", "json");
    assertThat(redirected.output()).isEqualTo(dataDir.resolve("d.jsonl"));
    assertThat(redirected.append()).isTrue();
    assertThat(redirected.expectedExit()).isZero();
  }

  /** The command lines of the ```sh blocks; any other line there is a mistake in the README. */
  static List<TourLine> parse(List<String> readme) {
    List<TourLine> tour = new ArrayList<>();
    boolean inShell = false;
    boolean inOther = false;
    for (int i = 0; i < readme.size(); i++) {
      String text = readme.get(i).strip();
      if (text.startsWith("```")) {
        if (inShell || inOther) {
          inShell = false;
          inOther = false;
        } else if (text.equals("```sh")) {
          inShell = true;
        } else {
          inOther = true;
        }
        continue;
      }
      if (!inShell || text.isEmpty() || text.startsWith("#")) {
        continue;
      }
      if (!text.startsWith("ledger ") && !text.equals("ledger")) {
        throw new AssertionError("README.md:" + (i + 1) + ": a ```sh line that is not a ledger command: " + text);
      }
      tour.add(line(i + 1, text));
    }
    return tour;
  }

  private static TourLine line(int number, String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    char quote = 0;
    String comment = "";
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          word.append(c);
        }
      } else if (c == '"' || c == '\'') {
        quote = c;
        word = word == null ? new StringBuilder() : word;
      } else if (Character.isWhitespace(c)) {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else if (c == '#' && word == null) {
        comment = text.substring(i);
        break;
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    if (quote != 0) {
      throw new AssertionError("README.md:" + number + ": unbalanced quote: " + text);
    }
    Path output = null;
    boolean append = false;
    int redirect = Math.max(words.indexOf(">"), words.indexOf(">>"));
    if (redirect >= 0) {
      if (redirect != words.size() - 2) {
        throw new AssertionError("README.md:" + number + ": a redirect must end the line: " + text);
      }
      append = words.get(redirect).equals(">>");
      output = inHome(expand(words.get(redirect + 1)));
      words = new ArrayList<>(words.subList(0, redirect));
    }
    List<String> args = new ArrayList<>(words.subList(1, words.size()).stream().map(ReadmeTourTest::expand).toList());
    // The tour runs in the home directory: a relative file that a command writes lands there, not
    // in the directory the build runs in.
    for (int i = 1; i < args.size(); i++) {
      if (OUTPUT_OPTIONS.contains(args.get(i - 1))) {
        args.set(i, inHome(args.get(i)).toString());
      }
    }
    Matcher exit = EXIT.matcher(comment);
    return new TourLine(number, text, args, exit.find() ? Integer.parseInt(exit.group(1)) : 0, output, append);
  }

  private static final List<String> OUTPUT_OPTIONS = List.of("--html", "--xlsx", "--output");

  private static Path inHome(String file) {
    Path path = Path.of(file);
    return path.isAbsolute() ? path : home.resolve(path);
  }

  /** {@code ~/.ledger} is the data directory, any other {@code ~} the temporary home. */
  private static String expand(String word) {
    if (word.equals("~/.ledger") || word.startsWith("~/.ledger/")) {
      return dataDir + word.substring("~/.ledger".length());
    }
    if (word.equals("~") || word.startsWith("~/")) {
      return home + word.substring(1);
    }
    return word;
  }
}
