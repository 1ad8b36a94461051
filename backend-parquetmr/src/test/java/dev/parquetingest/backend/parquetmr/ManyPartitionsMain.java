package dev.parquetingest.backend.parquetmr;

import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.ParquetIngestBuilder;
import dev.parquetingest.common.DataSize;
import dev.parquetingest.partition.Partitioning;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import java.nio.file.Path;

/**
 * Writes {@code rows} rows spread round-robin over {@code partitions} partitions with the real
 * parquet-mr encoder, so that every partition's file stays open; run in a child JVM with a small
 * heap by {@link ManyPartitionsTest}. Prints the run report (JSON) on stdout.
 *
 * <p>Arguments: output directory, rows, partitions, memory budget (e.g. {@code 24MB}, or {@code
 * default}).
 */
public final class ManyPartitionsMain {
  static final Schema SCHEMA =
      Schema.builder()
          .required("id", ColumnType.int64())
          .required("k", ColumnType.int32())
          .required("text", ColumnType.string())
          .required("x", ColumnType.float64())
          .build();

  private ManyPartitionsMain() {}

  public static void main(String[] args) {
    Path out = Path.of(args[0]);
    long rows = Long.parseLong(args[1]);
    int partitions = Integer.parseInt(args[2]);
    ParquetIngestBuilder b =
        ParquetIngest.builder()
            .source(new Rows(rows, partitions))
            .outputDirectory(out)
            .encoder("parquet-mr")
            .partitionBy(Partitioning.byColumns("k"))
            .filePrefix("p");
    if (!args[3].equals("default")) {
      b.memoryBudget(DataSize.parse(args[3]));
    }
    IngestReport report = b.run();
    System.out.println(report.toJson());
  }

  /** id 0..rows-1, k = id % partitions, a 40-60 character text and a double derived from id. */
  static final class Rows implements Source {
    private final long rows;
    private final int partitions;
    private long next;

    Rows(long rows, int partitions) {
      this.rows = rows;
      this.partitions = partitions;
    }

    @Override
    public String name() {
      return "rows";
    }

    @Override
    public Schema open() {
      return SCHEMA;
    }

    @Override
    public boolean next(MutableRow row) {
      if (next == rows) {
        return false;
      }
      long id = next++;
      row.setLong(0, id);
      row.setInt(1, (int) (id % partitions));
      long h = id * 0x9E3779B97F4A7C15L;
      row.setString(2, "record " + id + " " + Long.toHexString(h) + Long.toHexString(h >>> 7));
      row.setDouble(3, (h >>> 11) * 0x1.0p-53);
      return true;
    }

    @Override
    public Position position() {
      long at = next;
      return () -> "record " + at;
    }

    @Override
    public long bytesRead() {
      return next * 64;
    }

    @Override
    public void close() {}
  }
}
