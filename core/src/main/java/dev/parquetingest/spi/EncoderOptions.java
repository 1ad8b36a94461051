package dev.parquetingest.spi;

import dev.parquetingest.common.DataSize;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The settings every encoder honours, plus free-form properties for one backend (for instance
 * {@code arrow.chunk-rows}). Immutable; build with {@link #builder()}.
 */
public final class EncoderOptions {
  /** ZSTD level used unless set: a good ratio at several hundred MB/s per core. */
  public static final int DEFAULT_COMPRESSION_LEVEL = 3;

  /** Row-group size unless set: parquet-java's default, what most readers expect. */
  public static final DataSize DEFAULT_ROW_GROUP_SIZE = DataSize.ofMegabytes(128);

  /** Page size unless set: parquet-java's default. */
  public static final DataSize DEFAULT_PAGE_SIZE = DataSize.ofMegabytes(1);

  /** Largest dictionary page before a column falls back to plain encoding: parquet-java's. */
  public static final DataSize DEFAULT_DICTIONARY_PAGE_SIZE = DataSize.ofMegabytes(1);

  private final int compressionLevel;
  private final DataSize rowGroupSize;
  private final DataSize pageSize;
  private final DataSize dictionaryPageSize;
  private final boolean dictionaryEnabled;
  private final long expectedRowsPerFile;
  private final Map<String, String> properties;

  private EncoderOptions(Builder b) {
    this.compressionLevel = b.compressionLevel;
    this.rowGroupSize = b.rowGroupSize;
    this.pageSize = b.pageSize;
    this.dictionaryPageSize = b.dictionaryPageSize;
    this.dictionaryEnabled = b.dictionaryEnabled;
    this.expectedRowsPerFile = b.expectedRowsPerFile;
    this.properties = Map.copyOf(b.properties);
  }

  public static EncoderOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.compressionLevel = compressionLevel;
    b.rowGroupSize = rowGroupSize;
    b.pageSize = pageSize;
    b.dictionaryPageSize = dictionaryPageSize;
    b.dictionaryEnabled = dictionaryEnabled;
    b.expectedRowsPerFile = expectedRowsPerFile;
    b.properties.putAll(properties);
    return b;
  }

  /** ZSTD compression level, 1 (fastest) to 22 (smallest). */
  public int compressionLevel() {
    return compressionLevel;
  }

  public DataSize rowGroupSize() {
    return rowGroupSize;
  }

  public DataSize pageSize() {
    return pageSize;
  }

  public DataSize dictionaryPageSize() {
    return dictionaryPageSize;
  }

  public boolean dictionaryEnabled() {
    return dictionaryEnabled;
  }

  /** How many rows a file is expected to hold, or -1 if unknown (used by {@code auto}). */
  public long expectedRowsPerFile() {
    return expectedRowsPerFile;
  }

  /** Backend-specific settings, by name. */
  public Map<String, String> properties() {
    return properties;
  }

  /** A backend property, or {@code defaultValue} if unset. */
  public String property(String name, String defaultValue) {
    return properties.getOrDefault(name, defaultValue);
  }

  @Override
  public String toString() {
    return "EncoderOptions{compressionLevel="
        + compressionLevel
        + ", rowGroupSize="
        + rowGroupSize
        + ", pageSize="
        + pageSize
        + ", dictionaryPageSize="
        + dictionaryPageSize
        + ", dictionaryEnabled="
        + dictionaryEnabled
        + ", properties="
        + new TreeMap<>(properties)
        + "}";
  }

  /** Not thread-safe. Each setter rejects a bad value at once, naming the option. */
  public static final class Builder {
    private int compressionLevel = DEFAULT_COMPRESSION_LEVEL;
    private DataSize rowGroupSize = DEFAULT_ROW_GROUP_SIZE;
    private DataSize pageSize = DEFAULT_PAGE_SIZE;
    private DataSize dictionaryPageSize = DEFAULT_DICTIONARY_PAGE_SIZE;
    private boolean dictionaryEnabled = true;
    private long expectedRowsPerFile = -1;
    private final Map<String, String> properties = new TreeMap<>();

    private Builder() {}

    /**
     * ZSTD level 1..22; higher is smaller and slower. Default {@value #DEFAULT_COMPRESSION_LEVEL}.
     */
    public Builder compressionLevel(int level) {
      if (level < 1 || level > 22) {
        throw new IllegalArgumentException(
            "Invalid compressionLevel " + level + ": ZSTD levels are 1..22");
      }
      this.compressionLevel = level;
      return this;
    }

    /**
     * Target uncompressed size of a row group; larger groups compress better and need more memory
     * while writing. Default 128MB.
     */
    public Builder rowGroupSize(DataSize size) {
      this.rowGroupSize = atLeast("rowGroupSize", size, 1024);
      return this;
    }

    /** Target page size. Default 1MB. */
    public Builder pageSize(DataSize size) {
      this.pageSize = atLeast("pageSize", size, 64);
      return this;
    }

    /** Dictionary page size above which a column falls back to plain encoding. Default 1MB. */
    public Builder dictionaryPageSize(DataSize size) {
      this.dictionaryPageSize = atLeast("dictionaryPageSize", size, 64);
      return this;
    }

    /** Whether columns are dictionary-encoded while their dictionary stays small. Default on. */
    public Builder dictionaryEnabled(boolean enabled) {
      this.dictionaryEnabled = enabled;
      return this;
    }

    /** A hint for backends that choose their strategy by file size; -1 if unknown. */
    public Builder expectedRowsPerFile(long rows) {
      if (rows < -1 || rows == 0) {
        throw new IllegalArgumentException(
            "Invalid expectedRowsPerFile " + rows + ": must be positive, or -1 if unknown");
      }
      this.expectedRowsPerFile = rows;
      return this;
    }

    /** Sets a backend-specific property. */
    public Builder property(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      properties.put(name, value);
      return this;
    }

    public EncoderOptions build() {
      return new EncoderOptions(this);
    }

    private static DataSize atLeast(String option, DataSize size, long min) {
      Objects.requireNonNull(size, option);
      if (size.toBytes() < min) {
        throw new IllegalArgumentException(
            "Invalid " + option + " " + size + ": must be at least " + DataSize.ofBytes(min));
      }
      return size;
    }
  }
}
