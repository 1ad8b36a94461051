package dev.parquetingest.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.DataSize;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every encoder backend must meet, run by each backend's tests: values of every type
 * round-trip exactly (checked with DuckDB), footers say ZSTD and dictionary (checked with
 * parquet-java), sizes and row groups follow the options, and the stream is never closed.
 */
public abstract class EncoderContractTest {
  /** Every type, nullable, plus a required column. */
  protected static final Schema ALL_TYPES =
      Schema.builder()
          .required("id", ColumnType.int64())
          .optional("b", ColumnType.booleanType())
          .optional("i32", ColumnType.int32())
          .optional("i64", ColumnType.int64())
          .optional("f32", ColumnType.float32())
          .optional("f64", ColumnType.float64())
          .optional("s", ColumnType.string())
          .optional("bin", ColumnType.binary())
          .optional("d", ColumnType.date())
          .optional("ts_ms", ColumnType.timestampMillis(true))
          .optional("ts_us", ColumnType.timestampMicros(true))
          .optional("ts_local", ColumnType.timestampMicros(false))
          .optional("dec9", ColumnType.decimal(9, 2))
          .optional("dec18", ColumnType.decimal(18, 4))
          .optional("dec38", ColumnType.decimal(38, 10))
          .optional("category", ColumnType.string())
          .build();

  @TempDir protected Path dir;

  /** The backend under test. */
  protected abstract EncoderProvider provider();

  /** Options the backend wants for these tests (e.g. a small chunk size); defaults otherwise. */
  protected EncoderOptions.Builder options() {
    return EncoderOptions.builder();
  }

  /** Called after every file, e.g. to check that no memory is left allocated. */
  protected void afterFile() {}

  /** Writes rows made by {@code fill} (called with the row index) into a file. */
  protected Path write(
      String name, Schema schema, int rows, EncoderOptions options, RowFiller fill)
      throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      MutableRow row = new MutableRow(schema);
      try (Encoder encoder = provider().open(schema, out, options)) {
        for (int i = 0; i < rows; i++) {
          row.clear();
          fill.fill(i, row);
          encoder.write(row);
        }
        assertThat(encoder.rowCount()).isEqualTo(rows);
        encoder.finish();
      }
    }
    afterFile();
    return file;
  }

  /** Fills one row. */
  @FunctionalInterface
  protected interface RowFiller {
    void fill(int index, MutableRow row);
  }

  static final long[] LONGS = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1234567890123L};
  static final int[] INTS = {0, 1, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 42};
  static final double[] DOUBLES = {
    0.0, -0.5, 1e308, -1e-308, Double.MAX_VALUE, Double.MIN_VALUE, 3.141592653589793
  };
  static final String[] STRINGS = {"", "a", "naïve ☕ 日本語 😀", "comma, \"quote\"\nnewline", "x"};
  static final String LONG_STRING = "long-".repeat(40_000);

  /** Deterministic values for row {@code i}; every 7th value of each column is null. */
  protected static void fillAllTypes(int i, MutableRow r) {
    r.setLong(0, i);
    set(r, i, 1, () -> r.setBoolean(1, i % 2 == 0));
    set(r, i, 2, () -> r.setInt(2, INTS[i % INTS.length]));
    set(r, i, 3, () -> r.setLong(3, LONGS[i % LONGS.length]));
    set(r, i, 4, () -> r.setFloat(4, (float) DOUBLES[i % 4] * 0.5f + i));
    set(r, i, 5, () -> r.setDouble(5, DOUBLES[i % DOUBLES.length]));
    set(r, i, 6, () -> r.setString(6, i == 3 ? LONG_STRING : STRINGS[i % STRINGS.length] + i));
    set(r, i, 7, () -> r.setBytes(7, new byte[] {(byte) i, 0, (byte) 0xFF, (byte) (i >> 8)}, 0, 4));
    set(r, i, 8, () -> r.setInt(8, (i % 2 == 0 ? -1 : 1) * (i * 37 % 40000)));
    set(r, i, 9, () -> r.setLong(9, 1_700_000_000_123L + i * 1_001L - (i % 3 == 0 ? 4_000_000_000_000L : 0)));
    set(r, i, 10, () -> r.setLong(10, 1_700_000_000_123_456L + i * 999_999L));
    set(r, i, 11, () -> r.setLong(11, -86_400_000_000L * i + 17));
    set(r, i, 12, () -> r.setDecimal(12, BigDecimal.valueOf((i % 2 == 0 ? 1 : -1) * (9_999_999L - i), 2)));
    set(r, i, 13, () -> r.setDecimal(13, BigDecimal.valueOf((i % 2 == 0 ? 1 : -1) * (999_999_999_999_999L - i), 4)));
    set(r, i, 14, () -> r.setDecimal(14, new BigDecimal((i % 2 == 0 ? "" : "-") + "1234567890123456789012345678." + String.format("%010d", i))));
    set(r, i, 15, () -> r.setString(15, "cat-" + (i % 5)));
  }

  private static void set(MutableRow r, int i, int column, Runnable setter) {
    if ((i + column) % 7 == 0) {
      r.setNull(column);
    } else {
      setter.run();
    }
  }

  @Test
  void everyTypeRoundTripsExactlyThroughDuckDb() throws IOException {
    int rows = 1000;
    Path file = write("all.parquet", ALL_TYPES, rows, options().build(), EncoderContractTest::fillAllTypes);

    List<List<Object>> actual =
        DuckDb.query(
            "SELECT id, b, i32, i64, f32, f64, s, hex(bin), date_diff('day', DATE '1970-01-01', d),"
                + " epoch_ms(ts_ms), epoch_us(ts_us), epoch_us(ts_local), CAST(dec9 AS VARCHAR),"
                + " CAST(dec18 AS VARCHAR), CAST(dec38 AS VARCHAR), category FROM read_parquet("
                + DuckDb.literal(file)
                + ") ORDER BY id");
    assertThat(actual).hasSize(rows);
    MutableRow expected = new MutableRow(ALL_TYPES);
    for (int i = 0; i < rows; i++) {
      expected.clear();
      fillAllTypes(i, expected);
      List<Object> want = new ArrayList<>();
      want.add((long) i);
      want.add(expected.isNull(1) ? null : expected.getBoolean(1));
      want.add(expected.isNull(2) ? null : expected.getInt(2));
      want.add(expected.isNull(3) ? null : expected.getLong(3));
      want.add(expected.isNull(4) ? null : expected.getFloat(4));
      want.add(expected.isNull(5) ? null : expected.getDouble(5));
      want.add(expected.isNull(6) ? null : expected.getString(6));
      want.add(expected.isNull(7) ? null : HexFormat.of().withUpperCase().formatHex(expected.bytes(7), 0, 4));
      want.add(expected.isNull(8) ? null : (long) expected.getInt(8));
      want.add(expected.isNull(9) ? null : expected.getLong(9));
      want.add(expected.isNull(10) ? null : expected.getLong(10));
      want.add(expected.isNull(11) ? null : expected.getLong(11));
      want.add(expected.isNull(12) ? null : expected.getDecimal(12).toPlainString());
      want.add(expected.isNull(13) ? null : expected.getDecimal(13).toPlainString());
      want.add(expected.isNull(14) ? null : expected.getDecimal(14).toPlainString());
      want.add(expected.isNull(15) ? null : expected.getString(15));
      assertThat(actual.get(i)).as("row %d", i).isEqualTo(want);
    }
  }

  @Test
  void duckDbSeesTheDeclaredTypesAndNullability() throws IOException {
    Path file = write("types.parquet", ALL_TYPES, 10, options().build(), EncoderContractTest::fillAllTypes);
    List<List<Object>> described =
        DuckDb.query("DESCRIBE SELECT * FROM read_parquet(" + DuckDb.literal(file) + ")");
    List<String> types = new ArrayList<>();
    for (List<Object> d : described) {
      types.add(d.get(0) + " " + d.get(1));
    }
    assertThat(types)
        .containsExactly(
            "id BIGINT", "b BOOLEAN", "i32 INTEGER", "i64 BIGINT", "f32 FLOAT", "f64 DOUBLE",
            "s VARCHAR", "bin BLOB", "d DATE", "ts_ms TIMESTAMP WITH TIME ZONE",
            "ts_us TIMESTAMP WITH TIME ZONE", "ts_local TIMESTAMP", "dec9 DECIMAL(9,2)",
            "dec18 DECIMAL(18,4)", "dec38 DECIMAL(38,10)", "category VARCHAR");

    ParquetMetadata footer = ParquetFooters.read(file);
    List<Type> fields = footer.getFileMetaData().getSchema().getFields();
    assertThat(fields.get(0).getRepetition()).isEqualTo(Type.Repetition.REQUIRED);
    assertThat(fields.subList(1, fields.size()))
        .allSatisfy(t -> assertThat(t.getRepetition()).isEqualTo(Type.Repetition.OPTIONAL));
  }

  @Test
  void everyColumnIsZstdAndLowCardinalityColumnsUseADictionary() throws IOException {
    Path file = write("codec.parquet", ALL_TYPES, 5000, options().build(), EncoderContractTest::fillAllTypes);

    ParquetMetadata footer = ParquetFooters.read(file);
    for (BlockMetaData block : footer.getBlocks()) {
      for (ColumnChunkMetaData column : block.getColumns()) {
        assertThat(column.getCodec()).as(column.getPath().toDotString()).isEqualTo(CompressionCodecName.ZSTD);
      }
      ColumnChunkMetaData category = block.getColumns().get(15);
      assertThat(category.hasDictionaryPage()).isTrue();
    }
    assertThat(DuckDb.codecs(file)).containsExactly("ZSTD");
    assertThat(DuckDb.encodings(file).stream()
            .filter(r -> r.get(0).equals("category"))
            .map(r -> String.valueOf(r.get(1))))
        .allSatisfy(e -> assertThat(e).contains("DICTIONARY"));
  }

  @Test
  void dictionaryCanBeTurnedOff() throws IOException {
    Path file =
        write("nodict.parquet", ALL_TYPES, 2000, options().dictionaryEnabled(false).build(),
            EncoderContractTest::fillAllTypes);
    for (BlockMetaData block : ParquetFooters.read(file).getBlocks()) {
      for (ColumnChunkMetaData column : block.getColumns()) {
        assertThat(column.hasDictionaryPage()).as(column.getPath().toDotString()).isFalse();
      }
    }
  }

  @Test
  void smallRowGroupSizeGivesSeveralRowGroupsHoldingEveryRow() throws IOException {
    int rows = 60_000;
    Path file =
        write("groups.parquet", ALL_TYPES, rows,
            options().rowGroupSize(DataSize.ofKilobytes(256)).build(),
            EncoderContractTest::fillAllTypes);
    ParquetMetadata footer = ParquetFooters.read(file);
    assertThat(footer.getBlocks()).hasSizeGreaterThan(1);
    assertThat(footer.getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum()).isEqualTo(rows);
    assertThat(DuckDb.count(file)).isEqualTo(rows);
    assertThat(((Number) DuckDb.scalar(
            "SELECT sum(id) FROM read_parquet(" + DuckDb.literal(file) + ")")).longValue())
        .isEqualTo((long) rows * (rows - 1) / 2);
  }

  @Test
  void higherCompressionLevelGivesSmallerFiles() throws IOException {
    Random random = new Random(7);
    String[] words = new String[2000];
    for (int i = 0; i < words.length; i++) {
      words[i] = Long.toString(random.nextLong(), 36) + " lorem ipsum dolor " + i;
    }
    Schema schema = Schema.builder().optional("text", ColumnType.string()).build();
    RowFiller fill = (i, r) -> r.setString(0, words[(i * 7919) % words.length] + words[i % 13]);
    Path fast = write("l1.parquet", schema, 50_000,
        options().compressionLevel(1).dictionaryEnabled(false).build(), fill);
    Path small = write("l19.parquet", schema, 50_000,
        options().compressionLevel(19).dictionaryEnabled(false).build(), fill);
    assertThat(Files.size(small)).isLessThan(Files.size(fast));
    assertThat(DuckDb.count(small)).isEqualTo(50_000);
  }

  @Test
  void neverClosesTheStreamAndCountsEveryByte() throws IOException {
    Path file = dir.resolve("stream.parquet");
    boolean[] closed = {false};
    long written;
    try (OutputStream raw = Files.newOutputStream(file)) {
      OutputStream out =
          new FilterOutputStream(raw) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              out.write(b, off, len);
            }

            @Override
            public void close() {
              closed[0] = true;
            }
          };
      MutableRow row = new MutableRow(ALL_TYPES);
      try (Encoder encoder = provider().open(ALL_TYPES, out, options().build())) {
        for (int i = 0; i < 3000; i++) {
          row.clear();
          fillAllTypes(i, row);
          encoder.write(row);
        }
        assertThat(encoder.bufferedBytes()).isPositive();
        encoder.finish();
        written = encoder.bytesWritten();
      }
      out.flush();
    }
    afterFile();
    assertThat(closed[0]).isFalse();
    assertThat(written).isEqualTo(Files.size(file));
    assertThat(DuckDb.count(file)).isEqualTo(3000);
  }

  @Test
  void closeWithoutFinishReleasesEverythingAndIsIdempotent() {
    OutputStream sink = OutputStream.nullOutputStream();
    MutableRow row = new MutableRow(ALL_TYPES);
    Encoder encoder = provider().open(ALL_TYPES, sink, options().build());
    for (int i = 0; i < 100; i++) {
      row.clear();
      fillAllTypes(i, row);
      encoder.write(row);
    }
    encoder.close();
    encoder.close();
    afterFile();
  }

  @Test
  void nullInARequiredColumnIsRejected() {
    MutableRow row = new MutableRow(ALL_TYPES);
    try (Encoder encoder = provider().open(ALL_TYPES, OutputStream.nullOutputStream(), options().build())) {
      fillAllTypes(1, row);
      row.setNull(0);
      assertThatThrownBy(() -> {
            encoder.write(row);
            encoder.finish();
          })
          .hasMessageContaining("id");
    }
    afterFile();
  }

  @Test
  void emptyFileIsValid() throws IOException {
    Path file = write("empty.parquet", ALL_TYPES, 0, options().build(), (i, r) -> {});
    assertThat(DuckDb.count(file)).isZero();
  }

  /** Helper for subclasses: the UTF-8 bytes of a string. */
  protected static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Helper for subclasses that need a consumer. */
  protected static Consumer<MutableRow> noop() {
    return r -> {};
  }
}
