package dev.parquetingest.stream;

import static dev.parquetingest.stream.StreamingIngestTest.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.IngestHandle;
import dev.parquetingest.IngestMetrics;
import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.ParquetIngestBuilder;
import dev.parquetingest.partition.Partitioning;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Transformer;
import dev.parquetingest.testing.LinesEncoderProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partitioned streaming: several open files per worker, and acknowledgement only of what every open
 * file has committed.
 */
class PartitionedStreamingTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** Adds {@code k = id % 3}, the partition column. */
  private static final class AddKey implements Transformer {
    private static final Schema OUT =
        Schema.builder()
            .required("id", ColumnType.int64())
            .required("k", ColumnType.int64())
            .build();
    private final MutableRow out = new MutableRow(OUT);

    @Override
    public Schema outputSchema(Schema input) {
      return OUT;
    }

    @Override
    public Row apply(Row row) {
      out.setLong(0, row.getLong(0));
      out.setLong(1, row.getLong(0) % 3);
      return out;
    }
  }

  private static ParquetIngestBuilder pipeline(QueueSource source, Path dir) {
    return ParquetIngest.builder()
        .source(source)
        .encoder(new LinesEncoderProvider())
        .transform(new AddKey())
        .partitionBy(Partitioning.byColumns("k"))
        .filePrefix("t")
        .outputDirectory(dir);
  }

  @Test
  void everyRowLandsInItsPartitionOnceAndAgeCommitsAllBeforeAcknowledging(@TempDir Path dir) {
    QueueSource source = new QueueSource();
    IngestMetrics metrics = new IngestMetrics();
    IngestHandle h =
        pipeline(source, dir)
            .maxRowsPerFile(50)
            .maxFileAge(Duration.ofMillis(400))
            .metrics(metrics)
            .start();
    for (long i = 0; i < 1_000; i++) {
      source.put(i);
    }
    // size rolls alone never leave the worker without an open file; the age checkpoint does
    await(() -> source.acknowledged() == 1_000);
    assertThat(TestSinks.committedIdsInPartitions(dir))
        .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 1_000).boxed().toList());
    assertThat(metrics.openFiles()).isZero();
    for (long i = 1_000; i < 1_100; i++) {
      source.put(i);
    }
    await(() -> source.taken() == 1_100);
    IngestReport report = h.stop(PATIENCE);

    List<Path> files = TestSinks.dataFilesInPartitions(dir);
    for (Path f : files) {
      String partition = dir.relativize(f).getParent().toString();
      assertThat(partition).matches("k=[012]");
      long k = Long.parseLong(partition.substring(2));
      assertThat(TestSinks.committedIds(f.getParent()))
          .as("ids in %s", partition)
          .allMatch(id -> id % 3 == k);
    }
    assertThat(TestSinks.committedIdsInPartitions(dir))
        .containsExactlyInAnyOrderElementsOf(LongStream.range(0, 1_100).boxed().toList());
    assertThat(source.acknowledged()).isEqualTo(1_100);
    assertThat(report.files()).hasSize(files.size());
    assertThat(report.peakOpenFiles()).isEqualTo(3);
    assertThat(metrics.filesCommitted()).isEqualTo(files.size());
    assertThat(metrics.recordsOut()).isEqualTo(1_100);
  }

  @Test
  void nothingAcknowledgedIsMissingFromTheCommittedFilesWhileInputFlows(@TempDir Path dir)
      throws Exception {
    QueueSource source = new QueueSource();
    IngestHandle h =
        pipeline(source, dir).maxRowsPerFile(200).maxFileAge(Duration.ofMillis(200)).start();
    Thread producer =
        new Thread(
            () -> {
              for (long i = 0; i < 5_000_000 && !Thread.currentThread().isInterrupted(); i++) {
                source.put(i);
                if (i % 100 == 0) {
                  try {
                    Thread.sleep(1);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              }
            });
    producer.start();
    int checked = 0;
    long lastAck = 0;
    while (checked < 5) {
      long acked = source.acknowledged();
      if (acked > lastAck) {
        // read after sampling: files only ever appear, so all acknowledged ids must be there
        Set<Long> committed = new HashSet<>(TestSinks.committedIdsInPartitions(dir));
        long missing = LongStream.range(0, acked).filter(id -> !committed.contains(id)).count();
        assertThat(missing).as("acknowledged ids missing from committed files").isZero();
        lastAck = acked;
        checked++;
      }
      Thread.sleep(50);
    }
    IngestReport report = h.stop(PATIENCE);
    producer.interrupt();
    producer.join();
    long taken = source.taken();
    List<Long> ids = TestSinks.committedIdsInPartitions(dir);
    assertThat(ids).hasSize((int) taken);
    assertThat(new HashSet<>(ids)).hasSize((int) taken).allMatch(id -> id >= 0 && id < taken);
    assertThat(source.acknowledged()).isEqualTo(taken);
    assertThat(report.rowsWritten()).isEqualTo(taken);
  }
}
