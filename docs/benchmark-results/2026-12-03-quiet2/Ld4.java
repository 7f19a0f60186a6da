import dev.eventsource.sqlite.*; import dev.eventsource.store.*; import dev.eventsource.event.*; import dev.eventsource.aggregate.*;
import com.fasterxml.jackson.databind.*;
import java.sql.*; import java.util.*; import java.math.BigDecimal; import java.time.Instant; import java.nio.ByteBuffer;
public class Ld4 {
  public record ItemAdded(UUID orderId, String sku, int quantity, BigDecimal unitPrice, String note, Instant at) implements DomainEvent {}
  public record St(int lines, long q) {}
  public static final class Order extends AggregateRoot<St> { public Order(UUID id){super(id);} protected St initialState(){return new St(0,0);} protected St apply(St s, DomainEvent e){ return new St(s.lines()+1, s.q()+((ItemAdded)e).quantity()); } }
  public static void main(String[] a) throws Exception {
    String f="/tmp/ld/ld.db"; for(String x:new String[]{"","-wal","-shm"}) new java.io.File(f+x).delete();
    SQLiteEventStore store=SQLiteEventStore.builder(f).synchronous(Synchronous.FULL).tracing(false).build(); store.initialize();
    UUID o=UUID.randomUUID(); List<DomainEvent> ev=new ArrayList<>();
    for(int i=0;i<100;i++) ev.add(new ItemAdded(o,"SKU-"+(10000+i),1+i%7,new BigDecimal("19.99"),"gift wrap, leave at the door, thank you",Instant.parse("2026-11-26T10:15:30.123456Z")));
    store.appendEvents(o,"Order",ev,ExpectedVersion.NO_STREAM);
    AggregateRepository<Order> repo=new AggregateRepository<>(store, Order::new, "Order");
    Connection raw=DriverManager.getConnection("jdbc:sqlite:"+f);
    PreparedStatement sel=raw.prepareStatement("SELECT global_position, event_id, version, event_type, schema_version, occurred_at, recorded_at, tenant_id, metadata, payload FROM events WHERE aggregate_type = ? AND aggregate_id = ? AND version > ? ORDER BY version");
    ObjectMapper json=dev.eventsource.store.spi.EventMapper.defaultObjectMapper();
    byte[] ob=ByteBuffer.allocate(16).putLong(o.getMostSignificantBits()).putLong(o.getLeastSignificantBits()).array();
    // also: rows only via the store (no decoding) and decode only
    dev.eventsource.store.spi.EventMapper mapper=new dev.eventsource.store.spi.EventMapper(new EventRegistry()); mapper.writeJson(ev.get(0));
    EventRegistry reg=new EventRegistry(); reg.register(ItemAdded.class); mapper=new dev.eventsource.store.spi.EventMapper(reg);
    StreamId sid=new StreamId("Order", o);
    var mx=java.lang.management.ManagementFactory.getThreadMXBean();
    for(int r=0;r<12;r++){
      int n=2000; long c;
      c=mx.getCurrentThreadCpuTime(); for(int i=0;i<n;i++) repo.load(o); long lib=mx.getCurrentThreadCpuTime()-c;
      c=mx.getCurrentThreadCpuTime(); List<RecordedEvent> rows=null; for(int i=0;i<n;i++) rows=store.readRecordedStream(sid,0).events(); long rd=mx.getCurrentThreadCpuTime()-c;
      c=mx.getCurrentThreadCpuTime(); for(int i=0;i<n;i++) for(RecordedEvent row:rows) mapper.toStoredEvent(row); long dec=mx.getCurrentThreadCpuTime()-c;
      c=mx.getCurrentThreadCpuTime(); for(int i=0;i<n;i++) for(RecordedEvent row:rows) mapper.payload(row.eventType(),row.schemaVersion(),row.payloadJson()); long pay=mx.getCurrentThreadCpuTime()-c;
      c=mx.getCurrentThreadCpuTime(); for(int i=0;i<n;i++){ sel.setString(1,"Order"); sel.setBytes(2,ob); sel.setLong(3,0); try(ResultSet rs=sel.executeQuery()){ while(rs.next()) json.readValue(rs.getString("payload"), ItemAdded.class);} } long rw=mx.getCurrentThreadCpuTime()-c;
      if(r>=6) System.out.printf("load %4.0f us | rows %4.0f + toStoredEvent %4.0f (payload %4.0f) | raw+jackson %4.0f us%n", lib/1e3/n, rd/1e3/n, dec/1e3/n, pay/1e3/n, rw/1e3/n);
    }
    store.close();
  }
}
