package dev.parquetingest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Key order of JSON maps (the report's encoderDetails) and the peak heap the report states. */
class JsonAndJvmMetricsTest {
  @Test
  void aMapFieldIsWrittenInKeyOrderWhateverTheMapsOrder() {
    Map<String, String> details = new LinkedHashMap<>();
    details.put("writer", "arrow");
    details.put("allocator", "netty");
    details.put("chunkRows", "10000");
    String json =
        new Json(false).beginObject().field("encoderDetails", details).endObject().toString();
    assertThat(json)
        .isEqualTo(
            "{\"encoderDetails\":{\"allocator\":\"netty\",\"chunkRows\":\"10000\",\"writer\":\"arrow\"}}");
  }

  /**
   * Young garbage first (the young pools peak), then a large old object (the old pool peaks): the
   * pools' peaks summed exceed what was ever in use at once; the peak used heap stays below the
   * maximum heap and at least the large object.
   */
  @Test
  void peakHeapIsUsedHeapAtOneMomentNeverAboveTheMaximum() {
    long max = Runtime.getRuntime().maxMemory();
    JvmMetrics m = new JvmMetrics();
    m.start();
    long sink = 0;
    for (int round = 0; round < 3; round++) {
      sink += churn(max);
      List<byte[]> held = new ArrayList<>();
      for (long b = 0; b < max / 4; b += 128 * 1024) {
        held.add(new byte[128 * 1024]);
      }
      sink += held.size();
      held = null;
      sink += churn(max);
    }
    m.stop();
    long poolPeaks = 0;
    for (java.lang.management.MemoryPoolMXBean pool :
        java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == java.lang.management.MemoryType.HEAP) {
        poolPeaks += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(
        "max %d, peak used %d, pools' peaks summed %d%n", max, m.peakHeapBytes(), poolPeaks);
    assertThat(sink).isPositive();
    assertThat(m.peakHeapBytes()).isLessThanOrEqualTo(max).isGreaterThanOrEqualTo(max / 4);
  }

  private static long churn(long max) {
    long n = 0;
    for (long b = 0; b < 2 * max; b += 64 * 1024) {
      byte[] garbage = new byte[64 * 1024];
      n += garbage.length;
    }
    return n;
  }
}
