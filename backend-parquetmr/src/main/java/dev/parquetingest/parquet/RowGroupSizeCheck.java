package dev.parquetingest.parquet;

import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ParquetProperties;

/**
 * Decides after each row whether the open row group is full, with the same rule as parquet-java's
 * own record writer ({@code InternalParquetRecordWriter}), so that a file written through {@link
 * ColumnarFileWriter} has its row groups end on exactly the rows where {@code ParquetWriter} would
 * end them:
 *
 * <ul>
 *   <li>a group holding {@link ParquetProperties#getRowGroupRowCountLimit()} rows is full;
 *   <li>otherwise the buffered size is measured only every so often (measuring walks every column):
 *       first after {@link ParquetProperties#getMinRowCountForPageSizeCheck()} rows, then halfway
 *       to where the average row size predicts the target will be reached, but never more than
 *       {@link ParquetProperties#getMaxRowCountForPageSizeCheck()} rows ahead;
 *   <li>a group is full when its buffered size is within two average rows of the target, since a
 *       group slightly under the target is better than one over it.
 * </ul>
 *
 * <p>The target is the configured row-group size, lowered when the file writer asks for a smaller
 * next group (block alignment; never with our stream outputs). The arithmetic, including its float
 * division, is kept as parquet-java has it: a different rounding would move boundaries.
 *
 * <p>Both backends use it: the parquet-mr one asks after every row ({@link #isFull(long,
 * ColumnWriteStore)}); the arrow one encodes up to the next check point ({@link #rowsUntilCheck})
 * and then asks with the size it measured ({@link #isFull(long, long)}), which ends groups on the
 * rows parquet-java would end them on for the same buffered sizes.
 *
 * <p>Not thread-safe; one instance per file.
 */
public final class RowGroupSizeCheck {
  private final long rowGroupSize;
  private final long rowCountLimit;
  private final long minRowsBetweenChecks;
  private final long maxRowsBetweenChecks;
  private long target;
  private long nextCheckAt;

  public RowGroupSizeCheck(long rowGroupSize, ParquetProperties props) {
    this.rowGroupSize = rowGroupSize;
    this.rowCountLimit = props.getRowGroupRowCountLimit();
    this.minRowsBetweenChecks = props.getMinRowCountForPageSizeCheck();
    this.maxRowsBetweenChecks = props.getMaxRowCountForPageSizeCheck();
    this.target = rowGroupSize;
    this.nextCheckAt = minRowsBetweenChecks;
  }

  /**
   * Called after each row with the rows in the open group; true when the group must be flushed now.
   * Reads {@code store}'s buffered size only at check points.
   */
  public boolean isFull(long rowsInGroup, ColumnWriteStore store) {
    return rowsInGroup >= rowCountLimit
        || (rowsInGroup >= nextCheckAt && isFull(rowsInGroup, store.getBufferedSize()));
  }

  /** Rows that can be added to a group of {@code rowsInGroup} rows before the next check (≥ 1). */
  public long rowsUntilCheck(long rowsInGroup) {
    return Math.max(1, Math.min(nextCheckAt, rowCountLimit) - rowsInGroup);
  }

  /**
   * After rows were added to the open group, now {@code rowsInGroup} rows buffering {@code
   * bufferedBytes}: true when it must be flushed now. Between check points the size is not looked
   * at, as parquet-java does not measure it there.
   */
  public boolean isFull(long rowsInGroup, long bufferedBytes) {
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

  /**
   * Called after a group has been flushed (or found empty).
   *
   * @param fileNextRowGroupSize what the file writer allows for the next group
   * @param flushedRows rows the flushed group held; 0 if it was empty
   */
  public void flushed(long fileNextRowGroupSize, long flushedRows) {
    if (flushedRows > 0) {
      target = Math.min(fileNextRowGroupSize, rowGroupSize);
    }
    nextCheckAt = Math.min(minRowsBetweenChecks, maxRowsBetweenChecks);
  }
}
