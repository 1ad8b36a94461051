package dev.parquetingest.backend.arrow;

import org.apache.parquet.column.ParquetProperties;

/**
 * When the open row group is full: parquet-java's rule ({@code InternalParquetRecordWriter}, the
 * same one the parquet-mr backend follows), applied at its own check points. The buffered size is
 * measured only at a check point: first after {@link
 * ParquetProperties#getMinRowCountForPageSizeCheck()} rows, then halfway to where the average row
 * size predicts the target, at most {@link ParquetProperties#getMaxRowCountForPageSizeCheck()} rows
 * ahead; a group is full when its buffered size is within two average rows of the target, or when
 * it holds {@link ParquetProperties#getRowGroupRowCountLimit()} rows. Since nothing is measured
 * between check points, the columnar writer encodes up to the next one ({@link #rowsUntilCheck})
 * and then asks, which ends groups on the rows parquet-java would end them on for the same buffered
 * sizes. Not thread-safe; one per file.
 */
final class RowGroupRule {
  private final long rowGroupSize;
  private final long rowCountLimit;
  private final long minRowsBetweenChecks;
  private final long maxRowsBetweenChecks;
  private long target;
  private long nextCheckAt;

  RowGroupRule(long rowGroupSize, ParquetProperties props) {
    this.rowGroupSize = rowGroupSize;
    this.rowCountLimit = props.getRowGroupRowCountLimit();
    this.minRowsBetweenChecks = props.getMinRowCountForPageSizeCheck();
    this.maxRowsBetweenChecks = props.getMaxRowCountForPageSizeCheck();
    this.target = rowGroupSize;
    this.nextCheckAt = minRowsBetweenChecks;
  }

  /** Rows that can be added to a group of {@code rowsInGroup} rows before the next check (≥ 1). */
  long rowsUntilCheck(long rowsInGroup) {
    return Math.max(1, Math.min(nextCheckAt, rowCountLimit) - rowsInGroup);
  }

  /** After rows were added: true when the group of {@code rowsInGroup} must be flushed now. */
  boolean isFull(long rowsInGroup, long bufferedBytes) {
    if (rowsInGroup >= rowCountLimit) {
      return true;
    }
    if (rowsInGroup < nextCheckAt) {
      return false;
    }
    long averageRow = bufferedBytes / rowsInGroup;
    if (bufferedBytes > target - 2 * averageRow) {
      return true;
    }
    long predictedRows = (long) (target / ((float) averageRow));
    nextCheckAt =
        Math.min(
            Math.max(minRowsBetweenChecks, (rowsInGroup + predictedRows) / 2),
            rowsInGroup + maxRowsBetweenChecks);
    return false;
  }

  /** After a group was flushed: {@code fileNextRowGroupSize} is what the file writer allows. */
  void flushed(long fileNextRowGroupSize) {
    target = Math.min(fileNextRowGroupSize, rowGroupSize);
    nextCheckAt = Math.min(minRowsBetweenChecks, maxRowsBetweenChecks);
  }
}
