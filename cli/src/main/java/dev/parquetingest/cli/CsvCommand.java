package dev.parquetingest.cli;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.ParquetIngestBuilder;
import dev.parquetingest.common.BadInputException;
import dev.parquetingest.common.DataSize;
import dev.parquetingest.csv.CsvSource;
import dev.parquetingest.partition.Partitioning;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.sink.s3.S3Sink;
import dev.parquetingest.sink.s3.S3SinkMetrics;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.Sink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code csv <input.csv> --out <dir|s3://bucket/prefix>}: one CSV file to Parquet files. */
@Command(
    name = "csv",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Converts a CSV file into ZSTD-compressed Parquet files in a directory or under an S3"
          + " prefix.",
      "Files are named <prefix>-00000.parquet, <prefix>-00001.parquet, ... when one worker"
          + " writes them, <prefix>-<worker>-<seq>.parquet (<prefix>-000-00000.parquet, ...) when"
          + " several do; beside them go the manifest _<prefix>.manifest.jsonl (every committed"
          + " file with its rows, source positions and column statistics), the run report"
          + " _<prefix>.report.json and, if records were rejected, _<prefix>.rejects.jsonl.",
      "If an earlier run of the same prefix left files in --out, the run refuses before"
          + " reading, unless --overwrite (replace them) or --resume (keep them, read the rest)."
    },
    footer = {
      "",
      Main.CSV_EXIT_CODES,
      "Schema file: one column per line, 'name: type [not null]'; types boolean, int32, int64,"
          + " float, double, string, binary, date, timestamp(millis|micros[,local]), decimal(p,s)."
    })
final class CsvCommand implements Callable<Integer> {
  /**
   * The CLI's default memory budget, in percent of the maximum heap: more than the library's 40%,
   * because at 40% two open files of the 52-column logs benchmark (52 dictionaries of up to 1 MB
   * each beside their row group) passed the budget and 6 of 8 files were finished early; at 60%
   * none is, and the run was 10% faster with a lower peak RSS (docs/benchmarks.md, e2e section).
   */
  static final int DEFAULT_MEMORY_BUDGET_PERCENT = 60;

  /** The most workers {@code ParquetIngestBuilder.workers} takes. */
  static final int MAX_WORKERS = 1024;

  @Spec CommandSpec spec;

  @Mixin CsvInputOptions csv;

  @Mixin OutputOptions output;

  @Mixin PartitionOptions partitions;

  @Mixin EncodingOptions encoding;

  @Option(
      names = "--schema",
      paramLabel = "<file>",
      description = "Schema file; inferred from the data if absent.")
  Path schemaFile;

  @Option(
      names = "--target-file-size",
      defaultValue = "128MB",
      converter = SizeConverter.class,
      paramLabel = "<size>",
      description = "Roll files at about this compressed size (default ${DEFAULT-VALUE}).")
  DataSize targetFileSize;

  @Option(
      names = "--max-rows-per-file",
      paramLabel = "N",
      description = "Roll files after this many rows.")
  Long maxRowsPerFile;

  @Option(
      names = "--max-file-age",
      converter = DurationConverter.class,
      paramLabel = "<duration>",
      description =
          "Roll a file this long after its first row, e.g. 30s, 5m, 1h (default: no age limit).")
  Duration maxFileAge;

  @Option(
      names = "--on-bad-record",
      defaultValue = "fail",
      paramLabel = "fail|reject",
      description =
          "fail: stop at the first bad record; reject: write it to the rejects file and go on"
              + " (default ${DEFAULT-VALUE}).")
  String onBadRecord;

  @Option(
      names = "--workers",
      paramLabel = "N",
      description =
          "Threads reading and encoding parts of the file in parallel, each writing its own"
              + " files (default: one per --target-file-size of input, rounded up, from 1 to"
              + " the number of processors, at most 8: ${sys:parquetingest.defaultWorkers} here;"
              + " 1 for a pipe or standard input).")
  Integer workers;

  @Option(
      names = "--overwrite",
      description =
          "Replace what an earlier run of the same file prefix left in --out (data files of any"
              + " worker count, rejects, manifest, report, temporary files).")
  boolean overwrite;

  @Option(
      names = "--resume",
      description =
          "Continue an interrupted run of the same file prefix: keep its committed files and read"
              + " only the records none of them holds (found from their footers).")
  boolean resume;

  @Option(
      names = "--file-prefix",
      paramLabel = "<prefix>",
      description = "File name prefix (default: the input's base name).")
  String filePrefix;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Show a progress bar on stderr (default: only when stderr is a terminal).")
  Boolean progress;

  @Option(names = "--json", description = "Print the run report as JSON instead of a summary.")
  boolean json;

  @Override
  public Integer call() {
    if (workers == null) {
      workers =
          defaultWorkers(
              inputBytes(csv.input),
              targetFileSize,
              Integer.getInteger(Main.DEFAULT_WORKERS_PROPERTY, Main.defaultWorkers()));
    }
    checkOptions();
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    CsvSource.Builder builder = csv.builder();
    if (schemaFile != null) {
      builder.schema(readSchema(schemaFile));
    }
    try (Sink sink = sink()) {
      return run(builder, sink, stdout, stderr);
    }
  }

  private int run(CsvSource.Builder builder, Sink sink, PrintWriter stdout, PrintWriter stderr) {
    CsvSource source = builder.build();
    ParquetIngestBuilder ingest =
        ParquetIngest.builder()
            .source(source)
            .sink(sink)
            .targetFileSize(targetFileSize)
            .onBadRecord(policy(onBadRecord))
            .overwrite(overwrite)
            .resume(resume)
            .workers(workers);
    encoding.apply(ingest, workers);
    if (maxRowsPerFile != null) {
      ingest.maxRowsPerFile(maxRowsPerFile);
    }
    if (maxFileAge != null) {
      ingest.maxFileAge(maxFileAge);
    }
    Partitioning partitioning = partitions.partitioning();
    if (partitioning != null) {
      ingest.partitionBy(partitioning);
    }
    if (filePrefix != null) {
      ingest.filePrefix(filePrefix);
    }
    boolean showProgress = progress != null ? progress : ProgressBar.stderrIsTerminal();
    if (showProgress) {
      ingest.progressListener(new ProgressBar(stderr));
    }
    IngestReport report = runStoppable(ingest.build());
    if (json) {
      stdout.print(report.toJson());
    } else {
      printSummary(stdout, report);
      if (!source.splittable() && workers > 1) {
        stdout.println(
            "  input: "
                + source.name()
                + " is not seekable (a pipe, FIFO or standard"
                + " input): read once, with one worker");
      }
      if (sink instanceof S3Sink) {
        S3SinkMetrics s3 = ((S3Sink) sink).metrics();
        stdout.printf(
            Locale.ROOT,
            "  s3: %,d requests %s, %,d retries, %s uploaded%n",
            s3.totalRequests(),
            s3.requests(),
            s3.retries(),
            Format.bytes(s3.bytesUploaded()));
      }
    }
    stdout.flush();
    return 0;
  }

  /**
   * Runs with a shutdown hook: on SIGTERM or Ctrl-C the run stops reading, commits its open files
   * and writes its manifest and report; the hook waits (at most {@link #STOP_WAIT_SECONDS}) until
   * {@link Main} has printed the outcome, so the JVM exits with the signal's code (130, 143).
   */
  private static IngestReport runStoppable(ParquetIngest pipeline) {
    Thread hook =
        new Thread(
            () -> {
              pipeline.stop();
              try {
                Main.DONE.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "parquet-ingest-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return pipeline.run();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook is running and waits for Main
      }
    }
  }

  /** How long a signal's shutdown waits for the run to stop and its outcome to be printed. */
  static final long STOP_WAIT_SECONDS = 30;

  /** {@code --out} as a sink; {@code --overwrite} and {@code --resume} exclude each other. */
  private Sink sink() {
    if (overwrite && resume) {
      throw new IllegalArgumentException("Invalid --overwrite with --resume: choose one");
    }
    return output.sink();
  }

  /**
   * Checks what the library would refuse in its own words, so that messages name the CLI's options
   * and limits rather than the builder's.
   */
  private void checkOptions() {
    if (workers < 1 || workers > MAX_WORKERS) {
      throw new IllegalArgumentException(
          "Invalid --workers " + workers + ": must be from 1 to " + MAX_WORKERS);
    }
    encoding.check();
    output.check();
    partitions.check();
    if (maxFileAge != null && (maxFileAge.isNegative() || maxFileAge.isZero())) {
      throw new IllegalArgumentException(
          "Invalid --max-file-age " + maxFileAge + ": must be positive");
    }
  }

  /**
   * The default of {@code --workers}: one worker per {@code targetFileSize} of input, rounded up,
   * at least 1 and at most {@code mostWorkers} (the processors, at most 8), so that a small input
   * is not cut into several small files for no gain: a 77 MB file with 128 MB files gets 1 worker,
   * 246 MB and 618 MB files get 2 and 5 (then 2 on a 2-processor machine). An input whose size is
   * unknown (-1: a pipe, standard input) gets 1, which is all it can use.
   */
  static int defaultWorkers(long inputBytes, DataSize targetFileSize, int mostWorkers) {
    if (inputBytes <= 0) {
      return 1;
    }
    long target = Math.max(1, targetFileSize.toBytes());
    long byInput = (inputBytes - 1) / target + 1;
    return (int) Math.max(1, Math.min(mostWorkers, byInput));
  }

  /** The size of a regular input file, or -1 (standard input, a pipe, a FIFO). */
  private static long inputBytes(Path input) {
    if (input == null || input.toString().equals("-") || !Files.isRegularFile(input)) {
      return -1;
    }
    try {
      return Files.size(input);
    } catch (IOException e) {
      return -1;
    }
  }

  /** {@link #DEFAULT_MEMORY_BUDGET_PERCENT} of this JVM's maximum heap. */
  static DataSize defaultMemoryBudget() {
    return DataSize.ofBytes(Runtime.getRuntime().maxMemory() / 100 * DEFAULT_MEMORY_BUDGET_PERCENT);
  }

  /**
   * Each worker buffers one row group before writing it, so the default gives all of them a third
   * of the memory budget (the rest is for each open file's dictionaries, page buffers and chunk
   * vectors): 128MB, the library default, when the budget allows, never below 16MB. With the
   * launcher's 256 MB heap and 2 workers that is 25.6 MB, as before the budget went from 40% to 60%
   * of the heap (half of 40%): larger row groups only raised the peak RSS.
   */
  static DataSize defaultRowGroupSize(int workers, DataSize memoryBudget) {
    long budget = (memoryBudget != null ? memoryBudget : defaultMemoryBudget()).toBytes();
    long perWorker = budget / 3 / Math.max(1, workers);
    long bytes =
        Math.max(16L << 20, Math.min(EncoderOptions.DEFAULT_ROW_GROUP_SIZE.toBytes(), perWorker));
    return DataSize.ofBytes(bytes);
  }

  /** {@code --on-bad-record}'s value, for csv and the streaming commands alike. */
  static BadRecordPolicy policy(String text) {
    switch (text.toLowerCase(Locale.ROOT)) {
      case "fail":
        return BadRecordPolicy.FAIL;
      case "reject":
        return BadRecordPolicy.REJECT;
      default:
        throw new IllegalArgumentException(
            "Invalid --on-bad-record '" + text + "': use fail or reject");
    }
  }

  /**
   * The columns of a {@code --schema} file, for csv and the streaming commands alike.
   *
   * @throws BadInputException if it cannot be read or parsed, naming the file
   */
  static Schema readSchema(Path file) {
    try {
      return Schema.parse(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new BadInputException("Cannot read schema file " + file + ": no such file", e);
    } catch (IOException e) {
      throw new BadInputException("Cannot read schema file " + file + ": " + e, e);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("Cannot read schema file " + file + ": " + e.getMessage(), e);
    }
  }

  static void printSummary(PrintWriter out, IngestReport r) {
    double seconds = r.wallTime().toNanos() / 1e9;
    out.printf(
        Locale.ROOT,
        "Wrote %,d rows to %d file%s (%s) in %s: %.1f s, %,.0f rows/s%n",
        r.rowsWritten(),
        r.files().size(),
        r.files().size() == 1 ? "" : "s",
        Format.bytes(r.bytesOut()),
        r.sink(),
        seconds,
        r.rowsPerSecond());
    out.printf(
        Locale.ROOT,
        "  read %s (%,d rows), rejected %,d, filtered %,d, encoder %s%s%n",
        Format.bytes(r.bytesIn()),
        r.rowsRead(),
        r.rowsRejected(),
        r.rowsFiltered(),
        r.encoder(),
        r.encoderDetails().isEmpty() ? "" : " " + r.encoderDetails());
    out.printf(
        Locale.ROOT,
        "  time summed over %d worker%s: read %s, encode %s, sink %s; peak heap used %s,"
            + " peak RSS %s; GC %d (%s)%n",
        r.workers(),
        r.workers() == 1 ? "" : "s",
        Format.seconds(r.readTime()),
        Format.seconds(r.encodeTime()),
        Format.seconds(r.sinkTime()),
        Format.bytes(r.peakHeapBytes()),
        Format.bytes(r.peakRssBytes()),
        r.gcCount(),
        Format.seconds(r.gcTime()));
    if (r.memoryRolls() > 0) {
      out.printf(
          Locale.ROOT,
          "  memory: %,d files finished early to stay within the %s budget"
              + " (%,d open at most); raise --memory-budget or the heap for larger files%n",
          r.memoryRolls(),
          Format.bytes(r.memoryBudgetBytes()),
          r.peakOpenFiles());
    }
    if (r.rejectsLocation() != null) {
      out.println("  rejects: " + r.rejectsLocation());
    }
    if (r.manifestLocation() != null) {
      out.println("  manifest: " + r.manifestLocation());
    }
    out.printf(
        Locale.ROOT,
        "  run %s, parquet-ingest %s, %s to %s%n",
        r.runId(),
        r.version(),
        r.startTime(),
        r.endTime());
  }

  /**
   * Parses {@code 30s}, {@code 5m}, {@code 1h}, {@code 250ms} or ISO-8601 ({@code PT5M}) durations.
   */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    @Override
    public Duration convert(String value) {
      String text = value.trim().toLowerCase(Locale.ROOT);
      Matcher m = SHORT.matcher(text);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
          case "ms":
            return Duration.ofMillis(n);
          case "s":
            return Duration.ofSeconds(n);
          case "m":
            return Duration.ofMinutes(n);
          case "h":
            return Duration.ofHours(n);
          default:
            return Duration.ofDays(n);
        }
      }
      try {
        return Duration.parse(value.trim());
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "'" + value + "' is not a duration: use e.g. 30s, 5m, 1h, 250ms or PT5M");
      }
    }
  }

  /** Parses {@code 128MB}-style sizes. */
  static final class SizeConverter implements ITypeConverter<DataSize> {
    @Override
    public DataSize convert(String value) {
      return DataSize.parse(value);
    }
  }
}
