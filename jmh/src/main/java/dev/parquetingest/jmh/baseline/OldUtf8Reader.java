package dev.parquetingest.jmh.baseline;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.ArrayDeque;

/*
 * A copy of source-csv's FastCSV-based reader as it was before issue 12, kept only as the
 * baseline of CsvReadBenchmark. Not used anywhere else.
 */
/**
 * Decodes UTF-8 and remembers where input was malformed. Each malformed sequence becomes U+FFFD and
 * is recorded with its physical line (counted by LF), column (in bytes, 1-based) and byte offset,
 * so that the CSV reader can reject exactly the record that holds it instead of storing a silently
 * altered value. Skips a UTF-8 byte-order mark; refuses UTF-16 ones.
 *
 * <p>The hot path is a tight ASCII copy loop; line ends are counted once per buffer refill, over
 * the bytes about to be discarded, and positions are worked out only when a malformed byte occurs.
 * Not thread-safe.
 */
final class OldUtf8Reader extends Reader {
  private static final int BUFFER = 1 << 16;

  /** One malformed byte sequence. */
  static final class Malformed {
    final long line;
    final long column;
    final long byteOffset;
    final int firstByte;

    Malformed(long line, long column, long byteOffset, int firstByte) {
      this.line = line;
      this.column = column;
      this.byteOffset = byteOffset;
      this.firstByte = firstByte;
    }

    String describe() {
      return String.format(
          "invalid UTF-8 byte 0x%02X at line %d, column %d (byte offset %d)",
          firstByte, line, column, byteOffset);
    }
  }

  private final InputStream in;
  private final byte[] buf = new byte[BUFFER];
  private final ArrayDeque<Malformed> malformed = new ArrayDeque<>();
  private int pos;
  private int limit;

  /** Absolute offset of buf[0]. */
  private long bufferStart;

  /** Line ends (LF) in the input before buf[0]. */
  private long linesBefore;

  /** Absolute offset just after the last LF before buf[0], or 0. */
  private long lineStartBefore;

  private boolean started;
  private int pendingLowSurrogate = -1;
  private boolean eof;

  /**
   * @param startOffset the absolute offset of the stream's first byte in the file
   * @param linesBefore the line feeds in the file before that byte
   */
  OldUtf8Reader(InputStream in, long startOffset, long linesBefore) {
    this.in = in;
    this.bufferStart = startOffset;
    this.linesBefore = linesBefore;
    this.lineStartBefore = startOffset;
    this.started = startOffset > 0;
  }

  /** Malformed sequences decoded so far and not yet taken. */
  ArrayDeque<Malformed> malformed() {
    return malformed;
  }

  /** Moves the unread bytes to the front and reads more; false at the end of input. */
  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    for (int i = 0; i < pos; i++) {
      if (buf[i] == '\n') {
        linesBefore++;
        lineStartBefore = bufferStart + i + 1;
      }
    }
    int remaining = limit - pos;
    System.arraycopy(buf, pos, buf, 0, remaining);
    bufferStart += pos;
    pos = 0;
    limit = remaining;
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
      return remaining > 0;
    }
    limit += n;
    return true;
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!started) {
      started = true;
      skipBom();
    }
    int n = 0;
    if (pendingLowSurrogate >= 0) {
      cbuf[off + n++] = (char) pendingLowSurrogate;
      pendingLowSurrogate = -1;
    }
    final byte[] b = buf;
    while (n < len) {
      if (pos >= limit && !fill()) {
        break;
      }
      // ASCII fast path
      int p = pos;
      int max = p + Math.min(limit - p, len - n);
      int o = off + n;
      while (p < max) {
        byte c = b[p];
        if (c < 0) {
          break;
        }
        cbuf[o++] = (char) c;
        p++;
      }
      n += p - pos;
      pos = p;
      if (n == len || pos >= limit || b[pos] >= 0) {
        continue;
      }
      int lead = b[pos];
      int need =
          lead >= -64 && lead < -32
              ? 2
              : lead >= -32 && lead < -16 ? 3 : lead >= -16 && lead < -8 ? 4 : 0;
      int cp = -1;
      if (need > 0 && (limit - pos >= need || fillFor(need))) {
        cp = decode(need);
      }
      if (cp < 0) {
        bad(lead);
        cbuf[off + n++] = '\uFFFD';
        pos++;
        continue;
      }
      pos += need;
      if (cp >= 0x10000) {
        cbuf[off + n++] = Character.highSurrogate(cp);
        char low = Character.lowSurrogate(cp);
        if (n < len) {
          cbuf[off + n++] = low;
        } else {
          pendingLowSurrogate = low;
        }
      } else {
        cbuf[off + n++] = (char) cp;
      }
    }
    return n == 0 ? -1 : n;
  }

  private boolean fillFor(int need) throws IOException {
    while (limit - pos < need) {
      int before = limit - pos;
      if (!fill() || limit - pos == before) {
        return limit - pos >= need;
      }
    }
    return true;
  }

  /** The code point of the sequence at pos of {@code need} bytes, or -1 if malformed. */
  private int decode(int need) {
    int b0 = buf[pos] & 0xFF;
    int cp = need == 2 ? b0 & 0x1F : need == 3 ? b0 & 0x0F : b0 & 0x07;
    for (int k = 1; k < need; k++) {
      int bk = buf[pos + k] & 0xFF;
      if ((bk & 0xC0) != 0x80) {
        return -1;
      }
      cp = (cp << 6) | (bk & 0x3F);
    }
    int min = need == 2 ? 0x80 : need == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return -1;
    }
    return cp;
  }

  private void bad(int b) {
    long line = linesBefore + 1;
    long lineStart = lineStartBefore;
    for (int i = 0; i < pos; i++) {
      if (buf[i] == '\n') {
        line++;
        lineStart = bufferStart + i + 1;
      }
    }
    long offset = bufferStart + pos;
    malformed.add(new Malformed(line, offset - lineStart + 1, offset, b & 0xFF));
  }

  private void skipBom() throws IOException {
    fillFor(3);
    int avail = limit - pos;
    int b0 = avail > 0 ? buf[pos] & 0xFF : -1;
    int b1 = avail > 1 ? buf[pos + 1] & 0xFF : -1;
    int b2 = avail > 2 ? buf[pos + 2] & 0xFF : -1;
    if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
      pos += 3;
    } else if ((b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE)) {
      throw new IOException("the input starts with a UTF-16 byte-order mark; convert it to UTF-8");
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
