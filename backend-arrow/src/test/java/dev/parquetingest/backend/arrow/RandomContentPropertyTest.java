package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.backend.arrow.LogicalIdentity.Written;
import dev.parquetingest.common.DataSize;
import dev.parquetingest.internal.Encoders;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.ColumnStats;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.testing.ParquetFooters;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A seeded property test of the arrow backend against the parquet-mr backend: random flat schemas
 * of every type (decimals of all three physical types, dates, timestamps of both units, local and
 * UTC), random null rates including all-null columns, empty strings, low- and high-cardinality
 * values (so that dictionaries fall back to plain inside a chunk, with a small dictionary page
 * size), a 10 MB value, several row groups, chunk sizes from 1 to 100,000 rows, both allocators and
 * a 0-row file. Every case must give the same content in the sense of {@link LogicalIdentity}. A
 * failing case prints its seed and settings; the master seed is fixed so that a run can be
 * repeated.
 */
class RandomContentPropertyTest {
  private static final long MASTER_SEED = 20261201L;
  private static final int CASES = 40;

  @TempDir Path dir;

  @AfterEach
  void noArrowMemoryLeft() {
    assertThat(ArrowAllocators.allocatedBytes()).as("Arrow bytes left allocated").isZero();
    assertThat(ArrowAllocators.openChildren()).as("Arrow allocators left open").isZero();
  }

  static Stream<Case> cases() {
    SplittableRandom master = new SplittableRandom(MASTER_SEED);
    List<Case> cases = new ArrayList<>();
    for (int i = 0; i < CASES; i++) {
      cases.add(Case.random(i, master.nextLong()));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void arrowFileHasTheSameContentAsTheParquetMrFile(Case c) throws IOException {
    Written mr = write("parquet-mr", c);
    Written arrow = write("arrow", c);
    LogicalIdentity.assertSameContent(mr, arrow, c.rows);
    if (c.severalRowGroups) {
      assertThat(ParquetFooters.read(arrow.file()).getBlocks()).hasSizeGreaterThan(1);
    }
  }

  private Written write(String backend, Case c) throws IOException {
    Path file = Files.createTempFile(dir, backend, ".parquet");
    List<ColumnStats> stats;
    MutableRow row = new MutableRow(c.schema);
    try (OutputStream out = Files.newOutputStream(file);
        Encoder encoder = Encoders.find(backend).open(c.schema, out, c.options)) {
      for (int i = 0; i < c.rows; i++) {
        row.clear();
        c.fill(i, row);
        encoder.write(row);
      }
      encoder.finish();
      stats = encoder.columnStats();
    }
    return new Written(file, stats);
  }

  /** One random file: schema, value generators, options. */
  static final class Case {
    private static final int[] ROWS = {0, 1, 17, 999, 4_000, 12_000, 30_000, 100_000};
    private static final String[] ALPHABET = {"a", "b", "é", "日", "😀", " ", "z", "\u0000"};

    final int index;
    final long seed;
    final Schema schema;
    final int rows;
    final int chunk;
    final String allocator;
    final EncoderOptions options;
    final boolean severalRowGroups;

    /** Per column: the share of nulls (0 to 1), and how many distinct values (0: all distinct). */
    final double[] nullRate;

    final int[] cardinality;

    /** The row holding the 10 MB value in the first string column, or -1. */
    final int hugeRow;

    private byte[] huge;

    private Case(
        int index,
        long seed,
        Schema schema,
        int rows,
        int chunk,
        String allocator,
        EncoderOptions options,
        boolean severalRowGroups,
        double[] nullRate,
        int[] cardinality,
        int hugeRow) {
      this.index = index;
      this.seed = seed;
      this.schema = schema;
      this.rows = rows;
      this.chunk = chunk;
      this.allocator = allocator;
      this.options = options;
      this.severalRowGroups = severalRowGroups;
      this.nullRate = nullRate;
      this.cardinality = cardinality;
      this.hugeRow = hugeRow;
    }

    static Case random(int index, long seed) {
      SplittableRandom r = new SplittableRandom(seed);
      // some cases pinned so that every property is covered whatever the seed
      int rows = index == 0 ? 0 : index == 1 ? 100_000 : ROWS[1 + r.nextInt(ROWS.length - 1)];
      int chunk =
          index == 1
              ? 100_000
              : index == 2 ? 1 : (int) Math.round(Math.pow(10, r.nextDouble() * 5));
      chunk = Math.max(1, Math.min(100_000, chunk));
      if (index == 2) {
        rows = 4_000;
      }
      int columns = 1 + r.nextInt(10);
      List<Field> fields = new ArrayList<>();
      double[] nullRate = new double[columns + 2];
      int[] cardinality = new int[columns + 2];
      for (int c = 0; c < columns; c++) {
        boolean nullable = r.nextInt(5) > 0;
        fields.add(new Field("c" + c, randomType(r), nullable));
        double[] rates = {0, 0.05, 0.5, 1.0};
        nullRate[c] = nullable ? rates[r.nextInt(rates.length)] : 0;
        int[] cards = {0, 3, 50, 5_000};
        cardinality[c] = cards[r.nextInt(cards.length)];
      }
      // every case has a nullable string column and an all-null column
      fields.add(new Field("text", ColumnType.string(), true));
      nullRate[columns] = 0.1;
      cardinality[columns] = index % 2 == 0 ? 0 : 40;
      fields.add(new Field("nothing", randomType(r), true));
      nullRate[columns + 1] = 1.0;
      Schema schema = Schema.of(fields);

      String allocator = index % 2 == 0 ? "netty" : "unsafe";
      boolean severalRowGroups = rows >= 12_000 && r.nextBoolean() || index == 3;
      if (index == 3) {
        rows = 30_000;
      }
      EncoderOptions.Builder options =
          EncoderOptions.builder()
              .rowGroupSize(severalRowGroups ? DataSize.ofKilobytes(64) : DataSize.ofMegabytes(128))
              .property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, Integer.toString(chunk))
              .property(ArrowEncoderProvider.ALLOCATOR_PROPERTY, allocator);
      if (index % 3 == 1 || index == 4) {
        // a small dictionary page: high-cardinality columns fall back inside a chunk
        options.dictionaryPageSize(DataSize.ofKilobytes(8));
      }
      if (index % 5 == 2) {
        options.pageSize(DataSize.ofKilobytes(16));
      }
      if (index == 4) {
        rows = 12_000;
        chunk = 10_000;
        options.property(ArrowEncoderProvider.CHUNK_ROWS_PROPERTY, "10000");
        cardinality[columns] = 0;
      }
      if (index == 7) {
        options.dictionaryEnabled(false);
      }
      int hugeRow = index == 5 ? 3 : -1;
      if (index == 5) {
        rows = Math.max(rows, 999);
      }
      return new Case(
          index,
          seed,
          schema,
          rows,
          chunk,
          allocator,
          options.build(),
          severalRowGroups,
          nullRate,
          cardinality,
          hugeRow);
    }

    private static ColumnType randomType(SplittableRandom r) {
      switch (r.nextInt(15)) {
        case 0:
          return ColumnType.booleanType();
        case 1:
          return ColumnType.int32();
        case 2:
          return ColumnType.int64();
        case 3:
          return ColumnType.float32();
        case 4:
          return ColumnType.float64();
        case 5:
          return ColumnType.string();
        case 6:
          return ColumnType.binary();
        case 7:
          return ColumnType.date();
        case 8:
          return ColumnType.timestampMillis(r.nextBoolean());
        case 9:
          return ColumnType.timestampMicros(r.nextBoolean());
        case 10:
          {
            int p = 1 + r.nextInt(9);
            return ColumnType.decimal(p, r.nextInt(p + 1));
          }
        case 11:
          {
            int p = 10 + r.nextInt(9);
            return ColumnType.decimal(p, r.nextInt(p + 1));
          }
        case 12:
          {
            int p = 19 + r.nextInt(20);
            return ColumnType.decimal(p, r.nextInt(p + 1));
          }
        case 13:
          return ColumnType.string();
        default:
          return ColumnType.int64();
      }
    }

    /** The values of row {@code i}: a function of the seed, the column and the row only. */
    void fill(int i, MutableRow row) {
      for (int c = 0; c < schema.size(); c++) {
        SplittableRandom r =
            new SplittableRandom(seed ^ (c * 0x9E3779B97F4A7C15L) ^ (i * 0xC2B2AE3D27D4EB4FL));
        Field f = schema.field(c);
        if (f.nullable() && r.nextDouble() < nullRate[c]) {
          row.setNull(c);
          continue;
        }
        long v = cardinality[c] == 0 ? r.nextLong() : r.nextInt(cardinality[c]);
        SplittableRandom values = new SplittableRandom(v);
        ColumnType t = f.type();
        switch (t.kind()) {
          case BOOLEAN:
            row.setBoolean(c, (v & 1) == 0);
            break;
          case INT32:
            row.setInt(
                c,
                special(
                    values,
                    new int[] {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE},
                    values.nextInt()));
            break;
          case DATE:
            row.setInt(c, values.nextInt(-800_000, 3_000_000));
            break;
          case INT64:
            row.setLong(
                c, values.nextInt(8) == 0 ? Long.MIN_VALUE + values.nextInt(3) : values.nextLong());
            break;
          case TIMESTAMP_MILLIS:
            row.setLong(c, values.nextLong(-62_135_596_800_000L, 253_402_300_799_000L));
            break;
          case TIMESTAMP_MICROS:
            row.setLong(c, values.nextLong(-62_135_596_800_000_000L, 253_402_300_799_000_000L));
            break;
          case FLOAT:
            {
              float[] special = {
                Float.NaN, -0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY
              };
              row.setFloat(
                  c,
                  values.nextInt(20) == 0
                      ? special[values.nextInt(special.length)]
                      : (float) (values.nextGaussian() * 1e6));
              break;
            }
          case DOUBLE:
            {
              double[] special = {
                Double.NaN,
                -0.0,
                0.0,
                Double.POSITIVE_INFINITY,
                Double.NEGATIVE_INFINITY,
                Double.MIN_VALUE
              };
              row.setDouble(
                  c,
                  values.nextInt(20) == 0
                      ? special[values.nextInt(special.length)]
                      : values.nextGaussian() * 1e12);
              break;
            }
          case STRING:
            if (i == hugeRow && c == schema.indexOf("text")) {
              byte[] h = huge();
              row.setBytes(c, h, 0, h.length);
            } else {
              row.setString(c, text(values));
            }
            break;
          case BINARY:
            {
              byte[] b = new byte[values.nextInt(12)];
              for (int k = 0; k < b.length; k++) {
                b[k] = (byte) values.nextInt(256);
              }
              row.setBytes(c, b, 0, b.length);
              break;
            }
          case DECIMAL:
            {
              BigInteger limit = BigInteger.TEN.pow(t.precision());
              BigInteger unscaled =
                  new BigInteger(t.precision() * 4, new java.util.Random(values.nextLong()))
                      .mod(limit);
              if (values.nextBoolean()) {
                unscaled = unscaled.negate();
              }
              if (values.nextInt(10) == 0) {
                unscaled =
                    values.nextBoolean()
                        ? limit.subtract(BigInteger.ONE)
                        : limit.subtract(BigInteger.ONE).negate();
              }
              row.setDecimal(c, new java.math.BigDecimal(unscaled, t.scale()));
              break;
            }
          default:
            throw new AssertionError(t);
        }
      }
    }

    private static int special(SplittableRandom r, int[] specials, int otherwise) {
      return r.nextInt(10) == 0 ? specials[r.nextInt(specials.length)] : otherwise;
    }

    private static String text(SplittableRandom r) {
      int length = r.nextInt(8) == 0 ? 0 : r.nextInt(1, 40);
      StringBuilder sb = new StringBuilder(length);
      for (int k = 0; k < length; k++) {
        sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
      }
      return sb.toString();
    }

    private byte[] huge() {
      if (huge == null) {
        huge = new byte[10 << 20];
        SplittableRandom r = new SplittableRandom(seed);
        byte[] word = "0123456789 abcdefghij ".getBytes(StandardCharsets.US_ASCII);
        for (int k = 0; k < huge.length; k++) {
          huge[k] = r.nextInt(16) == 0 ? (byte) ('A' + r.nextInt(26)) : word[k % word.length];
        }
      }
      return huge;
    }

    @Override
    public String toString() {
      List<String> types = new ArrayList<>();
      for (int c = 0; c < schema.size(); c++) {
        Field f = schema.field(c);
        types.add(f.type() + (f.nullable() ? "?" : "") + "/" + nullRate[c] + "/" + cardinality[c]);
      }
      return "case "
          + index
          + " seed "
          + seed
          + ": "
          + rows
          + " rows, chunk "
          + chunk
          + ", "
          + allocator
          + (hugeRow >= 0 ? ", 10 MB value" : "")
          + ", "
          + options
          + ", columns "
          + String.join(" ", types);
    }
  }
}
