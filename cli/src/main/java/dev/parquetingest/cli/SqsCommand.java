package dev.parquetingest.cli;

import dev.parquetingest.ParquetIngest;
import dev.parquetingest.sqs.SqsSource;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parquet-ingest sqs}: a competing consumer of an SQS queue writing Parquet files. */
@Command(
    name = "sqs",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Reads JSON messages from an Amazon SQS queue (or a compatible server) into ZSTD Parquet"
          + " files; a message is deleted only after the file holding it is committed (at least"
          + " once). Runs until SIGTERM/SIGINT (drains: commits the open files and deletes their"
          + " messages within --drain-timeout, exits 0) or --stop-when-idle.",
      "Run several processes on one queue to share it (each message goes to one of them); see"
          + " docs/delivery.md for what is guaranteed. Credentials: the AWS SDK's default chain."
    },
    footer = {"", Main.STREAM_EXIT_CODES})
final class SqsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--queue-url",
      required = true,
      paramLabel = "<url>",
      description = "The queue's URL as SQS gives it, https://sqs.<region>.amazonaws.com/<id>/<q>.")
  String queueUrl;

  @Option(
      names = "--sqs-endpoint",
      paramLabel = "<url>",
      description = "An SQS-compatible endpoint instead of AWS, e.g. http://127.0.0.1:9324.")
  URI sqsEndpoint;

  @Option(
      names = "--sqs-region",
      paramLabel = "<region>",
      description = "The queue's region (default: the AWS SDK's region chain).")
  String sqsRegion;

  @Option(
      names = "--wait-time",
      converter = CsvCommand.DurationConverter.class,
      paramLabel = "<duration>",
      description = "Long-polling wait of one receive, whole seconds 0..20 (default 20s).")
  Duration waitTime;

  @Option(
      names = "--visibility-timeout",
      converter = CsvCommand.DurationConverter.class,
      paramLabel = "<duration>",
      description =
          "How long a received message stays invisible to others; kept extended while its file is"
              + " open (default 60s).")
  Duration visibilityTimeout;

  @Mixin StreamingOptions streaming;

  @Override
  public Integer call() throws InterruptedException {
    streaming.check();
    SqsSource.Builder source = SqsSource.builder(queueUrl).json(streaming.readSchema());
    if (sqsEndpoint != null) {
      source.endpointOverride(sqsEndpoint);
    }
    if (sqsRegion != null) {
      source.region(sqsRegion);
    }
    if (waitTime != null) {
      source.waitTime(waitTime);
    }
    if (visibilityTimeout != null) {
      source.visibilityTimeout(visibilityTimeout);
    }
    return new StreamingRun(streaming, spec.commandLine().getOut(), spec.commandLine().getErr())
        .run(ParquetIngest.builder().source(source.build()), streaming.output.sink());
  }
}
