import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Checks that two Parquet globs hold the same multiset of rows (columns compared by position,
 * cast to text so that type choices do not matter). Prints the two counts and the differences;
 * exits 1 if they differ. Arguments: globA globB.
 */
public class SameRows {
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = c.createStatement()) {
      s.execute("SET threads=2");
      String a = "read_parquet('" + args[0] + "')";
      String b = "read_parquet('" + args[1] + "')";
      String cols = columns(s, a);
      String colsB = columns(s, b);
      String qa = "SELECT " + cols + " FROM " + a;
      String qb = "SELECT " + colsB + " FROM " + b;
      long na = count(s, "SELECT count(*) FROM " + a);
      long nb = count(s, "SELECT count(*) FROM " + b);
      long ab = count(s, "SELECT count(*) FROM (" + qa + " EXCEPT ALL " + qb + ")");
      long ba = count(s, "SELECT count(*) FROM (" + qb + " EXCEPT ALL " + qa + ")");
      System.out.println("rows " + na + " vs " + nb + ", only in first " + ab + ", only in second " + ba);
      if (na != nb || ab != 0 || ba != 0) {
        System.exit(1);
      }
    }
  }

  /** Every column cast to VARCHAR, in order. */
  private static String columns(Statement s, String relation) throws Exception {
    StringBuilder sb = new StringBuilder();
    try (ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
      int i = 0;
      while (rs.next()) {
        if (i++ > 0) {
          sb.append(", ");
        }
        String type = rs.getString(2);
        String col = "\"" + rs.getString(1).replace("\"", "\"\"") + "\"";
        // timestamps: compare as instants, whatever zone semantics each writer chose
        sb.append(type.startsWith("TIMESTAMP") ? "epoch_us(" + col + "::TIMESTAMP)" : "CAST(" + col + " AS VARCHAR)");
      }
    }
    return sb.toString();
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
