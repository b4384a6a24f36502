package dev.ledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ledger.cli.demo.WechatBill;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built ledger.jar started as users start it: java -jar, a separate process. */
class LedgerJarIT {
  @TempDir Path dir;

  /** The server outlives each command: never leave one running past a test. */
  @AfterEach
  void stopTheServer() throws Exception {
    if (Files.isDirectory(dir.resolve("home"))) {
      run("stop", "--data-dir", dir.resolve("home").toString());
    }
  }

  private record Result(int exitCode, String out, String err) {}

  private Result run(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        System.getProperty("ledger.jar", "target/ledger.jar")));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectOutput(dir.resolve("out.txt").toFile())
        .redirectError(dir.resolve("err.txt").toFile()).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished in time").isTrue();
    return new Result(process.exitValue(), Files.readString(dir.resolve("out.txt")),
        Files.readString(dir.resolve("err.txt")));
  }

  @Test
  void startsWithJavaJarAndParsesAStatementWithoutADatabase() throws Exception {
    Result version = run("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("ledger ").contains("schema version " + latestMigration());

    Path bill = Files.writeString(dir.resolve("bill.csv"), new WechatBill()
        .payment(LocalDateTime.parse("2024-09-12T10:15:02"), "4200001", "O-1", 10000, 60, "午餐").text(),
        StandardCharsets.UTF_8);
    Result parsed = run("statement", "parse", "--source", "wechatpay", bill.toString());
    assertThat(parsed.exitCode()).as(parsed.err()).isZero();
    assertThat(parsed.out()).contains("\"amount\" : \"100.00\"").contains("\"fee\" : \"0.60\"");

    Result broken = run("statement", "parse", "--source", "alipay", bill.toString());
    assertThat(broken.exitCode()).isEqualTo(ExitCode.INPUT_REJECTED);
    assertThat(broken.err()).contains("bill.csv").doesNotContain("\tat ");
  }

  @Test
  void initCreatesTheEmbeddedDatabaseAndAPasswordInTheUrlIsRefused() throws Exception {
    Path home = dir.resolve("home");
    Result init = run("init", "--data-dir", home.toString(), "--format", "json");
    assertThat(init.exitCode()).as(init.err()).isZero();
    assertThat(init.out()).contains("\"schema_version\" : \"" + latestMigration() + "\"");
    Result balance = run("balance", "assets", "--data-dir", home.toString(), "--format", "json");
    assertThat(balance.exitCode()).as(balance.err()).isZero();
    assertThat(balance.out()).contains("\"balances\" : [ ]");
    Result stop = run("stop", "--data-dir", home.toString());
    assertThat(stop.exitCode()).as(stop.err()).isZero();
    assertThat(stop.out()).contains("Stopped the embedded PostgreSQL in " + home);

    Result password = run("balance", "assets", "--db", "jdbc:postgresql://localhost/x?password=secret");
    assertThat(password.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(password.err()).contains("must not contain a password").doesNotContain("secret");
  }

  /** The highest V<n> of db/migration, the version a fresh init must reach. */
  private static int latestMigration() throws java.io.IOException {
    Path migrations = Path.of(System.getProperty("user.dir")).resolve("../db/migration").normalize();
    try (var files = java.nio.file.Files.list(migrations)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V[0-9]+__.*\\.sql"))
          .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
    }
  }
}
