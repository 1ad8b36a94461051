package dev.parquetingest.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HivePartitionsTest {
  @Test
  void plainValuesStayReadable() {
    assertThat(HivePartitions.segment("country", "DE")).isEqualTo("country=DE");
    assertThat(HivePartitions.segment("year", 2026)).isEqualTo("year=2026");
    assertThat(HivePartitions.segment("v", "1.5-rc_2")).isEqualTo("v=1.5-rc_2");
    assertThat(HivePartitions.segment("city", "München")).isEqualTo("city=München");
  }

  @Test
  void pathKeepsColumnOrder() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("country", "DE");
    values.put("city", "Berlin");
    assertThat(HivePartitions.path(values)).isEqualTo("country=DE/city=Berlin");
    assertThatThrownBy(() -> HivePartitions.path(Map.of()))
        .hasMessage("Cannot build a partition path: no columns given");
  }

  @Test
  void timePartitions() {
    Instant t = Instant.parse("2026-11-21T13:45:00Z");
    assertThat(HivePartitions.time(t, ChronoUnit.DAYS)).isEqualTo("dt=2026-11-21");
    assertThat(HivePartitions.time(t, ChronoUnit.HOURS)).isEqualTo("dt=2026-11-21/hour=13");
    assertThat(HivePartitions.time(t, ChronoUnit.HOURS, ZoneId.of("Asia/Tokyo")))
        .isEqualTo("dt=2026-11-21/hour=22");
    assertThatThrownBy(() -> HivePartitions.time(t, ChronoUnit.MINUTES))
        .hasMessage("Invalid time partition granularity Minutes: use DAYS or HOURS");
  }

  @Test
  void nullAndEmptyBecomeTheHiveDefault() {
    assertThat(HivePartitions.segment("c", null)).isEqualTo("c=__HIVE_DEFAULT_PARTITION__");
    assertThat(HivePartitions.segment("c", "")).isEqualTo("c=__HIVE_DEFAULT_PARTITION__");
  }

  @Test
  void nothingEscapesTheSegment() {
    String[] hostile = {
      "..",
      ".",
      "../../etc/passwd",
      "a/b",
      "a\\b",
      "/",
      "x\u0000y",
      "line\nbreak",
      "tab\there",
      "del\u007f",
      "rtl\u202eevil",
      "nbsp\u00a0x",
      "a%2Fb",
      "a=b",
      "q?x#y",
      "\ud800lone",
      "sp ace",
      "~~"
    };
    for (String value : hostile) {
      String segment = HivePartitions.segment("c", value);
      assertThat(segment)
          .as(value)
          .startsWith("c=")
          .doesNotContain("/")
          .doesNotContain("\\")
          .matches("c=[^\\p{Cntrl}\\p{Cf}\\p{Z}\\p{Cs}]+")
          .isNotIn(".", "..");
    }
    assertThat(HivePartitions.segment("c", "a/b")).isEqualTo("c=a%2Fb");
    assertThat(HivePartitions.segment("c", "..")).isEqualTo("c=%2E%2E");
    assertThat(HivePartitions.segment("c", "a%2Fb")).isEqualTo("c=a%252Fb");
    assertThat(HivePartitions.segment("c", "x\u0000y")).isEqualTo("c=x%00y");
    assertThat(HivePartitions.segment("c", "rtl\u202eevil")).isEqualTo("c=rtl_evil");
    assertThat(HivePartitions.escape("..")).isEqualTo("%2E%2E");
    assertThat(HivePartitions.segment("a/b", "v")).isEqualTo("a%2Fb=v");
  }

  @Test
  void longValuesAreCutAndStayDistinct() {
    String a = "x".repeat(500) + "a";
    String b = "x".repeat(500) + "b";
    String sa = HivePartitions.segment("col", a);
    String sb = HivePartitions.segment("col", b);
    assertThat(sa.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(HivePartitions.MAX_SEGMENT_BYTES);
    assertThat(sa).isNotEqualTo(sb).matches("col=x+~[0-9a-f]{8}");
    assertThat(HivePartitions.segment("col", a)).isEqualTo(sa);

    // An escape is never cut in half, nor a multi-byte character.
    String escapes = HivePartitions.segment("col", "/".repeat(300));
    assertThat(escapes).matches("col=(%2F)+~[0-9a-f]{8}");
    String wide = HivePartitions.segment("col", "ü".repeat(300));
    assertThat(wide).matches("col=ü+~[0-9a-f]{8}");
    assertThat(wide.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(HivePartitions.MAX_SEGMENT_BYTES);
  }

  @Test
  void emptyNamesAreRefused() {
    assertThatThrownBy(() -> HivePartitions.segment("", "v"))
        .hasMessage("Invalid partition column name '': must not be empty");
  }
}
