package dev.parquetingest.parquet;

import dev.parquetingest.spi.EncoderOptions;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The one translation of {@link EncoderOptions} into parquet-java settings that every backend uses:
 * Parquet format v1 pages, dictionary as configured, ZSTD, page and row-group sizes, and
 * parquet-java's values writers with a small first list of dictionary ids ({@link
 * SmallDictionaryIds}).
 */
public final class WriterProperties {
  /** Every file is ZSTD-compressed. */
  public static final CompressionCodecName CODEC = CompressionCodecName.ZSTD;

  private WriterProperties() {}

  public static ParquetProperties parquetProperties(EncoderOptions options) {
    return ParquetProperties.builder()
        .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
        .withPageSize(Math.toIntExact(options.pageSize().toBytes()))
        .withDictionaryPageSize(Math.toIntExact(options.dictionaryPageSize().toBytes()))
        .withDictionaryEncoding(options.dictionaryEnabled())
        .withValuesWriterFactory(new SmallDictionaryIds())
        .build();
  }
}
