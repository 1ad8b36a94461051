package dev.parquetingest.parquet;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter;
import org.apache.parquet.column.values.dictionary.IntList;
import org.apache.parquet.column.values.factory.DefaultValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;

/**
 * parquet-java's values writers, with a dictionary-encoded column's first page of ids kept in a
 * list that starts small. parquet-java's {@link IntList} allocates a 16 KiB slab for the first id
 * of every dictionary column, and a row group's writers are made afresh for each file: with
 * hundreds of partitions open, that slab was most of an open file's heap (12 columns: 190 KiB of
 * 230). The values and the encoding are unchanged, so the bytes of the file are too; only the first
 * page of each column writer is affected (parquet-java replaces the list when it starts the next
 * page, and a file with more than a page of rows is a large file anyway).
 *
 * <p>It also keeps the dictionary writers of the open row group, so that {@link
 * #dictionaryEntryBytes()} can add what parquet-java's allocated-size figure leaves out of a
 * dictionary: it counts the raw bytes of the values, not the objects and hash slots that hold them.
 *
 * <p>Where the JVM refuses access to the writer's list field, the writers stay as they are. One
 * instance per file (through {@link WriterProperties#parquetProperties}); not thread-safe.
 */
final class SmallDictionaryIds implements ValuesWriterFactory {
  private static final Field ENCODED_VALUES = encodedValuesField();

  /**
   * Heap per dictionary entry beyond its raw bytes: the copied {@code Binary} or the boxed key's
   * slot, the hash table's key, value and link arrays at its load factor; measured by {@code
   * OpenFileFootprintTest}.
   */
  static final int ENTRY_OVERHEAD_BYTES = 80;

  private final ValuesWriterFactory delegate = new DefaultValuesWriterFactory();

  /** The dictionary writers of the open row group, by column. */
  private final Map<ColumnDescriptor, DictionaryValuesWriter> dictionaries = new HashMap<>();

  private static Field encodedValuesField() {
    try {
      Field f = DictionaryValuesWriter.class.getDeclaredField("encodedValues");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public void initialize(ParquetProperties properties) {
    delegate.initialize(properties);
  }

  @Override
  public ValuesWriter newValuesWriter(ColumnDescriptor descriptor) {
    ValuesWriter w = delegate.newValuesWriter(descriptor);
    if (w instanceof FallbackValuesWriter
        && ((FallbackValuesWriter<?, ?>) w).initialWriter instanceof DictionaryValuesWriter) {
      DictionaryValuesWriter dictionary =
          (DictionaryValuesWriter) ((FallbackValuesWriter<?, ?>) w).initialWriter;
      dictionaries.put(descriptor, dictionary);
      if (ENCODED_VALUES != null) {
        try {
          ENCODED_VALUES.set(dictionary, new GrowingIntList());
        } catch (IllegalAccessException | RuntimeException e) {
          // keep parquet-java's own list
        }
      }
    }
    return w;
  }

  /**
   * Heap the dictionaries of the open row group hold beyond the raw bytes of their values, which
   * parquet-java already counts: {@value #ENTRY_OVERHEAD_BYTES} bytes per entry. A dictionary that
   * fell back to plain encoding is empty. Walks the columns.
   */
  long dictionaryEntryBytes() {
    long entries = 0;
    for (DictionaryValuesWriter d : dictionaries.values()) {
      entries += dictionarySize(d);
    }
    return entries * ENTRY_OVERHEAD_BYTES;
  }

  /** {@code getDictionarySize()}: public in every concrete writer, protected in their base. */
  private static final ClassValue<Method> DICTIONARY_SIZE =
      new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
          try {
            return type.getMethod("getDictionarySize");
          } catch (NoSuchMethodException | RuntimeException e) {
            return null;
          }
        }
      };

  private static int dictionarySize(DictionaryValuesWriter d) {
    Method m = DICTIONARY_SIZE.get(d.getClass());
    if (m == null) {
      return 0;
    }
    try {
      return (Integer) m.invoke(d);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return 0;
    }
  }

  /** One array that starts at 64 ids and doubles: what an {@link IntList} does, smaller. */
  static final class GrowingIntList extends IntList {
    private int[] values = new int[64];
    private int size;

    @Override
    public void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    @Override
    public IntIterator iterator() {
      return new IntIterator(new int[][] {values}, size);
    }

    @Override
    public int size() {
      return size;
    }

    /** Heap bytes of the id array. */
    long allocatedBytes() {
      return 16L + 4L * values.length;
    }
  }
}
