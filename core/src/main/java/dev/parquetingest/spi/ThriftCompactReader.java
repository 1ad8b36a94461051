package dev.parquetingest.spi;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the Thrift compact protocol from a byte array, as far as a Parquet footer needs it: field
 * and list headers, varints, strings and binaries, and skipping whatever a caller does not read.
 * Shared by {@link CommittedFooter} (row count, key-value metadata) and {@link FooterColumns}
 * (column statistics). Throws an unchecked exception on bytes that are not compact Thrift (an index
 * past the end, an unknown type); callers turn it into their own message. Not thread-safe.
 */
final class ThriftCompactReader {
  static final int I64 = 6;
  static final int BINARY = 8;
  static final int LIST = 9;
  static final int STRUCT = 12;

  private final byte[] b;
  private int pos;

  ThriftCompactReader(byte[] b) {
    this.b = b;
  }

  /**
   * A struct's next field header: 0 at the struct's end, else the field's type in the low four bits
   * and its id above them ({@code last}, the id of the struct's previous field or 0, plus the
   * header's delta, or an id of its own).
   */
  int fieldHeader(int last) {
    int header = b[pos++] & 0xFF;
    int type = header & 0x0F;
    if (type == 0) {
      return 0;
    }
    int delta = header >>> 4;
    short id = delta != 0 ? (short) (last + delta) : (short) zigzag(varint());
    return id << 4 | type;
  }

  /** A field id of a {@link #fieldHeader} result. */
  static int id(int field) {
    return field >> 4;
  }

  /** A field type of a {@link #fieldHeader} result. */
  static int type(int field) {
    return field & 0x0F;
  }

  /** A list header: its size (the element type is skipped by {@link #skip} when needed). */
  int listSize() {
    return listHeader()[0];
  }

  private int[] listHeader() {
    int h = b[pos++] & 0xFF;
    int size = h >>> 4;
    if (size == 15) {
      size = (int) varint();
    }
    return new int[] {size, h & 0x0F};
  }

  /** An i16/i32/i64 value. */
  long integer() {
    return zigzag(varint());
  }

  byte[] bytes() {
    int n = (int) varint();
    byte[] v = Arrays.copyOfRange(b, pos, pos + n);
    pos += n;
    return v;
  }

  String string() {
    int n = (int) varint();
    String s = new String(b, pos, n, StandardCharsets.UTF_8);
    pos += n;
    return s;
  }

  /** Skips a value of the compact type {@code type}. */
  void skip(int type) {
    switch (type) {
      case 1:
      case 2:
        return; // a boolean field's value is in its type
      case 3:
        pos++;
        return;
      case 4:
      case 5:
      case 6:
        varint();
        return;
      case 7:
        pos += 8;
        return;
      case 8:
        {
          int n = (int) varint(); // before adding: varint() moves pos
          pos += n;
          return;
        }
      case 9:
      case 10:
        {
          int[] list = listHeader();
          for (int i = 0; i < list[0]; i++) {
            skipElement(list[1]);
          }
          return;
        }
      case 11:
        {
          int size = (int) varint();
          if (size > 0) {
            int kinds = b[pos++] & 0xFF;
            for (int i = 0; i < size; i++) {
              skipElement(kinds >>> 4);
              skipElement(kinds & 0x0F);
            }
          }
          return;
        }
      case 12:
        for (int field = fieldHeader(0); field != 0; field = fieldHeader(id(field))) {
          skip(type(field));
        }
        return;
      default:
        throw new IllegalStateException("unknown Thrift type " + type);
    }
  }

  /** In a list, set or map a boolean is a byte of its own. */
  private void skipElement(int type) {
    if (type == 1 || type == 2) {
      pos++;
    } else {
      skip(type);
    }
  }

  private long varint() {
    long result = 0;
    int shift = 0;
    while (true) {
      byte x = b[pos++];
      result |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return result;
      }
      shift += 7;
    }
  }

  private static long zigzag(long n) {
    return (n >>> 1) ^ -(n & 1);
  }
}
