package dev.parquetingest.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SystemPropertiesTest {
  private static final String ABSENT = "parquet-ingest.test.absent";
  private static final String PRESENT = "parquet-ingest.test.present";

  @Test
  void closePutsBackTheValuesFromBeforeTheFirstSetAndClearsTheAbsentOnes() {
    System.clearProperty(ABSENT);
    System.setProperty(PRESENT, "before");
    try {
      SystemProperties p = new SystemProperties().set(ABSENT, "a").set(PRESENT, "b");
      p.set(PRESENT, "c");
      assertThat(System.getProperty(ABSENT)).isEqualTo("a");
      assertThat(System.getProperty(PRESENT)).isEqualTo("c");
      p.close();
      assertThat(System.getProperty(ABSENT)).isNull();
      assertThat(System.getProperty(PRESENT)).isEqualTo("before");
      System.setProperty(PRESENT, "later");
      p.close(); // idempotent: nothing left to put back
      assertThat(System.getProperty(PRESENT)).isEqualTo("later");
    } finally {
      System.clearProperty(ABSENT);
      System.clearProperty(PRESENT);
    }
  }
}
