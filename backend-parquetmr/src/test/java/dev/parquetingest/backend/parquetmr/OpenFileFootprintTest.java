package dev.parquetingest.backend.parquetmr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What one open file costs in heap, the figure that decides how many partitions fit at once:
 * hundreds of encoders on the twelve columns of the reviews data, one row each, measured as the
 * growth of the used heap after a full GC. The fixed cost must be small, and {@link
 * Encoder#memoryBytes()} (what the memory budget adds up) must not undercount it.
 */
class OpenFileFootprintTest {
  private static final int FILES = 400;
  private static final Schema REVIEWS =
      Schema.builder()
          .required("review_id", ColumnType.string())
          .required("marketplace", ColumnType.string())
          .required("customer_id", ColumnType.int64())
          .required("product_id", ColumnType.string())
          .required("product_category", ColumnType.string())
          .required("star_rating", ColumnType.int32())
          .required("helpful_votes", ColumnType.int32())
          .required("total_votes", ColumnType.int32())
          .required("verified_purchase", ColumnType.booleanType())
          .required("review_date", ColumnType.date())
          .optional("review_title", ColumnType.string())
          .optional("review_body", ColumnType.string())
          .build();

  private static long usedHeapAfterGc(MemoryMXBean memory) {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  @Test
  void anOpenFileHoldsLittleHeapAndTheBudgetCountsAllOfIt() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ParquetMrEncoderProvider provider = new ParquetMrEncoderProvider();
    EncoderOptions options = EncoderOptions.builder().build();
    MutableRow row = new MutableRow(REVIEWS);
    List<Encoder> open = new ArrayList<>();
    long before = usedHeapAfterGc(memory);
    long counted = 0;
    for (int i = 0; i < FILES; i++) {
      Encoder e = provider.open(REVIEWS, OutputStream.nullOutputStream(), options);
      row.setString(0, "R" + i);
      row.setString(1, "US");
      row.setLong(2, 1000L + i);
      row.setString(3, "B00" + i);
      row.setString(4, "Books");
      row.setInt(5, 1 + i % 5);
      row.setInt(6, i % 7);
      row.setInt(7, i % 11);
      row.setBoolean(8, i % 2 == 0);
      row.setInt(9, 15_000 + i);
      row.setString(10, "a title " + i);
      row.setString(11, "a review body that says something about product " + i);
      e.write(row);
      counted += e.memoryBytes();
      open.add(e);
    }
    long perFile = (usedHeapAfterGc(memory) - before) / FILES;
    long countedPerFile = counted / FILES;
    for (Encoder e : open) {
      e.close();
    }

    assertThat(perFile).as("heap bytes per open file").isLessThan(64 * 1024);
    assertThat(countedPerFile)
        .as("memoryBytes() per file vs %d measured", perFile)
        .isGreaterThanOrEqualTo(perFile * 8 / 10);
    assertThat(countedPerFile)
        .as("memoryBytes() per file vs %d measured", perFile)
        .isLessThan(perFile * 3);
  }

  /**
   * Open files whose dictionaries hold thousands of distinct values: what the budget adds up
   * follows the heap they hold, within a factor of two either way.
   */
  @Test
  void theBudgetCountsWhatDictionariesHold() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ParquetMrEncoderProvider provider = new ParquetMrEncoderProvider();
    EncoderOptions options = EncoderOptions.builder().build();
    Schema schema =
        Schema.builder()
            .required("id", ColumnType.int64())
            .required("k", ColumnType.int32())
            .required("text", ColumnType.string())
            .required("x", ColumnType.float64())
            .build();
    MutableRow row = new MutableRow(schema);
    List<Encoder> open = new ArrayList<>();
    int files = 40;
    int rows = 5_000;
    long before = usedHeapAfterGc(memory);
    long counted = 0;
    for (int f = 0; f < files; f++) {
      Encoder e = provider.open(schema, OutputStream.nullOutputStream(), options);
      for (int i = 0; i < rows; i++) {
        long id = (long) f * rows + i;
        long h = id * 0x9E3779B97F4A7C15L;
        row.setLong(0, id);
        row.setInt(1, i % 100);
        row.setString(2, "record " + id + " " + Long.toHexString(h) + Long.toHexString(h >>> 7));
        row.setDouble(3, (h >>> 11) * 0x1.0p-53);
        e.write(row);
      }
      counted += e.memoryBytes();
      open.add(e);
    }
    long measured = usedHeapAfterGc(memory) - before;
    for (Encoder e : open) {
      e.close();
    }

    assertThat(counted)
        .as("memoryBytes() of %d files vs %d measured", files, measured)
        .isBetween(measured / 2, measured * 2);
  }
}
