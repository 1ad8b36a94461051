package dev.parquetingest.runtime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For a resumed run: the lines of the interrupted run's committed rejects file whose record lies
 * inside a kept file's lines, which the resumed run does not read again and so must carry over;
 * rejects outside every kept file lie in a range the resumed run reads, and rejects again. A line
 * without a {@code "line"} (a source without line numbers) is not carried over. Stateless.
 */
final class KeptRejects {
  private static final Pattern LINE = Pattern.compile("\"line\":(\\d+)[,}]");

  private KeptRejects() {}

  /**
   * @param rejects the earlier rejects file's content
   * @param kept the kept files, whose {@code line N} positions bound what they hold
   */
  static List<String> inKeptFiles(byte[] rejects, List<CommittedFile> kept) {
    List<long[]> ranges = new ArrayList<>();
    for (CommittedFile f : kept) {
      long first = f.firstLine();
      long last = f.lastLine();
      if (first > 0 && last >= first) {
        ranges.add(new long[] {first, last});
      }
    }
    List<String> lines = new ArrayList<>();
    for (String json : new String(rejects, StandardCharsets.UTF_8).split("\n")) {
      Matcher m = LINE.matcher(json);
      if (!m.find()) {
        continue;
      }
      long line = Long.parseLong(m.group(1));
      for (long[] r : ranges) {
        if (line > r[0] && line < r[1]) {
          lines.add(json);
          break;
        }
      }
    }
    return lines;
  }
}
