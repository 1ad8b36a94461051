package dev.parquetingest.csv;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import dev.parquetingest.BadInputException;
import dev.parquetingest.BadRecordException;
import dev.parquetingest.IngestException;
import dev.parquetingest.schema.MutableRow;
import dev.parquetingest.schema.Schema;
import dev.parquetingest.spi.Position;
import dev.parquetingest.spi.Source;
import dev.parquetingest.spi.SplittableSource;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads an RFC 4180 CSV file (UTF-8; quotes, doubled quotes, quoted newlines, CR, LF and CRLF
 * line ends, a UTF-8 byte-order mark) with FastCSV, decoding each field straight into a reused
 * row.
 *
 * <p>The schema is given or inferred from the first {@link Builder#inferenceRows} records. With a
 * header, CSV columns are matched to schema columns by name; without one, by position (inferred
 * columns are then named {@code column1, column2, ...}).
 *
 * <p>Values: unquoted empty fields and the configured null tokens are null; a quoted empty field
 * is an empty string in string columns and null elsewhere. Booleans accept
 * true/false/t/f/yes/no/y/n/1/0; dates {@code yyyy-MM-dd}; timestamps {@code yyyy-MM-dd
 * HH:mm[:ss[.fraction]]} with {@code T} or a space and an optional {@code Z} or offset; decimals
 * must fit their precision and scale without rounding; spaces around non-text values are
 * ignored. Binary columns hold the field's UTF-8 bytes.
 *
 * <p>Bad records ({@link BadRecordException}): a value that does not fit its column, a wrong
 * number of fields, an empty value in a non-nullable column, invalid UTF-8. Each names the file,
 * line and column. Broken CSV structure (a quote never closed, text after a closing quote, a
 * field longer than {@link Builder#maxFieldChars}) ends the read with a {@link
 * BadInputException}. Not thread-safe.
 */
public final class CsvSource implements SplittableSource {
  /** Records read to infer a schema unless set. */
  public static final int DEFAULT_INFERENCE_ROWS = 10_000;

  /** The longest field accepted unless set, in characters (FastCSV's default buffer). */
  public static final int DEFAULT_MAX_FIELD_CHARS = 16 * 1024 * 1024;

  /** Parts smaller than this are not worth a worker of their own. */
  static final long MIN_PART_BYTES = 4L * 1024 * 1024;

  private final Path file;
  private final String name;
  private final Schema givenSchema;
  private final boolean header;
  private final char delimiter;
  private final char quote;
  private final List<String> nullTokens;
  private final int inferenceRows;
  private final int maxFieldChars;

  /** For a part of a split file: its byte range and the line its first byte is on. */
  private final long start;
  private final long end;
  private final long firstLine;
  private int[] mapping;

  private Schema schema;
  private CountingInputStream counting;
  private Utf8Reader utf8;
  private CsvReader<MutableRow> reader;
  private CloseableIterator<MutableRow> records;
  private RowHandler handler;
  private MutableRow targetRow;
  private long lastLine;
  private boolean closed;

  private CsvSource(Builder b) {
    this.file = b.file;
    this.name = b.file.toString();
    this.givenSchema = b.schema;
    this.header = b.header;
    this.delimiter = b.delimiter;
    this.quote = b.quote;
    this.nullTokens = List.copyOf(b.nullTokens);
    this.inferenceRows = b.inferenceRows;
    this.maxFieldChars = b.maxFieldChars;
    this.start = 0;
    this.end = -1;
    this.firstLine = 1;
  }

  /** A part of {@code whole}'s file: the records starting in [start, end), without header. */
  private CsvSource(CsvSource whole, long start, long end, long firstLine) {
    this.file = whole.file;
    this.name = whole.name;
    this.givenSchema = whole.schema;
    this.header = false;
    this.delimiter = whole.delimiter;
    this.quote = whole.quote;
    this.nullTokens = whole.nullTokens;
    this.inferenceRows = whole.inferenceRows;
    this.maxFieldChars = whole.maxFieldChars;
    this.start = start;
    this.end = end;
    this.firstLine = firstLine;
    this.mapping = whole.mapping;
  }

  public static Builder builder(Path file) {
    return new Builder(file);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Schema open() {
    if (reader != null) {
      throw new IllegalStateException("Cannot open " + name + ": already open");
    }
    schema = givenSchema != null ? givenSchema : inferSchema();
    handler = new RowHandler(schema, nullTokenChars(), delimiter, quote);
    openReader();
    targetRow = new MutableRow(schema);
    handler.target(targetRow);
    if (mapping == null && header) {
      List<String> names = new ArrayList<>();
      handler.readHeader(names);
      if (!advance()) {
        names = List.of();
      }
      mapping = header(names);
    } else if (mapping == null) {
      mapping = new int[schema.size()];
      for (int i = 0; i < mapping.length; i++) {
        mapping[i] = i;
      }
    }
    handler.mapping(mapping);
    return schema;
  }

  /** The schema in use; null before {@link #open()}. */
  public Schema schema() {
    return schema;
  }

  @Override
  public boolean next(MutableRow row) {
    if (row != targetRow) {
      targetRow = row;
      handler.target(row);
    }
    if (!advance()) {
      return false;
    }
    long line = handler.line() + firstLine - 1;
    lastLine = line;
    String problem = handler.errorProblem;
    String column = handler.errorColumn;
    java.util.ArrayDeque<Utf8Reader.Malformed> malformed = utf8.malformed();
    if (!malformed.isEmpty() && malformed.peek().line <= line + handler.extraLines()) {
      // malformed lines are absolute (the reader starts at this part's first line)
      Utf8Reader.Malformed first = malformed.peek();
      while (!malformed.isEmpty() && malformed.peek().line <= line + handler.extraLines()) {
        malformed.poll();
      }
      problem = "Cannot decode record: " + first.describe();
      column = null;
    }
    if (problem != null) {
      throw new BadRecordException(problem, name, line, column, handler.rawRecord());
    }
    return true;
  }

  private boolean advance() {
    try {
      if (!records.hasNext()) {
        return false;
      }
      records.next();
      return true;
    } catch (CsvParseException e) {
      String cause = e.getCause() != null ? e.getCause().getMessage() : null;
      throw new BadInputException(
          "Cannot parse "
              + name
              + " after line "
              + lastLine
              + ": "
              + e.getMessage()
              + (cause != null ? " (" + cause + ")" : "")
              + (String.valueOf(e.getMessage()).contains("buffer size") || String.valueOf(cause).contains("buffer size")
                  ? "; raise maxFieldChars (now " + maxFieldChars + ") if the field is meant to be this long"
                  : ""),
          e);
    } catch (UncheckedIOException e) {
      throw new IngestException("Cannot read " + name + ": " + e.getCause().getMessage(), e);
    }
  }

  @Override
  public Position position() {
    return new CsvPosition(lastLine);
  }

  @Override
  public long bytesRead() {
    return counting == null ? 0 : counting.count;
  }

  @Override
  public long sizeHint() {
    if (end >= 0) {
      return end - start;
    }
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Splits the file into byte ranges that start at record boundaries, found without parsing:
   * the workers first count quote characters and line feeds in their nominal ranges in parallel;
   * a line feed after an even number of quotes (counted from the first data record) ends a
   * record, so each range starts after the first such line feed at or after its nominal start.
   * This holds for RFC 4180 quoting (quotes only around fields and doubled inside them); a quote
   * character inside an unquoted field would mislead it, so read such files with one worker.
   * Line numbers in messages stay those of the whole file.
   */
  @Override
  public List<Source> split(int parts) {
    return split(parts, MIN_PART_BYTES);
  }

  /** {@link #split(int)} with a smaller part size, for tests of the boundary search. */
  List<Source> split(int parts, long minPartBytes) {
    if (schema == null || reader == null) {
      throw new IllegalStateException("Cannot split " + name + ": open it first");
    }
    if (parts < 1) {
      throw new IllegalArgumentException("Cannot split " + name + " into " + parts + " parts");
    }
    try {
      return CsvSplitter.split(this, file, quote, header, parts, minPartBytes);
    } catch (IOException e) {
      throw new IngestException("Cannot split " + name + ": " + e, e);
    }
  }

  /** A part reading the records that start in [start, end); the first is on {@code line}. */
  CsvSource part(long start, long end, long line) {
    return new CsvSource(this, start, end, line);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeReader();
  }

  private void openReader() {
    InputStream in;
    try {
      if (end >= 0) {
        java.nio.channels.FileChannel ch =
            java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ);
        ch.position(start);
        in = new RangeInputStream(java.nio.channels.Channels.newInputStream(ch), end - start);
      } else {
        in = Files.newInputStream(file);
      }
    } catch (NoSuchFileException e) {
      throw new BadInputException("Cannot read " + name + ": no such file", e);
    } catch (IOException e) {
      throw new BadInputException("Cannot read " + name + ": " + e, e);
    }
    counting = new CountingInputStream(new BufferedInputStream(in, 1 << 16));
    utf8 = new Utf8Reader(counting, start, firstLine - 1);
    reader =
        readerBuilder()
            .build(handler, utf8);
    records = reader.iterator();
  }

  /**
   * FastCSV configured for this source's dialect; field counts are checked by the row handler so
   * that a ragged record is a bad record, not the end of the read.
   */
  private CsvReader.CsvReaderBuilder readerBuilder() {
    return CsvReader.builder()
        .fieldSeparator(delimiter)
        .quoteCharacter(quote)
        .skipEmptyLines(true)
        .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
        .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
        .maxBufferSize(maxFieldChars);
  }

  private void closeReader() {
    try {
      if (reader != null) {
        reader.close();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot close " + name, e);
    }
  }

  private int[] header(List<String> names) {
    Map<String, Integer> byName = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      if (byName.put(names.get(i), i) != null) {
        throw new BadInputException(
            "Cannot read header of " + name + ": column '" + names.get(i) + "' appears twice");
      }
    }
    if (names.isEmpty()) {
      return new int[0];
    }
    int[] result = new int[names.size()];
    for (int i = 0; i < names.size(); i++) {
      int c = schema.indexOf(names.get(i));
      if (c < 0) {
        throw new BadInputException(
            "Cannot map column '"
                + names.get(i)
                + "' of "
                + name
                + ": the schema has no such column (it has "
                + schema.fields().stream().map(f -> f.name()).toList()
                + ")");
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
                + names);
      }
    }
    return result;
  }

  private char[][] nullTokenChars() {
    char[][] tokens = new char[nullTokens.size()][];
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] = nullTokens.get(i).toCharArray();
    }
    return tokens;
  }

  private Schema inferSchema() {
    SampleHandler sample = new SampleHandler();
    try (CsvReader<List<String>> r =
        readerBuilder()
            .build(sample, new Utf8Reader(Files.newInputStream(file), 0, 0))) {
      List<String> names = null;
      SchemaInference inference = null;
      int rows = 0;
      for (List<String> fields : r) {
        if (names == null) {
          names = new ArrayList<>();
          Set<String> seen = new HashSet<>();
          for (int i = 0; i < fields.size(); i++) {
            String n = header ? fields.get(i) : "column" + (i + 1);
            if (n.isEmpty()) {
              n = "column" + (i + 1);
            }
            if (!seen.add(n)) {
              throw new BadInputException(
                  "Cannot read header of " + name + ": column '" + n + "' appears twice");
            }
            names.add(n);
          }
          inference = new SchemaInference(names.size(), nullTokenCharList());
          if (header) {
            continue;
          }
        }
        if (rows++ >= inferenceRows) {
          break;
        }
        for (int i = 0; i < fields.size(); i++) {
          inference.accept(i, fields.get(i), sample.quoted.get(i));
        }
      }
      if (names == null) {
        throw new BadInputException(
            "Cannot infer the schema of " + name + ": the file is empty; give a schema");
      }
      return inference.schema(names);
    } catch (NoSuchFileException e) {
      throw new BadInputException("Cannot read " + name + ": no such file", e);
    } catch (CsvParseException e) {
      throw new BadInputException("Cannot infer the schema of " + name + ": " + e.getMessage(), e);
    } catch (IOException | UncheckedIOException e) {
      throw new BadInputException("Cannot read " + name + ": " + e.getMessage(), e);
    }
  }

  private List<char[]> nullTokenCharList() {
    return List.of(nullTokenChars());
  }

  /** Collects fields as strings, with their quoted flag, for schema inference. */
  private static final class SampleHandler extends AbstractBaseCsvCallbackHandler<List<String>> {
    private List<String> fields = new ArrayList<>();
    final List<Boolean> quoted = new ArrayList<>();

    @Override
    protected void handleBegin(long startingLineNumber) {
      fields = new ArrayList<>();
      quoted.clear();
    }

    @Override
    protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean q) {
      fields.add(new String(buf, offset, len));
      quoted.add(q);
    }

    @Override
    protected List<String> buildRecord() {
      return fields;
    }
  }

  /** Reads at most {@code remaining} bytes, then reports the end. */
  private static final class RangeInputStream extends FilterInputStream {
    private long remaining;

    RangeInputStream(InputStream in, long length) {
      super(in);
      this.remaining = length;
    }

    @Override
    public int read() throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int b = in.read();
      if (b >= 0) {
        remaining--;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n > 0) {
        remaining -= n;
      }
      return n;
    }
  }

  private static final class CountingInputStream extends FilterInputStream {
    long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }

  /**
   * Configures a {@link CsvSource}. Setters reject bad values at once, naming the option. Not
   * thread-safe.
   */
  public static final class Builder {
    private final Path file;
    private Schema schema;
    private boolean header = true;
    private char delimiter = ',';
    private char quote = '"';
    private List<String> nullTokens = List.of();
    private int inferenceRows = DEFAULT_INFERENCE_ROWS;
    private int maxFieldChars = DEFAULT_MAX_FIELD_CHARS;

    private Builder(Path file) {
      this.file = Objects.requireNonNull(file, "file");
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

    /** Field separator. Default {@code ,}. */
    public Builder delimiter(char delimiter) {
      if (delimiter == '\r' || delimiter == '\n' || delimiter == quote) {
        throw new IllegalArgumentException(
            "Invalid delimiter '" + printable(delimiter) + "': must not be a line end or the quote");
      }
      this.delimiter = delimiter;
      return this;
    }

    /** Quote character. Default {@code "}. */
    public Builder quote(char quote) {
      if (quote == '\r' || quote == '\n' || quote == delimiter) {
        throw new IllegalArgumentException(
            "Invalid quote '" + printable(quote) + "': must not be a line end or the delimiter");
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

    /** Records sampled to infer the schema. Default {@value #DEFAULT_INFERENCE_ROWS}. */
    public Builder inferenceRows(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("Invalid inferenceRows " + rows + ": must be at least 1");
      }
      this.inferenceRows = rows;
      return this;
    }

    /**
     * The longest field accepted, in characters; longer ones end the read with an error naming
     * the line (protection against a quote that is never closed). Default 16M.
     */
    public Builder maxFieldChars(int chars) {
      if (chars < 1024) {
        throw new IllegalArgumentException(
            "Invalid maxFieldChars " + chars + ": must be at least 1024");
      }
      this.maxFieldChars = chars;
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
