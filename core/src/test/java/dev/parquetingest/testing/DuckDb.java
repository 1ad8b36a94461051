package dev.parquetingest.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * DuckDB through JDBC: the independent Parquet reader of the test suites. One in-memory database
 * per test JVM (connecting costs about half a second). Thread-safe through synchronisation.
 */
public final class DuckDb {
  private static Connection connection;

  private DuckDb() {}

  private static synchronized Connection connection() throws SQLException {
    if (connection == null) {
      connection = DriverManager.getConnection("jdbc:duckdb:");
      try (Statement s = connection.createStatement()) {
        s.execute("SET threads=1");
        s.execute("SET TimeZone='UTC'");
      }
    }
    return connection;
  }

  /** Runs a query and returns every row as a list of JDBC objects. */
  public static synchronized List<List<Object>> query(String sql) {
    try (Statement s = connection().createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      ResultSetMetaData md = rs.getMetaData();
      List<List<Object>> rows = new ArrayList<>();
      while (rs.next()) {
        List<Object> row = new ArrayList<>(md.getColumnCount());
        for (int i = 1; i <= md.getColumnCount(); i++) {
          row.add(rs.getObject(i));
        }
        rows.add(row);
      }
      return rows;
    } catch (SQLException e) {
      throw new AssertionError("DuckDB query failed: " + sql + ": " + e.getMessage(), e);
    }
  }

  /** A single value. */
  public static Object scalar(String sql) {
    return query(sql).get(0).get(0);
  }

  /** A SQL string literal for a path. */
  public static String literal(Path p) {
    return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
  }

  /** A SQL string literal for several paths: {@code ['a', 'b']}. */
  public static String literal(List<Path> paths) {
    StringBuilder sb = new StringBuilder("[");
    for (Path p : paths) {
      if (sb.length() > 1) {
        sb.append(", ");
      }
      sb.append(literal(p));
    }
    return sb.append(']').toString();
  }

  public static long count(Path parquet) {
    return ((Number) scalar("SELECT count(*) FROM read_parquet(" + literal(parquet) + ")"))
        .longValue();
  }

  /** The compression codecs of every column chunk, from the footer as DuckDB reads it. */
  public static Set<String> codecs(Path parquet) {
    Set<String> codecs = new TreeSet<>();
    for (List<Object> r :
        query("SELECT DISTINCT compression FROM parquet_metadata(" + literal(parquet) + ")")) {
      codecs.add(String.valueOf(r.get(0)));
    }
    return codecs;
  }

  /** The footer's key-value metadata as DuckDB reads it ({@code parquet_kv_metadata}). */
  public static java.util.Map<String, String> kvMetadata(Path parquet) {
    java.util.Map<String, String> kv = new java.util.TreeMap<>();
    for (List<Object> r :
        query(
            "SELECT decode(key), decode(value) FROM parquet_kv_metadata("
                + literal(parquet)
                + ")")) {
      kv.put(String.valueOf(r.get(0)), String.valueOf(r.get(1)));
    }
    return kv;
  }

  /** The encodings listed for each column, by column path. */
  public static List<List<Object>> encodings(Path parquet) {
    return query(
        "SELECT path_in_schema, encodings FROM parquet_metadata("
            + literal(parquet)
            + ") ORDER BY row_group_id, column_id");
  }
}
