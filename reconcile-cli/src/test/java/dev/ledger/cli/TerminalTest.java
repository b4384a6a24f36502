package dev.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TerminalTest {
  @Test
  void escapeSequencesAndBidiOverridesBecomeVisible() {
    assertThat(Terminal.safe("\u001b[2J\u001b[31mFAKE TOTAL 0.00")).isEqualTo("\\x1b[2J\\x1b[31mFAKE TOTAL 0.00");
    assertThat(Terminal.safe("amount \u202e00.001")).isEqualTo("amount \\u202e00.001");
    assertThat(Terminal.safe("bell\u0007 del\u007f c1\u009b")).isEqualTo("bell\\x07 del\\x7f c1\\x9b");
  }

  @Test
  void plainTextChineseAndNewlinesPassUnchanged() {
    assertThat(Terminal.safe("帆布包 100.00\nnext")).isEqualTo("帆布包 100.00\nnext");
    assertThat(Terminal.line("a\nb")).isEqualTo("a\\nb");
  }

  @Test
  void theStderrWriterEscapesWhatPassesThroughIt() {
    StringWriter target = new StringWriter();
    Terminal.writer(target).print("ledger: entry \u001b[2Jx: rejected");
    assertThat(target.toString()).isEqualTo("ledger: entry \\x1b[2Jx: rejected");
  }

  @Test
  void aTableShowsADescriptionWithEscapesAsText() {
    Table table = new Table("description").row("\u001b[2J\u001b[31mFAKE TOTAL 0.00");
    StringWriter out = new StringWriter();
    table.printTable(new java.io.PrintWriter(out));
    assertThat(out.toString()).contains("\\x1b[2J\\x1b[31mFAKE TOTAL 0.00").doesNotContain("\u001b");
  }
}
