package dev.parquetingest.spi;

import static dev.parquetingest.spi.ThriftCompactReader.id;
import static dev.parquetingest.spi.ThriftCompactReader.type;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.schema.Schema;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
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

  private final byte[] metadata;

  private CommittedFooter(
      long rows, long fileSize, Map<String, String> keyValues, byte[] metadata) {
    this.rows = rows;
    this.fileSize = fileSize;
    this.keyValues = Collections.unmodifiableMap(keyValues);
    this.metadata = metadata;
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
      return decode(all, size);
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

  /**
   * The per-column statistics the footer holds, for the top-level columns of {@code schema} in its
   * order: null count summed over the row groups, smallest and largest value merged over them, as
   * {@link ColumnStats} holds them. No bounds for binary and floating columns (a footer does not
   * say whether NaN was left out of them) nor for a column some row group has none for.
   *
   * @return empty if the footer's columns do not match {@code schema} or it has no row count
   */
  public List<ColumnStats> columnStats(Schema schema) {
    return rows < 0 ? List.of() : FooterColumns.read(metadata, schema, rows);
  }

  /** Whether {@code b} holds the magic {@code PAR1} at {@code at}. */
  private static boolean magic(byte[] b, int at) {
    return b[at] == 'P' && b[at + 1] == 'A' && b[at + 2] == 'R' && b[at + 3] == '1';
  }

  /** Decodes {@code FileMetaData} from the start of {@code footer}. */
  private static CommittedFooter decode(byte[] footer, long fileSize) {
    ThriftCompactReader r = new ThriftCompactReader(footer);
    long rows = -1;
    Map<String, String> kv = new LinkedHashMap<>();
    for (int field = r.fieldHeader(0); field != 0; field = r.fieldHeader(id(field))) {
      if (id(field) == 3 && type(field) == ThriftCompactReader.I64) {
        rows = r.integer();
      } else if (id(field) == 5 && type(field) == ThriftCompactReader.LIST) {
        int n = r.listSize();
        for (int i = 0; i < n; i++) {
          keyValue(r, kv);
        }
      } else {
        r.skip(type(field));
      }
    }
    return new CommittedFooter(rows, fileSize, kv, footer);
  }

  private static void keyValue(ThriftCompactReader r, Map<String, String> kv) {
    String key = null;
    String value = null;
    for (int field = r.fieldHeader(0); field != 0; field = r.fieldHeader(id(field))) {
      if (type(field) == ThriftCompactReader.BINARY && (id(field) == 1 || id(field) == 2)) {
        String s = r.string();
        if (id(field) == 1) {
          key = s;
        } else {
          value = s;
        }
      } else {
        r.skip(type(field));
      }
    }
    if (key != null) {
      kv.put(key, value);
    }
  }
}
