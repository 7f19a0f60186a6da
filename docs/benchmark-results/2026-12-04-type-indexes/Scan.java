import java.io.*; import java.nio.charset.StandardCharsets; import java.nio.file.*; import java.sql.*; import java.util.*;
/** Read every line, and every stored row in position order (one query), alternately: a merge instead of id lookups. */
public class Scan {
  public static void main(String[] a) throws Exception {
    long t0 = System.nanoTime(); int lines = 0, rows = 0, same = 0;
    try (BufferedReader in = Files.newBufferedReader(Path.of(a[0]), StandardCharsets.UTF_8);
         Connection c = DriverManager.getConnection("jdbc:sqlite:" + a[1]);
         Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM events ORDER BY global_position")) {
      for (String line; (line = in.readLine()) != null; ) {
        lines++;
        if (rs.next()) { rows++; Object[] r = new Object[12]; for (int col = 1; col <= 12; col++) r[col - 1] = rs.getObject(col);
          if (line.regionMatches(12, new UUID(java.nio.ByteBuffer.wrap((byte[]) r[1]).getLong(), java.nio.ByteBuffer.wrap((byte[]) r[1]).getLong(8)).toString(), 0, 36)) same++; }
      }
    }
    System.out.printf("%d lines, %d rows, %d ids in the same order, %.2f s in main%n", lines, rows, same, (System.nanoTime() - t0) / 1e9);
  }
}
