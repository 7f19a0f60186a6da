# Writes events200k.jsonl: 200,000 events in the export format (20,000 streams, ~400-byte payloads),
# the input of "CLI at 200k events" in docs/benchmarks.md. Usage: python3 gen-events.py
import uuid, json, random, datetime
random.seed(7)
N=200_000; streams=20_000
base=datetime.datetime(2026,1,1,tzinfo=datetime.timezone.utc)
ids=[str(uuid.UUID(int=random.getrandbits(128), version=4)) for _ in range(streams)]
ver=[0]*streams
types=["OrderPlaced","ItemAdded","ItemRemoved","OrderShipped","PaymentTaken"]
with open("events200k.jsonl","w") as f:
    for i in range(N):
        s=random.randrange(streams); ver[s]+=1
        t=(base+datetime.timedelta(milliseconds=i*10)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        payload={"sku":"SKU-%06d"%random.randrange(10**6),"qty":random.randrange(1,9),"note":"x"*300,"customer":ids[(s*7)%streams]}
        row={"eventId":str(uuid.UUID(int=random.getrandbits(128),version=4)),"eventType":types[i%5],"schemaVersion":1,
             "aggregateType":"Order" if s%2 else "Cart","aggregateId":ids[s],"version":ver[s],"globalPosition":i+1,
             "occurredAt":t,"recordedAt":t,"tenantId":None,"metadata":{},"payload":payload}
        f.write(json.dumps(row,separators=(",",":"))+"\n")
