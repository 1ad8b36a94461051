package dev.parquetingest.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ordered list of uniquely named {@link Field}s: the columns of every row and of every Parquet
 * file written from them. Immutable and thread-safe.
 *
 * <p>Build one with {@link #builder()} or read the text form with {@link #parse(String)}: one
 * column per line, {@code name: type [not null]}, {@code #} starts a comment. Types: {@code
 * boolean, int32, int64, float, double, string, binary, date, timestamp(millis|micros[,local]),
 * decimal(p,s)}.
 */
public final class Schema {
  private static final Pattern LINE =
      Pattern.compile("^\\s*([^:#]+?)\\s*:\\s*([a-z0-9_]+(?:\\([^)]*\\))?)\\s*(not\\s+null)?\\s*$");
  private static final Pattern PARAMS = Pattern.compile("^([a-z0-9_]+)(?:\\(([^)]*)\\))?$");

  private final List<Field> fields;
  private final Map<String, Integer> indexByName;

  private Schema(List<Field> fields) {
    if (fields.isEmpty()) {
      throw new IllegalArgumentException("Cannot create schema: it has no columns");
    }
    this.fields = List.copyOf(fields);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < fields.size(); i++) {
      Integer previous = index.put(fields.get(i).name(), i);
      if (previous != null) {
        throw new IllegalArgumentException(
            "Cannot create schema: column name '" + fields.get(i).name() + "' appears twice");
      }
    }
    this.indexByName = Collections.unmodifiableMap(index);
  }

  public static Schema of(List<Field> fields) {
    return new Schema(fields);
  }

  public static Builder builder() {
    return new Builder();
  }

  public int size() {
    return fields.size();
  }

  public Field field(int index) {
    return fields.get(index);
  }

  public List<Field> fields() {
    return fields;
  }

  /** The index of the named column, or -1. */
  public int indexOf(String name) {
    Integer i = indexByName.get(name);
    return i == null ? -1 : i;
  }

  /**
   * Parses the text form described in the class comment.
   *
   * @throws IllegalArgumentException naming the line that cannot be read
   */
  public static Schema parse(String text) {
    Builder builder = builder();
    String[] lines = text.split("\\R", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash);
      }
      if (line.isBlank()) {
        continue;
      }
      Matcher m = LINE.matcher(line.toLowerCase(Locale.ROOT));
      Matcher original = LINE.matcher(line);
      if (!m.matches() || !original.matches()) {
        throw new IllegalArgumentException(
            "Cannot parse schema line "
                + (i + 1)
                + ": \""
                + lines[i].strip()
                + "\"; expected 'name: type [not null]'");
      }
      ColumnType type;
      try {
        type = parseType(m.group(2).replace(" ", ""));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Cannot parse schema line " + (i + 1) + ": " + e.getMessage(), e);
      }
      builder.column(original.group(1), type, m.group(3) == null);
    }
    return builder.build();
  }

  /** Parses one type name as written in schema files, e.g. {@code decimal(10,2)}. */
  public static ColumnType parseType(String text) {
    Matcher m = PARAMS.matcher(text.trim().toLowerCase(Locale.ROOT).replace(" ", ""));
    if (!m.matches()) {
      throw new IllegalArgumentException("unknown type '" + text + "'");
    }
    String name = m.group(1);
    String[] params = m.group(2) == null ? new String[0] : m.group(2).split(",");
    switch (name) {
      case "boolean":
      case "bool":
        return ColumnType.booleanType();
      case "int32":
      case "int":
        return ColumnType.int32();
      case "int64":
      case "long":
      case "bigint":
        return ColumnType.int64();
      case "float":
        return ColumnType.float32();
      case "double":
        return ColumnType.float64();
      case "string":
        return ColumnType.string();
      case "binary":
        return ColumnType.binary();
      case "date":
        return ColumnType.date();
      case "timestamp":
        {
          String unit = params.length > 0 ? params[0] : "micros";
          boolean utc = true;
          if (params.length > 1) {
            if (params[1].equals("local")) {
              utc = false;
            } else if (!params[1].equals("utc")) {
              throw new IllegalArgumentException(
                  "unknown timestamp zone '" + params[1] + "' in '" + text + "' (utc or local)");
            }
          }
          if (unit.equals("millis")) {
            return ColumnType.timestampMillis(utc);
          } else if (unit.equals("micros")) {
            return ColumnType.timestampMicros(utc);
          }
          throw new IllegalArgumentException(
              "unknown timestamp unit '" + unit + "' in '" + text + "' (millis or micros)");
        }
      case "decimal":
        if (params.length != 2) {
          throw new IllegalArgumentException("decimal needs (precision,scale): '" + text + "'");
        }
        try {
          return ColumnType.decimal(Integer.parseInt(params[0]), Integer.parseInt(params[1]));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("decimal needs (precision,scale): '" + text + "'", e);
        }
      default:
        throw new IllegalArgumentException(
            "unknown type '"
                + text
                + "' (boolean, int32, int64, float, double, string, binary, date,"
                + " timestamp(millis|micros[,local]), decimal(p,s))");
    }
  }

  /** The text form accepted by {@link #parse(String)}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (Field f : fields) {
      sb.append(f).append('\n');
    }
    return sb.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schema && ((Schema) o).fields.equals(fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  /** Collects columns in order. Not thread-safe. */
  public static final class Builder {
    private final List<Field> fields = new ArrayList<>();

    private Builder() {}

    public Builder column(String name, ColumnType type, boolean nullable) {
      fields.add(new Field(name, type, nullable));
      return this;
    }

    /** Adds a nullable column. */
    public Builder optional(String name, ColumnType type) {
      return column(name, type, true);
    }

    /** Adds a column that must never be null. */
    public Builder required(String name, ColumnType type) {
      return column(name, type, false);
    }

    public Schema build() {
      return new Schema(fields);
    }
  }
}
