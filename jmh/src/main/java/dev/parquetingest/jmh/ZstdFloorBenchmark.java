package dev.parquetingest.jmh;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import dev.parquetingest.datagen.Dataset;
import dev.parquetingest.internal.Encoders;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.spi.EncoderProvider;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ZSTD floor of a file: one operation compresses exactly the uncompressed pages (dictionary and
 * data pages, every column) of the file that backend {@link #backend} writes for the first {@link
 * #rows} rows of {@link #dataset}, with one reused {@link ZstdCompressCtx} at the default level 3,
 * as the shared {@code ZstdCodecFactory} compresses them. Nothing else of writing a file is done,
 * so no backend can write that file faster than this score (files per second): {@code
 * EncoderCrossoverBenchmark}'s parquet-mr score divided by it is the highest ratio any backend can
 * reach against parquet-mr while it compresses the same pages at the same level.
 *
 * <p>In the set-up (not measured) the file is written once into memory and its pages are recovered
 * from it: the footer gives each column chunk's byte range, each page header its compressed size,
 * and {@link Zstd#decompress} gives back the page bytes the writer handed to the compressor (the
 * check that the decompressed size is the header's uncompressed size guards the recovery). JMH
 * subclasses this class, so it is not final.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--add-opens=java.base/java.nio=ALL-UNNAMED")
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ZstdFloorBenchmark {
  /** The ZSTD level of the default options. */
  static final int LEVEL = 3;

  /** {@code logs} or {@code reviews}: which generated data set's file is compressed. */
  @Param({"logs", "reviews"})
  public String dataset;

  /** Whose file's pages are compressed: {@code parquet-mr} or {@code arrow}. */
  @Param({"parquet-mr", "arrow"})
  public String backend;

  /** Rows of the file. */
  @Param({"400000"})
  public int rows;

  private List<byte[]> pages;

  /** The sum of the file's compressed page sizes, as its page headers give them. */
  long compressedInFile;

  private ZstdCompressCtx ctx;
  private byte[] out;

  /** Writes the file into memory once and recovers its uncompressed pages; not measured. */
  @Setup(Level.Trial)
  public void setUp() {
    InputTable table = InputData.load(Dataset.of(dataset), rows);
    EncoderProvider provider = Encoders.find(backend);
    EncoderOptions options = EncoderOptions.builder().expectedRowsPerFile(rows).build();
    provider.checkUsable(options);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    Schema schema = table.schema();
    InputTable.Cursor cursor = table.cursor();
    try (Encoder encoder = provider.open(schema, file, options)) {
      for (int r = 0; r < rows; r++) {
        encoder.write(cursor.moveTo(r));
      }
      encoder.finish();
    }
    long[] compressed = new long[1];
    pages = pagesOf(file.toByteArray(), compressed);
    compressedInFile = compressed[0];
    int bound = 0;
    for (byte[] p : pages) {
      bound = Math.max(bound, Math.toIntExact(Zstd.compressBound(p.length)));
    }
    out = new byte[bound];
    ctx = new ZstdCompressCtx();
    ctx.setLevel(LEVEL);
  }

  /** Compresses every page of the file once; returns the compressed bytes. */
  @Benchmark
  public long compressPages() {
    long total = 0;
    for (byte[] p : pages) {
      total += ctx.compressByteArray(out, 0, out.length, p, 0, p.length);
    }
    return total;
  }

  /** Releases the context and the pages. */
  @TearDown(Level.Trial)
  public void tearDown() {
    if (ctx != null) {
      ctx.close();
      ctx = null;
    }
    pages = null;
  }

  /**
   * The uncompressed bytes of every page of a ZSTD Parquet file, column chunk by column chunk;
   * {@code compressed[0]} is set to the sum of their compressed sizes in the file.
   *
   * @throws IllegalStateException if the file is not one whose pages can be recovered
   */
  static List<byte[]> pagesOf(byte[] file, long[] compressed) {
    int n = file.length;
    if (n < 12
        || !"PAR1".equals(new String(file, n - 4, 4, java.nio.charset.StandardCharsets.US_ASCII))) {
      throw new IllegalStateException("Cannot read pages: not a Parquet file (" + n + " bytes)");
    }
    int footerLength = ByteBuffer.wrap(file, n - 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    List<byte[]> pages = new ArrayList<>();
    try {
      FileMetaData meta =
          Util.readFileMetaData(new ByteArrayInputStream(file, n - 8 - footerLength, footerLength));
      for (RowGroup group : meta.getRow_groups()) {
        for (ColumnChunk chunk : group.getColumns()) {
          ColumnMetaData column = chunk.getMeta_data();
          if (column.getCodec() != CompressionCodec.ZSTD) {
            throw new IllegalStateException(
                "Cannot measure the ZSTD floor: column "
                    + column.getPath_in_schema()
                    + " is "
                    + column.getCodec());
          }
          long start =
              column.isSetDictionary_page_offset() && column.getDictionary_page_offset() > 0
                  ? column.getDictionary_page_offset()
                  : column.getData_page_offset();
          long end = start + column.getTotal_compressed_size();
          ByteArrayInputStream in =
              new ByteArrayInputStream(file, (int) start, (int) (end - start));
          while (in.available() > 0) {
            PageHeader header = Util.readPageHeader(in);
            int at = (int) end - in.available();
            byte[] packed = Arrays.copyOfRange(file, at, at + header.getCompressed_page_size());
            byte[] page = Zstd.decompress(packed, header.getUncompressed_page_size());
            if (page.length != header.getUncompressed_page_size()) {
              throw new IllegalStateException(
                  "Cannot recover a page of "
                      + column.getPath_in_schema()
                      + ": "
                      + page.length
                      + " bytes, header says "
                      + header.getUncompressed_page_size());
            }
            pages.add(page);
            compressed[0] += header.getCompressed_page_size();
            in.skip(header.getCompressed_page_size());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the pages of the file", e);
    }
    return pages;
  }
}
