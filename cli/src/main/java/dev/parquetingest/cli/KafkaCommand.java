package dev.parquetingest.cli;

import dev.parquetingest.ParquetIngest;
import dev.parquetingest.kafka.KafkaSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
          + " the open files and their offsets within --drain-timeout, exits 0) or"
          + " --stop-when-idle.",
      "Run several processes with the same --group-id to share the partitions; see"
          + " docs/delivery.md for what is guaranteed."
    },
    footer = {"", Main.STREAM_EXIT_CODES})
final class KafkaCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--bootstrap-servers",
      required = true,
      paramLabel = "HOST:PORT[,...]",
      description = "The Kafka brokers to connect to first, e.g. kafka1:9092,kafka2:9092.")
  String bootstrapServers;

  @Option(
      names = "--topic",
      required = true,
      split = ",",
      paramLabel = "TOPIC",
      description = "The topics to read, comma-separated or repeated.")
  List<String> topics;

  @Option(
      names = "--group-id",
      required = true,
      paramLabel = "GROUP",
      description =
          "The consumer group whose offsets are committed; processes with the same group share"
              + " the partitions.")
  String groupId;

  @Option(
      names = "--consumer-property",
      paramLabel = "KEY=VALUE",
      description = "A Kafka consumer setting, e.g. security.protocol=SSL; repeatable.")
  List<String> consumerProperties = new ArrayList<>();

  @Mixin StreamingOptions streaming;

  @Override
  public Integer call() throws InterruptedException {
    streaming.check();
    KafkaSource.Builder source =
        KafkaSource.builder(bootstrapServers, groupId, topics.toArray(new String[0]))
            .json(streaming.readSchema());
    for (String kv : consumerProperties) {
      int eq = kv.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "Invalid --consumer-property '" + kv + "': expected KEY=VALUE");
      }
      source.consumerProperty(kv.substring(0, eq), kv.substring(eq + 1));
    }
    return new StreamingRun(streaming, spec.commandLine().getOut(), spec.commandLine().getErr())
        .run(ParquetIngest.builder().source(source.build()), streaming.output.sink());
  }
}
