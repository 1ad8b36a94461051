package dev.parquetingest.csv;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Cuts a CSV file into byte ranges that begin exactly at record starts, as a single reader would
 * find them, whatever the quoting.
 *
 * <p>The tokenizer ({@link CsvTokenizer}) is a small state machine over byte classes (delimiter,
 * quote, LF, CR, anything else) with six states: record start, after a CR that ended a record,
 * field start, unquoted field, quoted field, quote seen in a quoted field. Each nominal range but
 * the first and the last is pre-scanned in parallel from all six start states at once, which gives
 * its transition function (start state → state at its end) and, for each start state, its first
 * record start; the first range is scanned from the record start it begins with only. Composing the
 * functions in file order from the true state at the first data record gives the true state at
 * every range border, hence each range's exact first record start; the last range is then scanned
 * from its true start state up to its first record start only. Line numbers do not depend on the
 * state (every CR counts, and every LF not right after a CR, quoted or not), so each range also
 * counts its line ends, and each part knows the line of its first record. Stateless.
 */
final class CsvSplitter {
  private static final int BUFFER = 1 << 20;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  static final int RECORD_START = 0;
  static final int AFTER_CR = 1;
  static final int FIELD_START = 2;
  static final int UNQUOTED = 3;
  static final int QUOTED = 4;
  static final int QUOTE_SEEN = 5;
  private static final int STATES = 6;

  private static final int OTHER = 0;
  private static final int DELIMITER = 1;
  private static final int QUOTE = 2;
  private static final int LF = 3;
  private static final int CR = 4;
  private static final int CLASSES = 5;

  /** NEXT[state * CLASSES + class]: the state after a byte of that class. */
  private static final int[] NEXT = new int[STATES * CLASSES];

  static {
    for (int s = 0; s < STATES; s++) {
      boolean quoted = s == QUOTED;
      set(s, LF, quoted ? QUOTED : RECORD_START);
      set(s, CR, quoted ? QUOTED : AFTER_CR);
      set(s, DELIMITER, quoted ? QUOTED : FIELD_START);
    }
    set(RECORD_START, QUOTE, QUOTED);
    set(AFTER_CR, QUOTE, QUOTED);
    set(FIELD_START, QUOTE, QUOTED);
    set(UNQUOTED, QUOTE, UNQUOTED);
    set(QUOTED, QUOTE, QUOTE_SEEN);
    set(QUOTE_SEEN, QUOTE, QUOTED);
    // text after a closing quote is a bad record whose field goes on as unquoted text
    for (int s = 0; s < STATES; s++) {
      set(s, OTHER, s == QUOTED ? QUOTED : UNQUOTED);
    }
  }

  private static void set(int state, int byteClass, int next) {
    NEXT[state * CLASSES + byteClass] = next;
  }

  private CsvSplitter() {}

  /**
   * A part: records starting in [start, end) (end -1: to the end), the first on {@code line}, or
   * {@link #UNKNOWN_LINE} (not counted).
   */
  record Part(long start, long end, long line) {}

  /** {@link Part#line} of a part whose line ends before it were not counted. */
  static final long UNKNOWN_LINE = -1;

  /** One range's transition function. */
  static final class Scan {
    final int[] endState = new int[STATES];
    final long[] firstStart = new long[STATES];
    final long[] linesBeforeFirst = new long[STATES];
    long lines;
  }

  /**
   * The parts of [dataStart, size): the first starts at dataStart (a record start, on line
   * dataLine), each further one at the first record start at or after its nominal border.
   */
  static List<Part> split(
      FileChannel ch,
      byte delimiter,
      byte quote,
      long dataStart,
      long dataLine,
      int parts,
      long minPartBytes)
      throws IOException {
    long size = ch.size();
    long dataBytes = size - dataStart;
    int n = (int) Math.max(1, Math.min(parts, dataBytes / Math.max(1, minPartBytes)));
    if (n == 1) {
      return List.of(new Part(dataStart, -1, dataLine));
    }
    long[] nominal = new long[n + 1];
    for (int k = 0; k <= n; k++) {
      nominal[k] = dataStart + dataBytes * k / n;
    }
    return splitAt(ch, delimiter, quote, dataLine, nominal);
  }

  /**
   * The parts for nominal borders {@code nominal} (the first the data start, the last the file
   * size): each part starts at a record start at or after its border, as a single reader finds it.
   *
   * <p>Usually found without reading the file before the border: from a border, the state machine
   * is run from every state it can be in after the byte before the border, as one set of possible
   * states; the set shrinks as bytes rule states out (a quote closes what one guess took for an
   * open quoted field, a line end ends every unquoted one), and once one state is left it is the
   * true state whatever came before, so the first record start from there on is a true one. The
   * line of each part but the first is left {@link #UNKNOWN_LINE}: counting the line ends before it
   * is left to {@link PartLines}, when a line is asked for. Where the set has not shrunk to one
   * state within {@link #CONVERGE_LIMIT} bytes (a file without any quote leaves "inside a quoted
   * field" possible to its end), the exact pre-scan {@link #exactSplitAt} decides instead.
   */
  static List<Part> splitAt(
      FileChannel ch, byte delimiter, byte quote, long dataLine, long[] nominal)
      throws IOException {
    int n = nominal.length - 1;
    long end = nominal[n];
    List<Long> starts = new ArrayList<>();
    starts.add(nominal[0]);
    ByteBuffer buffer = ByteBuffer.allocate(CONVERGE_LIMIT);
    for (int k = 1; k < n; k++) {
      long from = Math.max(nominal[k], starts.get(starts.size() - 1) + 1);
      if (from >= end) {
        break;
      }
      long start = convergedStart(ch, buffer, from, end, delimiter, quote);
      if (start == UNDECIDED) {
        return exactSplitAt(ch, delimiter, quote, dataLine, nominal);
      }
      if (start < 0) {
        break; // no record starts after this border
      }
      starts.add(start);
    }
    List<Part> result = new ArrayList<>();
    for (int k = 0; k < starts.size(); k++) {
      long partEnd = k + 1 < starts.size() ? starts.get(k + 1) : -1;
      result.add(new Part(starts.get(k), partEnd, k == 0 ? dataLine : UNKNOWN_LINE));
    }
    return result;
  }

  /** How far past a border {@link #splitAt} follows the possible states before scanning exactly. */
  static final int CONVERGE_LIMIT = 1 << 20;

  /** {@link #convergedStart}: no single state within {@link #CONVERGE_LIMIT} bytes. */
  private static final long UNDECIDED = -2;

  /** MASK_NEXT[mask * CLASSES + class]: the set of states after a byte, from a set before it. */
  private static final int[] MASK_NEXT = new int[(1 << STATES) * CLASSES];

  static {
    for (int mask = 0; mask < 1 << STATES; mask++) {
      for (int c = 0; c < CLASSES; c++) {
        int next = 0;
        for (int st = 0; st < STATES; st++) {
          if ((mask & (1 << st)) != 0) {
            next |= 1 << NEXT[st * CLASSES + c];
          }
        }
        MASK_NEXT[mask * CLASSES + c] = next;
      }
    }
  }

  /**
   * The first record start at or after {@code from} that every state possible at {@code from}
   * agrees on; -1 if there is none before {@code end}, {@link #UNDECIDED} if the possible states do
   * not come down to one within {@link #CONVERGE_LIMIT} bytes.
   */
  private static long convergedStart(
      FileChannel ch, ByteBuffer buffer, long from, long end, byte delimiter, byte quote)
      throws IOException {
    int mask =
        MASK_NEXT[
            ((1 << STATES) - 1) * CLASSES + byteClass(byteBefore(ch, from), delimiter, quote)];
    int len = fill(ch, buffer, from, (int) Math.min(buffer.capacity(), end - from));
    byte[] b = buffer.array();
    for (int p = 0; p < len; p++) {
      byte x = b[p];
      if (Integer.bitCount(mask) == 1) {
        int state = Integer.numberOfTrailingZeros(mask);
        if (state == RECORD_START || (state == AFTER_CR && x != '\n')) {
          return from + p;
        }
      }
      mask = MASK_NEXT[mask * CLASSES + byteClass(x, delimiter, quote)];
    }
    if (from + len >= end && Integer.bitCount(mask) == 1) {
      return -1; // one state to the end and no record start: the border's part is empty
    }
    return UNDECIDED;
  }

  private static int byteClass(byte x, byte delimiter, byte quote) {
    if (x == delimiter) {
      return DELIMITER;
    } else if (x == quote) {
      return QUOTE;
    } else if (x == '\n') {
      return LF;
    } else if (x == '\r') {
      return CR;
    }
    return OTHER;
  }

  /** The line ends in [from, to): CRs, and LFs not right after a CR (the one before from too). */
  static long countLineEnds(FileChannel ch, long from, long to) throws IOException {
    if (from >= to) {
      return 0;
    }
    boolean prevCr = false;
    if (from > 0) {
      prevCr = byteBefore(ch, from) == '\r';
    }
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    byte[] b = buffer.array();
    long count = 0;
    long position = from;
    long carry = prevCr ? 1 : 0; // 1 if the byte before the current word is a CR
    while (position < to) {
      int len = fill(ch, buffer, position, (int) Math.min(BUFFER, to - position));
      if (len == 0) {
        break;
      }
      int p = 0;
      for (; p + 8 <= len; p += 8) {
        long w = (long) LONGS.get(b, p);
        long cr = exactZeroBytes(w ^ 0x0D0D0D0D0D0D0D0DL);
        long lf = exactZeroBytes(w ^ 0x0A0A0A0A0A0A0A0AL);
        long crlf = lf & ((cr << 8) | (carry << 7));
        count += Long.bitCount(cr) + Long.bitCount(lf) - Long.bitCount(crlf);
        carry = cr >>> 63;
      }
      for (; p < len; p++) {
        byte x = b[p];
        if (x == '\r') {
          count++;
        } else if (x == '\n' && carry == 0) {
          count++;
        }
        carry = x == '\r' ? 1 : 0;
      }
      position += len;
    }
    return count;
  }

  /** 0x80 in exactly the bytes of {@code x} that are zero. */
  private static long exactZeroBytes(long x) {
    long low = 0x7F7F7F7F7F7F7F7FL;
    return ~(((x & low) + low) | x | low);
  }

  /**
   * The parts for nominal borders {@code nominal} (the first the data start, the last the file
   * size): each part starts at the first record start at or after its border.
   *
   * <p>Only the ranges before the last one need their transition function: the first from the data
   * start's state alone (a record start), the middle ones from every state, scanned in parallel.
   * The last range is scanned afterwards from its true start state, and only up to its first record
   * start: with two parts that is half of the file scanned from one state instead of all of it from
   * six.
   */
  static List<Part> exactSplitAt(
      FileChannel ch, byte delimiter, byte quote, long dataLine, long[] nominal)
      throws IOException {
    int n = nominal.length - 1;
    Scan[] scans = scanAll(ch, nominal, delimiter, quote);
    List<Part> result = new ArrayList<>();
    int state = RECORD_START;
    long line = dataLine;
    long start = -1;
    long startLine = 0;
    for (int k = 0; k < n; k++) {
      Scan s =
          k < n - 1
              ? scans[k]
              : scan(ch, nominal[k], nominal[k + 1], delimiter, quote, 1 << state, true);
      long first = s.firstStart[state];
      if (first >= 0) {
        if (start >= 0) {
          result.add(new Part(start, first, startLine));
        }
        start = first;
        startLine = line + s.linesBeforeFirst[state];
      }
      line += s.lines;
      state = s.endState[state];
    }
    result.add(new Part(start, -1, startLine));
    return result;
  }

  /** The scans of all ranges but the last: the first from a record start, the others from all. */
  private static Scan[] scanAll(FileChannel ch, long[] nominal, byte delimiter, byte quote)
      throws IOException {
    int n = nominal.length - 2;
    if (n <= 0) {
      return new Scan[0];
    }
    if (n == 1) {
      return new Scan[] {
        scan(ch, nominal[0], nominal[1], delimiter, quote, 1 << RECORD_START, false)
      };
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            n,
            r -> {
              Thread t = new Thread(r, "csv-split");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<Scan>> futures = new ArrayList<>();
      for (int k = 0; k < n; k++) {
        long from = nominal[k];
        long to = nominal[k + 1];
        int states = k == 0 ? 1 << RECORD_START : (1 << STATES) - 1;
        futures.add(pool.submit(() -> scan(ch, from, to, delimiter, quote, states, false)));
      }
      Scan[] scans = new Scan[n];
      for (int k = 0; k < n; k++) {
        scans[k] = futures.get(k).get();
      }
      return scans;
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

  /**
   * Runs the state machine over [from, to) from the start states in the bit set {@code states} (the
   * others' results are -1); with {@code untilFirst}, stops at the first record start of each of
   * them, leaving the end states and line count of a partial scan.
   */
  static Scan scan(
      FileChannel ch,
      long from,
      long to,
      byte delimiter,
      byte quote,
      int states,
      boolean untilFirst)
      throws IOException {
    Scan result = new Scan();
    int[] active = new int[Integer.bitCount(states)];
    int[] cur = new int[active.length];
    for (int s = 0, i = 0; s < STATES; s++) {
      result.firstStart[s] = -1;
      result.endState[s] = -1;
      if ((states & (1 << s)) != 0) {
        active[i] = s;
        cur[i++] = s;
      }
    }
    int pending = (1 << active.length) - 1;
    boolean prevCr = false;
    if (from > 0) {
      prevCr = byteBefore(ch, from) == '\r';
    }
    long lines = 0;
    ByteBuffer buffer = ByteBuffer.allocate(BUFFER + 8);
    byte[] b = buffer.array();
    long d = 0x0101010101010101L * (delimiter & 0xFF);
    long q = 0x0101010101010101L * (quote & 0xFF);
    long position = from;
    while (position < to) {
      int len = fill(ch, buffer, position, (int) Math.min(BUFFER, to - position));
      if (len == 0) {
        break;
      }
      int p = 0;
      while (p < len) {
        byte x = b[p];
        if (pending != 0) {
          for (int i = 0; i < active.length; i++) {
            if ((pending & (1 << i)) != 0
                && (cur[i] == RECORD_START || (cur[i] == AFTER_CR && x != '\n'))) {
              pending &= ~(1 << i);
              result.firstStart[active[i]] = position + p;
              result.linesBeforeFirst[active[i]] = lines;
            }
          }
          if (pending == 0 && untilFirst) {
            return result;
          }
        }
        int c;
        if (x == delimiter) {
          c = DELIMITER;
        } else if (x == quote) {
          c = QUOTE;
        } else if (x == '\n') {
          c = LF;
          if (!prevCr) {
            lines++;
          }
        } else if (x == '\r') {
          c = CR;
          lines++;
        } else {
          c = OTHER;
        }
        for (int i = 0; i < cur.length; i++) {
          cur[i] = NEXT[cur[i] * CLASSES + c];
        }
        prevCr = c == CR;
        p++;
        if (c == OTHER) {
          // other bytes change no state further: skip to the next special byte
          p = nextSpecial(b, p, len, d, q, delimiter, quote);
        }
      }
      position += len;
    }
    for (int i = 0; i < active.length; i++) {
      result.endState[active[i]] = cur[i];
    }
    result.lines = lines;
    return result;
  }

  private static int nextSpecial(
      byte[] b, int p, int len, long d, long q, byte delimiter, byte quote) {
    while (p + 8 <= len) {
      long w = (long) LONGS.get(b, p);
      long m =
          CsvTokenizer.zeroBytes(w ^ d)
              | CsvTokenizer.zeroBytes(w ^ q)
              | CsvTokenizer.zeroBytes(w ^ 0x0A0A0A0A0A0A0A0AL)
              | CsvTokenizer.zeroBytes(w ^ 0x0D0D0D0D0D0D0D0DL);
      if (m != 0) {
        return p + (Long.numberOfTrailingZeros(m) >>> 3);
      }
      p += 8;
    }
    while (p < len) {
      byte x = b[p];
      if (x == delimiter || x == quote || x == '\n' || x == '\r') {
        return p;
      }
      p++;
    }
    return len;
  }

  /** The byte at {@code position - 1}, read with one positional read. */
  private static byte byteBefore(FileChannel ch, long position) throws IOException {
    ByteBuffer one = ByteBuffer.allocate(1);
    ch.read(one, position - 1);
    return one.get(0);
  }

  /**
   * Reads the file from {@code position} into {@code buffer}, from its start, until {@code limit}
   * bytes or the end of the file; returns how many bytes it read.
   */
  private static int fill(FileChannel ch, ByteBuffer buffer, long position, int limit)
      throws IOException {
    buffer.clear();
    buffer.limit(limit);
    int len = 0;
    while (buffer.hasRemaining()) {
      int r = ch.read(buffer, position + len);
      if (r < 0) {
        break;
      }
      len += r;
    }
    return len;
  }
}
