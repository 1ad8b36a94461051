import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * The competitor in bench/e2e.sh: DuckDB converting a CSV file to ZSTD Parquet through JDBC.
 * Arguments: input.csv output.parquet threads.
 */
public class DuckDbCsvToParquet {
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET threads=" + Integer.parseInt(args[2]));
      s.execute("COPY (SELECT * FROM read_csv('" + args[0].replace("'", "''") + "')) TO '"
          + args[1].replace("'", "''") + "' (FORMAT PARQUET, COMPRESSION ZSTD)");
    }
  }
}
