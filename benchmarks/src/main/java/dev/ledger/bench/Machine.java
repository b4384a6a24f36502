package dev.ledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** What the figures were measured on. */
final class Machine {
  private Machine() {}

  static void describe(Results results) {
    results.machine.put("CPU", firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(System.getProperty("os.arch")));
    results.machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
    results.machine.put("RAM", firstValue(Path.of("/proc/meminfo"), "MemTotal")
        .map(v -> String.format(Locale.ROOT, "%.1f GiB", Long.parseLong(v.replaceAll("[^0-9]", "")) / 1024.0 / 1024.0))
        .orElse("?"));
    results.machine.put("OS", osRelease() + " (" + System.getProperty("os.name") + " " + System.getProperty("os.version")
        + ")");
    results.machine.put("load average at start (1/5/15 min)", loadAverage());
    results.machine.put("JVM", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
  }

  /** Other engineers share the machine: the load says how much of the two cores the run had. */
  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "?";
    }
  }

  private static java.util.Optional<String> firstValue(Path file, String key) {
    try {
      return Files.readAllLines(file).stream().filter(l -> l.startsWith(key))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst();
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  private static String osRelease() {
    try {
      List<String> lines = Files.readAllLines(Path.of("/etc/os-release"));
      return lines.stream().filter(l -> l.startsWith("PRETTY_NAME=")).map(l -> l.substring(12).replace("\"", ""))
          .findFirst().orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }
}
