package dev.parquetingest.cli;

import dev.parquetingest.BadRecordPolicy;
import dev.parquetingest.IngestHandle;
import dev.parquetingest.IngestMetrics;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.ParquetIngestBuilder;
import dev.parquetingest.common.DataSize;
import dev.parquetingest.kafka.KafkaSource;
import dev.parquetingest.schema.Schema;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parquet-ingest kafka}: a consumer-group member process writing Parquet files. */
@Command(
    name = "kafka",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Reads Kafka topics as members of a consumer group (one per worker) into ZSTD Parquet files,"
          + " a file per topic-partition named <topic>/<topic>+<partition>+<first offset>.parquet;"
          + " offsets are committed after the files. Runs until SIGTERM/SIGINT (drains: commits"
          + " the open files and their offsets, within --drain-timeout) or --stop-when-idle.",
      "Run several processes with the same --group-id to share the partitions; see"
          + " docs/delivery.md for what is guaranteed."
    },
    footer = {"", "Exit codes: 0 success, 2 usage error, 3 bad input, 1 other failure."})
final class KafkaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT[,...]")
  String bootstrapServers;

  @Option(names = "--topic", required = true, split = ",", paramLabel = "TOPIC")
  List<String> topics;

  @Option(names = "--group-id", required = true, paramLabel = "GROUP")
  String groupId;

  @Option(
      names = "--schema",
      required = true,
      paramLabel = "FILE",
      description = "The columns: one per line, 'name: type [not null]'; values are JSON objects.")
  Path schema;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "The output directory (local; S3 output is not offered by this command yet).")
  Path out;

  @Option(
      names = "--max-file-age",
      converter = CsvCommand.DurationConverter.class,
      defaultValue = "5m",
      description = "Finish a file this long after its first record (default ${DEFAULT-VALUE}).")
  Duration maxFileAge;

  @Option(names = "--max-rows-per-file", paramLabel = "N")
  Long maxRowsPerFile;

  @Option(
      names = "--target-file-size",
      converter = CsvCommand.SizeConverter.class,
      defaultValue = "128MB")
  DataSize targetFileSize;

  @Option(names = "--workers", defaultValue = "1", description = "Group members in this process.")
  int workers;

  @Option(
      names = "--consumer-property",
      paramLabel = "KEY=VALUE",
      description = "A Kafka consumer setting, e.g. security.protocol=SSL; repeatable.")
  List<String> consumerProperties = new ArrayList<>();

  @Option(
      names = "--on-bad-record",
      defaultValue = "reject",
      description = "fail or reject (to _<prefix>-<run id>.rejects-<n>.jsonl; default).")
  String onBadRecord;

  @Option(
      names = "--stop-when-idle",
      converter = CsvCommand.DurationConverter.class,
      paramLabel = "DURATION",
      description = "End once no record has arrived for this long and everything is committed.")
  Duration stopWhenIdle;

  @Option(
      names = "--drain-timeout",
      converter = CsvCommand.DurationConverter.class,
      defaultValue = "30s",
      description = "How long a stop may take to commit the open files (default ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter stdout = spec.commandLine().getOut();
    if (workers < 1 || workers > CsvCommand.MAX_WORKERS) {
      throw new IllegalArgumentException("Invalid --workers " + workers + ": must be 1..1024");
    }
    KafkaSource.Builder source =
        KafkaSource.builder(bootstrapServers, groupId, topics.toArray(new String[0]))
            .json(readSchema(schema));
    for (String kv : consumerProperties) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "Invalid --consumer-property '" + kv + "': expected KEY=VALUE");
      }
      source.consumerProperty(kv.substring(0, eq), kv.substring(eq + 1));
    }
    IngestMetrics metrics = new IngestMetrics();
    ParquetIngestBuilder ingest =
        ParquetIngest.builder()
            .source(source.build())
            .outputDirectory(out)
            .targetFileSize(targetFileSize)
            .maxFileAge(maxFileAge)
            .onBadRecord("fail".equals(onBadRecord) ? BadRecordPolicy.FAIL : BadRecordPolicy.REJECT)
            .workers(workers)
            .metrics(metrics)
            .closeDeadline(drainTimeout);
    if (maxRowsPerFile != null) {
      ingest.maxRowsPerFile(maxRowsPerFile);
    }
    IngestHandle handle = ingest.start();
    CountDownLatch stopped = new CountDownLatch(1);
    IngestReport[] last = new IngestReport[1];
    Thread hook =
        new Thread(
            () -> {
              last[0] = handle.stop(drainTimeout);
              stopped.countDown();
            },
            "parquet-ingest-drain");
    Runtime.getRuntime().addShutdownHook(hook);
    long lastIn = -1;
    long quietSince = System.nanoTime();
    while (handle.isRunning()) {
      if (stopped.await(200, TimeUnit.MILLISECONDS)) {
        return 0;
      }
      long in = metrics.recordsIn();
      if (in != lastIn) {
        lastIn = in;
        quietSince = System.nanoTime();
      } else if (stopWhenIdle != null
          && System.nanoTime() - quietSince >= stopWhenIdle.toNanos()
          && metrics.unacknowledgedAgeMillis() == 0) {
        break;
      }
    }
    Runtime.getRuntime().removeShutdownHook(hook);
    IngestReport r = handle.stop(drainTimeout);
    CsvCommand.printSummary(stdout, r);
    return r.succeeded() ? 0 : 1;
  }

  private static Schema readSchema(Path file) {
    try {
      return Schema.parse(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the schema file " + file, e);
    }
  }
}
