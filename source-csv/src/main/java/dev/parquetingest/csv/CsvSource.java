package dev.parquetingest.csv;

import dev.parquetingest.common.BadInputException;
import dev.parquetingest.common.BadRecordException;
import dev.parquetingest.common.IngestException;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import dev.parquetingest.spi.SplittableSource;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads an RFC 4180 CSV file (UTF-8; quotes, doubled quotes, quoted line ends, CR, LF and CRLF line
 * ends, a UTF-8 byte-order mark) from its bytes, decoding each field straight into a reused row;
 * see {@link CsvTokenizer} for the dialect (a quote inside an unquoted field is text).
 *
 * <p>The schema is given or inferred from the first {@link Builder#inferenceRows} records (see
 * {@link SchemaInference}: every inferred column is nullable, integers are int64). With a header,
 * CSV columns are matched to schema columns by name; without one, by position (inferred columns are
 * then named {@code column1, column2, ...}, as are header fields without a name).
 *
 * <p>Values: which fields are null is {@link NullTokens}' rule (unquoted empty fields and the
 * configured null tokens; a quoted empty field is an empty string in string columns and null
 * elsewhere). Booleans accept true/false/t/f/yes/no/y/n/1/0; dates {@code yyyy-MM-dd}; timestamps
 * {@code yyyy-MM-dd HH:mm[:ss[.fraction]]} with {@code T} or a space and an optional {@code Z} or
 * offset; numbers must be within their type's range, decimals fit their precision and scale without
 * rounding; spaces around non-text values are ignored. Binary columns hold the field's bytes.
 *
 * <p>Bad records ({@link BadRecordException}), each naming the file, the line the record starts on
 * and the column: a value that does not fit its column, a wrong number of fields, an empty value in
 * a non-nullable column, invalid UTF-8 (with line, column and byte offset), text after a closing
 * quote, a quote never closed before the end of the input. A field longer than {@link
 * Builder#maxFieldChars} bytes ends the read with a {@link BadInputException}.
 *
 * <p>Input: a regular file is read with one channel per part and can be {@link #split}; any other
 * input (a pipe, a FIFO, standard input) is read once, as a stream: the records sampled for
 * inference are kept in memory and read again, and {@link #split} returns this source whole ({@link
 * #splittable()} is false). Not thread-safe; the parts of a split are independent.
 */
public final class CsvSource implements SplittableSource {
  /** Records read to infer a schema unless set. */
  public static final int DEFAULT_INFERENCE_ROWS = 10_000;

  /** The longest field accepted unless set, in bytes. */
  public static final int DEFAULT_MAX_FIELD_CHARS = 16 * 1024 * 1024;

  /** Parts smaller than this are not worth a worker of their own. */
  static final long MIN_PART_BYTES = 4L * 1024 * 1024;

  private final Path file;
  private final String name;
  private final boolean stream;
  private InputStream input;
  private final Schema givenSchema;
  private final boolean header;
  private final byte delimiter;
  private final byte quote;
  private final NullTokens nulls;
  private final int inferenceRows;
  private final int maxFieldChars;
  private final int bufferSize;
  private final long minPartBytes;

  /** For a part of a split file: its byte range and the line it starts on (null if whole). */
  private final long start;

  private final long end;
  private final PartLines partLines;
  private final boolean part;

  /** A part publishes its progress to {@link #partLines} at the first record from this offset. */
  private long nextProgress;

  private int[] mapping;
  private String inferredHint;

  private Schema schema;
  private CsvTokenizer tokenizer;
  private RowDecoder decoder;
  private long lastLine;
  private long lastOffset = -1;

  /** For a resumed range: its first record is another file's last one, read and dropped. */
  private boolean skipFirst;

  private boolean closed;

  private CsvSource(Builder b) {
    this.file = b.file;
    this.name = b.name;
    this.input = b.in;
    this.stream = b.in != null || !isSeekable(b.file);
    this.givenSchema = b.schema;
    this.header = b.header;
    this.delimiter = (byte) b.delimiter;
    this.quote = (byte) b.quote;
    this.nulls = new NullTokens(b.nullTokens);
    this.inferenceRows = b.inferenceRows;
    this.maxFieldChars = b.maxFieldChars;
    this.bufferSize = b.bufferSize;
    this.minPartBytes = b.minPartBytes;
    this.start = 0;
    this.end = -1;
    this.partLines = null;
    this.part = false;
  }

  /** A part of {@code whole}'s file, its lines counted from {@code lines}. */
  private CsvSource(CsvSource whole, CsvSplitter.Part p, PartLines lines) {
    this.file = whole.file;
    this.name = whole.name;
    this.stream = false;
    this.givenSchema = whole.schema;
    this.header = false;
    this.delimiter = whole.delimiter;
    this.quote = whole.quote;
    this.nulls = whole.nulls;
    this.inferenceRows = whole.inferenceRows;
    this.maxFieldChars = whole.maxFieldChars;
    this.bufferSize = whole.bufferSize;
    this.minPartBytes = whole.minPartBytes;
    this.start = p.start();
    this.end = p.end();
    this.partLines = lines;
    this.part = true;
    this.mapping = whole.mapping;
    this.inferredHint = whole.inferredHint;
  }

  /** A source reading {@code file}: a regular file, or a pipe, FIFO or device read as a stream. */
  public static Builder builder(Path file) {
    return new Builder(Objects.requireNonNull(file, "file"), file.toString(), null);
  }

  /**
   * A source reading a stream once (standard input, say), named {@code name} in messages. It is
   * closed with the source.
   */
  public static Builder builder(String name, InputStream in) {
    return new Builder(
        null, Objects.requireNonNull(name, "name"), Objects.requireNonNull(in, "in"));
  }

  private static boolean isSeekable(Path file) {
    return Files.isRegularFile(file) || !Files.exists(file) || Files.isDirectory(file);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Whether {@link #split} can cut the input into parts: false for a stream (pipe, FIFO, standard
   * input), which is read by one worker.
   */
  public boolean splittable() {
    return !stream;
  }

  @Override
  public Schema open() {
    if (tokenizer != null) {
      throw new IllegalStateException("Cannot open " + name + ": already open");
    }
    if (part) {
      schema = givenSchema;
      tokenizer = tokenizer(openChannel(start), start, 0, end);
      tokenizer.partLines(partLines);
      decoder = new RowDecoder(schema, mapping, nulls, inferredHint);
      if (skipFirst) {
        advance();
      }
      return schema;
    }
    InputStream in = stream ? openStream() : null;
    if (givenSchema != null) {
      schema = givenSchema;
    } else if (stream) {
      RecordingInputStream recording = new RecordingInputStream(in);
      schema = inferSchema(recording);
      in = new SequenceInputStream(new ByteArrayInputStream(recording.recorded()), in);
    } else {
      schema = inferSchema(openChannel(0));
    }
    if (givenSchema == null) {
      inferredHint =
          "; the column's type was inferred from the first "
              + inferenceRows
              + " records: sample more (--inference-rows) or give a schema (--schema; `parquet-ingest"
              + " schema` prints the inferred one to edit)";
    }
    tokenizer = tokenizer(stream ? in : openChannel(0), 0, 1, -1);
    checkByteOrderMark(tokenizer);
    if (header) {
      mapping = advance() ? map(Header.read(tokenizer, name)) : new int[0];
    } else {
      mapping = new int[schema.size()];
      for (int i = 0; i < mapping.length; i++) {
        mapping[i] = i;
      }
    }
    decoder = new RowDecoder(schema, mapping, nulls, inferredHint);
    return schema;
  }

  /** The schema in use; null before {@link #open()}. */
  public Schema schema() {
    return schema;
  }

  @Override
  public boolean next(MutableRow row) {
    if (!advance()) {
      if (partLines != null) {
        partLines.progress(tokenizer.offset(), tokenizer.line());
      }
      return false;
    }
    lastLine = tokenizer.recordLine();
    lastOffset = tokenizer.recordOffset();
    if (partLines != null && lastOffset >= nextProgress) {
      partLines.progress(lastOffset, lastLine);
      nextProgress = lastOffset + PROGRESS_BYTES;
    }
    if (!decoder.decode(tokenizer, row)) {
      throw new BadRecordException(
          decoder.problem, name, tokenizer.lineNumber(lastLine), decoder.column, rawRecord());
    }
    return true;
  }

  /** How often a part publishes its progress to {@link PartLines}, in bytes read. */
  private static final long PROGRESS_BYTES = 1 << 20;

  private String rawRecord() {
    CsvTokenizer t = tokenizer;
    return new String(
        t.rawBuffer(), t.rawStart(), t.rawEnd() - t.rawStart(), StandardCharsets.UTF_8);
  }

  private boolean advance() {
    return advance(tokenizer);
  }

  private boolean advance(CsvTokenizer t) {
    try {
      return t.next();
    } catch (CsvTokenizer.FieldTooLong e) {
      throw new BadInputException(
          "Cannot read "
              + name
              + ": a field of the record at line "
              + t.lineNumber(e.line)
              + " is longer than maxFieldChars ("
              + maxFieldChars
              + " bytes); if the field is meant to be this long, raise it (the CLI's"
              + " --max-field-chars, CsvSource.Builder.maxFieldChars(...) in the library), else"
              + " look for a quote that is never closed",
          e);
    } catch (CsvTokenizer.Misaligned e) {
      throw new IngestException("Cannot read " + name + ": " + e.getMessage(), e);
    } catch (IOException | UncheckedIOException e) {
      throw new IngestException("Cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Position position() {
    return new CsvPosition(lastLine, lastOffset, partLines);
  }

  @Override
  public long bytesRead() {
    return tokenizer == null ? 0 : tokenizer.offset() - start;
  }

  @Override
  public long sizeHint() {
    if (part) {
      return end >= 0 ? end - start : -1;
    }
    if (stream) {
      return -1;
    }
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Splits the file into parts that begin exactly at the record starts a single reader finds (see
   * {@link CsvSplitter}, whatever the quoting), so the parts together read exactly the records of
   * the whole file, with the same line numbers (a part's first line is counted only when a message
   * or a position asks for it, see {@link PartLines}). A stream is not split: the result is this
   * source.
   */
  @Override
  public List<Source> split(int parts) {
    return split(parts, minPartBytes);
  }

  /** {@link #split(int)} with a smaller part size, for tests of the boundary search. */
  List<Source> split(int parts, long minPartBytes) {
    if (schema == null || tokenizer == null) {
      throw new IllegalStateException("Cannot split " + name + ": open it first");
    }
    if (parts < 1) {
      throw new IllegalArgumentException("Cannot split " + name + " into " + parts + " parts");
    }
    if (stream) {
      return List.of(this);
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return parts(
          CsvSplitter.split(
              ch, delimiter, quote, tokenizer.offset(), tokenizer.line(), parts, minPartBytes));
    } catch (IOException e) {
      throw new IngestException("Cannot split " + name + ": " + e, e);
    }
  }

  @Override
  public boolean readsRanges() {
    return !stream;
  }

  @Override
  public Range dataStart() {
    if (schema == null || tokenizer == null || part) {
      throw new IllegalStateException("Cannot find the data start of " + name + ": open it first");
    }
    return new Range(tokenizer.offset(), -1, tokenizer.line(), false);
  }

  /**
   * Each range read by its own part; the ranges must begin at record starts (from {@link
   * #dataStart()} or the positions of earlier records, as a resumed run finds them in footers).
   */
  @Override
  public List<Source> ranges(List<Range> ranges) {
    dataStart();
    if (stream) {
      throw new UnsupportedOperationException("Cannot read ranges of a stream: " + name);
    }
    List<Source> result = new ArrayList<>();
    for (Range r : ranges) {
      CsvSource s =
          new CsvSource(
              this,
              new CsvSplitter.Part(r.start(), r.end(), r.line()),
              PartLines.known(r.start(), r.line()));
      s.skipFirst = r.skipFirst();
      result.add(s);
    }
    return result;
  }

  /** Parts with the given nominal borders between the data start and the end, for tests. */
  List<Source> splitAt(long... borders) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long[] nominal = new long[borders.length + 2];
      nominal[0] = tokenizer.offset();
      System.arraycopy(borders, 0, nominal, 1, borders.length);
      nominal[nominal.length - 1] = ch.size();
      return parts(CsvSplitter.splitAt(ch, delimiter, quote, tokenizer.line(), nominal));
    }
  }

  /** Sources for the parts, in file order; a part without its line counts after the one before. */
  private List<Source> parts(List<CsvSplitter.Part> parts) {
    List<Source> result = new ArrayList<>();
    PartLines previous = null;
    for (CsvSplitter.Part p : parts) {
      PartLines lines =
          p.line() != CsvSplitter.UNKNOWN_LINE || previous == null
              ? PartLines.known(p.start(), p.line())
              : PartLines.after(file, p.start(), previous);
      result.add(new CsvSource(this, p, lines));
      previous = lines;
    }
    return result;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (tokenizer != null) {
        tokenizer.close();
      } else if (input != null) {
        input.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close " + name, e);
    }
  }

  private CsvTokenizer tokenizer(InputStream in, long offset, long line, long endOffset) {
    return new CsvTokenizer(
        in, delimiter, quote, offset, line, endOffset, maxFieldChars, bufferSize);
  }

  private InputStream openStream() {
    if (input == null) {
      try {
        input = Files.newInputStream(file);
      } catch (IOException e) {
        throw new BadInputException("Cannot read " + name + ": " + e, e);
      }
    }
    return input;
  }

  private InputStream openChannel(long position) {
    if (Files.isDirectory(file)) {
      throw new BadInputException("Cannot read " + name + ": it is a directory, not a CSV file");
    }
    try {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      ch.position(position);
      return Channels.newInputStream(ch);
    } catch (NoSuchFileException e) {
      throw new BadInputException("Cannot read " + name + ": no such file", e);
    } catch (IOException e) {
      throw new BadInputException("Cannot read " + name + ": " + e, e);
    }
  }

  private void checkByteOrderMark(CsvTokenizer t) {
    String encoding;
    try {
      encoding = t.skipByteOrderMark();
    } catch (IOException e) {
      throw new IngestException("Cannot read " + name + ": " + e.getMessage(), e);
    }
    if (encoding != null) {
      throw new BadInputException(
          "Cannot read "
              + name
              + ": it is "
              + encoding
              + " (its byte-order mark says so), and only UTF-8 is read; convert it first, e.g."
              + " iconv -f "
              + encoding
              + " -t UTF-8");
    }
  }

  /** CSV field i goes to schema column result[i]. */
  private int[] map(Header names) {
    Map<String, Integer> byName = new HashMap<>();
    int[] result = new int[names.names().size()];
    for (int i = 0; i < result.length; i++) {
      String n = names.names().get(i);
      byName.put(n, i);
      int c = schema.indexOf(n);
      if (c < 0) {
        throw new BadInputException(
            "Cannot map column '"
                + n
                + "' of "
                + name
                + ": the schema has no such column (it has "
                + schema.fields().stream().map(f -> f.name()).toList()
                + ")"
                + (names.unnamed()[i]
                    ? "; field " + (i + 1) + " of the header is empty, so it is called '" + n + "'"
                    : ""));
      }
      result[i] = c;
    }
    for (int c = 0; c < schema.size(); c++) {
      if (!byName.containsKey(schema.field(c).name())) {
        throw new BadInputException(
            "Cannot read "
                + name
                + ": schema column '"
                + schema.field(c).name()
                + "' is not in the header "
                + names.names());
      }
    }
    return result;
  }

  private Schema inferSchema(InputStream in) {
    try (CsvTokenizer t = tokenizer(in, 0, 1, -1)) {
      checkByteOrderMark(t);
      List<String> names = null;
      SchemaInference inference = null;
      int rows = 0;
      while (rows < inferenceRows && advance(t)) {
        if (names == null) {
          if (header) {
            names = Header.read(t, name).names();
            inference = new SchemaInference(names.size(), nulls);
            continue;
          }
          names = new ArrayList<>();
          for (int i = 0; i < t.fields(); i++) {
            names.add("column" + (i + 1));
          }
          inference = new SchemaInference(names.size(), nulls);
        }
        if (t.problem() == null) {
          inference.accept(t);
        }
        rows++;
      }
      if (names == null) {
        throw new BadInputException(
            "Cannot infer the schema of " + name + ": the file is empty; give a schema");
      }
      return inference.schema(names);
    } catch (IOException e) {
      throw new BadInputException("Cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  /** A header's column names: empty ones named {@code columnN}; no name twice. */
  record Header(List<String> names, boolean[] unnamed) {
    /** The names in the tokenizer's current record; the one check of a header, for all uses. */
    static Header read(CsvTokenizer t, String source) {
      if (t.problem() != null) {
        throw new BadInputException("Cannot read the header of " + source + ": " + t.problem());
      }
      List<String> names = new ArrayList<>();
      boolean[] unnamed = new boolean[t.fields()];
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < t.fields(); i++) {
        byte[] b = t.bytes(i);
        if (Utf8.firstInvalid(b, t.start(i), t.length(i)) >= 0) {
          throw new BadInputException(
              "Cannot read the header of " + source + ": " + RowDecoder.invalidUtf8(t));
        }
        String n = new String(b, t.start(i), t.length(i), StandardCharsets.UTF_8);
        if (n.isEmpty()) {
          n = "column" + (i + 1);
          unnamed[i] = true;
        }
        Integer before = seen.put(n, i);
        if (before != null) {
          throw new BadInputException(
              "Cannot read the header of "
                  + source
                  + ": the column name '"
                  + n
                  + "' appears twice (fields "
                  + (before + 1)
                  + " and "
                  + (i + 1)
                  + "); rename one, or read with no header and a schema");
        }
        names.add(n);
      }
      return new Header(List.copyOf(names), unnamed);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Header h && names.equals(h.names) && Arrays.equals(unnamed, h.unnamed);
    }

    @Override
    public int hashCode() {
      return names.hashCode();
    }

    @Override
    public String toString() {
      return names.toString();
    }
  }

  /** Keeps a copy of every byte read, so that a stream's inference sample can be read again. */
  private static final class RecordingInputStream extends FilterInputStream {
    private byte[] copy = new byte[1 << 16];
    private int length;

    RecordingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        if (length + n > copy.length) {
          copy = Arrays.copyOf(copy, Math.max(length + n, 2 * copy.length));
        }
        System.arraycopy(b, off, copy, length, n);
        length += n;
      }
      return n;
    }

    /** The sample is read again from here: the stream itself stays open. */
    @Override
    public void close() {}

    byte[] recorded() {
      return Arrays.copyOf(copy, length);
    }
  }

  /**
   * Configures a {@link CsvSource}. Setters reject bad values at once, naming the option. Not
   * thread-safe.
   */
  public static final class Builder {
    private final Path file;
    private final String name;
    private final InputStream in;
    private Schema schema;
    private boolean header = true;
    private char delimiter = ',';
    private char quote = '"';
    private List<String> nullTokens = List.of();
    private int inferenceRows = DEFAULT_INFERENCE_ROWS;
    private int maxFieldChars = DEFAULT_MAX_FIELD_CHARS;
    private int bufferSize = CsvTokenizer.DEFAULT_BUFFER;
    private long minPartBytes = MIN_PART_BYTES;

    private Builder(Path file, String name, InputStream in) {
      this.file = file;
      this.name = name;
      this.in = in;
    }

    /** The schema of the rows; if unset it is inferred from the first records. */
    public Builder schema(Schema schema) {
      this.schema = Objects.requireNonNull(schema, "schema");
      return this;
    }

    /** Whether the first record names the columns. Default true. */
    public Builder header(boolean header) {
      this.header = header;
      return this;
    }

    /** Field separator, an ASCII character. Default {@code ,}. */
    public Builder delimiter(char delimiter) {
      if (delimiter == '\r' || delimiter == '\n' || delimiter == quote || delimiter >= 0x80) {
        throw new IllegalArgumentException(
            "Invalid delimiter '"
                + printable(delimiter)
                + "': must be an ASCII character, not a line end or the quote");
      }
      this.delimiter = delimiter;
      return this;
    }

    /** Quote character, an ASCII character. Default {@code "}. */
    public Builder quote(char quote) {
      if (quote == '\r' || quote == '\n' || quote == delimiter || quote >= 0x80) {
        throw new IllegalArgumentException(
            "Invalid quote '"
                + printable(quote)
                + "': must be an ASCII character, not a line end or the delimiter");
      }
      this.quote = quote;
      return this;
    }

    /**
     * Unquoted values read as null besides the empty field, e.g. {@code NULL}, {@code \N}. Default
     * none.
     */
    public Builder nullTokens(String... tokens) {
      for (String t : tokens) {
        if (t == null || t.isEmpty()) {
          throw new IllegalArgumentException(
              "Invalid nullTokens: a token must not be empty (empty fields are null already)");
        }
      }
      this.nullTokens = List.of(tokens);
      return this;
    }

    /**
     * Records sampled to infer the schema. Default {@value #DEFAULT_INFERENCE_ROWS}; raise it when
     * a value far into the file does not fit the type the first records suggest.
     */
    public Builder inferenceRows(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException(
            "Invalid inferenceRows " + rows + ": must be at least 1");
      }
      this.inferenceRows = rows;
      return this;
    }

    /**
     * The longest field accepted, in bytes; a longer one ends the read with an error naming the
     * line (protection against a quote that is never closed in a large file). Default 16M.
     */
    public Builder maxFieldChars(int chars) {
      if (chars < 1024) {
        throw new IllegalArgumentException(
            "Invalid maxFieldChars " + chars + ": must be at least 1024");
      }
      this.maxFieldChars = chars;
      return this;
    }

    /** The initial read buffer, in bytes; small ones for tests of refills. */
    Builder bufferSize(int bytes) {
      this.bufferSize = bytes;
      return this;
    }

    /** The smallest part {@link #split} makes; small ones for tests of the split. */
    Builder minPartBytes(long bytes) {
      this.minPartBytes = bytes;
      return this;
    }

    public CsvSource build() {
      return new CsvSource(this);
    }

    private static String printable(char c) {
      return c == '\n' ? "\\n" : c == '\r' ? "\\r" : String.valueOf(c);
    }
  }
}
