package dev.parquetingest.cli;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.ParquetIngestBuilder;
import dev.parquetingest.common.BadInputException;
import dev.parquetingest.common.DataSize;
import dev.parquetingest.schema.Schema;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every streaming command ({@code kafka}, {@code sqs}) shares: the schema of the JSON
 * values, where files go and how they are encoded and partitioned, when a file is finished, the
 * workers, the bad-record policy, and how the service ends (signal drain, idle stop). Not
 * thread-safe (picocli fills it, one command uses it).
 */
final class StreamingOptions {
  /** {@code --max-file-age} unless given: a record waits at most this long to be durable. */
  static final String DEFAULT_MAX_FILE_AGE = "5m";

  /** {@code --drain-timeout} unless given, as {@code IngestHandle.DEFAULT_STOP_DEADLINE}. */
  static final String DEFAULT_DRAIN_TIMEOUT = "30s";

  private static final Pattern WORKERS = Pattern.compile("(\\d{1,9})(?:\\.\\.(\\d{1,9}))?");

  @Option(
      names = "--schema",
      required = true,
      paramLabel = "<file>",
      description =
          "The columns: one per line, 'name: type [not null]'; each value is a JSON object whose"
              + " fields of those names fill them.")
  Path schema;

  @Mixin OutputOptions output;

  @Option(
      names = "--max-file-age",
      converter = CsvCommand.DurationConverter.class,
      defaultValue = DEFAULT_MAX_FILE_AGE,
      paramLabel = "<duration>",
      description =
          "Finish a file this long after its first record, also with no new records (default"
              + " ${DEFAULT-VALUE}): the longest a record waits to be durable and acknowledged.")
  Duration maxFileAge;

  @Option(
      names = "--max-rows-per-file",
      paramLabel = "N",
      description = "Finish a file after this many rows.")
  Long maxRowsPerFile;

  @Option(
      names = "--target-file-size",
      converter = CsvCommand.SizeConverter.class,
      defaultValue = "128MB",
      paramLabel = "<size>",
      description = "Finish a file at about this compressed size (default ${DEFAULT-VALUE}).")
  DataSize targetFileSize;

  @Mixin PartitionOptions partitions;

  @Mixin EncodingOptions encoding;

  @Option(
      names = "--workers",
      defaultValue = "1",
      paramLabel = "N|MIN..MAX",
      description =
          "Readers (each one encoding its own files) in this process: a number, or MIN..MAX to"
              + " add workers while the source backs up and CPU and memory allow, and remove them"
              + " when idle (default ${DEFAULT-VALUE}).")
  String workers;

  @Option(
      names = "--on-bad-record",
      defaultValue = "reject",
      paramLabel = "fail|reject",
      description =
          "fail: stop at the first undecodable record; reject: write it with its source position"
              + " and the reason to _<prefix>-<run id>.rejects-<n>.jsonl and go on (default"
              + " ${DEFAULT-VALUE}).")
  String onBadRecord;

  @Option(
      names = "--stop-when-idle",
      converter = CsvCommand.DurationConverter.class,
      paramLabel = "<duration>",
      description =
          "End once no record has arrived for this long and the source shows none waiting:"
              + " commit the open files, acknowledge them, exit 0 (for batch-like jobs; default:"
              + " run until stopped). Counts from the start: with Kafka, choose more than the"
              + " time a rebalance takes (session.timeout.ms after a crashed member).")
  Duration stopWhenIdle;

  @Option(
      names = "--drain-timeout",
      converter = CsvCommand.DurationConverter.class,
      defaultValue = DEFAULT_DRAIN_TIMEOUT,
      paramLabel = "<duration>",
      description =
          "On SIGTERM or SIGINT: stop reading, commit the open files and acknowledge them within"
              + " this long, then exit 0; files not committed by then are aborted and their records"
              + " not acknowledged (exit 1) (default ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Option(
      names = "--progress",
      negatable = true,
      description =
          "Show rows/s, files and lag on stderr once a second (default: only when stderr is a"
              + " terminal; never with --json).")
  Boolean progress;

  @Option(names = "--json", description = "Print the run report as JSON instead of a summary.")
  boolean json;

  /** The least workers, from {@code --workers N} or {@code MIN..MAX}. */
  int minWorkers() {
    return parseWorkers()[0];
  }

  /** The most workers. */
  int maxWorkers() {
    return parseWorkers()[1];
  }

  private int[] parseWorkers() {
    Matcher m = WORKERS.matcher(workers.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "Invalid --workers '" + workers + "': expected a number N or a range MIN..MAX");
    }
    int min = Integer.parseInt(m.group(1));
    int max = m.group(2) == null ? min : Integer.parseInt(m.group(2));
    if (min < 1 || max > CsvCommand.MAX_WORKERS || max < min) {
      throw new IllegalArgumentException(
          "Invalid --workers "
              + workers
              + ": must be from 1 to "
              + CsvCommand.MAX_WORKERS
              + (m.group(2) == null ? "" : ", MIN not above MAX"));
    }
    return new int[] {min, max};
  }

  /**
   * Checks every option in the CLI's words.
   *
   * @throws IllegalArgumentException naming the option
   */
  void check() {
    parseWorkers();
    encoding.check();
    output.check();
    partitions.check();
    positive("--max-file-age", maxFileAge);
    positive("--drain-timeout", drainTimeout);
    if (stopWhenIdle != null) {
      positive("--stop-when-idle", stopWhenIdle);
    }
    if (maxRowsPerFile != null && maxRowsPerFile < 1) {
      throw new IllegalArgumentException(
          "Invalid --max-rows-per-file " + maxRowsPerFile + ": must be at least 1");
    }
    policy();
  }

  private static void positive(String option, Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("Invalid " + option + " " + d + ": must be positive");
    }
  }

  BadRecordPolicy policy() {
    return CsvCommand.policy(onBadRecord);
  }

  /**
   * The schema file's columns.
   *
   * @throws BadInputException if it cannot be read or parsed, naming the file
   */
  Schema readSchema() {
    return CsvCommand.readSchema(schema);
  }

  /** Sets everything but the source and the sink on {@code ingest}. */
  void apply(ParquetIngestBuilder ingest) {
    ingest
        .targetFileSize(targetFileSize)
        .maxFileAge(maxFileAge)
        .onBadRecord(policy())
        .workers(minWorkers(), maxWorkers())
        .closeDeadline(drainTimeout);
    encoding.apply(ingest, maxWorkers());
    if (maxRowsPerFile != null) {
      ingest.maxRowsPerFile(maxRowsPerFile);
    }
    if (partitions.partitioning() != null) {
      ingest.partitionBy(partitions.partitioning());
    }
  }
}
