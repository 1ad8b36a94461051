package dev.parquetingest.datagen;

import static org.assertj.core.api.Assertions.assertThat;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DatasetTest {
  private static String csv(Dataset d, long rows, long seed) throws IOException {
    StringWriter w = new StringWriter();
    d.writeCsv(w, rows, seed);
    return w.toString();
  }

  private static List<CsvRecord> parse(String csv) {
    return CsvReader.builder().ofCsvRecord(csv).stream().collect(Collectors.toList());
  }

  @ParameterizedTest
  @EnumSource(Dataset.class)
  void sameSeedGivesTheSameBytesAndAnotherSeedDoesNot(Dataset d) throws IOException {
    assertThat(csv(d, 500, 42)).isEqualTo(csv(d, 500, 42));
    assertThat(csv(d, 500, 42)).isNotEqualTo(csv(d, 500, 43));
  }

  @ParameterizedTest
  @EnumSource(Dataset.class)
  void everyRecordHasOneFieldPerSchemaColumnAndTheHeaderNamesThem(Dataset d) throws IOException {
    List<CsvRecord> records = parse(csv(d, 3000, 1));
    assertThat(records).hasSize(3001);
    assertThat(records.get(0).getFields())
        .containsExactlyElementsOf(
            d.schema().fields().stream().map(f -> f.name()).collect(Collectors.toList()));
    assertThat(records).allSatisfy(r -> assertThat(r.getFieldCount()).isEqualTo(d.schema().size()));
  }

  @Test
  void logsHave52Columns() {
    assertThat(Dataset.LOGS.schema().size()).isEqualTo(52);
  }

  @Test
  void reviewBodiesAreLongWithCommasDoubledQuotesAndSomeNewlines() throws IOException {
    List<CsvRecord> records = parse(csv(Dataset.REVIEWS, 5000, 7));
    List<String> bodies =
        records.subList(1, records.size()).stream()
            .map(r -> r.getField(11))
            .collect(Collectors.toList());
    assertThat(bodies).allSatisfy(b -> assertThat(b.length()).isBetween(50, 1001));
    assertThat(bodies).anySatisfy(b -> assertThat(b).contains("\n"));
    assertThat(bodies).anySatisfy(b -> assertThat(b).contains("\""));
    assertThat(bodies).anySatisfy(b -> assertThat(b).contains(","));
    assertThat(bodies.stream().mapToInt(String::length).max().getAsInt()).isGreaterThan(900);
  }
}
