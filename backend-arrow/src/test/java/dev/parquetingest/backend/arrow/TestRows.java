package dev.parquetingest.backend.arrow;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.function.Consumer;

/** Rows for the tests: generated data sets read from CSV, and edge cases of every type. */
final class TestRows {
  private TestRows() {}

  /** Every type, nullable, plus a required column. */
  static final Schema EDGE_SCHEMA =
      Schema.builder()
          .required("id", ColumnType.int64())
          .optional("all_null", ColumnType.string())
          .optional("b", ColumnType.booleanType())
          .optional("i32", ColumnType.int32())
          .optional("i64", ColumnType.int64())
          .optional("f32", ColumnType.float32())
          .optional("f64", ColumnType.float64())
          .optional("s", ColumnType.string())
          .optional("bin", ColumnType.binary())
          .optional("d", ColumnType.date())
          .optional("ts_ms", ColumnType.timestampMillis(true))
          .optional("ts_us_local", ColumnType.timestampMicros(false))
          .optional("dec4", ColumnType.decimal(4, 4))
          .optional("dec9", ColumnType.decimal(9, 2))
          .optional("dec18", ColumnType.decimal(18, 0))
          .optional("dec19", ColumnType.decimal(19, 5))
          .optional("dec38", ColumnType.decimal(38, 0))
          .required("label", ColumnType.string())
          .build();

  private static final long[] LONGS = {0, -1, 1, Long.MIN_VALUE, Long.MAX_VALUE, 42};
  private static final int[] INTS = {0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE};
  private static final float[] FLOATS = {
    0f,
    -0f,
    Float.MIN_VALUE,
    Float.MAX_VALUE,
    -Float.MAX_VALUE,
    Float.NaN,
    Float.POSITIVE_INFINITY,
    Float.NEGATIVE_INFINITY,
    1.5f
  };
  private static final double[] DOUBLES = {
    0d,
    -0d,
    Double.MIN_VALUE,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    Double.NaN,
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Math.PI
  };
  private static final String[] STRINGS = {
    "", "a", " ", "naïve ☕ 日本語 😀", "\u0000nul", "tab\tand\nnewline", "x".repeat(1000)
  };
  private static final String HUGE = "0123456789abcdef".repeat(65_536); // 1MB
  private static final String BIG_DIGITS = "9".repeat(38);

  /**
   * Edge values for row {@code i}: extremes of every numeric type, NaN and infinities, negative
   * zero, empty and multi-byte strings, a 1MB string every 5,000 rows, decimals at their
   * precision's limits, timestamps before 1970 and far ahead; one column always null, and every
   * other column null on a different stride.
   */
  static void edge(int i, MutableRow r) {
    r.clear();
    r.setLong(0, i);
    if (i % 3 != 0) {
      r.setBoolean(2, i % 2 == 0);
    }
    if (i % 4 != 1) {
      r.setInt(3, INTS[i % INTS.length] - (i % 7 == 0 ? 0 : i % 5));
    }
    if (i % 5 != 2) {
      r.setLong(4, LONGS[i % LONGS.length]);
    }
    if (i % 6 != 3) {
      r.setFloat(5, FLOATS[i % FLOATS.length]);
    }
    if (i % 7 != 4) {
      r.setDouble(6, DOUBLES[i % DOUBLES.length]);
    }
    if (i % 8 != 5) {
      r.setString(7, i % 5000 == 17 ? HUGE : STRINGS[i % STRINGS.length]);
    }
    if (i % 9 != 6) {
      byte[] bytes = new byte[i % 9];
      for (int k = 0; k < bytes.length; k++) {
        bytes[k] = (byte) (i * 31 + k * 101);
      }
      r.setBytes(8, bytes, 0, bytes.length);
    }
    if (i % 10 != 7) {
      r.setInt(9, (i % 2 == 0 ? -1 : 1) * (i * 97 % 3_000_000));
    }
    if (i % 11 != 8) {
      r.setLong(10, (i % 2 == 0 ? -1 : 1) * (i * 86_400_123L + 7));
    }
    if (i % 12 != 9) {
      r.setLong(11, i % 3 == 0 ? -62_135_596_800_000_000L + i : 253_402_300_799_000_000L - i);
    }
    if (i % 13 != 10) {
      r.setDecimal(12, BigDecimal.valueOf(i % 2 == 0 ? 9999 : -9999, 4));
    }
    if (i % 14 != 11) {
      r.setDecimal(13, BigDecimal.valueOf((i % 2 == 0 ? 1 : -1) * (999_999_999L - i % 1000), 2));
    }
    if (i % 15 != 12) {
      r.setDecimal(14, new BigDecimal(i % 2 == 0 ? "999999999999999999" : "-999999999999999999"));
    }
    if (i % 16 != 13) {
      BigInteger unscaled = BigInteger.TEN.pow(18).add(BigInteger.valueOf(i));
      r.setDecimal(15, new BigDecimal(i % 2 == 0 ? unscaled : unscaled.negate(), 5));
    }
    if (i % 17 != 14) {
      BigInteger max = new BigInteger(BIG_DIGITS).subtract(BigInteger.valueOf(i % 3));
      r.setDecimal(16, new BigDecimal(i % 2 == 0 ? max : max.negate()));
    }
    r.setString(17, i % 4 == 0 ? "" : "label-" + (i % 3));
  }

  /**
   * Writes {@code rows} rows of {@code dataset} as CSV to {@code csv} (same seed every time), then
   * calls {@code sink} with each row read back, converted to the data set's schema. The row is
   * reused between calls.
   */
  static void generated(Dataset dataset, int rows, Path csv, Consumer<MutableRow> sink) {
    if (!csv.toFile().exists()) {
      dataset.writeCsv(csv, rows, 20_261_121L);
    }
    Schema schema = dataset.schema();
    MutableRow row = new MutableRow(schema);
    try (CsvReader<CsvRecord> reader = CsvReader.builder().ofCsvRecord(csv)) {
      Iterator<CsvRecord> it = reader.iterator();
      it.next(); // header
      while (it.hasNext()) {
        CsvRecord record = it.next();
        row.clear();
        for (int c = 0; c < schema.size(); c++) {
          set(row, c, schema.field(c).type(), record.getField(c), record);
        }
        sink.accept(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void set(MutableRow row, int c, ColumnType type, String text, CsvRecord record) {
    if (text.isEmpty()) {
      return;
    }
    switch (type.kind()) {
      case STRING:
        row.setString(c, text);
        break;
      case INT32:
        row.setInt(c, Integer.parseInt(text));
        break;
      case INT64:
        row.setLong(c, Long.parseLong(text));
        break;
      case DOUBLE:
        row.setDouble(c, Double.parseDouble(text));
        break;
      case BOOLEAN:
        row.setBoolean(c, Boolean.parseBoolean(text));
        break;
      case DATE:
        row.setInt(c, Math.toIntExact(LocalDate.parse(text).toEpochDay()));
        break;
      case TIMESTAMP_MICROS:
        row.setLong(c, ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(text)));
        break;
      default:
        throw new AssertionError(
            "No CSV conversion for " + type + " at line " + record.getStartingLineNumber());
    }
  }
}
