package dev.parquetingest.internal;

import java.util.Map;

/**
 * A minimal JSON writer for reports and rejects: objects, strings, numbers, booleans, null. Writing
 * only; core needs no JSON parser, so it carries no JSON library. Not thread-safe.
 */
public final class Json {
  private final StringBuilder out = new StringBuilder();
  private final boolean pretty;
  private int depth;
  private boolean first = true;

  public Json(boolean pretty) {
    this.pretty = pretty;
  }

  /** Moves what was written so far to {@code to}, so that a long document needs no long buffer. */
  public void drainTo(Appendable to) throws java.io.IOException {
    to.append(out);
    out.setLength(0);
  }

  public Json beginObject() {
    out.append('{');
    depth++;
    first = true;
    return this;
  }

  public Json endObject() {
    depth--;
    if (!first) {
      newline();
    }
    out.append('}');
    first = false;
    return this;
  }

  public Json beginArray(String name) {
    key(name);
    out.append('[');
    depth++;
    first = true;
    return this;
  }

  public Json endArray() {
    depth--;
    if (!first) {
      newline();
    }
    out.append(']');
    first = false;
    return this;
  }

  /** Starts an object as the next element of the current array. */
  public Json beginElement() {
    separator();
    return beginObject();
  }

  public Json field(String name, String value) {
    key(name);
    if (value == null) {
      out.append("null");
    } else {
      quote(out, value);
    }
    return this;
  }

  public Json field(String name, long value) {
    key(name);
    out.append(value);
    return this;
  }

  public Json field(String name, double value) {
    key(name);
    if (Double.isFinite(value)) {
      out.append(value);
    } else {
      out.append("null");
    }
    return this;
  }

  public Json field(String name, boolean value) {
    key(name);
    out.append(value);
    return this;
  }

  /** An object field of string values, in key order whatever the map's own order. */
  public Json field(String name, Map<String, String> values) {
    key(name);
    beginObject();
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(values).entrySet()) {
      field(e.getKey(), e.getValue());
    }
    return endObject();
  }

  /** Starts a nested object field. */
  public Json beginObject(String name) {
    key(name);
    return beginObject();
  }

  private void key(String name) {
    separator();
    quote(out, name);
    out.append(pretty ? ": " : ":");
  }

  private void separator() {
    if (!first) {
      out.append(',');
    }
    first = false;
    newline();
  }

  private void newline() {
    if (pretty) {
      out.append('\n');
      for (int i = 0; i < depth; i++) {
        out.append("  ");
      }
    }
  }

  /** Appends {@code s} as a JSON string literal. */
  public static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
