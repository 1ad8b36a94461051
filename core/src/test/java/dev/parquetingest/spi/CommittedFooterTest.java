package dev.parquetingest.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parquetingest.common.IngestException;
import dev.parquetingest.internal.LocalDirectorySink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CommittedFooter} against footers that parquet-java's Thrift structures encode: the row
 * count and key-value metadata come back as written, past schema, row groups and column chunks it
 * skips; a file that is not Parquet, too short or damaged is refused naming it.
 */
class CommittedFooterTest {
  @TempDir Path dir;

  @Test
  void readsRowsAndKeyValuesThatParquetJavaWrote() throws IOException {
    Map<String, String> kv = new LinkedHashMap<>();
    kv.put(Encoder.SOURCE_KEY, "orders.csv");
    kv.put(Encoder.LAST_POSITION_KEY, "orders/3@41");
    kv.put("ünïcode", "välue " + "x".repeat(300)); // a long string: a multi-byte varint length
    kv.put("no-value", null);
    byte[] file = parquetFile(footer(1_234_567L, kv));
    Files.write(dir.resolve("a.parquet"), file);

    CommittedFooter f = CommittedFooter.read(new LocalDirectorySink(dir), "a.parquet");

    assertEquals(1_234_567L, f.rows());
    assertEquals(file.length, f.fileSize());
    assertEquals(new ArrayList<>(kv.keySet()), new ArrayList<>(f.keyValues().keySet()));
    assertEquals(kv, f.keyValues());
    assertNull(f.keyValues().get("no-value"));
  }

  @Test
  void refusesWhatIsNotAParquetFileNamingIt() throws IOException {
    Files.write(dir.resolve("short.parquet"), "PAR1PAR1".getBytes(StandardCharsets.US_ASCII));
    Files.write(
        dir.resolve("text.parquet"), "a,b\n1,2\n3,4\n5,6\n".getBytes(StandardCharsets.UTF_8));
    byte[] damaged = parquetFile(footer(5, Map.of("k", "v")));
    damaged[damaged.length - 9] = (byte) 0xFF; // the footer's closing stop byte
    damaged[damaged.length - 10] = (byte) 0xFF;
    Files.write(dir.resolve("damaged.parquet"), damaged);
    LocalDirectorySink sink = new LocalDirectorySink(dir);

    for (String name : List.of("short.parquet", "text.parquet", "damaged.parquet")) {
      IngestException e =
          assertThrows(IngestException.class, () -> CommittedFooter.read(sink, name), name);
      assertTrue(
          e.getMessage().startsWith("Cannot read the footer of " + name + " in "), e.getMessage());
    }
    assertTrue(
        assertThrows(IngestException.class, () -> CommittedFooter.read(sink, "text.parquet"))
            .getMessage()
            .endsWith(": not a Parquet file"));
  }

  @Test
  void refusesASinkThatCannotReadBack() {
    Sink writeOnly =
        new Sink() {
          @Override
          public String describe() {
            return "write-only";
          }

          @Override
          public StagedOutput create(String name) {
            throw new UnsupportedOperationException();
          }

          @Override
          public boolean exists(String name) {
            return true;
          }
        };
    IngestException e =
        assertThrows(IngestException.class, () -> CommittedFooter.read(writeOnly, "a.parquet"));
    assertEquals(
        "Cannot read the footer of a.parquet in write-only: the sink cannot read files back",
        e.getMessage());
  }

  /** A footer with a schema, one row group of one column chunk, and {@code kv}. */
  private static FileMetaData footer(long rows, Map<String, String> kv) {
    SchemaElement root = new SchemaElement("schema");
    root.setNum_children(1);
    SchemaElement id = new SchemaElement("id");
    id.setType(Type.INT64);
    id.setRepetition_type(FieldRepetitionType.REQUIRED);
    ColumnMetaData meta =
        new ColumnMetaData(
            Type.INT64,
            List.of(Encoding.PLAIN, Encoding.RLE),
            List.of("id"),
            CompressionCodec.SNAPPY,
            rows,
            800,
            400,
            4);
    ColumnChunk chunk = new ColumnChunk(4);
    chunk.setMeta_data(meta);
    RowGroup group = new RowGroup(List.of(chunk), 400, rows);
    FileMetaData f = new FileMetaData(2, List.of(root, id), rows, List.of(group));
    List<KeyValue> kvs = new ArrayList<>();
    for (Map.Entry<String, String> e : kv.entrySet()) {
      KeyValue k = new KeyValue(e.getKey());
      if (e.getValue() != null) {
        k.setValue(e.getValue());
      }
      kvs.add(k);
    }
    f.setKey_value_metadata(kvs);
    f.setCreated_by("parquet-ingest test");
    return f;
  }

  /** Magic, four bytes standing for the data, the footer, its length, magic. */
  private static byte[] parquetFile(FileMetaData footer) throws IOException {
    ByteArrayOutputStream meta = new ByteArrayOutputStream();
    Util.writeFileMetaData(footer, meta);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write("PAR1".getBytes(StandardCharsets.US_ASCII));
    out.write(new byte[] {1, 2, 3, 4});
    meta.writeTo(out);
    out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(meta.size()).array());
    out.write("PAR1".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
