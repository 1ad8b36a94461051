package dev.parquetingest.spi;

import dev.parquetingest.common.IngestException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The footer of a committed Parquet file, read back through its {@link Sink} ({@link Sink#size} and
 * two {@link Sink#readTail} calls): the row count and the key-value metadata, where the runtime
 * writes a file's source and positions ({@link Encoder#SOURCE_KEY}, {@link
 * Encoder#LAST_POSITION_KEY} and the others). A resumed run reads it to keep what an earlier run
 * committed; a source that delivers again (Kafka) to skip what a file already holds. Decoded from
 * the Thrift compact protocol of {@code FileMetaData} (field 3 {@code num_rows}, field 5 {@code
 * key_value_metadata}; the other fields are skipped), so no Parquet library is needed. Immutable.
 */
public final class CommittedFooter {
  private final long rows;
  private final long fileSize;
  private final Map<String, String> keyValues;

  private CommittedFooter(long rows, long fileSize, Map<String, String> keyValues) {
    this.rows = rows;
    this.fileSize = fileSize;
    this.keyValues = Collections.unmodifiableMap(keyValues);
  }

  /**
   * Reads the footer of the committed file {@code name}.
   *
   * @throws IngestException naming the file and the sink if the sink cannot read files back ({@link
   *     Sink#listable()}), or the file is not a Parquet file, is too short or its footer is damaged
   */
  public static CommittedFooter read(Sink sink, String name) {
    if (!sink.listable()) {
      throw cannot(sink, name, "the sink cannot read files back", null);
    }
    long size = sink.size(name);
    if (size < 12) {
      throw cannot(sink, name, "only " + size + " bytes", null);
    }
    byte[] tail = sink.readTail(name, 8);
    if (tail.length < 8 || !magic(tail, 4)) {
      throw cannot(sink, name, "not a Parquet file", null);
    }
    int length =
        (tail[0] & 0xFF) | (tail[1] & 0xFF) << 8 | (tail[2] & 0xFF) << 16 | (tail[3] & 0xFF) << 24;
    if (length <= 0 || length > size - 12) {
      throw cannot(sink, name, "bad footer length " + length + " in " + size + " bytes", null);
    }
    byte[] all = sink.readTail(name, length + 8);
    if (all.length < length + 8) {
      throw cannot(sink, name, "file too short", null);
    }
    try {
      Reader r = new Reader(all, 0);
      return r.fileMetaData(size);
    } catch (RuntimeException e) {
      throw cannot(sink, name, "it is damaged", e);
    }
  }

  private static IngestException cannot(Sink sink, String name, String why, Throwable cause) {
    return new IngestException(
        "Cannot read the footer of " + name + " in " + sink.describe() + ": " + why, cause);
  }

  /** The file's row count ({@code num_rows}), or -1 if the footer does not say. */
  public long rows() {
    return rows;
  }

  /** The file's size in bytes, as the sink reported it. */
  public long fileSize() {
    return fileSize;
  }

  /** The footer's key-value metadata, in the footer's order; a key without a value maps to null. */
  public Map<String, String> keyValues() {
    return keyValues;
  }

  /** Whether {@code b} holds the magic {@code PAR1} at {@code at}. */
  private static boolean magic(byte[] b, int at) {
    return b[at] == 'P' && b[at + 1] == 'A' && b[at + 2] == 'R' && b[at + 3] == '1';
  }

  /** A Thrift compact protocol reader over a byte array. Not thread-safe. */
  private static final class Reader {
    private final byte[] b;
    private int pos;

    Reader(byte[] b, int pos) {
      this.b = b;
      this.pos = pos;
    }

    /**
     * The footer in {@code b} (FileMetaData, length, magic) of a file of {@code fileSize} bytes.
     */
    CommittedFooter fileMetaData(long fileSize) {
      long rows = -1;
      Map<String, String> kv = new LinkedHashMap<>();
      for (int field = fieldHeader(0); field != 0; field = fieldHeader(field >> 4)) {
        int id = field >> 4;
        int type = field & 0x0F;
        if (id == 3 && type == 6) {
          rows = zigzag(varint());
        } else if (id == 5 && type == 9) {
          int[] list = listHeader();
          for (int i = 0; i < list[0]; i++) {
            keyValue(kv);
          }
        } else {
          skip(type);
        }
      }
      return new CommittedFooter(rows, fileSize, kv);
    }

    private void keyValue(Map<String, String> kv) {
      String key = null;
      String value = null;
      for (int field = fieldHeader(0); field != 0; field = fieldHeader(field >> 4)) {
        int id = field >> 4;
        int type = field & 0x0F;
        if (type == 8 && (id == 1 || id == 2)) {
          String s = string();
          if (id == 1) {
            key = s;
          } else {
            value = s;
          }
        } else {
          skip(type);
        }
      }
      if (key != null) {
        kv.put(key, value);
      }
    }

    /**
     * A struct's next field header: 0 at the struct's end, else the field's type in the low four
     * bits and its id above them ({@code last} plus the header's delta, or an id of its own).
     */
    private int fieldHeader(int last) {
      int header = b[pos++] & 0xFF;
      int type = header & 0x0F;
      if (type == 0) {
        return 0;
      }
      int delta = header >>> 4;
      short id = delta != 0 ? (short) (last + delta) : (short) zigzag(varint());
      return id << 4 | type;
    }

    private int[] listHeader() {
      int h = b[pos++] & 0xFF;
      int size = h >>> 4;
      if (size == 15) {
        size = (int) varint();
      }
      return new int[] {size, h & 0x0F};
    }

    private String string() {
      int n = (int) varint();
      String s = new String(b, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    private void skip(int type) {
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
          skipStruct();
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

    private void skipStruct() {
      while (true) {
        int header = b[pos++] & 0xFF;
        int type = header & 0x0F;
        if (type == 0) {
          return;
        }
        if (header >>> 4 == 0) {
          varint();
        }
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
}
