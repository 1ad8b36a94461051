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
}
