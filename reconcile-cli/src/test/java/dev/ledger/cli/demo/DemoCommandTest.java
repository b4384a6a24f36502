package dev.ledger.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command: the demo on the embedded default in a fresh data directory. */
class DemoCommandTest {
  @TempDir Path home;

  @AfterEach
  void stopTheServer() {
    assertThat(Cli.runRaw("stop", "--data-dir", home.toString()).exitCode()).isZero();
  }

  @Test
  void runsOnAFreshEmbeddedDataDirectoryAndAgainIdempotently() {
    Cli.Run first = Cli.runRaw("demo", "--data-dir", home.toString(), "--format", "table");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out())
        .contains("Posted 60 entries (60 new, 0 already there)")
        .contains("Reconciled wechatpay").contains("Reconciled alipay").contains("Reconciled camt053")
        .contains("FEE_MISMATCH").contains("balanced").doesNotContain("UNBALANCED");
    assertThat(first.err()).isEmpty();
    Path dir = home.resolve("demo/2024-09-12");
    assertThat(first.out()).contains("Files for the tour are in " + dir)
        .contains("ledger breaks resolve 9 --note \"bank fee, booked\" --adjustment " + dir.resolve("bank-fee-2024-09-12.jsonl"));
    assertThat(dir).isDirectoryContaining(f -> f.getFileName().toString().equals("alipay-2024-09-12.csv"));
    for (String file : new String[] {"wechatpay-2024-09-12.csv", "camt053-2024-09-12.xml", "mt940-hsbc-usd-2024-09-12.sta",
        "cmb-2024-09-12.csv", "cmb.properties", "bank-fee-2024-09-12.jsonl", "entries-2024-09-13.jsonl"}) {
      assertThat(dir.resolve(file)).isRegularFile();
    }

    Cli.Run second = Cli.runRaw("demo", "--data-dir", home.toString(), "--format", "table");
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("(0 new, 60 already there)").contains("same file as stored run");

    Cli.Run verify = Cli.runRaw("verify", "--data-dir", home.toString(), "--format", "json");
    assertThat(verify.exitCode()).as(verify.err()).isZero();
  }
}
