package dev.parquetingest.runtime;

import dev.parquetingest.common.KeptOutput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The line ranges a failed batch run's committed files hold, for its {@link KeptOutput} notice: the
 * files sorted by first line, a file that starts on the line after the one before it ends joining
 * its range. Ranges are given only when every file names its first and last record's line ({@code
 * line N}, a CSV file) and none is of a partition (a partition's files interleave). Stateless.
 */
final class KeptRanges {
  private KeptRanges() {}

  /** The notice for these files, or null if there are none. */
  static KeptOutput notice(List<CommittedFile> files, String sink, String source) {
    if (files.isEmpty()) {
      return null;
    }
    long rows = 0;
    for (CommittedFile f : files) {
      rows += f.rows();
    }
    String ranges = ranges(files);
    return new KeptOutput(
        String.format(
            Locale.ROOT,
            "Kept %d %s (%,d rows) in %s%s; rerun with --resume (resume(true)) to read the rest",
            files.size(),
            files.size() == 1 ? "file" : "files",
            rows,
            sink,
            ranges == null ? "" : " holding lines " + ranges + " of " + source));
  }

  /** {@code 2-1501, 2002-3001}, or null if the files do not all name their lines. */
  static String ranges(List<CommittedFile> files) {
    List<long[]> lines = new ArrayList<>();
    for (CommittedFile f : files) {
      long first = f.firstLine();
      long last = f.lastLine();
      if (first < 0 || last < first || !f.partition().isEmpty()) {
        return null;
      }
      lines.add(new long[] {first, last});
    }
    lines.sort(Comparator.comparingLong(l -> l[0]));
    StringBuilder s = new StringBuilder();
    long start = lines.get(0)[0];
    long end = lines.get(0)[1];
    for (int i = 1; i < lines.size(); i++) {
      long[] l = lines.get(i);
      if (l[0] == end + 1) {
        end = l[1];
      } else {
        append(s, start, end);
        start = l[0];
        end = l[1];
      }
    }
    append(s, start, end);
    return s.toString();
  }

  private static void append(StringBuilder s, long start, long end) {
    if (s.length() > 0) {
      s.append(", ");
    }
    s.append(start).append('-').append(end);
  }
}
