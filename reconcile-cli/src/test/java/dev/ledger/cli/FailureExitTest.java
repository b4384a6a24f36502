package dev.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Failures nobody planned for still end with one line and exit 5, never a stack dump and exit 1. */
class FailureExitTest {
  @Command(name = "oom")
  static final class OutOfMemory implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Command(name = "bug")
  static final class Bug implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new IllegalStateException("a bug");
    }
  }

  private static String[] run(String name) {
    CommandLine command = LedgerCommand.commandLine(System::getenv);
    command.addSubcommand(new OutOfMemory());
    command.addSubcommand(new Bug());
    StringWriter err = new StringWriter();
    command.setErr(new PrintWriter(err));
    command.setOut(new PrintWriter(new StringWriter()));
    int code = command.execute(name);
    return new String[] {Integer.toString(code), err.toString()};
  }

  @Test
  void outOfMemoryEndsWithOneLineAndExit5() {
    String[] result = run("oom");
    assertThat(result[0]).isEqualTo("5");
    assertThat(result[1]).startsWith("ledger: Out of memory (the Java heap limit is ").contains("-Xmx")
        .doesNotContain("\tat ");
    assertThat(result[1].strip().lines()).hasSize(1);
  }

  @Test
  void anyOtherUnexpectedFailureAlsoEndsWithExit5() {
    String[] result = run("bug");
    assertThat(result[0]).isEqualTo("5");
    assertThat(result[1].strip()).isEqualTo("ledger: Unexpected failure: java.lang.IllegalStateException: a bug");
  }
}
