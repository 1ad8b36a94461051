package dev.parquetingest.examples;

import dev.parquetingest.IngestReport;
import dev.parquetingest.ParquetIngest;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import dev.parquetingest.spi.Transformer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A source of your own (sensor readings made up on the fly) and a transformer that drops invalid
 * readings, written to files of at most 50,000 rows each.
 */
public final class CustomSourceExample {
  static final Schema SCHEMA =
      Schema.builder()
          .required("sensor", ColumnType.string())
          .required("at", ColumnType.timestampMillis(true))
          .optional("celsius", ColumnType.float64())
          .build();

  private CustomSourceExample() {}

  public static void main(String[] args) throws Exception {
    Path out = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("sensors");
    IngestReport report = write(out, 200_000);
    System.out.printf(
        "%d readings kept, %d dropped, %d files in %s%n",
        report.rowsWritten(), report.rowsFiltered(), report.files().size(), out);
  }

  static IngestReport write(Path out, long readings) {
    return ParquetIngest.builder()
        .source(new SensorSource(readings))
        .transform(new DropImpossibleReadings())
        .outputDirectory(out)
        .maxRowsPerFile(50_000)
        .run();
  }

  /** Keeps readings above absolute zero. */
  static final class DropImpossibleReadings implements Transformer {
    @Override
    public Row apply(Row row) {
      return row.isNull(2) || row.getDouble(2) >= -273.15 ? row : null;
    }
  }

  /** Made-up readings; every 100th one is impossible. Not thread-safe. */
  static final class SensorSource implements Source {
    private final long total;
    private long index;

    SensorSource(long total) {
      this.total = total;
    }

    @Override
    public String name() {
      return "sensors";
    }

    @Override
    public Schema open() {
      return SCHEMA;
    }

    @Override
    public boolean next(MutableRow row) {
      if (index == total) {
        return false;
      }
      row.setString(0, "sensor-" + (index % 16));
      row.setLong(1, 1_763_700_000_000L + index * 1000);
      if (index % 37 == 0) {
        row.setNull(2);
      } else {
        row.setDouble(2, index % 100 == 99 ? -300.0 : 20 + (index % 50) / 10.0);
      }
      index++;
      return true;
    }

    @Override
    public Position position() {
      long at = index;
      return () -> "reading " + at;
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    public void close() {}
  }
}
