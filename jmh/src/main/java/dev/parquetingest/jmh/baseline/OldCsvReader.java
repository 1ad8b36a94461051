package dev.parquetingest.jmh.baseline;

import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The read loop of source-csv's CsvSource before issue 12 (FastCSV over a UTF-8 decoding reader,
 * fields decoded from {@code char[]} into the row), for a file with a header whose columns are the
 * schema's in order: the baseline of CsvReadBenchmark. Not thread-safe.
 */
public final class OldCsvReader implements AutoCloseable {
  private final OldUtf8Reader utf8;
  private final CsvReader<MutableRow> reader;
  private final CloseableIterator<MutableRow> records;
  private final OldRowHandler handler;

  public OldCsvReader(Path file, Schema schema, MutableRow row) {
    try {
      handler = new OldRowHandler(schema, new char[0][], ',', '"');
      utf8 = new OldUtf8Reader(new BufferedInputStream(Files.newInputStream(file), 1 << 16), 0, 0);
      reader =
          CsvReader.builder()
              .fieldSeparator(',')
              .quoteCharacter('"')
              .skipEmptyLines(true)
              .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
              .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
              .maxBufferSize(16 * 1024 * 1024)
              .build(handler, utf8);
      records = reader.iterator();
      handler.target(row);
      List<String> names = new ArrayList<>();
      handler.readHeader(names);
      records.next();
      int[] mapping = new int[schema.size()];
      for (int i = 0; i < mapping.length; i++) {
        mapping[i] = i;
      }
      handler.mapping(mapping);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next record into the row; false at the end. Throws on a bad record. */
  public boolean next() {
    if (!records.hasNext()) {
      return false;
    }
    records.next();
    if (handler.errorProblem != null || !utf8.malformed().isEmpty()) {
      throw new IllegalStateException(
          "bad record at line " + handler.line() + ": " + handler.errorProblem);
    }
    return true;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
