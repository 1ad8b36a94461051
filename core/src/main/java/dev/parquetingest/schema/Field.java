package dev.parquetingest.schema;

import java.util.Objects;

/** A named, typed column of a {@link Schema}. Immutable and thread-safe. */
public final class Field {
  private final String name;
  private final ColumnType type;
  private final boolean nullable;

  public Field(String name, ColumnType type, boolean nullable) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("Cannot create field: name must not be empty");
    }
    this.name = name;
    this.type = Objects.requireNonNull(type, "type");
    this.nullable = nullable;
  }

  public String name() {
    return name;
  }

  public ColumnType type() {
    return type;
  }

  public boolean nullable() {
    return nullable;
  }

  @Override
  public String toString() {
    return name + ": " + type + (nullable ? "" : " not null");
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Field)) {
      return false;
    }
    Field f = (Field) o;
    return name.equals(f.name) && type.equals(f.type) && nullable == f.nullable;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, type, nullable);
  }
}
