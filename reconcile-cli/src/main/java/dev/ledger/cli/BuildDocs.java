package dev.ledger.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Run by the build ({@code mvn package}): writes the bash completion script (picocli's
 * AutoComplete generator) and one man page per command, section 1, from the same model that
 * prints {@code --help}, so neither can drift from the commands. {@code BuildDocs OUTPUT_DIR}.
 */
public final class BuildDocs {
  private BuildDocs() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "target/docs");
    CommandLine ledger = LedgerCommand.commandLine();
    Path completion = out.resolve("completion");
    Files.createDirectories(completion);
    Files.writeString(completion.resolve("ledger-completion.bash"), AutoComplete.bash("ledger", ledger),
        StandardCharsets.UTF_8);
    Path man = out.resolve("man").resolve("man1");
    Files.createDirectories(man);
    write(ledger, man);
  }

  private static void write(CommandLine command, Path dir) throws IOException {
    CommandSpec spec = command.getCommandSpec();
    String name = spec.qualifiedName("-");
    StringWriter help = new StringWriter();
    command.setUsageHelpWidth(78);
    command.usage(new PrintWriter(help), CommandLine.Help.Ansi.OFF);
    String summary = spec.usageMessage().description().length > 0 ? spec.usageMessage().description()[0] : name;
    StringBuilder page = new StringBuilder();
    page.append(".TH \"").append(name.toUpperCase(Locale.ROOT)).append("\" \"1\" \"")
        .append(LocalDate.now()).append("\" \"ledger\" \"Ledger Manual\"\n");
    page.append(".SH NAME\n").append(name).append(" \\- ").append(escape(summary)).append('\n');
    page.append(".SH SYNOPSIS AND OPTIONS\n.nf\n").append(escape(help.toString())).append(".fi\n");
    if (!command.getSubcommands().isEmpty()) {
      page.append(".SH SEE ALSO\n");
      page.append(String.join(", ", command.getSubcommands().values().stream().distinct()
          .map(c -> "\\fB" + c.getCommandSpec().qualifiedName("-") + "\\fR(1)").toList())).append('\n');
    }
    Files.writeString(dir.resolve(name + ".1"), page.toString(), StandardCharsets.UTF_8);
    for (CommandLine sub : command.getSubcommands().values().stream().distinct().toList()) {
      write(sub, dir);
    }
  }

  /** troff: a backslash starts an escape, and a line starting with '.' or '\'' is a request. */
  private static String escape(String text) {
    StringBuilder out = new StringBuilder();
    for (String line : text.replace("\\", "\\e").split("\n", -1)) {
      if (line.startsWith(".") || line.startsWith("'")) {
        out.append("\\&");
      }
      out.append(line).append('\n');
    }
    return out.substring(0, out.length() - 1);
  }
}
