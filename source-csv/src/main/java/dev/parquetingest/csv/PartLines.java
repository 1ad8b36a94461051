package dev.parquetingest.csv;

import dev.parquetingest.common.IngestException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The line of the byte a part of a split file starts at, found only when something asks for it: a
 * bad record's message, or a record position's line when a file is committed (its footer keeps the
 * last record's line). A part's reader counts its lines from its own start (line 0 there); this
 * gives the number to add.
 *
 * <p>Counting every line end before each part when the file is split cost a pass over the file
 * before the first record (0.34-0.42 s of CPU on the 618 MB reviews benchmark file, run by the C1
 * compiler's code). Instead, each part's reader publishes its progress now and then (an offset and
 * its line, relative to the part's start): a part's first line is the previous part's first line,
 * plus the previous reader's lines up to its last published offset, plus the line ends counted from
 * there to this part's start. When the previous reader has finished, nothing is left to count; when
 * it has not started, its whole range is counted, once. Line ends are counted as the tokenizer
 * counts them: every CR, and every LF not right after a CR.
 *
 * <p>Thread-safe: a part's reader publishes; any thread may ask {@link #first()} (it locks this
 * part, then the previous ones, in file order).
 */
final class PartLines {
  private final Path file;
  private final long start;
  private final PartLines previous;

  /** The line of the byte at start, once known; -1 before. Guarded by this. */
  private long first;

  /** The reader's last published progress, or null before its first. */
  private volatile Progress progress;

  /** At byte {@code offset} (a record start), the reader was on line {@code lines} of the part. */
  private record Progress(long offset, long lines) {}

  private PartLines(Path file, long start, PartLines previous, long first) {
    this.file = file;
    this.start = start;
    this.previous = previous;
    this.first = first;
  }

  /** A part that starts at {@code start}, on line {@code line}. */
  static PartLines known(long start, long line) {
    return new PartLines(null, start, null, line);
  }

  /** The part of {@code file} at {@code start}, right after {@code previous}'s part. */
  static PartLines after(Path file, long start, PartLines previous) {
    if (previous.start >= start) {
      throw new IllegalArgumentException(
          "Cannot follow the part at " + previous.start + " with one at " + start);
    }
    return new PartLines(file, start, previous, -1);
  }

  /** The reader of this part was at record start {@code offset} on line {@code lines} of it. */
  void progress(long offset, long lines) {
    progress = new Progress(offset, lines);
  }

  /** The line of this part's line {@code lines} (counted from 0 at its start). */
  long line(long lines) {
    return first() + lines;
  }

  /** The line the part's first byte is on. */
  synchronized long first() {
    if (first < 0) {
      Progress p = previous.progress;
      long from = p == null ? previous.start : p.offset();
      long lines = p == null ? 0 : p.lines();
      if (from > start) {
        throw new IllegalStateException(
            "Cannot count the lines of "
                + file
                + " before offset "
                + start
                + ": the part before it was read to offset "
                + from);
      }
      first = previous.first() + lines + countLineEnds(from);
    }
    return first;
  }

  private long countLineEnds(long from) {
    if (from == start) {
      return 0;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return CsvSplitter.countLineEnds(ch, from, start);
    } catch (IOException e) {
      throw new IngestException(
          "Cannot count the lines of " + file + " before offset " + start + ": " + e, e);
    }
  }
}
