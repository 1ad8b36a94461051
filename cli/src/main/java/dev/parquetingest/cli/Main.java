package dev.parquetingest.cli;

import dev.parquetingest.common.BadInputException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code parquet-ingest} command. Exit codes: 0 success, 2 usage error, 3 bad input (a bad
 * record, an unreadable file, a schema that cannot be inferred), 1 anything else.
 */
@Command(
    name = "parquet-ingest",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Records in, batched ZSTD-compressed Parquet files out.",
    subcommands = {
      CsvCommand.class,
      KafkaCommand.class,
      SchemaCommand.class,
      GenerateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  /** Exit code for input that cannot be read as configured. */
  public static final int EXIT_BAD_INPUT = 3;

  /** The system property holding the default of {@code --workers}. */
  static final String DEFAULT_WORKERS_PROPERTY = "parquetingest.defaultWorkers";

  /** One worker per processor the JVM may use, at most 8: beyond that the disk is the limit. */
  static int defaultWorkers() {
    return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line and returns its exit code; for tests and embedding. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    if (System.getProperty(DEFAULT_WORKERS_PROPERTY) == null) {
      System.setProperty(DEFAULT_WORKERS_PROPERTY, String.valueOf(defaultWorkers()));
    }
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof BadInputException) {
            err.println("parquet-ingest: " + e.getMessage());
            return EXIT_BAD_INPUT;
          }
          if (e instanceof IllegalArgumentException) {
            err.println("parquet-ingest: " + e.getMessage());
            err.println("Try 'parquet-ingest " + commandLine.getCommandName() + " --help'.");
            return CommandLine.ExitCode.USAGE;
          }
          err.println(
              "parquet-ingest: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
          if (System.getenv("PARQUET_INGEST_DEBUG") != null) {
            e.printStackTrace(err);
          }
          return CommandLine.ExitCode.SOFTWARE;
        });
    int code = cli.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /** The version from the jar manifest, or "development". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {
        "parquet-ingest " + (v != null ? v : "development build"),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")"
      };
    }
  }
}
