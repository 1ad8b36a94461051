package dev.parquetingest.cli;

import dev.parquetingest.ParquetIngest;
import dev.parquetingest.common.BadInputException;
import dev.parquetingest.common.KeptOutput;
import dev.parquetingest.common.RunInterruptedException;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code parquet-ingest} command. Exit codes: 0 success, 2 usage error ({@link
 * CommandLine.ExitCode#USAGE}), 3 bad input ({@link #EXIT_BAD_INPUT}: a bad record, an unreadable
 * file, a schema that cannot be inferred), 4 out of memory ({@link #EXIT_OUT_OF_MEMORY}), 130 / 143
 * a {@code csv} run stopped by SIGINT / SIGTERM ({@link #EXIT_INTERRUPTED}, {@link
 * #EXIT_TERMINATED}; {@code kafka} and {@code sqs} exit 0 after a drain within {@code
 * --drain-timeout}, 1 if it had to abort files), 1 anything else ({@link
 * CommandLine.ExitCode#SOFTWARE}). The help footers say the same, built from these constants:
 * {@link #CSV_EXIT_CODES}, {@link #STREAM_EXIT_CODES}, {@link #EXIT_CODES}.
 */
@Command(
    name = "parquet-ingest",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Records in, batched ZSTD-compressed Parquet files out.",
    footer = {"", Main.EXIT_CODES},
    subcommands = {
      CsvCommand.class,
      KafkaCommand.class,
      SqsCommand.class,
      SchemaCommand.class,
      GenerateCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  /** Exit code for input that cannot be read as configured. */
  public static final int EXIT_BAD_INPUT = 3;

  /** The system property holding the most workers {@code --workers} defaults to. */
  static final String DEFAULT_WORKERS_PROPERTY = "parquetingest.defaultWorkers";

  /**
   * The most workers {@code --workers} defaults to: one per processor the JVM may use, at most 8
   * (beyond that the disk is the limit); see {@code CsvCommand.defaultWorkers} for the rule.
   */
  static int defaultWorkers() {
    return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
  }

  /** Exit code of a run stopped by SIGINT (Ctrl-C); SIGTERM gives {@link #EXIT_TERMINATED}. */
  public static final int EXIT_INTERRUPTED = 130;

  /** Exit code of a run stopped by SIGTERM. */
  public static final int EXIT_TERMINATED = 143;

  /** Exit code of a run that ran out of heap. */
  public static final int EXIT_OUT_OF_MEMORY = 4;

  /** The exit codes every command shares, but success and the catch-all failure. */
  private static final String COMMON_EXIT_CODES =
      CommandLine.ExitCode.USAGE
          + " usage error, "
          + EXIT_BAD_INPUT
          + " bad input, "
          + EXIT_OUT_OF_MEMORY
          + " out of memory";

  /** The exit codes of {@code csv}, for its help footer. */
  static final String CSV_EXIT_CODES =
      "Exit codes: "
          + CommandLine.ExitCode.OK
          + " success, "
          + COMMON_EXIT_CODES
          + ", "
          + EXIT_INTERRUPTED
          + "/"
          + EXIT_TERMINATED
          + " stopped by SIGINT/SIGTERM (the committed files kept; rerun with --resume), "
          + CommandLine.ExitCode.SOFTWARE
          + " other failure.";

  /** The exit codes of {@code kafka} and {@code sqs}, for their help footers. */
  static final String STREAM_EXIT_CODES =
      "Exit codes: "
          + CommandLine.ExitCode.OK
          + " success (also after a drained SIGTERM/SIGINT), "
          + COMMON_EXIT_CODES
          + ", "
          + CommandLine.ExitCode.SOFTWARE
          + " other failure (or a drain that had to abort files).";

  /** The exit codes of all commands, for the top-level help footer. */
  static final String EXIT_CODES =
      "Exit codes: "
          + CommandLine.ExitCode.OK
          + " success, "
          + COMMON_EXIT_CODES
          + ", "
          + EXIT_INTERRUPTED
          + "/"
          + EXIT_TERMINATED
          + " a csv run stopped by SIGINT/SIGTERM (kafka and sqs exit "
          + CommandLine.ExitCode.OK
          + " after a drain within --drain-timeout, "
          + CommandLine.ExitCode.SOFTWARE
          + " if it had to abort files), "
          + CommandLine.ExitCode.SOFTWARE
          + " other failure.";

  /** Counted down once {@link #main} has printed the outcome; a stopping shutdown waits for it. */
  static final CountDownLatch DONE = new CountDownLatch(1);

  public static void main(String[] args) {
    // an out-of-memory on a thread nobody waits for still ends the process, with its own code
    Thread.setDefaultUncaughtExceptionHandler(
        (t, e) -> {
          if (e instanceof OutOfMemoryError) {
            System.err.println("parquet-ingest: " + outOfMemory((OutOfMemoryError) e));
            System.err.flush();
            Runtime.getRuntime().halt(EXIT_OUT_OF_MEMORY);
          }
          System.err.println("parquet-ingest: unexpected failure in " + t.getName() + ": " + e);
        });
    int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    DONE.countDown();
    System.exit(code);
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
          OutOfMemoryError oom = outOfMemoryCause(e);
          if (oom != null) {
            err.println("parquet-ingest: " + outOfMemory(oom));
            return EXIT_OUT_OF_MEMORY;
          }
          if (e instanceof RunInterruptedException) {
            // on a signal the JVM exits with its own code (130 or 143) once this is printed
            err.println("parquet-ingest: " + e.getMessage());
            return EXIT_INTERRUPTED;
          }
          KeptOutput kept = KeptOutput.of(e);
          if (e instanceof BadInputException) {
            err.println("parquet-ingest: " + e.getMessage());
            if (kept != null) {
              err.println("parquet-ingest: " + kept.getMessage());
            }
            return EXIT_BAD_INPUT;
          }
          if (e instanceof IllegalArgumentException) {
            err.println("parquet-ingest: " + e.getMessage());
            err.println("Try 'parquet-ingest " + commandLine.getCommandName() + " --help'.");
            return CommandLine.ExitCode.USAGE;
          }
          err.println(
              "parquet-ingest: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
          if (kept != null) {
            err.println("parquet-ingest: " + kept.getMessage());
          }
          if (System.getenv("PARQUET_INGEST_DEBUG") != null) {
            e.printStackTrace(err);
          }
          return CommandLine.ExitCode.SOFTWARE;
        });
    int code;
    try {
      code = cli.execute(args);
    } catch (OutOfMemoryError e) {
      err.println("parquet-ingest: " + outOfMemory(e));
      code = EXIT_OUT_OF_MEMORY;
    }
    out.flush();
    err.flush();
    return code;
  }

  /** The out-of-memory in {@code e}'s causes, or null. */
  static OutOfMemoryError outOfMemoryCause(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof OutOfMemoryError) {
        return (OutOfMemoryError) c;
      }
    }
    return null;
  }

  /** The one-line message of an out-of-memory: what ran out and the two knobs. */
  static String outOfMemory(OutOfMemoryError e) {
    return "Cannot finish the run: out of memory ("
        + e.getMessage()
        + ", heap "
        + Format.bytes(Runtime.getRuntime().maxMemory())
        + "); give the JVM more heap with PARQUET_INGEST_HEAP (e.g. PARQUET_INGEST_HEAP=1g), or"
        + " let files hold less with --memory-budget (or fewer --workers, a smaller"
        + " --row-group-size)";
  }

  /**
   * The version the run report names ({@link ParquetIngest#VERSION}, the same in the jar's manifest
   * as Implementation-Version), and the Java that runs it.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "parquet-ingest " + ParquetIngest.VERSION,
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")"
      };
    }
  }
}
