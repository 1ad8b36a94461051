package dev.parquetingest.csv;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits CSV bytes into records and fields, without decoding them: each field is a byte range of
 * the read buffer (or, for a quoted field holding doubled quotes, of a per-record scratch array
 * with the quotes undoubled).
 *
 * <p>Dialect, as FastCSV reads it: a field is quoted only if the quote is its first byte; inside an
 * unquoted field a quote is text. Two quotes inside a quoted field stand for one. Line ends are LF,
 * CR or CRLF, inside quoted fields too; empty lines are skipped. Line numbers count every line end
 * (CRLF once), quoted ones included, so a record's line is the physical line it starts on. A record
 * with broken quoting is still a record, with {@link #problem()} set: text after a closing quote
 * (the field then goes on as unquoted text up to the next delimiter or line end), or a quote still
 * open at the end of the input (the record holds the rest of it).
 *
 * <p>Delimiters, quotes and line ends are found 8 bytes at a time (SWAR over little-endian {@code
 * long}s read through a {@link VarHandle}); a sentinel LF after the valid bytes ends every scan
 * without a bounds check, and the buffer has room for two whole words from the sentinel, so a scan
 * needs no byte-by-byte tail. A record is parsed from its first byte again when the buffer must be
 * refilled in its middle, so the parse itself keeps no state across refills.
 *
 * <p>An optional end offset makes it read a part of a file: it stops at the first record that would
 * start at or after that offset, and checks that this record start is exactly there (the split
 * computed it with the same rules; see {@link CsvSplitter}). Not thread-safe.
 */
final class CsvTokenizer implements AutoCloseable {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long HIGHS = 0x8080808080808080L;
  private static final long BELOW_CR_PATTERN = ONES * ('\r' + 1);

  static final int DEFAULT_BUFFER = 1 << 18;

  /** Bytes after the valid ones: the sentinel and room for the word that reads it. */
  private static final int PAD = 16;

  /** Flags in a field's length word; lengths stay below 2^29. */
  static final int QUOTED = 1 << 30;

  static final int IN_SCRATCH = 1 << 29;
  static final int LENGTH = IN_SCRATCH - 1;

  /** What {@link #parse} found. */
  private static final int RECORD = 0;

  private static final int NEED_MORE = 1;
  private static final int END = 2;

  private final InputStream in;
  private final byte delimiter;
  private final byte quote;
  private final long delimiterPattern;
  private final long quotePattern;
  private final long endOffset;
  private final int maxFieldBytes;

  private byte[] buf;
  private int pos;
  private int limit;
  private boolean eof;

  /** Absolute offset of buf[0]. */
  private long bufferOffset;

  /** The line the byte at pos is on. */
  private long line;

  // the current record
  private int fields;
  private int[] starts = new int[16];

  /** Per field: its length, with {@link #QUOTED} and {@link #IN_SCRATCH} or'ed in. */
  private int[] lengths = new int[16];

  private byte[] scratch = new byte[256];
  private int scratchLength;
  private int recordStart;
  private int recordEnd;
  private long recordLine;
  private long recordOffset;
  private String problem;

  /** The OR of every word the scans read for the current record (ASCII if no high bit is set). */
  private long scanned;

  /** Where the field that made the last parse need more bytes started, for the size limit. */
  private int pendingFieldStart;

  /** For a part that counts its lines from 0 at its start: the line to add; else null. */
  private PartLines partLines;

  /**
   * @param in the bytes, starting at absolute offset {@code startOffset} of the input
   * @param firstLine the line the first byte is on
   * @param endOffset stop before the first record starting at or after this offset; -1 for none
   * @param maxFieldBytes the longest field accepted (a longer one is a {@link FieldTooLong})
   */
  CsvTokenizer(
      InputStream in,
      byte delimiter,
      byte quote,
      long startOffset,
      long firstLine,
      long endOffset,
      int maxFieldBytes,
      int bufferSize) {
    this.in = in;
    this.delimiter = delimiter;
    this.quote = quote;
    this.delimiterPattern = ONES * (delimiter & 0xFF);
    this.quotePattern = ONES * (quote & 0xFF);
    this.bufferOffset = startOffset;
    this.line = firstLine;
    this.endOffset = endOffset;
    this.maxFieldBytes = Math.min(maxFieldBytes, LENGTH);
    this.buf = new byte[bufferSize + PAD];
    buf[0] = '\n';
  }

  /** A field longer than the limit; thrown by {@link #next()}. */
  static final class FieldTooLong extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final long line;

    FieldTooLong(long line) {
      super(null, null, false, false);
      this.line = line;
    }
  }

  /** A record start that does not fall where the split said; thrown by {@link #next()}. */
  static final class Misaligned extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Misaligned(String message) {
      super(message);
    }
  }

  /**
   * Skips the UTF-8 byte-order mark if the input starts with one; reports UTF-16 and UTF-32 ones.
   * Only at the start of the input.
   *
   * @return null, or the encoding a non-UTF-8 byte-order mark names
   */
  String skipByteOrderMark() throws IOException {
    while (limit - pos < 4 && !eof) {
      fill();
    }
    int n = limit - pos;
    byte[] b = buf;
    int p = pos;
    if (n >= 4
        && b[p] == 0
        && b[p + 1] == 0
        && (b[p + 2] & 0xFF) == 0xFE
        && (b[p + 3] & 0xFF) == 0xFF) {
      return "UTF-32BE";
    }
    if (n >= 4
        && (b[p] & 0xFF) == 0xFF
        && (b[p + 1] & 0xFF) == 0xFE
        && b[p + 2] == 0
        && b[p + 3] == 0) {
      return "UTF-32LE";
    }
    if (n >= 3 && (b[p] & 0xFF) == 0xEF && (b[p + 1] & 0xFF) == 0xBB && (b[p + 2] & 0xFF) == 0xBF) {
      pos += 3;
      return null;
    }
    if (n >= 2 && (b[p] & 0xFF) == 0xFE && (b[p + 1] & 0xFF) == 0xFF) {
      return "UTF-16BE";
    }
    if (n >= 2 && (b[p] & 0xFF) == 0xFF && (b[p + 1] & 0xFF) == 0xFE) {
      return "UTF-16LE";
    }
    return null;
  }

  /**
   * Reads the next record.
   *
   * @return false at the end of the input (or of the part)
   * @throws FieldTooLong for a field longer than the limit
   * @throws Misaligned if a part's end does not fall on a record start
   */
  boolean next() throws IOException {
    while (true) {
      int r = parse();
      if (r == RECORD) {
        return true;
      }
      if (r == END) {
        return false;
      }
      fill();
    }
  }

  /** The absolute offset of the next unread byte: after the last record and its line end. */
  long offset() {
    return bufferOffset + pos;
  }

  /** The line the next record starts on (or would). */
  long line() {
    return line;
  }

  /**
   * The tokenizer's lines ({@link #line}, {@link #recordLine}, {@link FieldTooLong#line}) are
   * counted from 0 at the part's start; {@link #lineNumber} adds the part's first line.
   */
  void partLines(PartLines lines) {
    this.partLines = lines;
  }

  /**
   * The line number in the file of the tokenizer's line {@code line}: the same unless it reads a
   * part ({@link #partLines}), whose first line may have to be counted first. For messages and
   * positions, not per record.
   */
  long lineNumber(long line) {
    return partLines == null ? line : partLines.line(line);
  }

  int fields() {
    return fields;
  }

  /** The array holding field {@code f}'s bytes. */
  byte[] bytes(int f) {
    return (lengths[f] & IN_SCRATCH) != 0 ? scratch : buf;
  }

  /** The field starts of the current record, for a tight loop over its fields. */
  int[] startsArray() {
    return starts;
  }

  /** The length words ({@link #meta}) of the current record's fields. */
  int[] metaArray() {
    return lengths;
  }

  /** The read buffer, which holds the fields not in scratch. */
  byte[] buffer() {
    return buf;
  }

  /** The scratch array, which holds the quoted fields that had doubled quotes. */
  byte[] scratchArray() {
    return scratch;
  }

  /** The array for a field with length word {@code meta} ({@link #meta}). */
  byte[] bytesOf(int meta) {
    return (meta & IN_SCRATCH) != 0 ? scratch : buf;
  }

  /** Field {@code f}'s length with its {@link #QUOTED} and {@link #IN_SCRATCH} flags. */
  int meta(int f) {
    return lengths[f];
  }

  int start(int f) {
    return starts[f];
  }

  int length(int f) {
    return lengths[f] & LENGTH;
  }

  boolean quoted(int f) {
    return (lengths[f] & QUOTED) != 0;
  }

  /** The line the record starts on. */
  long recordLine() {
    return recordLine;
  }

  /** The absolute offset of the record's first byte. */
  long recordOffset() {
    return recordOffset;
  }

  /**
   * Whether the current record is all ASCII, as found by the scans: true only if every byte of the
   * record is ASCII (bytes read past it may make a record of ASCII answer false).
   */
  boolean ascii() {
    return (scanned & HIGHS) == 0;
  }

  /** A quoting problem of the record, or null. */
  String problem() {
    return problem;
  }

  /** The record's bytes as in the input, without its line end. */
  byte[] rawBuffer() {
    return buf;
  }

  int rawStart() {
    return recordStart;
  }

  int rawEnd() {
    return recordEnd;
  }

  /** Moves the unread bytes to the front (or grows the buffer) and reads more. */
  private void fill() throws IOException {
    if (eof) {
      return;
    }
    int keep = limit - pos;
    if (pos == 0 && limit == buf.length - PAD) {
      if (limit - pendingFieldStart > maxFieldBytes) {
        throw new FieldTooLong(line);
      }
      buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, 2L * buf.length - PAD));
    } else if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, keep);
      bufferOffset += pos;
      pos = 0;
      limit = keep;
    }
    int n;
    do {
      n = in.read(buf, limit, buf.length - PAD - limit);
    } while (n == 0);
    if (n < 0) {
      eof = true;
    } else {
      limit += n;
    }
    buf[limit] = '\n';
  }

  /** One record from pos; commits pos and line only when the record is complete. */
  private int parse() {
    final byte[] b = buf;
    final int lim = limit;
    final byte d = delimiter;
    final byte q = quote;
    int p = pos;
    long ln = line;
    // empty lines; every position visited here is a record start
    while (true) {
      if (endOffset >= 0 && bufferOffset + p >= endOffset) {
        pos = p;
        line = ln;
        checkAligned();
        return END;
      }
      if (p == lim) {
        pos = p;
        line = ln;
        return eof ? END : NEED_MORE;
      }
      byte c = b[p];
      if (c == '\n') {
        ln++;
        p++;
      } else if (c == '\r') {
        if (p + 1 == lim && !eof) {
          pos = p;
          line = ln;
          pendingFieldStart = p;
          return NEED_MORE;
        }
        ln++;
        p++;
        if (b[p] == '\n' && p < lim) {
          p++;
        }
      } else {
        break;
      }
    }
    pos = p;
    line = ln;
    recordStart = p;
    recordLine = ln;
    recordOffset = bufferOffset + p;
    problem = null;
    scanned = 0;
    scratchLength = 0;
    int f = 0;
    int[] starts = this.starts;
    int[] lengths = this.lengths;
    while (true) {
      if (f == starts.length) {
        grow();
        starts = this.starts;
        lengths = this.lengths;
      }
      final int fieldStart = p;
      int flags = 0;
      int start;
      int end;
      if (b[p] == q && p < lim) {
        p = quotedField(b, p, lim, f);
        if (p < 0) {
          return needMore(fieldStart);
        }
        ln += quotedLines;
        start = quotedStart;
        end = quotedEnd;
        flags = quotedFlags;
      } else {
        start = p;
        p = scanUnquoted(b, p, lim);
        if (p == lim && !eof) {
          return needMore(fieldStart);
        }
        end = p;
      }
      if (end - start > maxFieldBytes) {
        throw new FieldTooLong(recordLine);
      }
      starts[f] = start;
      lengths[f] = (end - start) | flags;
      f++;
      if (p == lim) {
        recordEnd = p;
        break;
      }
      byte c = b[p];
      if (c == d) {
        p++;
        continue;
      }
      recordEnd = p;
      ln++;
      p++;
      if (c == '\r') {
        if (p == lim && !eof) {
          return needMore(fieldStart);
        }
        if (b[p] == '\n' && p < lim) {
          p++;
        }
      }
      break;
    }
    fields = f;
    pos = p;
    line = ln;
    return RECORD;
  }

  private void appendScratch(byte[] b, int from, int n) {
    if (scratchLength + n > scratch.length) {
      scratch = Arrays.copyOf(scratch, Math.max(scratchLength + n, 2 * scratch.length));
    }
    System.arraycopy(b, from, scratch, scratchLength, n);
    scratchLength += n;
  }

  /** Outputs of {@link #quotedField}: the field's range, flags and line ends inside it. */
  private int quotedStart;

  private int quotedEnd;
  private int quotedFlags;
  private int quotedLines;

  /**
   * The quoted field starting at p (its opening quote): sets {@link #quotedStart} and the other
   * outputs, and returns the position after it (its delimiter or line end), or -1 if the buffer
   * ends first. Kept out of {@link #parse} so that its loop over unquoted fields stays small.
   */
  private int quotedField(byte[] b, int p, int lim, int f) {
    final byte d = delimiter;
    final byte q = quote;
    boolean esc = false;
    int start;
    int end;
    quotedLines = 0;
    // quoted field: find the closing quote, counting line ends on the way
    p++;
    start = p;
    int segment = 0;
    int copyFrom = p;
    while (true) {
      int i = scanQuoted(b, p, lim);
      if (i == lim) {
        if (!eof) {
          return -1;
        }
        if (problem == null) {
          problem =
              "Cannot read record: the quoted field "
                  + (f + 1)
                  + " is never closed (it runs to the end of the input)";
        }
        end = lim;
        p = lim;
        break;
      }
      byte c = b[i];
      if (c == '\n') {
        quotedLines++;
        p = i + 1;
        continue;
      }
      if (c == '\r') {
        quotedLines++;
        p = i + 1;
        if (p == lim && !eof) {
          return -1;
        }
        if (b[p] == '\n' && p < lim) {
          p++;
        }
        continue;
      }
      // a quote: doubled, or the closing one
      if (i + 1 == lim && !eof) {
        return -1;
      }
      if (i + 1 < lim && b[i + 1] == q) {
        if (!esc) {
          esc = true;
          segment = scratchLength;
        }
        appendScratch(b, copyFrom, i + 1 - copyFrom);
        copyFrom = i + 2;
        p = i + 2;
        continue;
      }
      end = i;
      p = i + 1;
      break;
    }
    if (esc) {
      appendScratch(b, copyFrom, end - copyFrom);
      start = segment;
      end = scratchLength;
    }
    int flags = esc ? QUOTED | IN_SCRATCH : QUOTED;
    if (p < lim) {
      byte c = b[p];
      if (c != d && c != '\n' && c != '\r') {
        if (problem == null) {
          problem =
              "Cannot read record: text after the closing quote of field "
                  + (f + 1)
                  + " (a quote inside a field must be doubled)";
        }
        p = scanUnquoted(b, p, lim);
        if (p == lim && !eof) {
          return -1;
        }
      }
    } else if (!eof) {
      return -1;
    }
    quotedStart = start;
    quotedEnd = end;
    quotedFlags = flags;
    return p;
  }

  private int needMore(int fieldStart) {
    pendingFieldStart = fieldStart;
    return NEED_MORE;
  }

  private void checkAligned() {
    if (bufferOffset + pos != endOffset) {
      throw new Misaligned(
          "Cannot read the part ending at offset "
              + endOffset
              + ": a record starts at offset "
              + (bufferOffset + pos)
              + " instead (the split and the reader disagree)");
    }
  }

  private void grow() {
    int n = starts.length * 2;
    starts = Arrays.copyOf(starts, n);
    lengths = Arrays.copyOf(lengths, n);
  }

  /**
   * The first delimiter, CR or LF at or after p; lim if none (the sentinel). Whole words only: the
   * word that holds the sentinel ends the loop, and the buffer has {@link #PAD} bytes for it. A
   * word is tested for the delimiter and for bytes below {@code 0x0E} (LF and CR among them): two
   * tests instead of three; the rare other control byte found that way is text, and the scan goes
   * on after it.
   */
  private int scanUnquoted(byte[] b, int p, int lim) {
    final long dp = delimiterPattern;
    final byte d = delimiter;
    long seen = 0;
    while (true) {
      long w = (long) LONGS.get(b, p);
      seen |= w;
      long m = zeroBytes(w ^ dp) | belowLineEnds(w);
      if (m != 0) {
        int i = p + lowestFlaggedByte(m);
        byte c = b[i];
        if (c == d || c == '\n' || c == '\r') {
          scanned |= seen;
          return i;
        }
        p = i + 1;
      } else {
        p += 8;
      }
    }
  }

  /**
   * The first quote, CR or LF at or after p; lim if none (the sentinel). Whole words only, tested
   * as in {@link #scanUnquoted}.
   */
  private int scanQuoted(byte[] b, int p, int lim) {
    final long qp = quotePattern;
    final byte q = quote;
    long seen = 0;
    while (true) {
      long w = (long) LONGS.get(b, p);
      seen |= w;
      long m = zeroBytes(w ^ qp) | belowLineEnds(w);
      if (m != 0) {
        int i = p + lowestFlaggedByte(m);
        byte c = b[i];
        if (c == q || c == '\n' || c == '\r') {
          scanned |= seen;
          return i;
        }
        p = i + 1;
      } else {
        p += 8;
      }
    }
  }

  /**
   * The index of the lowest byte flagged in {@code m} (not 0; flags in the high bits of bytes only,
   * as {@link #zeroBytes} and {@link #belowLineEnds} give them): {@code
   * Long.numberOfTrailingZeros(m) >>> 3}, computed with a multiply (the lowest flag isolated and
   * moved to its byte's low bit, then the byte index read from the top byte of the product). C1,
   * the launcher's compiler for inputs under 1 GB, calls numberOfTrailingZeros as a method on JDK
   * 17 and 25: 2.2 ns a call against 0.8 ns for this (one thread, C2 0.26 ns both).
   */
  static int lowestFlaggedByte(long m) {
    return (int) ((((m & -m) >>> 7) * 0x0001020304050607L) >>> 56);
  }

  /**
   * The high bit of each byte of {@code x} below {@code 0x0E} (CR + 1) set, as {@link #zeroBytes}:
   * only the lowest set bit is meaningful.
   */
  static long belowLineEnds(long x) {
    return (x - BELOW_CR_PATTERN) & ~x & HIGHS;
  }

  /**
   * The high bit of each zero byte of {@code x} set; above the lowest zero byte there may be false
   * positives (borrows), so only the lowest set bit is meaningful.
   */
  static long zeroBytes(long x) {
    return (x - ONES) & ~x & HIGHS;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
