package dev.parquetingest.backend.arrow;

import com.github.luben.zstd.Zstd;
import dev.parquetingest.testing.ParquetFooters;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.parquet.VersionParser;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.impl.ColumnReaderImpl;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.Util;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;

/**
 * Reads every value of a flat Parquet file with parquet-java's own column reader ({@link
 * ColumnReaderImpl}: its level, dictionary and plain decoders), without Hadoop: the pages of each
 * column chunk are cut from the file by their Thrift headers and decompressed with zstd-jni here,
 * everything else is parquet-java's. Values come back comparable with {@code equals}: floats and
 * doubles as their raw bits, byte strings as {@link ByteBuffer}s, nulls as null.
 */
final class ParquetJavaValues {
  private ParquetJavaValues() {}

  /** Per column in schema order, every value of the file in row order. */
  static List<List<Object>> read(Path file) {
    ParquetMetadata footer = ParquetFooters.read(file);
    MessageType schema = footer.getFileMetaData().getSchema();
    VersionParser.ParsedVersion version;
    try {
      version = VersionParser.parse(footer.getFileMetaData().getCreatedBy());
    } catch (VersionParser.VersionParseException e) {
      throw new AssertionError(e);
    }
    List<ColumnDescriptor> columns = schema.getColumns();
    List<List<Object>> values = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      values.add(new ArrayList<>());
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      for (BlockMetaData block : footer.getBlocks()) {
        for (int c = 0; c < columns.size(); c++) {
          ColumnDescriptor d = columns.get(c);
          ColumnChunkMetaData chunk = block.getColumns().get(c);
          if (chunk.getCodec() != CompressionCodecName.ZSTD) {
            throw new AssertionError(d + " is " + chunk.getCodec() + " in " + file);
          }
          ChunkPages pages = new ChunkPages(ch, chunk);
          ColumnReaderImpl reader =
              new ColumnReaderImpl(d, pages, new PrimitiveConverter() {}, version);
          long n = chunk.getValueCount();
          List<Object> out = values.get(c);
          for (long i = 0; i < n; i++) {
            if (reader.getCurrentDefinitionLevel() < d.getMaxDefinitionLevel()) {
              out.add(null);
            } else {
              out.add(value(reader, d));
            }
            reader.consume();
          }
        }
      }
    } catch (IOException e) {
      throw new AssertionError("Cannot read " + file + ": " + e, e);
    }
    return values;
  }

  private static Object value(ColumnReaderImpl r, ColumnDescriptor d) {
    switch (d.getPrimitiveType().getPrimitiveTypeName()) {
      case BOOLEAN:
        return r.getBoolean();
      case INT32:
        return r.getInteger();
      case INT64:
        return r.getLong();
      case FLOAT:
        return Float.floatToRawIntBits(r.getFloat());
      case DOUBLE:
        return Double.doubleToRawLongBits(r.getDouble());
      default:
        return ByteBuffer.wrap(r.getBinary().getBytes());
    }
  }

  /** The pages of one column chunk, decompressed. */
  private static final class ChunkPages implements PageReader {
    private final ParquetMetadataConverter converter = new ParquetMetadataConverter();
    private final Deque<DataPage> pages = new ArrayDeque<>();
    private DictionaryPage dictionary;
    private final long valueCount;

    ChunkPages(FileChannel ch, ColumnChunkMetaData chunk) throws IOException {
      long start =
          chunk.hasDictionaryPage() && chunk.getDictionaryPageOffset() > 0
              ? Math.min(chunk.getDictionaryPageOffset(), chunk.getFirstDataPageOffset())
              : chunk.getFirstDataPageOffset();
      ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(chunk.getTotalSize()));
      while (buf.hasRemaining()) {
        if (ch.read(buf, start + buf.position()) < 0) {
          throw new IOException("end of file in column chunk " + chunk.getPath());
        }
      }
      ByteArrayInputStream in = new ByteArrayInputStream(buf.array());
      long values = 0;
      while (in.available() > 0) {
        PageHeader h = Util.readPageHeader(in);
        byte[] compressed = in.readNBytes(h.getCompressed_page_size());
        byte[] raw = Zstd.decompress(compressed, h.getUncompressed_page_size());
        if (h.getType() == PageType.DICTIONARY_PAGE) {
          dictionary =
              new DictionaryPage(
                  BytesInput.from(raw),
                  h.getDictionary_page_header().getNum_values(),
                  converter.getEncoding(h.getDictionary_page_header().getEncoding()));
        } else if (h.getType() == PageType.DATA_PAGE) {
          var dh = h.getData_page_header();
          values += dh.getNum_values();
          pages.add(
              new DataPageV1(
                  BytesInput.from(raw),
                  dh.getNum_values(),
                  h.getUncompressed_page_size(),
                  Statistics.createStats(chunk.getPrimitiveType()),
                  converter.getEncoding(dh.getRepetition_level_encoding()),
                  converter.getEncoding(dh.getDefinition_level_encoding()),
                  converter.getEncoding(dh.getEncoding())));
        } else {
          throw new IOException("unexpected page " + h.getType() + " in " + chunk.getPath());
        }
      }
      if (values != chunk.getValueCount()) {
        throw new IOException(
            chunk.getPath()
                + ": pages hold "
                + values
                + " values, footer says "
                + chunk.getValueCount());
      }
      this.valueCount = values;
    }

    @Override
    public DictionaryPage readDictionaryPage() {
      return dictionary;
    }

    @Override
    public long getTotalValueCount() {
      return valueCount;
    }

    @Override
    public DataPage readPage() {
      return pages.poll();
    }
  }
}
