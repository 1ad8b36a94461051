package dev.parquetingest.sqs;

import dev.parquetingest.ParquetIngest;
import dev.parquetingest.ParquetIngestBuilder;
import dev.parquetingest.sink.s3.S3Server;
import dev.parquetingest.sink.s3.S3Sink;
import java.net.URI;
import java.time.Duration;

/**
 * The SQS → S3 pipeline of {@link SqsKillIT} as a process of its own, to be killed with SIGKILL:
 * two workers, 2,000-row files, 1 s age rolls, 5 s visibility. Runs until killed.
 *
 * <p>Arguments: SQS endpoint, queue URL, S3 endpoint, bucket, key prefix.
 */
public final class SqsToS3Main {
  private SqsToS3Main() {}

  static ParquetIngestBuilder pipeline(URI sqs, String queue, S3Sink sink) {
    SqsSource source =
        SqsSource.builder(queue)
            .endpointOverride(sqs)
            .region("us-east-1")
            .credentialsProvider(SqsServer.CREDENTIALS)
            .waitTime(Duration.ofSeconds(1))
            .visibilityTimeout(Duration.ofSeconds(5))
            .json(SqsToS3IT.SCHEMA)
            .build();
    return ParquetIngest.builder()
        .source(source)
        .sink(sink)
        .filePrefix("events")
        .maxRowsPerFile(2_000)
        .maxFileAge(Duration.ofSeconds(1))
        .workers(2);
  }

  public static void main(String[] args) throws InterruptedException {
    S3Sink sink = S3Server.sink(URI.create(args[2]), args[3], args[4]).build();
    pipeline(URI.create(args[0]), args[1], sink).start();
    System.out.println("started");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
