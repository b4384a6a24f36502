package dev.ledger.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/** Writes latest.md and latest.json. */
final class Report {
  private Report() {}

  static String number(double value) {
    if (Double.isNaN(value)) {
      return "-";
    }
    if (Math.abs(value) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (Math.abs(value) >= 1) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
    return String.format(Locale.ROOT, "%.3f", value);
  }

  static String ratio(double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2f", value);
  }

  static void write(Path dir, Results results, Instant started, Duration wall, String command) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("latest.md"), markdown(results, started, wall, command));
    Files.writeString(dir.resolve("latest.json"), json(results, started, wall, command));
  }

  static String markdown(Results results, Instant started, Duration wall, String command) {
    StringBuilder md = new StringBuilder();
    md.append("## Results of ").append(started).append("\n\n");
    md.append("Command: `").append(command).append("`, wall time ").append(wall.toSeconds()).append(" s.\n\n");
    md.append("| machine | |\n| --- | --- |\n");
    table(md, results.machine);
    table(md, results.database);
    md.append("\n| workload | figure | value | baseline (same run) | baseline value | ratio | target | met |\n");
    md.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Figure f : results.figures) {
      md.append("| ").append(f.workload()).append(" | ").append(f.name())
          .append(f.note().isEmpty() ? "" : " (" + f.note() + ")")
          .append(" | ").append(number(f.value())).append(' ').append(f.unit())
          .append(" | ").append(f.baselineName())
          .append(" | ").append(number(f.baseline())).append(' ').append(Double.isNaN(f.baseline()) ? "" : f.unit())
          .append(" | ").append(ratio(f.ratio()))
          .append(" | ").append(f.target())
          .append(" | ").append(f.met() == null ? "" : f.met() ? "yes" : "**no**").append(" |\n");
    }
    if (!results.notes.isEmpty()) {
      md.append("\nNotes from the run:\n\n");
      results.notes.forEach(n -> md.append("- ").append(n).append('\n'));
    }
    return md.toString();
  }

  private static void table(StringBuilder md, Map<String, String> rows) {
    rows.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v.replace("|", "/")).append(" |\n"));
  }

  static String json(Results results, Instant started, Duration wall, String command) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("started", started.toString());
    root.put("wall_seconds", wall.toMillis() / 1000.0);
    root.put("command", command);
    ObjectNode machine = root.putObject("machine");
    results.machine.forEach(machine::put);
    ObjectNode database = root.putObject("database");
    results.database.forEach(database::put);
    ArrayNode figures = root.putArray("figures");
    for (Figure f : results.figures) {
      ObjectNode item = figures.addObject();
      item.put("workload", f.workload());
      item.put("name", f.name());
      item.put("value", f.value());
      item.put("unit", f.unit());
      item.put("baseline_name", f.baselineName());
      if (Double.isNaN(f.baseline())) {
        item.putNull("baseline");
        item.putNull("ratio");
      } else {
        item.put("baseline", f.baseline());
        item.put("ratio", f.ratio());
      }
      item.put("target", f.target());
      if (f.met() == null) {
        item.putNull("met");
      } else {
        item.put("met", f.met());
      }
      item.put("note", f.note());
    }
    ArrayNode notes = root.putArray("notes");
    results.notes.forEach(notes::add);
    return mapper.writeValueAsString(root) + "\n";
  }
}
