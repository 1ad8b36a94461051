package dev.parquetingest.backend.arrow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Field;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.schema.TypeKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ChunkRows}, the row-at-a-time append that loops per kind of column, against vectors of the
 * same types filled by Arrow's own safe setters from the same rows: columns of every kind in one
 * schema in shuffled orders, random nulls and all-null rows, string and binary values of every
 * length 0..80 placed anywhere in their source array (its very end included, where the word copy
 * may not read 32 bytes), data buffers that grow in the middle of a chunk, chunks reusing the
 * columns after {@link ChunkColumn#reset}, and the chunk's capacity.
 */
class ChunkRowsTest {
  private static final ColumnType[] KINDS = {
    ColumnType.booleanType(),
    ColumnType.int32(),
    ColumnType.date(),
    ColumnType.int64(),
    ColumnType.timestampMillis(true),
    ColumnType.timestampMillis(false),
    ColumnType.timestampMicros(true),
    ColumnType.timestampMicros(false),
    ColumnType.float32(),
    ColumnType.float64(),
    ColumnType.string(),
    ColumnType.binary(),
    ColumnType.decimal(9, 2),
    ColumnType.decimal(18, 3),
    ColumnType.decimal(30, 5),
  };

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void columnsOfEveryKindInAnyOrderHoldWhatArrowsSettersWouldWrite(int seed) {
    Schema schema = shuffledSchema(seed, 3);
    int capacity = 97;
    SplittableRandom random = new SplittableRandom(seed);
    try (BufferAllocator allocator = new RootAllocator()) {
      ChunkColumn[] columns = columns(schema, allocator, capacity);
      try {
        ChunkRows rows = new ChunkRows(columns);
        MutableRow row = new MutableRow(schema);
        for (int chunk = 0; chunk < 3; chunk++) {
          // a full chunk, then a full one with nulls and all-null rows, then a short one
          int n = chunk == 2 ? 41 : capacity;
          List<FieldVector> expected = referenceVectors(schema, allocator, n);
          try {
            long variable = 0;
            long expectedVariable = 0;
            for (int r = 0; r < n; r++) {
              boolean allNull = chunk == 1 && r % 10 == 4;
              fill(row, schema, random, chunk > 0 ? 4 : 0, allNull);
              expectedVariable += setReference(expected, schema, row, r);
              variable += rows.append(row, r);
            }
            for (ChunkColumn c : columns) {
              c.seal(n);
            }
            assertThat(variable).isEqualTo(expectedVariable);
            for (int c = 0; c < columns.length; c++) {
              assertSameContent(columns[c].vector, expected.get(c), n, "chunk " + chunk);
            }
          } finally {
            expected.forEach(FieldVector::close);
          }
          for (ChunkColumn c : columns) {
            c.reset();
          }
        }
      } finally {
        for (ChunkColumn c : columns) {
          c.close();
        }
      }
    }
  }

  @Test
  void everyValueLengthReachesTheVectorFromAnywhereInItsSource() {
    Schema schema =
        Schema.builder()
            .optional("s", ColumnType.string())
            .optional("b", ColumnType.binary())
            .build();
    SplittableRandom random = new SplittableRandom(11);
    int capacity = 81 * 4;
    try (BufferAllocator allocator = new RootAllocator()) {
      ChunkColumn[] columns = columns(schema, allocator, capacity);
      List<FieldVector> expected = referenceVectors(schema, allocator, capacity);
      try {
        ChunkRows rows = new ChunkRows(columns);
        MutableRow row = new MutableRow(schema);
        int r = 0;
        for (int length = 0; length <= 80; length++) {
          // the value at the start, in the middle, 31 bytes before the end and at the very end
          for (int place = 0; place < 4; place++) {
            byte[] source = new byte[length + 40];
            for (int k = 0; k < source.length; k++) {
              source[k] = (byte) random.nextInt();
            }
            int end = source.length - length;
            int offset = new int[] {0, 20, Math.max(0, end - 31), end}[place];
            row.clear();
            row.setBytesReference(0, source, offset, length);
            row.setBytesReference(1, source, source.length - length, length);
            setReference(expected, schema, row, r);
            rows.append(row, r++);
          }
        }
        for (ChunkColumn c : columns) {
          c.seal(r);
        }
        for (int c = 0; c < columns.length; c++) {
          assertSameContent(columns[c].vector, expected.get(c), r, "lengths 0..80");
        }
      } finally {
        expected.forEach(FieldVector::close);
        for (ChunkColumn c : columns) {
          c.close();
        }
      }
    }
  }

  @Test
  void aRowBeyondTheChunkIsRefusedAndLeavesTheChunkAsItWas() {
    Schema schema = shuffledSchema(7, 1);
    int capacity = 5;
    SplittableRandom random = new SplittableRandom(7);
    try (BufferAllocator allocator = new RootAllocator()) {
      ChunkColumn[] columns = columns(schema, allocator, capacity);
      List<FieldVector> expected = referenceVectors(schema, allocator, capacity);
      try {
        ChunkRows rows = new ChunkRows(columns);
        MutableRow row = new MutableRow(schema);
        for (int r = 0; r < capacity; r++) {
          fill(row, schema, random, 3, false);
          setReference(expected, schema, row, r);
          rows.append(row, r);
        }
        fill(row, schema, random, 0, false);
        assertThatThrownBy(() -> rows.append(row, capacity))
            .isInstanceOf(IndexOutOfBoundsException.class)
            .hasMessage("Cannot append row 5 to a chunk of 5 rows");
        assertThatThrownBy(() -> rows.append(row, -1))
            .isInstanceOf(IndexOutOfBoundsException.class);
        for (ChunkColumn c : columns) {
          c.seal(capacity);
        }
        for (int c = 0; c < columns.length; c++) {
          assertSameContent(columns[c].vector, expected.get(c), capacity, "after the refusal");
        }
      } finally {
        expected.forEach(FieldVector::close);
        for (ChunkColumn c : columns) {
          c.close();
        }
      }
    }
  }

  /** {@code copies} columns of every kind, nullable, in an order shuffled by {@code seed}. */
  private static Schema shuffledSchema(long seed, int copies) {
    List<ColumnType> types = new ArrayList<>();
    for (int k = 0; k < copies; k++) {
      Collections.addAll(types, KINDS);
    }
    Collections.shuffle(types, new Random(seed));
    Schema.Builder b = Schema.builder();
    for (int i = 0; i < types.size(); i++) {
      b.optional("c" + i, types.get(i));
    }
    return b.build();
  }

  private static ChunkColumn[] columns(Schema schema, BufferAllocator allocator, int rows) {
    ChunkColumn[] columns = new ChunkColumn[schema.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = ChunkColumn.of(schema.field(i), allocator, rows);
    }
    return columns;
  }

  /** Vectors of the columns' own types, allocated by Arrow for {@code rows}, to fill by hand. */
  private static List<FieldVector> referenceVectors(
      Schema schema, BufferAllocator allocator, int rows) {
    List<FieldVector> vectors = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      try (ChunkColumn typed = ChunkColumn.of(schema.field(i), allocator, 1)) {
        FieldVector v = typed.vector.getField().createVector(allocator);
        v.setInitialCapacity(rows);
        v.allocateNew();
        vectors.add(v);
      }
    }
    return vectors;
  }

  /** Fills {@code row} with random values, each null with chance 1/{@code nullEvery} (0: none). */
  private static void fill(
      MutableRow row, Schema schema, SplittableRandom random, int nullEvery, boolean allNull) {
    row.clear();
    for (int c = 0; c < schema.size(); c++) {
      if (allNull || (nullEvery > 0 && random.nextInt(nullEvery) == 0)) {
        row.setNull(c);
        continue;
      }
      Field field = schema.field(c);
      ColumnType type = field.type();
      switch (type.kind()) {
        case BOOLEAN:
          row.setBoolean(c, random.nextBoolean());
          break;
        case INT32:
        case DATE:
          row.setInt(c, random.nextInt());
          break;
        case INT64:
          row.setLong(c, random.nextLong());
          break;
        case TIMESTAMP_MILLIS:
        case TIMESTAMP_MICROS:
          // within the years Arrow's getters turn into a LocalDateTime
          row.setLong(c, random.nextLong(-(1L << 50), 1L << 50));
          break;
        case FLOAT:
          row.setFloat(c, Float.intBitsToFloat(random.nextInt()));
          break;
        case DOUBLE:
          row.setDouble(c, Double.longBitsToDouble(random.nextLong()));
          break;
        case STRING:
        case BINARY:
          // mostly short, sometimes long enough for the data buffer to grow inside the chunk
          int length = random.nextInt(8) == 0 ? random.nextInt(200) : random.nextInt(41);
          byte[] source = new byte[length + random.nextInt(40)];
          for (int k = 0; k < source.length; k++) {
            source[k] = (byte) random.nextInt();
          }
          row.setBytesReference(
              c,
              source,
              source.length - length - random.nextInt(1 + source.length - length),
              length);
          break;
        case DECIMAL:
          int digits = random.nextInt(1, type.precision() + 1);
          BigInteger unscaled = new BigInteger(digits * 3, new Random(random.nextLong()));
          while (unscaled.toString().length() > type.precision()) {
            unscaled = unscaled.shiftRight(1);
          }
          row.setDecimal(
              c, new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(), type.scale()));
          break;
        default:
          throw new AssertionError(type);
      }
    }
  }

  /** Sets row {@code r} of the reference vectors with Arrow's setters; returns the bytes set. */
  private static long setReference(
      List<FieldVector> vectors, Schema schema, MutableRow row, int r) {
    long variable = 0;
    for (int c = 0; c < schema.size(); c++) {
      FieldVector v = vectors.get(c);
      if (row.isNull(c)) {
        v.setNull(r);
        continue;
      }
      switch (schema.field(c).type().kind()) {
        case BOOLEAN:
          ((BitVector) v).setSafe(r, row.getBoolean(c) ? 1 : 0);
          break;
        case INT32:
        case DATE:
        case FLOAT:
          int bits =
              schema.field(c).type().kind() == TypeKind.FLOAT
                  ? Float.floatToRawIntBits(row.getFloat(c))
                  : row.getInt(c);
          ((BaseFixedWidthVector) v).getDataBuffer().setInt((long) r << 2, bits);
          BitVectorHelper.setBit(v.getValidityBuffer(), r);
          break;
        case INT64:
        case TIMESTAMP_MILLIS:
        case TIMESTAMP_MICROS:
        case DOUBLE:
          long wide =
              schema.field(c).type().kind() == TypeKind.DOUBLE
                  ? Double.doubleToRawLongBits(row.getDouble(c))
                  : row.getLong(c);
          ((BaseFixedWidthVector) v).getDataBuffer().setLong((long) r << 3, wide);
          BitVectorHelper.setBit(v.getValidityBuffer(), r);
          break;
        case STRING:
        case BINARY:
          ((BaseVariableWidthVector) v)
              .setSafe(r, row.bytes(c), row.bytesOffset(c), row.bytesLength(c));
          variable += row.bytesLength(c);
          break;
        case DECIMAL:
          ((DecimalVector) v).setSafe(r, row.getDecimal(c));
          break;
        default:
          throw new AssertionError(schema.field(c));
      }
    }
    return variable;
  }

  private static void assertSameContent(
      FieldVector actual, FieldVector expected, int n, String at) {
    expected.setValueCount(n);
    assertThat(actual.getValueCount()).as(at).isEqualTo(n);
    assertThat(actual.getNullCount())
        .as("%s, %s null count", at, actual.getName())
        .isEqualTo(expected.getNullCount());
    for (int r = 0; r < n; r++) {
      assertThat(actual.getObject(r))
          .as("%s, column %s, row %d", at, actual.getName(), r)
          .isEqualTo(expected.getObject(r));
    }
  }
}
