package dev.ledger.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: the demo on the embedded default in a fresh data directory. */
class DemoCommandTest {
  @TempDir Path home;

  @Test
  void runsOnAFreshEmbeddedDataDirectoryAndAgainIdempotently() {
    Cli.Run first = Cli.runRaw("demo", "--data-dir", home.toString(), "--format", "table");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("Posted 57 entries (57 new, 0 already there)")
        .contains("Reconciled wechatpay").contains("Reconciled alipay").contains("Reconciled camt053")
        .contains("FEE_MISMATCH").contains("balanced").doesNotContain("UNBALANCED");
    assertThat(first.err()).isEmpty();
    assertThat(Files.exists(home.resolve("demo/2024-09-12/alipay-2024-09-12.csv"))).isTrue();

    Cli.Run second = Cli.runRaw("demo", "--data-dir", home.toString(), "--format", "table");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("(0 new, 57 already there)").contains("same file as stored run");

    Cli.Run verify = Cli.runRaw("verify", "--data-dir", home.toString(), "--format", "json");
    assertThat(verify.exitCode()).as(verify.err()).isZero();
  }
}
