package dev.parquetingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What {@code --help} tells a user: every option and positional is described, the exit codes are
 * those the code returns, and the csv description matches what a run writes.
 */
class HelpTextTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Main.run(args, new PrintWriter(out), new PrintWriter(err));
  }

  private static CommandSpec spec(String command) {
    return new CommandLine(new Main()).getSubcommands().get(command).getCommandSpec();
  }

  private static String text(String[] lines) {
    return String.join(" ", lines).replaceAll("\\s+", " ");
  }

  private static void collectUndescribed(CommandLine cli, List<String> missing) {
    CommandSpec spec = cli.getCommandSpec();
    List<ArgSpec> args = new ArrayList<>(spec.options());
    args.addAll(spec.positionalParameters());
    for (ArgSpec arg : args) {
      String what =
          arg instanceof OptionSpec o ? o.longestName() : "positional " + arg.paramLabel();
      if (text(arg.description()).isBlank()) {
        missing.add(spec.qualifiedName() + " " + what);
      }
    }
    for (CommandLine sub : cli.getSubcommands().values()) {
      collectUndescribed(sub, missing);
    }
  }

  @Test
  void everyOptionAndPositionalOfEveryCommandHasADescription() {
    CommandLine cli = new CommandLine(new Main());
    assertThat(cli.getSubcommands())
        .containsKeys("csv", "kafka", "sqs", "schema", "generate", "help");
    List<String> missing = new ArrayList<>();
    collectUndescribed(cli, missing);
    assertThat(missing).as("options and positionals without a description").isEmpty();
  }

  /** The exit codes every command can end with, as "N meaning" fragments of the footer. */
  private static List<String> sharedCodes() {
    return List.of(
        CommandLine.ExitCode.OK + " success",
        CommandLine.ExitCode.USAGE + " usage error",
        Main.EXIT_BAD_INPUT + " bad input",
        Main.EXIT_OUT_OF_MEMORY + " out of memory",
        CommandLine.ExitCode.SOFTWARE + " other failure");
  }

  @Test
  void csvFooterListsEveryExitCodeTheRunReturns() {
    String footer = text(spec("csv").usageMessage().footer());
    assertThat(footer)
        .contains(sharedCodes())
        .contains(
            Main.EXIT_INTERRUPTED + "/" + Main.EXIT_TERMINATED + " stopped by SIGINT/SIGTERM");
  }

  @Test
  void streamingFootersListEveryExitCodeButTheSignalsADrainTurnsIntoSuccess() {
    for (String command : List.of("kafka", "sqs")) {
      String footer = text(spec(command).usageMessage().footer());
      assertThat(footer)
          .as(command)
          .contains(sharedCodes())
          .contains("success (also after a drained SIGTERM/SIGINT)")
          .doesNotContain(Integer.toString(Main.EXIT_INTERRUPTED))
          .doesNotContain(Integer.toString(Main.EXIT_TERMINATED));
    }
    assertThat(spec("kafka").usageMessage().footer())
        .as("one text for both")
        .isEqualTo(spec("sqs").usageMessage().footer());
  }

  @Test
  void topLevelHelpListsEveryExitCode() {
    assertThat(run("--help")).isZero();
    String help = out.toString().replaceAll("\\s+", " ");
    assertThat(help)
        .contains(sharedCodes())
        .contains(Main.EXIT_INTERRUPTED + "/" + Main.EXIT_TERMINATED + " a csv run stopped");
  }

  @Test
  void csvDescriptionNamesTheFilesARunWritesAndHowAnEarlierRunIsHandled() {
    String description = text(spec("csv").usageMessage().description());
    assertThat(description)
        .contains("<prefix>-00000.parquet")
        .contains("<prefix>-000-00000.parquet")
        .contains("_<prefix>.manifest.jsonl")
        .contains("_<prefix>.report.json")
        .contains("_<prefix>.rejects.jsonl")
        .contains("--overwrite")
        .contains("--resume")
        .doesNotContain("never overwritten");
  }
}
