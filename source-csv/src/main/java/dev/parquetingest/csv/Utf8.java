package dev.parquetingest.csv;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Validates UTF-8 without decoding it: an ASCII fast path 8 bytes at a time, then the
 * well-formedness rules of Unicode's table 3-7 (no overlong forms, no surrogates, nothing above
 * U+10FFFF). Stateless.
 */
final class Utf8 {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGHS = 0x8080808080808080L;

  private Utf8() {}

  /**
   * Whether the range is well-formed UTF-8: up to 16 bytes are checked as ASCII in two words
   * without a loop when the array has room for them (the bytes past the range are checked too; if
   * one is not ASCII the exact check of the range decides).
   */
  static boolean isValid(byte[] b, int off, int len) {
    if (len <= 16 && off + 16 <= b.length) {
      long w = (long) LONGS.get(b, off) | (long) LONGS.get(b, off + 8);
      return (w & HIGHS) == 0 || firstInvalid(b, off, len) < 0;
    }
    return firstInvalid(b, off, len) < 0;
  }

  /** The index of the first byte of the first ill-formed sequence in the range, or -1. */
  static int firstInvalid(byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    while (i + 8 <= end) {
      if (((long) LONGS.get(b, i) & HIGHS) != 0) {
        break;
      }
      i += 8;
    }
    while (i < end) {
      int c = b[i] & 0xFF;
      if (c < 0x80) {
        i++;
        continue;
      }
      int n;
      int lo = 0x80;
      int hi = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        n = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        n = 2;
        if (c == 0xE0) {
          lo = 0xA0;
        } else if (c == 0xED) {
          hi = 0x9F;
        }
      } else if (c >= 0xF0 && c <= 0xF4) {
        n = 3;
        if (c == 0xF0) {
          lo = 0x90;
        } else if (c == 0xF4) {
          hi = 0x8F;
        }
      } else {
        return i;
      }
      if (i + n >= end) {
        return i;
      }
      int c1 = b[i + 1] & 0xFF;
      if (c1 < lo || c1 > hi) {
        return i;
      }
      for (int k = 2; k <= n; k++) {
        int ck = b[i + k] & 0xFF;
        if (ck < 0x80 || ck > 0xBF) {
          return i;
        }
      }
      i += n + 1;
    }
    return -1;
  }
}
