package dev.parquetingest.backend.arrow;

import org.apache.arrow.vector.FieldVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.Statistics;

/**
 * BOOLEAN columns: PLAIN, one bit per value, least significant bit first (Arrow's own bit order),
 * never a dictionary (as parquet-java writes v1 files). Not thread-safe.
 */
final class BooleanColumnWriter extends ColumnChunkWriter {
  private byte[] data = new byte[0];
  private byte[] bits = new byte[128];
  private int count;
  private boolean seenFalse;
  private boolean seenTrue;

  BooleanColumnWriter(ColumnDescriptor descriptor, ParquetProperties props) {
    super(descriptor, props);
  }

  @Override
  void load(FieldVector vector, int rows) {
    loadValidity(vector, rows);
    int n = (rows + 7) >>> 3;
    if (data.length < n) {
      data = new byte[Math.max(n, data.length * 2)];
    }
    vector.getDataBuffer().getBytes(0, data, 0, n);
  }

  @Override
  void write(int from, int to) {
    for (int i = from; i < to; i++) {
      if (isNull(i)) {
        addNull();
      } else {
        boolean v = (data[i >>> 3] & (1 << (i & 7))) != 0;
        if ((count >>> 3) == bits.length) {
          bits = java.util.Arrays.copyOf(bits, bits.length * 2);
        }
        if ((count & 7) == 0) {
          bits[count >>> 3] = 0;
        }
        if (v) {
          bits[count >>> 3] |= (byte) (1 << (count & 7));
          seenTrue = true;
        } else {
          seenFalse = true;
        }
        count++;
        pageValues++;
        pageRawBytes = (count + 7) >>> 3;
      }
      if (pageFull()) {
        writePage(i + 1);
      }
    }
    levelsTo(to);
  }

  @Override
  Encoding appendPageValues(ByteBuilder out) {
    out.write(bits, 0, (count + 7) >>> 3);
    return Encoding.PLAIN;
  }

  @Override
  Statistics<?> pageStatistics() {
    Statistics<?> s = Statistics.createStats(type);
    if (seenFalse) {
      s.updateStats(false);
    }
    if (seenTrue) {
      s.updateStats(true);
    }
    return s;
  }

  @Override
  void resetPage() {
    count = 0;
    seenFalse = false;
    seenTrue = false;
  }

  @Override
  DictionaryPage takeDictionaryPage() {
    return null;
  }

  @Override
  long pendingDictionaryBytes() {
    return 0;
  }

  @Override
  long allocatedBytes() {
    return data.length + bits.length;
  }
}
