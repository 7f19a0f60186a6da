import java.io.*; import java.nio.charset.StandardCharsets; import java.nio.file.*; import java.sql.*; import java.util.*;
/** The least a re-import must do in a new JVM: read every line as text, and fetch every stored row by its id (500 per query). */
public class Floor {
  public static void main(String[] a) throws Exception {
    long t0 = System.nanoTime(); long chars = 0; int lines = 0; int found = 0;
    List<byte[]> ids = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(Path.of(a[0]), StandardCharsets.UTF_8);
         Connection c = DriverManager.getConnection("jdbc:sqlite:" + a[1])) {
      String q = "SELECT * FROM events WHERE event_id IN (" + "?,".repeat(499) + "?)";
      PreparedStatement ps = c.prepareStatement(q);
      for (String line; (line = in.readLine()) != null; ) {
        lines++; chars += line.length();
        // "eventId":"<36 chars>" is the first field of an export line
        UUID id = UUID.fromString(line.substring(12, 48));
        ids.add(java.nio.ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array());
        if (ids.size() == 500) { if (a.length < 3) found += fetch(ps, ids); ids.clear(); }
      }
      if (!ids.isEmpty()) { while (ids.size() < 500) ids.add(new byte[16]); found += fetch(ps, ids); }
    }
    System.out.printf("%d lines, %d chars, %d rows found, %.2f s in main%n", lines, chars, found, (System.nanoTime() - t0) / 1e9);
  }
  static int fetch(PreparedStatement ps, List<byte[]> ids) throws SQLException {
    for (int i = 0; i < 500; i++) ps.setBytes(i + 1, ids.get(i));
    int n = 0; try (ResultSet rs = ps.executeQuery()) { while (rs.next()) { n++; for (int col = 1; col <= 12; col++) rs.getObject(col); } }
    return n;
  }
}
