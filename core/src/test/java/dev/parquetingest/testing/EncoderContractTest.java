package dev.parquetingest.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.common.DataSize;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.schema.TypeKind;
import dev.parquetingest.spi.ColumnStats;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
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
 * parquet-java), sizes and row groups follow the options, the stream is never closed, and the
 * column statistics reported after {@code finish()} are those of the rows written (checked with
 * DuckDB and against the rows).
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

  /**
   * {@link #ALL_TYPES} plus columns for the edges of column statistics: all-null columns, NaN,
   * signed zeros, infinities, strings whose UTF-8 order differs from Java's UTF-16 order (with an
   * 80KB largest value), and columns whose extremes sit in the first and the last row group.
   */
  protected static final Schema STATS_TYPES = withStatsColumns(ALL_TYPES);

  @TempDir protected Path dir;

  /** The {@link Encoder#columnStats()} of the last file {@link #write} finished. */
  protected List<ColumnStats> columnStats;

  /** The backend under test. */
  protected abstract EncoderProvider provider();

  /** Options the backend wants for these tests (e.g. a small chunk size); defaults otherwise. */
  protected EncoderOptions.Builder options() {
    return EncoderOptions.builder();
  }

  /** Called after every file, e.g. to check that no memory is left allocated. */
  protected void afterFile() {}

  /**
   * Writes rows made by {@code fill} (called with the row index) into a file, and keeps the
   * encoder's {@link #columnStats}, checking that they are there again after close, name every
   * column in schema order and count every row.
   */
  protected Path write(String name, Schema schema, int rows, EncoderOptions options, RowFiller fill)
      throws IOException {
    Path file = dir.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      MutableRow row = new MutableRow(schema);
      Encoder encoder = provider().open(schema, out, options);
      try (encoder) {
        for (int i = 0; i < rows; i++) {
          row.clear();
          fill.fill(i, row);
          encoder.write(row);
        }
        assertThat(encoder.rowCount()).isEqualTo(rows);
        encoder.finish();
        columnStats = encoder.columnStats();
      }
      assertThat(encoder.columnStats()).as("column stats after close").isEqualTo(columnStats);
    }
    afterFile();
    assertThat(columnStats)
        .extracting(ColumnStats::column)
        .containsExactlyElementsOf(schema.fields().stream().map(Field::name).toList());
    assertThat(columnStats).allSatisfy(c -> assertThat(c.valueCount()).isEqualTo(rows));
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
    set(
        r,
        i,
        9,
        () ->
            r.setLong(9, 1_700_000_000_123L + i * 1_001L - (i % 3 == 0 ? 4_000_000_000_000L : 0)));
    set(r, i, 10, () -> r.setLong(10, 1_700_000_000_123_456L + i * 999_999L));
    set(r, i, 11, () -> r.setLong(11, -86_400_000_000L * i + 17));
    set(
        r,
        i,
        12,
        () -> r.setDecimal(12, BigDecimal.valueOf((i % 2 == 0 ? 1 : -1) * (9_999_999L - i), 2)));
    set(
        r,
        i,
        13,
        () ->
            r.setDecimal(
                13, BigDecimal.valueOf((i % 2 == 0 ? 1 : -1) * (999_999_999_999_999L - i), 4)));
    set(
        r,
        i,
        14,
        () ->
            r.setDecimal(
                14,
                new BigDecimal(
                    (i % 2 == 0 ? "" : "-")
                        + "1234567890123456789012345678."
                        + String.format("%010d", i))));
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
    Path file =
        write("all.parquet", ALL_TYPES, rows, options().build(), EncoderContractTest::fillAllTypes);

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
      want.add(
          expected.isNull(7)
              ? null
              : HexFormat.of().withUpperCase().formatHex(expected.bytes(7), 0, 4));
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
    Path file =
        write("types.parquet", ALL_TYPES, 10, options().build(), EncoderContractTest::fillAllTypes);
    List<List<Object>> described =
        DuckDb.query("DESCRIBE SELECT * FROM read_parquet(" + DuckDb.literal(file) + ")");
    List<String> types = new ArrayList<>();
    for (List<Object> d : described) {
      types.add(d.get(0) + " " + d.get(1));
    }
    assertThat(types)
        .containsExactly(
            "id BIGINT",
            "b BOOLEAN",
            "i32 INTEGER",
            "i64 BIGINT",
            "f32 FLOAT",
            "f64 DOUBLE",
            "s VARCHAR",
            "bin BLOB",
            "d DATE",
            "ts_ms TIMESTAMP WITH TIME ZONE",
            "ts_us TIMESTAMP WITH TIME ZONE",
            "ts_local TIMESTAMP",
            "dec9 DECIMAL(9,2)",
            "dec18 DECIMAL(18,4)",
            "dec38 DECIMAL(38,10)",
            "category VARCHAR");

    ParquetMetadata footer = ParquetFooters.read(file);
    List<Type> fields = footer.getFileMetaData().getSchema().getFields();
    assertThat(fields.get(0).getRepetition()).isEqualTo(Type.Repetition.REQUIRED);
    assertThat(fields.subList(1, fields.size()))
        .allSatisfy(t -> assertThat(t.getRepetition()).isEqualTo(Type.Repetition.OPTIONAL));
  }

  @Test
  void everyColumnIsZstdAndLowCardinalityColumnsUseADictionary() throws IOException {
    Path file =
        write(
            "codec.parquet", ALL_TYPES, 5000, options().build(), EncoderContractTest::fillAllTypes);

    ParquetMetadata footer = ParquetFooters.read(file);
    for (BlockMetaData block : footer.getBlocks()) {
      for (ColumnChunkMetaData column : block.getColumns()) {
        assertThat(column.getCodec())
            .as(column.getPath().toDotString())
            .isEqualTo(CompressionCodecName.ZSTD);
      }
      ColumnChunkMetaData category = block.getColumns().get(15);
      assertThat(category.hasDictionaryPage()).isTrue();
    }
    assertThat(DuckDb.codecs(file)).containsExactly("ZSTD");
    assertThat(
            DuckDb.encodings(file).stream()
                .filter(r -> r.get(0).equals("category"))
                .map(r -> String.valueOf(r.get(1))))
        .allSatisfy(e -> assertThat(e).contains("DICTIONARY"));
  }

  @Test
  void dictionaryCanBeTurnedOff() throws IOException {
    Path file =
        write(
            "nodict.parquet",
            ALL_TYPES,
            2000,
            options().dictionaryEnabled(false).build(),
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
        write(
            "groups.parquet",
            ALL_TYPES,
            rows,
            options().rowGroupSize(DataSize.ofKilobytes(256)).build(),
            EncoderContractTest::fillAllTypes);
    ParquetMetadata footer = ParquetFooters.read(file);
    assertThat(footer.getBlocks()).hasSizeGreaterThan(1);
    assertThat(footer.getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum())
        .isEqualTo(rows);
    assertThat(DuckDb.count(file)).isEqualTo(rows);
    assertThat(
            ((Number)
                    DuckDb.scalar("SELECT sum(id) FROM read_parquet(" + DuckDb.literal(file) + ")"))
                .longValue())
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
    Path fast =
        write(
            "l1.parquet",
            schema,
            50_000,
            options().compressionLevel(1).dictionaryEnabled(false).build(),
            fill);
    Path small =
        write(
            "l19.parquet",
            schema,
            50_000,
            options().compressionLevel(19).dictionaryEnabled(false).build(),
            fill);
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

  /**
   * The size a batcher rolls on: {@link Encoder#estimatedFileSize()} of an unfinished file, with
   * the default row-group size (the whole file still in the open row group, its pages partly cut),
   * must be within 10 % of the size the file has once finished; the crude default (bytes written
   * plus raw buffered bytes) is far above it here, since much of the file is still buffered
   * uncompressed.
   */
  @Test
  void estimatedFileSizeIsCloseToTheFinishedSize() throws IOException {
    for (DataSize rowGroup : List.of(EncoderOptions.DEFAULT_ROW_GROUP_SIZE)) {
      Path file = dir.resolve("estimate-" + rowGroup.toBytes() + ".parquet");
      long estimate;
      long written;
      try (OutputStream out = Files.newOutputStream(file)) {
        MutableRow row = new MutableRow(ALL_TYPES);
        try (Encoder encoder =
            provider().open(ALL_TYPES, out, options().rowGroupSize(rowGroup).build())) {
          for (int i = 0; i < 45_000; i++) {
            row.clear();
            fillAllTypes(i, row);
            encoder.write(row);
            if (i % 5_000 == 0) {
              assertThat(encoder.estimatedFileSize())
                  .as("estimate after %d rows", i + 1)
                  .isPositive();
            }
          }
          estimate = encoder.estimatedFileSize();
          encoder.finish();
          written = encoder.bytesWritten();
        }
      }
      afterFile();
      assertThat(written).isEqualTo(Files.size(file));
      assertThat((double) estimate)
          .as(
              "estimated %d bytes before finishing, %d bytes finished (row groups %s)",
              estimate, written, rowGroup)
          .isBetween(written * 0.9, written * 1.1);
    }
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
    try (Encoder encoder =
        provider().open(ALL_TYPES, OutputStream.nullOutputStream(), options().build())) {
      fillAllTypes(1, row);
      row.setNull(0);
      assertThatThrownBy(
              () -> {
                encoder.write(row);
                encoder.finish();
              })
          .hasMessageContaining("id");
    }
    afterFile();
  }

  /**
   * The runtime's footer entries ({@link Encoder#finish(java.util.Map)}, the hook the runtime
   * writes source, positions and run id through) reach the footer beside the backend's own, as
   * DuckDB and parquet-java read it; {@code finish()} adds none.
   */
  @Test
  void finishWritesTheRuntimesKeyValueMetadataIntoTheFooter() throws IOException {
    java.util.Map<String, String> runtime =
        java.util.Map.of(
            Encoder.SOURCE_KEY,
            "/data/reviews.csv",
            Encoder.FIRST_POSITION_KEY,
            "line 2",
            Encoder.LAST_POSITION_KEY,
            "line 101",
            Encoder.RUN_ID_KEY,
            "20261201T110000000Z-3f9a",
            "unicode ✓",
            "värde");
    Path file = dir.resolve("kv.parquet");
    try (OutputStream out = Files.newOutputStream(file);
        Encoder encoder = provider().open(ALL_TYPES, out, options().build())) {
      MutableRow row = new MutableRow(ALL_TYPES);
      for (int i = 0; i < 100; i++) {
        row.clear();
        fillAllTypes(i, row);
        encoder.write(row);
      }
      encoder.finish(runtime);
      encoder.finish(java.util.Map.of("second", "call")); // a second call does nothing
    }
    afterFile();

    java.util.Map<String, String> duck = DuckDb.kvMetadata(file);
    assertThat(duck).containsAllEntriesOf(runtime).containsKey("parquet-ingest.writer");
    assertThat(duck).doesNotContainKey("second");
    java.util.Map<String, String> footer =
        ParquetFooters.read(file).getFileMetaData().getKeyValueMetaData();
    assertThat(footer).containsAllEntriesOf(runtime).isEqualTo(duck);
    assertThat(DuckDb.count(file)).isEqualTo(100);

    Path plain =
        write("plain.parquet", ALL_TYPES, 10, options().build(), EncoderContractTest::fillAllTypes);
    assertThat(DuckDb.kvMetadata(plain))
        .containsKey("parquet-ingest.writer")
        .doesNotContainKeys(
            Encoder.SOURCE_KEY,
            Encoder.FIRST_POSITION_KEY,
            Encoder.LAST_POSITION_KEY,
            Encoder.RUN_ID_KEY);
  }

  @Test
  void emptyFileIsValid() throws IOException {
    Path file = write("empty.parquet", ALL_TYPES, 0, options().build(), (i, r) -> {});
    assertThat(DuckDb.count(file)).isZero();
  }

  @Test
  void emptyFileHasStatsWithoutBounds() throws IOException {
    write("empty-stats.parquet", STATS_TYPES, 0, options().build(), (i, r) -> {});
    assertThat(columnStats)
        .hasSize(STATS_TYPES.size())
        .allSatisfy(
            c -> {
              assertThat(c.nullCount()).isZero();
              assertThat(c.hasMinMax()).as(c.column()).isFalse();
            });
  }

  @Test
  void columnStatsMatchDuckDbAndTheRowsWritten() throws IOException {
    int rows = 1000;
    Path file =
        write(
            "stats.parquet",
            STATS_TYPES,
            rows,
            options().build(),
            EncoderContractTest::fillStatsTypes);
    assertThat(ParquetFooters.read(file).getBlocks()).hasSize(1);

    assertThat(columnStats)
        .containsExactlyElementsOf(
            expectedStats(STATS_TYPES, rows, EncoderContractTest::fillStatsTypes));
    assertStatsMatchDuckDb(file, STATS_TYPES, columnStats);

    // the edges, spelled out
    assertThat(stats("id")).isEqualTo(new ColumnStats("id", 0, rows, 0L, 999L));
    assertThat(stats("i32").min()).isEqualTo(Integer.MIN_VALUE);
    assertThat(stats("i64").max()).isEqualTo(Long.MAX_VALUE);
    assertThat(stats("ts_local").min()).isInstanceOf(LocalDateTime.class);
    assertThat(stats("ts_us").min()).isInstanceOf(Instant.class);
    assertThat(stats("d").min()).isInstanceOf(LocalDate.class);
    assertThat(stats("dec38").max())
        .isEqualTo(new BigDecimal("1234567890123456789012345678.0000000998"));
    assertThat(stats("dec38").min())
        .isEqualTo(new BigDecimal("-1234567890123456789012345678.0000000999"));
    for (String none : List.of("none_s", "none_dec", "none_f64")) {
      assertThat(stats(none)).isEqualTo(new ColumnStats(none, rows, rows, null, null));
    }
    assertThat(stats("bin").hasMinMax()).as("binary has no bounds").isFalse();
    assertThat(stats("nan").hasMinMax()).as("a NaN leaves no bounds").isFalse();
    assertThat(stats("nan_once").max()).as("no NaN in these rows").isEqualTo(999f);
    assertThat(stats("f32").min()).as("+0.0, the smallest value, exactly").isEqualTo(0.0f);
    assertThat(stats("zeros").min()).isEqualTo(-0.0f);
    assertThat(stats("zeros").max()).isEqualTo(0.0f);
    assertThat(stats("inf").min()).isEqualTo(Double.NEGATIVE_INFINITY);
    assertThat(stats("inf").max()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(stats("utf8").min()).isEqualTo("");
    assertThat(stats("utf8").max()).as("UTF-8 byte order, exact").isEqualTo(HUGE_EMOJI);
    assertThat(stats("falling").min()).isEqualTo(-999L * 999L);
  }

  @Test
  void columnStatsAreMergedAcrossRowGroups() throws IOException {
    int rows = 60_000;
    Path file =
        write(
            "stats-groups.parquet",
            STATS_TYPES,
            rows,
            options().rowGroupSize(DataSize.ofKilobytes(256)).build(),
            EncoderContractTest::fillStatsTypes);
    List<BlockMetaData> blocks = ParquetFooters.read(file).getBlocks();
    assertThat(blocks).hasSizeGreaterThan(2);
    long firstGroupRows = blocks.get(0).getRowCount();
    long lastGroupStart = rows - blocks.get(blocks.size() - 1).getRowCount();
    assertThat(NAN_ROW).isBetween(firstGroupRows, lastGroupStart - 1);

    assertThat(columnStats)
        .containsExactlyElementsOf(
            expectedStats(STATS_TYPES, rows, EncoderContractTest::fillStatsTypes));
    assertStatsMatchDuckDb(file, STATS_TYPES, columnStats);

    // bounds from the first group (id min, falling max) and from the last (id max, falling min)
    assertThat(stats("id")).isEqualTo(new ColumnStats("id", 0, rows, 0L, (long) rows - 1));
    assertThat(stats("falling").min()).isEqualTo(-(rows - 1L) * (rows - 1L));
    assertThat(stats("falling").max()).isEqualTo(0L);
    // NaN in one middle group only: no bounds for the file
    assertThat(stats("nan_once").hasMinMax()).isFalse();
    assertThat(stats("nan_once").nullCount()).isZero();
    assertThat(stats("none_s").nullCount()).isEqualTo(rows);
    assertThat(stats("utf8").max()).isEqualTo(HUGE_EMOJI);
  }

  @Test
  void stringBoundsThatAreNotUtf8AreUnknown() throws IOException {
    Schema schema =
        Schema.builder()
            .optional("raw", ColumnType.string())
            .optional("ok", ColumnType.string())
            .build();
    RowFiller fill =
        (i, r) -> {
          if (i == 5) {
            r.setBytes(0, new byte[] {'a', (byte) 0xFF}, 0, 2); // the minimum, not UTF-8
          } else {
            r.setString(0, "m" + i);
          }
          r.setString(1, "v" + i);
        };
    write("not-utf8.parquet", schema, 20, options().build(), fill);
    assertThat(columnStats)
        .containsExactly(
            new ColumnStats("raw", 0, 20, null, null), new ColumnStats("ok", 0, 20, "v0", "v9"));
    assertThat(columnStats).containsExactlyElementsOf(expectedStats(schema, 20, fill));
  }

  @Test
  void columnStatsGiveIso8601AndPlainDecimalText() throws IOException {
    Schema schema =
        Schema.builder()
            .optional("d", ColumnType.date())
            .optional("ts_ms", ColumnType.timestampMillis(true))
            .optional("ts_local", ColumnType.timestampMicros(false))
            .optional("dec9", ColumnType.decimal(9, 2))
            .optional("dec38", ColumnType.decimal(38, 10))
            .optional("f64", ColumnType.float64())
            .optional("s", ColumnType.string())
            .build();
    RowFiller fill =
        (i, r) -> {
          boolean first = i == 0;
          r.setInt(0, first ? 19_782 : -1);
          r.setLong(1, first ? 1_700_000_000_123L : 1_700_000_000_000L);
          r.setLong(2, first ? -14_182_940_000_000L : -14_182_940_000_001L);
          r.setDecimal(3, new BigDecimal(first ? "12.3" : "-0.05"));
          r.setDecimal(4, first ? BigDecimal.TEN.pow(27) : new BigDecimal("-1E-10"));
          r.setDouble(5, first ? 1e10 : -2.5);
          r.setString(6, first ? "naïve" : "na");
        };
    write("text.parquet", schema, 2, options().build(), fill);
    List<String> text = new ArrayList<>();
    for (ColumnStats c : columnStats) {
      text.add(c.column() + " " + c.minString() + " " + c.maxString());
    }
    assertThat(text)
        .containsExactly(
            "d 1969-12-31 2024-02-29",
            "ts_ms 2023-11-14T22:13:20Z 2023-11-14T22:13:20.123Z",
            "ts_local 1969-07-20T20:17:39.999999 1969-07-20T20:17:40",
            "dec9 -0.05 12.30",
            "dec38 -0.0000000001 1000000000000000000000000000.0000000000",
            "f64 -2.5 1.0E10",
            "s na naïve");
  }

  @Test
  void columnStatsBeforeFinishAreRefused() {
    MutableRow row = new MutableRow(ALL_TYPES);
    try (Encoder encoder =
        provider().open(ALL_TYPES, OutputStream.nullOutputStream(), options().build())) {
      fillAllTypes(1, row);
      encoder.write(row);
      assertThatThrownBy(encoder::columnStats).isInstanceOf(IllegalStateException.class);
    }
    afterFile();
  }

  /** The statistics of the named column in {@link #columnStats}. */
  protected ColumnStats stats(String column) {
    return columnStats.stream()
        .filter(c -> c.column().equals(column))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stats for " + column));
  }

  /** The only row whose {@code nan_once} is NaN. */
  protected static final long NAN_ROW = 30_000;

  /** The largest {@code utf8} value: above U+FFFD in UTF-8 order, below it in UTF-16 order. */
  protected static final String HUGE_EMOJI = "\uD83D\uDE00".repeat(20_000);

  /**
   * Ordered by UTF-8 bytes: "", NUL, é, z, U+FFFD, 😀; by {@link String#compareTo}, 😀 < U+FFFD.
   */
  private static final String[] UTF8_ORDER = {"\uFFFD", "\uD83D\uDE00x", "", "\u0000", "é", "zz"};

  private static Schema withStatsColumns(Schema base) {
    List<Field> fields = new ArrayList<>(base.fields());
    fields.add(new Field("none_s", ColumnType.string(), true));
    fields.add(new Field("none_dec", ColumnType.decimal(38, 10), true));
    fields.add(new Field("none_f64", ColumnType.float64(), true));
    fields.add(new Field("nan", ColumnType.float64(), true));
    fields.add(new Field("nan_once", ColumnType.float32(), true));
    fields.add(new Field("zeros", ColumnType.float32(), true));
    fields.add(new Field("inf", ColumnType.float64(), true));
    fields.add(new Field("utf8", ColumnType.string(), true));
    fields.add(new Field("falling", ColumnType.int64(), false));
    return Schema.of(fields);
  }

  /** {@link #fillAllTypes}, then the columns {@link #STATS_TYPES} adds. */
  protected static void fillStatsTypes(int i, MutableRow r) {
    fillAllTypes(i, r);
    int c = ALL_TYPES.size();
    // c .. c + 2 stay null
    if (i % 997 == 500) {
      r.setDouble(c + 3, Double.NaN);
    } else if (i % 4 != 1) {
      r.setDouble(c + 3, i * 0.25);
    }
    r.setFloat(c + 4, i == NAN_ROW ? Float.NaN : i);
    if (i % 3 < 2) {
      r.setFloat(c + 5, i % 3 == 0 ? -0.0f : 0.0f);
    }
    r.setDouble(
        c + 6,
        i % 5 == 0 ? Double.POSITIVE_INFINITY : i % 5 == 1 ? Double.NEGATIVE_INFINITY : i - 500.5);
    if (i % 11 != 3) {
      r.setString(c + 7, i % 20_000 == 777 ? HUGE_EMOJI : UTF8_ORDER[i % UTF8_ORDER.length]);
    }
    r.setLong(c + 8, -(long) i * i);
  }

  /**
   * The statistics of the rows {@code fill} makes, worked out here from the values as {@link
   * ColumnStats} describes them: strings ordered by UTF-8 bytes, floats in total order (-0.0 below
   * +0.0: parquet-java's IEEE 754 total-order statistics are exact), no bounds for binary, NaN or
   * non-UTF-8 strings.
   */
  protected static List<ColumnStats> expectedStats(Schema schema, int rows, RowFiller fill) {
    int n = schema.size();
    long[] nulls = new long[n];
    boolean[] nan = new boolean[n];
    Object[] min = new Object[n];
    Object[] max = new Object[n];
    MutableRow row = new MutableRow(schema);
    for (int i = 0; i < rows; i++) {
      row.clear();
      fill.fill(i, row);
      for (int c = 0; c < n; c++) {
        Object v = row.get(c);
        if (v == null) {
          nulls[c]++;
          continue;
        }
        if (v instanceof Float && ((Float) v).isNaN()
            || v instanceof Double && ((Double) v).isNaN()) {
          nan[c] = true;
          continue;
        }
        if (v instanceof String) {
          int off = row.bytesOffset(c);
          v = Arrays.copyOfRange(row.bytes(c), off, off + row.bytesLength(c));
        }
        if (min[c] == null || compare(v, min[c]) < 0) {
          min[c] = v;
        }
        if (max[c] == null || compare(v, max[c]) > 0) {
          max[c] = v;
        }
      }
    }
    List<ColumnStats> expected = new ArrayList<>(n);
    for (int c = 0; c < n; c++) {
      Object lo = min[c];
      Object hi = max[c];
      TypeKind kind = schema.field(c).type().kind();
      if (kind == TypeKind.STRING && lo != null) {
        lo = strictUtf8((byte[]) lo);
        hi = strictUtf8((byte[]) hi);
      }
      if (kind == TypeKind.BINARY || nan[c] || lo == null || hi == null) {
        lo = null;
        hi = null;
      }
      expected.add(new ColumnStats(schema.field(c).name(), nulls[c], rows, lo, hi));
    }
    return expected;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    if (a instanceof byte[]) {
      return Arrays.compareUnsigned((byte[]) a, (byte[]) b);
    }
    return ((Comparable) a).compareTo(b);
  }

  private static String strictUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return null;
    }
  }

  /**
   * Checks {@code stats} against DuckDB reading {@code file}: count(*) is the value count, count(*)
   * - count(column) the null count, min() and max() the bounds (floats compared as numbers, so -0.0
   * matches 0.0; decimals as DuckDB's text, which is {@link ColumnStats#minString()}); a column
   * without bounds must be all null, binary, or hold a NaN.
   */
  protected static void assertStatsMatchDuckDb(Path file, Schema schema, List<ColumnStats> stats) {
    assertThat(stats).hasSize(schema.size());
    for (int c = 0; c < schema.size(); c++) {
      Field f = schema.field(c);
      ColumnStats st = stats.get(c);
      TypeKind kind = f.type().kind();
      boolean floating = kind == TypeKind.FLOAT || kind == TypeKind.DOUBLE;
      String col = "\"" + f.name() + "\"";
      List<Object> r =
          DuckDb.query(
                  "SELECT count(*), count("
                      + col
                      + "), "
                      + duckDbBound(f.type(), "min(" + col + ")")
                      + ", "
                      + duckDbBound(f.type(), "max(" + col + ")")
                      + ", "
                      + (floating ? "count(*) FILTER (WHERE isnan(" + col + "))" : "0")
                      + " FROM read_parquet("
                      + DuckDb.literal(file)
                      + ")")
              .get(0);
      long count = (Long) r.get(0);
      long nonNull = (Long) r.get(1);
      long nans = ((Number) r.get(4)).longValue();
      assertThat(st.column()).isEqualTo(f.name());
      assertThat(st.valueCount()).as("%s value count", f.name()).isEqualTo(count);
      assertThat(st.nullCount()).as("%s null count", f.name()).isEqualTo(count - nonNull);
      if (!st.hasMinMax()) {
        assertThat(nonNull == 0 || kind == TypeKind.BINARY || nans > 0)
            .as(
                "%s has no bounds but DuckDB sees %d values from %s to %s",
                f.name(), nonNull, r.get(2), r.get(3))
            .isTrue();
        continue;
      }
      assertThat(nans).as("%s has bounds and NaN", f.name()).isZero();
      if (floating) {
        double min = ((Number) st.min()).doubleValue();
        double max = ((Number) st.max()).doubleValue();
        assertThat(min == ((Number) r.get(2)).doubleValue())
            .as("%s min %s, DuckDB %s", f.name(), min, r.get(2))
            .isTrue();
        assertThat(max == ((Number) r.get(3)).doubleValue())
            .as("%s max %s, DuckDB %s", f.name(), max, r.get(3))
            .isTrue();
      } else {
        assertThat(asDuckDbBound(f.type(), st.min())).as("%s min", f.name()).isEqualTo(r.get(2));
        assertThat(asDuckDbBound(f.type(), st.max())).as("%s max", f.name()).isEqualTo(r.get(3));
      }
      if (kind == TypeKind.DECIMAL) {
        assertThat(st.minString()).isEqualTo(r.get(2));
        assertThat(st.maxString()).isEqualTo(r.get(3));
      }
    }
  }

  /** DuckDB SQL giving an aggregate of a column in the form {@link #asDuckDbBound} gives. */
  private static String duckDbBound(ColumnType type, String aggregate) {
    switch (type.kind()) {
      case DATE:
        return "date_diff('day', DATE '1970-01-01', " + aggregate + ")";
      case TIMESTAMP_MILLIS:
        return "epoch_ms(" + aggregate + ")";
      case TIMESTAMP_MICROS:
        return "epoch_us(" + aggregate + ")";
      case DECIMAL:
        return "CAST(" + aggregate + " AS VARCHAR)";
      case BINARY:
        return "hex(" + aggregate + ")";
      default:
        return aggregate;
    }
  }

  /** A bound in ColumnStats as DuckDB's JDBC driver returns {@link #duckDbBound}. */
  private static Object asDuckDbBound(ColumnType type, Object value) {
    if (value instanceof LocalDate) {
      return ((LocalDate) value).toEpochDay();
    }
    if (value instanceof LocalDateTime) {
      value = ((LocalDateTime) value).toInstant(ZoneOffset.UTC);
    }
    if (value instanceof Instant) {
      Instant t = (Instant) value;
      long micros =
          Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
      return type.kind() == TypeKind.TIMESTAMP_MILLIS ? Math.floorDiv(micros, 1000L) : micros;
    }
    if (value instanceof BigDecimal) {
      return ((BigDecimal) value).toPlainString();
    }
    return value;
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
