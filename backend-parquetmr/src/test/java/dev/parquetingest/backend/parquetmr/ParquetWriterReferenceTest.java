package dev.parquetingest.backend.parquetmr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parquetingest.common.DataSize;
import dev.parquetingest.parquet.Footers;
import dev.parquetingest.parquet.ParquetSchemas;
import dev.parquetingest.parquet.StreamOutputFile;
import dev.parquetingest.parquet.WriterProperties;
import dev.parquetingest.parquet.ZstdCodecFactory;
import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import dev.parquetingest.testing.ParquetFooters;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shared {@code ColumnarFileWriter} (and so every backend) writes exactly the bytes that
 * parquet-java's own {@link ParquetWriter} writes for the same rows and settings: same pages, same
 * row-group boundaries (its size check is parquet-java's), same footer.
 */
class ParquetWriterReferenceTest {
  private static final Schema SCHEMA =
      Schema.builder()
          .required("id", ColumnType.int64())
          .optional("word", ColumnType.string())
          .optional("text", ColumnType.string())
          .optional("n", ColumnType.int32())
          .optional("x", ColumnType.float64())
          .optional("ok", ColumnType.booleanType())
          .optional("price", ColumnType.decimal(12, 2))
          .optional("big", ColumnType.decimal(30, 3))
          .optional("at", ColumnType.timestampMicros(true))
          .build();

  @ParameterizedTest
  @ValueSource(strings = {"default", "small-groups", "no-dictionary", "tiny-pages"})
  void sameBytesAsParquetWriter(String variant) throws IOException {
    EncoderOptions.Builder options = EncoderOptions.builder();
    switch (variant) {
      case "small-groups":
        options.rowGroupSize(DataSize.ofKilobytes(200));
        break;
      case "no-dictionary":
        options.dictionaryEnabled(false).compressionLevel(7);
        break;
      case "tiny-pages":
        options.pageSize(DataSize.ofKilobytes(8)).dictionaryPageSize(DataSize.ofKilobytes(16));
        break;
      default:
        break;
    }
    EncoderOptions opts = options.build();
    int rows = 40_000;

    byte[] ours = writeWithEncoder(opts, rows);
    byte[] reference = writeWithParquetWriter(opts, rows);

    // the same bytes but for the footer's created_by, which names us instead of parquet-mr
    byte[] expected = Footers.withCreatedBy(reference, Footers.CREATED_BY, "reference");
    assertThat(ours).hasSize(expected.length);
    assertThat(ours).isEqualTo(expected);
    assertThat(new String(reference, StandardCharsets.ISO_8859_1)).contains("parquet-mr version");
    if (variant.equals("small-groups")) {
      Path tmp = Files.createTempFile("reference", ".parquet");
      try {
        Files.write(tmp, ours);
        assertThat(ParquetFooters.read(tmp).getBlocks()).hasSizeGreaterThan(3);
      } finally {
        Files.delete(tmp);
      }
    }
  }

  private static byte[] writeWithEncoder(EncoderOptions options, int rows) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MutableRow row = new MutableRow(SCHEMA);
    SplittableRandom random = new SplittableRandom(42);
    try (Encoder encoder = new ParquetMrEncoderProvider().open(SCHEMA, out, options)) {
      for (int i = 0; i < rows; i++) {
        fill(i, random, row);
        encoder.write(row);
      }
      encoder.finish();
    }
    return out.toByteArray();
  }

  /** parquet-java's own writer, set up as this backend used to set it up. */
  private static byte[] writeWithParquetWriter(EncoderOptions options, int rows)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MutableRow row = new MutableRow(SCHEMA);
    SplittableRandom random = new SplittableRandom(42);
    ZstdCodecFactory codecs = new ZstdCodecFactory(options.compressionLevel());
    try (ParquetWriter<Row> writer =
        new Builder(new StreamOutputFile(out, "reference"))
            .withConf(new PlainParquetConfiguration())
            .withWriteMode(ParquetFileWriter.Mode.CREATE)
            .withCodecFactory(codecs)
            .withCompressionCodec(WriterProperties.CODEC)
            .withRowGroupSize(options.rowGroupSize().toBytes())
            .withPageSize(Math.toIntExact(options.pageSize().toBytes()))
            .withDictionaryPageSize(Math.toIntExact(options.dictionaryPageSize().toBytes()))
            .withDictionaryEncoding(options.dictionaryEnabled())
            .withWriterVersion(WriterProperties.parquetProperties(options).getWriterVersion())
            .withMaxPaddingSize(0)
            .build()) {
      for (int i = 0; i < rows; i++) {
        fill(i, random, row);
        writer.write(row);
      }
    } finally {
      codecs.release();
    }
    return out.toByteArray();
  }

  private static final String[] WORDS = {"alpha", "beta", "gamma", "delta", "", "epsilon"};

  private static void fill(int i, SplittableRandom r, MutableRow row) {
    row.clear();
    row.setLong(0, i);
    if (i % 11 != 0) {
      row.setString(1, WORDS[r.nextInt(WORDS.length)]);
    }
    if (i % 5 != 0) {
      StringBuilder sb = new StringBuilder();
      int words = 1 + r.nextInt(30);
      for (int w = 0; w < words; w++) {
        sb.append(Long.toString(r.nextLong(), 36)).append(' ');
      }
      row.setString(2, sb.toString());
    }
    if (i % 3 != 0) {
      row.setInt(3, r.nextInt());
    }
    row.setDouble(4, r.nextDouble() * 1e6);
    if (i % 7 != 0) {
      row.setBoolean(5, r.nextBoolean());
    }
    row.setUnscaledDecimal(6, r.nextLong(-99_999_999_999L, 99_999_999_999L));
    if (i % 13 != 0) {
      row.setDecimal(7, new BigDecimal(r.nextLong() + "" + r.nextInt(1_000_000)).movePointLeft(3));
    }
    row.setLong(8, 1_700_000_000_000_000L + i * 1_000_003L);
  }

  private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
    Builder(OutputFile file) {
      super(file);
    }

    @Override
    protected Builder self() {
      return this;
    }

    @SuppressWarnings("deprecation") // the abstract method must be implemented
    @Override
    protected WriteSupport<Row> getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
      return new RowSupport();
    }

    @Override
    protected WriteSupport<Row> getWriteSupport(ParquetConfiguration conf) {
      return new RowSupport();
    }
  }

  private static final class RowSupport extends WriteSupport<Row> {
    private RowRecordWriter writer;

    @SuppressWarnings("deprecation") // the abstract method must be implemented
    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
      return init((ParquetConfiguration) null);
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
      return new WriteContext(
          ParquetSchemas.toMessageType(SCHEMA), Footers.keyValueMetadata(Map.of()));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      writer = new RowRecordWriter(SCHEMA, recordConsumer);
    }

    @Override
    public void write(Row record) {
      writer.write(record);
    }
  }
}
