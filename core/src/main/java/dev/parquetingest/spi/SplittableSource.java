package dev.parquetingest.spi;

import java.util.List;

/**
 * A {@link Source} whose input can be read as several independent parts at once, e.g. byte ranges
 * of one large file. The runtime gives each part its own worker and its own files.
 */
public interface SplittableSource extends Source {
  /**
   * Splits the input, after {@link #open()}, into at most {@code parts} sources that together yield
   * exactly the records of this source: part 0 the first ones, then part 1, and so on, each record
   * in exactly one part. Each part is opened by the runtime (its {@code open()} returns the same
   * schema) and read by one thread; this source is then only closed. Fewer parts may be returned,
   * e.g. for a small input.
   */
  List<Source> split(int parts);

  /**
   * A byte range of the input: the records that start at or after {@code start} (a record start, on
   * line {@code line}) and before {@code end} ({@code -1}: the end of the input), without the first
   * one if {@code skipFirst} (the range starts at the last record another file holds).
   */
  record Range(long start, long end, long line, boolean skipFirst) {}

  /**
   * Whether {@link #ranges} works: the source can read given byte ranges, so that a run can resume.
   * Default false.
   */
  default boolean readsRanges() {
    return false;
  }

  /**
   * After {@link #open()}: one source per range, each reading exactly the records that start in it,
   * numbered from its line, opened by the runtime like the parts of {@link #split}.
   *
   * @throws UnsupportedOperationException unless {@link #readsRanges()}
   */
  default List<Source> ranges(List<Range> ranges) {
    throw new UnsupportedOperationException("Cannot read ranges of " + name());
  }

  /**
   * After {@link #open()}: where the first record after any header starts, on which line.
   *
   * @throws UnsupportedOperationException unless {@link #readsRanges()}
   */
  default Range dataStart() {
    throw new UnsupportedOperationException("Cannot read ranges of " + name());
  }
}
