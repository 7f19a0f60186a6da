import java.sql.*; import java.util.*; import java.nio.ByteBuffer;
public class Lay2 {
  static byte[] b(UUID u){return ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits()).array();}
  static long seq=System.currentTimeMillis()<<16;
  static byte[] v7(){ long ms=System.currentTimeMillis(); seq++; return ByteBuffer.allocate(16).putLong((ms<<16)|0x7000|(seq&0xfff)).putLong(0x8000000000000000L|(seq)).array();}
  static String TABLE="CREATE TABLE events (global_position INTEGER PRIMARY KEY, event_id BLOB NOT NULL UNIQUE, aggregate_type TEXT NOT NULL, aggregate_id BLOB NOT NULL, version INTEGER NOT NULL, event_type TEXT NOT NULL, schema_version INTEGER NOT NULL, occurred_at INTEGER NOT NULL, recorded_at INTEGER NOT NULL, tenant_id TEXT, metadata TEXT NOT NULL, payload TEXT NOT NULL, UNIQUE (aggregate_type, aggregate_id, version))";
  public static void main(String[] a) throws Exception {
    String payload="{\"orderId\":\""+UUID.randomUUID()+"\",\"sku\":\"SKU-10001\",\"quantity\":2,\"price\":19.99,\"note\":\"gift wrap, leave at the door, thank you\",\"at\":\"2026-11-26T10:15:30.123456Z\"}";
    String[] variants={"full","fullSp","fullSel","fullExtra"};
    Map<String,List<Double>> res=new LinkedHashMap<>();
    Map<String,Connection> cs=new HashMap<>(); Map<String,PreparedStatement> ins=new HashMap<>();
    for(String v:variants){ new java.io.File("/tmp/lay/"+v+".db").delete(); new java.io.File("/tmp/lay/"+v+".db-wal").delete(); new java.io.File("/tmp/lay/"+v+".db-shm").delete();
      Connection c=DriverManager.getConnection("jdbc:sqlite:/tmp/lay/"+v+".db"); Statement s=c.createStatement();
      s.execute("PRAGMA journal_mode=WAL"); s.execute("PRAGMA synchronous=FULL");
      if(v.equals("minimal")){ s.execute("CREATE TABLE minimal_events (position INTEGER PRIMARY KEY, stream BLOB NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL, time INTEGER NOT NULL, UNIQUE (stream, version))");
        ins.put(v,c.prepareStatement("INSERT INTO minimal_events (stream, version, type, payload, time) VALUES (?,?,?,?,?)"));}
      else { s.execute(TABLE); { s.execute("CREATE INDEX events_by_event_type ON events (event_type, global_position)"); s.execute("CREATE INDEX events_by_aggregate_type ON events (aggregate_type, global_position)");}
        s.execute("CREATE INDEX events_by_tenant ON events (tenant_id, global_position) WHERE tenant_id IS NOT NULL");
        ins.put(v,c.prepareStatement("INSERT INTO events (event_id, aggregate_type, aggregate_id, version, event_type, schema_version, occurred_at, recorded_at, tenant_id, metadata, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?)"));}
      cs.put(v,c); res.put(v,new ArrayList<>()); }
    int rounds=Integer.parseInt(a[0]); long ms=Long.parseLong(a[1]); int batch=Integer.parseInt(a[2]);
    for(int r=0;r<rounds;r++) for(String v:variants){
      Connection c=cs.get(v); PreparedStatement p=ins.get(v); Statement s=c.createStatement();
      PreparedStatement ver= (v.equals("fullExtra")||v.equals("fullSel"))? c.prepareStatement("SELECT COALESCE(MAX(version),0) FROM events WHERE aggregate_type=? AND aggregate_id=?"):null;
      PreparedStatement last= (v.equals("fullExtra")||v.equals("fullSel"))? c.prepareStatement("SELECT last_insert_rowid()"):null;
      long end=System.nanoTime()+ms*1_000_000L; long n=0; long t0=System.nanoTime();
      while(System.nanoTime()<end){ byte[] st=b(UUID.randomUUID()); long now=System.currentTimeMillis()*1000;
        s.execute("BEGIN IMMEDIATE");
        boolean sp=v.equals("fullExtra")||v.equals("fullSp"); if(sp) s.execute("SAVEPOINT append"); if(ver!=null){ ver.setString(1,"Order"); ver.setBytes(2,st); try(ResultSet rs=ver.executeQuery()){rs.next();} }
        for(int i=0;i<batch;i++){
          if(v.equals("minimal")){ p.setBytes(1,st); p.setLong(2,i+1); p.setString(3,"ItemAdded"); p.setString(4,payload); p.setLong(5,now);}
          else { p.setBytes(1,v7()); p.setString(2,"Order"); p.setBytes(3,st); p.setLong(4,i+1); p.setString(5,"ItemAdded"); p.setInt(6,1); p.setLong(7,now); p.setLong(8,now); p.setNull(9,Types.VARCHAR); p.setString(10,"{}"); p.setString(11,payload);}
          p.addBatch(); }
        p.executeBatch();
        if(last!=null){ try(ResultSet rs=last.executeQuery()){rs.next();} } if(sp) s.execute("RELEASE append");
        s.execute("COMMIT"); n+=batch; }
      double rate=n/((System.nanoTime()-t0)/1e9); res.get(v).add(rate); }
    for(var e:res.entrySet()){ List<Double> l=new ArrayList<>(e.getValue()); Collections.sort(l); System.out.printf("%-10s median %8.0f events/s  %s%n", e.getKey(), l.get(l.size()/2), e.getValue().stream().map(x->String.format("%.0f",x)).toList()); }
  }
}
