package dev.parquetingest.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.IngestHandle;
import dev.parquetingest.sink.s3.S3Server;
import dev.parquetingest.sink.s3.S3ServerExtension;
import dev.parquetingest.sink.s3.S3Sink;
import dev.parquetingest.testing.DuckDb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQS → S3 killed for real: the pipeline runs in a child JVM ({@link SqsToS3Main}) against the
 * servers of this JVM and gets SIGKILL once some files are committed, with no drain and no shutdown
 * hook. A second pipeline then drains the queue. Every message must be in the committed output (at
 * least once); the only duplicates allowed are messages the first life committed but had not
 * deleted when it died; no object is partial.
 */
@ExtendWith({SqsServerExtension.class, S3ServerExtension.class})
class SqsKillIT {
  private static final int N = 30_000;

  @Test
  void killedWithSigkillAndRestartedNothingIsLost(SqsServer sqs, S3Server s3, @TempDir Path dir)
      throws Exception {
    String queue = sqs.newQueue();
    String bucket = s3.newBucket();
    SqsToS3IT.sendIds(sqs, queue, 0, N);

    Path log = dir.resolve("child.log");
    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                SqsToS3Main.class.getName(),
                sqs.endpoint().toString(),
                queue,
                s3.endpoint().toString(),
                bucket,
                "events")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (s3.keys(bucket).stream().filter(k -> k.endsWith(".parquet")).count() < 4) {
        assertThat(child.isAlive()).as(Files.readString(log)).isTrue();
        assertThat(System.nanoTime()).as("files committed in time").isLessThan(deadline);
        Thread.sleep(50);
      }
    } finally {
      child.destroyForcibly(); // SIGKILL: no drain, no hook
      child.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(child.isAlive()).isFalse();
    List<Path> firstLife =
        s3.download(bucket, ".parquet", Files.createDirectories(dir.resolve("first")));
    Set<Long> committedByFirst = SqsToS3IT.ids(firstLife);
    assertThat(committedByFirst).as("the kill came mid-run").hasSizeLessThan(N);

    // second life: drains the queue, including what the first held when it died (visible again
    // after its 5 s visibility timeout)
    try (S3Sink sink = s3.sink(bucket, "events").build()) {
      IngestHandle h = SqsToS3Main.pipeline(sqs.endpoint(), queue, sink).start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      Set<String> seen = new HashSet<>();
      Set<Long> ids = new HashSet<>();
      Path polled = Files.createDirectories(dir.resolve("polled"));
      while (ids.size() < N) {
        for (String key : s3.keys(bucket)) {
          if (key.endsWith(".parquet") && seen.add(key)) {
            Path f = polled.resolve(key.replace('/', '_'));
            Files.write(f, s3.get(bucket, key));
            ids.addAll(SqsToS3IT.ids(List.of(f)));
          }
        }
        assertThat(System.nanoTime()).as("all ids committed in time").isLessThan(deadline);
        Thread.sleep(200);
      }
      h.stop(SqsToS3IT.PATIENCE);
    }

    List<Path> files =
        s3.download(bucket, ".parquet", Files.createDirectories(dir.resolve("final")));
    long[] c = SqsToS3IT.counts(files); // DuckDB reads every object: none is partial
    assertThat(c[1]).as("distinct ids").isEqualTo(N);
    assertThat(SqsToS3IT.ids(files)).allMatch(id -> id >= 0 && id < N);
    // a duplicate is a message the first life committed and SQS delivered again
    List<List<Object>> dups =
        DuckDb.query(
            "SELECT id FROM read_parquet("
                + DuckDb.literal(files)
                + ") GROUP BY id"
                + " HAVING count(*) > 1");
    Set<Long> duplicated = new HashSet<>();
    for (List<Object> r : dups) {
      duplicated.add(((Number) r.get(0)).longValue());
    }
    assertThat(committedByFirst).containsAll(duplicated);
    assertThat(c[0]).isEqualTo(N + duplicated.size());
    assertThat(sqs.drain(queue)).as("left in the queue").isEmpty();
    System.out.printf(
        "SqsKillIT: first life committed %d ids before SIGKILL; %d delivered twice%n",
        committedByFirst.size(), duplicated.size());
  }
}
