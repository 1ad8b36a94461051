package dev.parquetingest.runtime;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.spi.CommittedFooter;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.Sink;
import dev.parquetingest.spi.SplittableSource.Range;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What a resumed batch run reads: from the footers of the committed data files an earlier run of
 * the prefix left, the records each holds (from its first record's byte offset to its last one's),
 * and so the ranges of the source that none holds, and the ranges inside the kept files. Immutable.
 */
final class ResumePlan {
  /** The kept files, in source order, as the manifest lists them. */
  final List<CommittedFile> kept;

  /** The ranges to read, in source order. */
  final List<Range> gaps;

  /**
   * Per kept file holding more than one record, in source order: the range from its first record up
   * to (not including) its last, which holds every record the file's lane read between the two; the
   * ones it holds, and the ones that lane rejected or filtered.
   */
  final List<Range> inside;

  private ResumePlan(List<CommittedFile> kept, List<Range> gaps, List<Range> inside) {
    this.kept = kept;
    this.gaps = gaps;
    this.inside = inside;
  }

  private static final class Held {
    final String name;
    final long first;
    final long last;
    final long lastLine;
    final CommittedFile file;

    Held(String name, long first, long last, long lastLine, CommittedFile file) {
      this.name = name;
      this.first = first;
      this.last = last;
      this.lastLine = lastLine;
      this.file = file;
    }
  }

  /**
   * @param data the committed data files' names
   * @param sourceName the run's source, which every file's footer must name
   * @param dataStart where the source's first record starts
   * @param schema the columns the files hold, for their statistics in the manifest
   * @throws IngestException if a file is of another source, carries no offsets, or two files hold
   *     the same records
   */
  static ResumePlan of(
      Sink sink,
      List<String> data,
      String sourceName,
      Range dataStart,
      dev.parquetingest.schema.Schema schema) {
    List<Held> held = new ArrayList<>();
    for (String name : data) {
      CommittedFooter footer = CommittedFooter.read(sink, name);
      Map<String, String> kv = footer.keyValues();
      String source = kv.get(Encoder.SOURCE_KEY);
      if (!sourceName.equals(source)) {
        throw new IngestException(
            "Cannot resume into "
                + sink.describe()
                + ": "
                + name
                + " holds records of "
                + (source == null ? "an unnamed source" : source)
                + ", not of "
                + sourceName
                + "; use --overwrite (overwrite(true)) or another output location");
      }
      long first = number(kv, Encoder.FIRST_OFFSET_KEY, sink, name);
      long last = number(kv, Encoder.LAST_OFFSET_KEY, sink, name);
      long lastLine = number(kv, Encoder.LAST_LINE_KEY, sink, name);
      int slash = name.lastIndexOf('/');
      CommittedFile file =
          new CommittedFile(
              sink.describe() + "/" + name,
              name,
              footer.rows(),
              footer.fileSize(),
              kv.get(Encoder.FIRST_POSITION_KEY),
              kv.get(Encoder.LAST_POSITION_KEY),
              slash < 0 ? "" : name.substring(0, slash),
              Manifest.compact(footer.columnStats(schema)));
      held.add(new Held(name, first, last, lastLine, file));
    }
    held.sort(Comparator.comparingLong((Held h) -> h.first));
    List<Range> gaps = new ArrayList<>();
    List<CommittedFile> kept = new ArrayList<>();
    List<Range> inside = new ArrayList<>();
    long from = dataStart.start();
    long line = dataStart.line();
    boolean skip = false;
    Held previous = null;
    for (Held h : held) {
      if (previous != null && h.first <= previous.last) {
        throw new IngestException(
            "Cannot resume into "
                + sink.describe()
                + ": "
                + previous.name
                + " and "
                + h.name
                + " hold the same records (bytes "
                + h.first
                + " to "
                + Math.min(previous.last, h.last)
                + "), so the output already has duplicates; use --overwrite (overwrite(true))");
      }
      if (h.first > from) {
        gaps.add(new Range(from, h.first, line, skip));
      }
      from = h.last;
      line = h.lastLine;
      skip = true;
      previous = h;
      kept.add(h.file);
      if (h.last > h.first) {
        inside.add(new Range(h.first, h.last, firstLine(h, sink), false));
      }
    }
    gaps.add(new Range(from, -1, line, skip));
    return new ResumePlan(List.copyOf(kept), List.copyOf(gaps), List.copyOf(inside));
  }

  private static long firstLine(Held h, Sink sink) {
    long line = h.file.firstLine();
    if (line < 1) {
      throw new IngestException(
          "Cannot resume into "
              + sink.describe()
              + ": "
              + h.name
              + " has no line in its "
              + Encoder.FIRST_POSITION_KEY
              + " ("
              + h.file.firstPosition()
              + "); use --overwrite (overwrite(true))");
    }
    return line;
  }

  private static long number(Map<String, String> kv, String key, Sink sink, String name) {
    String v = kv.get(key);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IngestException(
          "Cannot resume into "
              + sink.describe()
              + ": "
              + name
              + " has no "
              + key
              + " in its footer (written by an older version, or from a source without byte"
              + " offsets); use --overwrite (overwrite(true))");
    }
  }
}
