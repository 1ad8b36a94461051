package dev.parquetingest.backend.parquetmr;

import dev.parquetingest.IngestException;
import dev.parquetingest.parquet.StreamOutputFile;
import dev.parquetingest.parquet.WriterProperties;
import dev.parquetingest.parquet.ZstdCodecFactory;
import dev.parquetingest.schema.Row;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Encoder;
import dev.parquetingest.spi.EncoderOptions;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.OutputFile;

/**
 * One Parquet file written row by row through parquet-java's {@link ParquetWriter}. Not
 * thread-safe.
 */
final class ParquetMrEncoder implements Encoder {
  private final StreamOutputFile file;
  private final ZstdCodecFactory codecs;
  private final ParquetWriter<Row> writer;
  private long rows;
  private boolean finished;
  private boolean closed;

  ParquetMrEncoder(Schema schema, OutputStream out, EncoderOptions options) {
    this.file = new StreamOutputFile(out, "parquet-mr output");
    this.codecs = new ZstdCodecFactory(options.compressionLevel());
    try {
      this.writer =
          new Builder(file, new RowWriteSupport(schema))
              .withConf(new PlainParquetConfiguration())
              .withWriteMode(ParquetFileWriter.Mode.CREATE)
              .withCodecFactory(codecs)
              .withCompressionCodec(WriterProperties.CODEC)
              .withRowGroupSize(options.rowGroupSize().toBytes())
              .withPageSize(Math.toIntExact(options.pageSize().toBytes()))
              .withDictionaryPageSize(Math.toIntExact(options.dictionaryPageSize().toBytes()))
              .withDictionaryEncoding(options.dictionaryEnabled())
              .withWriterVersion(
                  WriterProperties.parquetProperties(options).getWriterVersion())
              .withMaxPaddingSize(0)
              .build();
    } catch (IOException e) {
      codecs.release();
      throw new IngestException("Cannot start Parquet file: " + e, e);
    }
  }

  @Override
  public void write(Row row) {
    try {
      writer.write(row);
    } catch (IOException e) {
      throw new IngestException("Cannot write Parquet row group: " + e, e);
    }
    rows++;
  }

  @Override
  public long rowCount() {
    return rows;
  }

  @Override
  public long bytesWritten() {
    return file.position();
  }

  @Override
  public long bufferedBytes() {
    return Math.max(0, writer.getDataSize() - file.position());
  }

  @Override
  public void finish() {
    if (finished) {
      return;
    }
    finished = true;
    try {
      writer.close();
    } catch (IOException e) {
      throw new IngestException("Cannot finish Parquet file: " + e, e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    codecs.release();
  }

  /** parquet-java's builder, given our write support. */
  private static final class Builder extends ParquetWriter.Builder<Row, Builder> {
    private final RowWriteSupport writeSupport;

    Builder(OutputFile file, RowWriteSupport writeSupport) {
      super(file);
      this.writeSupport = writeSupport;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @SuppressWarnings("deprecation") // the abstract method must be implemented
    @Override
    protected RowWriteSupport getWriteSupport(org.apache.hadoop.conf.Configuration conf) {
      return writeSupport;
    }

    @Override
    protected RowWriteSupport getWriteSupport(org.apache.parquet.conf.ParquetConfiguration conf) {
      return writeSupport;
    }
  }
}
