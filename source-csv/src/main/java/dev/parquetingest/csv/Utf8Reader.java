package dev.parquetingest.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.util.ArrayDeque;

/**
 * Decodes UTF-8 and remembers where input was malformed. Each malformed sequence becomes
 * U+FFFD and is recorded with its physical line, column (in bytes, 1-based) and byte offset, so
 * that the CSV reader can reject exactly the record that holds it instead of storing a silently
 * altered value. Skips a UTF-8 byte-order mark; refuses UTF-16 and UTF-32 ones. Counts bytes
 * consumed. Not thread-safe.
 */
final class Utf8Reader extends Reader {
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
  private long consumedBefore;
  private long line = 1;
  private long lineStartOffset;
  private boolean previousWasCr;
  private boolean started;
  private int pendingLowSurrogate = -1;
  private boolean eof;

  Utf8Reader(InputStream in) {
    this.in = in;
  }

  /** Malformed sequences decoded so far and not yet taken. */
  ArrayDeque<Malformed> malformed() {
    return malformed;
  }

  /** Bytes decoded so far. */
  long bytesDecoded() {
    return consumedBefore + pos;
  }

  private boolean fill(int keep) throws IOException {
    if (eof) {
      return false;
    }
    int remaining = limit - pos;
    if (keep > 0 || remaining > 0) {
      System.arraycopy(buf, pos, buf, 0, remaining);
    }
    consumedBefore += pos;
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
    while (n < len) {
      if (pos >= limit && !fill(0)) {
        break;
      }
      int b = buf[pos];
      if (b >= 0) {
        // ASCII fast path
        int max = Math.min(limit - pos, len - n);
        int i = 0;
        while (i < max) {
          byte c = buf[pos + i];
          if (c < 0) {
            break;
          }
          cbuf[off + n + i] = (char) c;
          if (c == '\n') {
            newline(pos + i, false);
          } else if (c == '\r') {
            newline(pos + i, true);
          } else {
            previousWasCr = false;
          }
          i++;
        }
        pos += i;
        n += i;
        continue;
      }
      int need = b >= -64 && b < -32 ? 2 : b >= -32 && b < -16 ? 3 : b >= -16 && b < -8 ? 4 : 0;
      if (need == 0) {
        bad(b);
        cbuf[off + n++] = '\uFFFD';
        pos++;
        continue;
      }
      if (limit - pos < need && !fillFor(need)) {
        bad(b);
        cbuf[off + n++] = '\uFFFD';
        pos++;
        continue;
      }
      int cp = decode(need);
      if (cp < 0) {
        bad(b);
        cbuf[off + n++] = '\uFFFD';
        pos++;
        continue;
      }
      pos += need;
      previousWasCr = false;
      if (cp >= 0x10000) {
        char high = Character.highSurrogate(cp);
        char low = Character.lowSurrogate(cp);
        cbuf[off + n++] = high;
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
      if (!fill(before) || limit - pos == before) {
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

  private void newline(int index, boolean cr) {
    long offset = consumedBefore + index;
    if (!cr && previousWasCr) {
      // the LF of a CRLF: the line was already counted at the CR
      lineStartOffset = offset + 1;
      previousWasCr = false;
      return;
    }
    line++;
    lineStartOffset = offset + 1;
    previousWasCr = cr;
  }

  private void bad(int b) {
    long offset = consumedBefore + pos;
    malformed.add(new Malformed(line, offset - lineStartOffset + 1, offset, b & 0xFF));
    previousWasCr = false;
  }

  private void skipBom() throws IOException {
    fillFor(4);
    int avail = limit - pos;
    int b0 = avail > 0 ? buf[pos] & 0xFF : -1;
    int b1 = avail > 1 ? buf[pos + 1] & 0xFF : -1;
    int b2 = avail > 2 ? buf[pos + 2] & 0xFF : -1;
    if (b0 == 0xEF && b1 == 0xBB && b2 == 0xBF) {
      pos += 3;
      lineStartOffset = 3;
    } else if ((b0 == 0xFE && b1 == 0xFF) || (b0 == 0xFF && b1 == 0xFE)) {
      throw new IOException("the input starts with a UTF-16 byte-order mark; convert it to UTF-8");
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
