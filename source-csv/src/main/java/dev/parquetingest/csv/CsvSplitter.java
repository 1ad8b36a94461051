package dev.parquetingest.csv;

import dev.parquetingest.spi.Source;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Cuts a CSV file into byte ranges that begin at record boundaries; see {@link
 * CsvSource#split(int)}. Stateless.
 */
final class CsvSplitter {
  private static final int BUFFER = 1 << 20;

  private CsvSplitter() {}

  /** Quote characters and line feeds in a byte range. */
  private static final class Counts {
    long quotes;
    long lineFeeds;
  }

  static List<Source> split(
      CsvSource whole, Path file, char quote, boolean header, int parts, long minPartBytes)
      throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      byte q = quote < 0x80 ? (byte) quote : 0;
      // the first data record starts after the header record, if any
      long dataStart = 0;
      long linesBefore = 0;
      if (header) {
        long[] boundary = nextBoundary(ch, 0, 0, q);
        dataStart = boundary[0];
        linesBefore = boundary[1];
      }
      long dataBytes = size - dataStart;
      int n = q == 0 ? 1 : (int) Math.max(1, Math.min(parts, dataBytes / minPartBytes));
      long[] nominal = new long[n + 1];
      for (int k = 0; k <= n; k++) {
        nominal[k] = dataStart + dataBytes * k / n;
      }
      Counts[] counts = count(ch, nominal, q);
      List<Source> result = new ArrayList<>(n);
      long start = dataStart;
      long startLine = linesBefore + 1;
      long quotesBefore = 0;
      long lineFeedsBefore = linesBefore;
      for (int k = 1; k <= n; k++) {
        quotesBefore += counts[k - 1].quotes;
        lineFeedsBefore += counts[k - 1].lineFeeds;
        long end;
        long endLine;
        if (k == n) {
          end = size;
          endLine = 0;
        } else {
          long[] boundary = nextBoundary(ch, nominal[k], quotesBefore & 1, q);
          end = Math.max(boundary[0], start);
          endLine = lineFeedsBefore + boundary[1] + 1;
        }
        if (end > start || k == n) {
          result.add(whole.part(start, end, startLine));
        }
        if (k < n && end > start) {
          start = end;
          startLine = endLine;
        }
      }
      return result;
    }
  }

  /** Counts quotes and line feeds in each range [nominal[k], nominal[k+1]), in parallel. */
  private static Counts[] count(FileChannel ch, long[] nominal, byte quote) throws IOException {
    int n = nominal.length - 1;
    Counts[] counts = new Counts[n];
    if (n == 1) {
      counts[0] = new Counts();
      return counts;
    }
    ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
      Thread t = new Thread(r, "csv-split");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<Counts>> futures = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        long from = nominal[k];
        long to = nominal[k + 1];
        futures.add(pool.submit(() -> countRange(ch, from, to, quote)));
      }
      for (int k = 0; k < n; k++) {
        counts[k] = futures.get(k).get();
      }
      return counts;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while splitting", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException
          ? (IOException) e.getCause()
          : new IOException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private static Counts countRange(FileChannel ch, long from, long to, byte quote)
      throws IOException {
    Counts c = new Counts();
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    byte[] b = buffer.array();
    long position = from;
    long quotes = 0;
    long lineFeeds = 0;
    while (position < to) {
      buffer.clear();
      buffer.limit((int) Math.min(BUFFER, to - position));
      int n = ch.read(buffer, position);
      if (n <= 0) {
        break;
      }
      for (int i = 0; i < n; i++) {
        byte x = b[i];
        if (x == quote) {
          quotes++;
        } else if (x == '\n') {
          lineFeeds++;
        }
      }
      position += n;
    }
    c.quotes = quotes;
    c.lineFeeds = lineFeeds;
    return c;
  }

  /**
   * From {@code from}, with the given quote parity there, finds the first line feed outside
   * quotes. Returns {offset just after it (or the file size), line feeds in [from, that offset),
   * the boundary one included}.
   */
  private static long[] nextBoundary(FileChannel ch, long from, long parity, byte quote)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    byte[] b = buffer.array();
    long position = from;
    boolean inQuotes = parity == 1;
    long lineFeeds = 0;
    while (true) {
      buffer.clear();
      int n = ch.read(buffer, position);
      if (n <= 0) {
        return new long[] {position, lineFeeds};
      }
      for (int i = 0; i < n; i++) {
        byte x = b[i];
        if (x == quote && quote != 0) {
          inQuotes = !inQuotes;
        } else if (x == '\n') {
          if (!inQuotes) {
            return new long[] {position + i + 1, lineFeeds + 1};
          }
          lineFeeds++;
        }
      }
      position += n;
    }
  }
}
