package dev.eventsource.benchmarks;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.backend.EventStoreBackends;
import dev.eventsource.bus.BusShutdownReport;
import dev.eventsource.bus.BusStats;
import dev.eventsource.bus.BusSubscription;
import dev.eventsource.bus.ConsumerGroup;
import dev.eventsource.bus.EventPublisher;
import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.kafka.KafkaBusConfig;
import dev.eventsource.kafka.KafkaEventConsumer;
import dev.eventsource.kafka.KafkaEventPublisher;
import dev.eventsource.kafka.KafkaHeaders;
import dev.eventsource.kafka.KafkaTestBroker;
import dev.eventsource.relay.EventRelay;
import dev.eventsource.relay.RelayState;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.ReadOptions;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StoredEvent;
import dev.eventsource.test.PostgresTestServer;
import dev.eventsource.wire.EventDocument;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Relay to Kafka, as a whole-process benchmark (not JMH: one measurement is one relay publishing a
 * pre-filled log to its end, seconds long).
 *
 * <p><b>Throughput.</b> For SQLite ({@code synchronous=FULL}) and PostgreSQL, a log of
 * {@code events} ~200-byte events (streams of 1000) is published by a new {@link EventRelay}
 * (batch size {@code batch}, the default 4 batches in flight) through a {@link KafkaEventPublisher}
 * (idempotent, {@code acks=all}), timed from {@code start()} until the publisher acknowledged the
 * last event. The physical limit, in the same run and on the same broker: a raw
 * {@link KafkaProducer} with the same settings sending the same records (the {@link EventDocument}
 * bytes of the stored rows, the same keys and the same headers, all computed before timing) and
 * waiting for every acknowledgement once at the end; also without headers, waiting after every
 * {@code batch} records, and with Kafka's default {@code batch.size} (16 KiB) instead of the
 * publisher's (what a producer written by hand with Kafka's defaults gets). To show where the relay's time goes, each round also times the
 * {@link KafkaEventPublisher} alone on the same stored rows (read beforehand, lists of
 * {@code batch}) and the relay to a publisher that does nothing (reading and checkpointing only).
 * One round of everything warms up (both sides alike), then {@code rounds} rounds; each round runs
 * the raw producer and the relay back to back, the raw producer first in odd rounds and the relay
 * first in even ones, so that neither always runs on a warmer broker. The raw producer is built with
 * {@link KafkaEventPublisher#producerConfig}, exactly the publisher's settings. Reported: medians,
 * and the ratio of each round's pair (relay / raw with the same records, run back to back), whose
 * median and best are steadier than the ratio of the medians on a shared machine. Each relay run
 * and raw run also reports the CPU time of its own threads per event ({@link ThreadMXBean}): the
 * relay's threads (reading, encoding, sending; made by the relay's thread factory) against the raw
 * producer's caller (sending only),
 * which depends far less than rates on what else the machine runs. Keys are the aggregate id's
 * text as bytes on both sides, as the publisher sends them. The last lines are the rows of the
 * table in {@code docs/benchmark-history.md} ("Relay to Kafka"), ready to paste.
 *
 * <p><b>Latency.</b> On a new empty log per backend, with the relay live and a
 * {@link KafkaEventConsumer} group subscribed, {@code latencyEvents} single-event appends are made at
 * {@code rate} per second; each is timed from just before {@code appendEvents} until the consumer's
 * handler received it (200 warm-up appends first, not counted).
 *
 * <p>The broker is {@link KafkaTestBroker}, from {@code eventsource-kafka}'s test-jar: the one of
 * {@value KafkaTestBroker#ENV} or one KRaft node started in this JVM. PostgreSQL is
 * {@link PostgresTestServer} (embedded, started with {@code fsync=off}) or the server of
 * {@code EVENTSOURCE_TEST_POSTGRES_URL}.
 *
 * <p>Run: {@code java -cp eventsource-benchmarks/target/benchmarks.jar dev.eventsource.benchmarks.RelayBenchmark
 * [events] [batch] [rounds] [latencyEvents] [rate]} (defaults 100000 1000 5 2000 200; latencyEvents 0
 * skips the latency part). {@code -Dbackends=sqlite} (or {@code postgresql}) runs one backend.
 */
public final class RelayBenchmark {

    private final int events;
    private final int batch;
    private final int rounds;
    private final int latencyEvents;
    private final int rate;
    private final String bootstrap;
    private final EventRegistry registry = new EventRegistry().register(BenchEvents.ItemAdded.class);
    private final AtomicInteger names = new AtomicInteger();
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final String startedAt = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
    private final List<String> rows = new ArrayList<>();
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /** CPU time of the sending thread in the last {@link #rawAll} or {@link #relayAll}: the relay's own thread, the raw producer's caller. */
    private long lastCpuNanos;

    private RelayBenchmark(int events, int batch, int rounds, int latencyEvents, int rate, String bootstrap) {
        this.events = events;
        this.batch = batch;
        this.rounds = rounds;
        this.latencyEvents = latencyEvents;
        this.rate = rate;
        this.bootstrap = bootstrap;
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int latencyEvents = args.length > 3 ? Integer.parseInt(args[3]) : 2000;
        int rate = args.length > 4 ? Integer.parseInt(args[4]) : 200;
        if (events < 1000 || events % 1000 != 0 || batch < 1 || rounds < 1 || latencyEvents < 0 || rate < 1) {
            throw new IllegalArgumentException("arguments: events (a positive multiple of 1000), batch, rounds,"
                    + " latencyEvents (0 skips latency), rate (all positive); got " + Arrays.toString(args));
        }
        List<String> backends = List.of(System.getProperty("backends", "sqlite,postgresql").split(","));
        KafkaTestBroker broker = KafkaTestBroker.shared();
        System.out.printf("broker %s (%s), %d events, relay batch %d, %d rounds; latency: %d appends at %d/s%n",
                broker.bootstrapServers(), broker.isExternal() ? "external" : "in-JVM KRaft", events, batch, rounds,
                latencyEvents, rate);
        RelayBenchmark bench = new RelayBenchmark(events, batch, rounds, latencyEvents, rate, broker.bootstrapServers());
        for (String backend : backends) {
            bench.throughput(backend.strip());
            if (latencyEvents > 0) {
                bench.latency(backend.strip());
            }
        }
        System.out.println();
        System.out.println("| run | backend | relay events/s | raw, same records | ratio | raw, no headers | ratio |"
                + " ratio per round (median, best) |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---|");
        bench.rows.forEach(System.out::println);
        System.exit(0);   // the in-JVM broker's and PostgreSQL's threads
    }

    // ---------------------------------------------------------------- throughput

    private void throughput(String backendName) throws Exception {
        try (Opened opened = open(backendName)) {
            EventStoreBackend backend = opened.backend;
            long fillStart = System.nanoTime();
            for (int stream = 0; stream < events / 1000; stream++) {
                UUID order = UUID.randomUUID();
                List<DomainEvent> list = new ArrayList<>(1000);
                for (int i = 0; i < 1000; i++) {
                    list.add(BenchEvents.event(order, i));
                }
                backend.store().appendEvents(order, BenchEvents.TYPE, list, ExpectedVersion.NO_STREAM);
            }
            System.out.printf("%s: filled %d events in %.1f s%n", backendName, events, seconds(System.nanoTime() - fillStart));

            List<ProducerRecord<byte[], byte[]>> documents = new ArrayList<>(events);
            List<ProducerRecord<byte[], byte[]>> documentsWithHeaders = new ArrayList<>(events);
            List<RecordedEvent> stored = new ArrayList<>(events);
            String rawTopic = "raw-" + backendName + "-" + run;
            long bytes = 0;
            try (Stream<RecordedEvent> all = backend.log().readRecorded(ReadOptions.builder().build())) {
                for (RecordedEvent e : (Iterable<RecordedEvent>) all::iterator) {
                    stored.add(e);
                    byte[] doc = EventDocument.encodeBytes(e);
                    bytes += doc.length;
                    documents.add(new ProducerRecord<>(rawTopic, EventDocument.idBytes(e.aggregateId()), doc));
                    documentsWithHeaders.add(new ProducerRecord<>(rawTopic, null, EventDocument.idBytes(e.aggregateId()), doc, headers(e)));
                }
            }
            System.out.printf("%s: documents of %d bytes on average (value only)%n", backendName, bytes / events);
            for (int round = 0; round < 3; round++) {   // the publisher's serialization, alone, on one thread
                long encodeStart = System.nanoTime();
                long sink = 0;
                for (RecordedEvent e : stored) {
                    sink += EventDocument.encodeBytes(e).length;
                }
                System.out.printf("%s: EventDocument.encodeBytes alone %,.0f events/s (%d bytes)%n", backendName,
                        rate(events, System.nanoTime() - encodeStart), sink);
            }
            String relayTopic = "relay-" + backendName + "-" + run;
            createTopics(rawTopic, relayTopic);

            KafkaBusConfig.Builder configured = KafkaBusConfig.builder(bootstrap).topic(relayTopic).createTopics(4, (short) 1);
            // -Dproducer.<key>=<value> sets a producer property on both sides (the raw producer takes the publisher's settings).
            System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("producer.")).sorted()
                    .forEach(k -> configured.producerProperty(k.substring("producer.".length()), System.getProperty(k)));
            KafkaBusConfig config = configured.build();
            System.out.printf("%s: producer settings %s%n", backendName, config.producerProperties());
            List<Double> raw = new ArrayList<>();
            List<Double> rawHeaders = new ArrayList<>();
            List<Double> rawBatched = new ArrayList<>();
            List<Double> rawKafkaBatches = new ArrayList<>();
            List<Double> relay = new ArrayList<>();
            List<Double> publisherOnly = new ArrayList<>();
            List<Double> relayNoBroker = new ArrayList<>();
            List<Double> pairRatios = new ArrayList<>();
            List<Double> relayCpu = new ArrayList<>();
            List<Double> rawCpu = new ArrayList<>();
            List<Double> noBrokerCpu = new ArrayList<>();
            Map<String, Object> kafkaDefaultBatches = new java.util.HashMap<>(KafkaEventPublisher.producerConfig(config));
            kafkaDefaultBatches.remove(ProducerConfig.BATCH_SIZE_CONFIG);
            try (KafkaProducer<byte[], byte[]> producer = rawProducer(config);
                 KafkaProducer<byte[], byte[]> kafkaBatches = new KafkaProducer<>(kafkaDefaultBatches,
                         new ByteArraySerializer(), new ByteArraySerializer());
                 KafkaEventPublisher publisher = new KafkaEventPublisher(config, registry)) {
                for (int round = 0; round <= rounds; round++) {
                    double r = rate(events, rawAll(producer, documents));
                    double rh;
                    double re;
                    double cpuRaw;
                    double cpuRelay;
                    double busyRaw;
                    double busyRelay;
                    long[] before;
                    if (round % 2 == 1) {   // the pair back to back, in alternating order
                        before = machineJiffies();
                        rh = rate(events, rawAll(producer, documentsWithHeaders));
                        busyRaw = busySince(before);
                        cpuRaw = micros(lastCpuNanos);
                        before = machineJiffies();
                        re = rate(events, relayAll(backend, publisher));
                        busyRelay = busySince(before);
                        cpuRelay = micros(lastCpuNanos);
                    } else {
                        before = machineJiffies();
                        re = rate(events, relayAll(backend, publisher));
                        busyRelay = busySince(before);
                        cpuRelay = micros(lastCpuNanos);
                        before = machineJiffies();
                        rh = rate(events, rawAll(producer, documentsWithHeaders));
                        busyRaw = busySince(before);
                        cpuRaw = micros(lastCpuNanos);
                    }
                    double rb = rate(events, rawBatched(producer, documentsWithHeaders));
                    double rk = rate(events, rawAll(kafkaBatches, documentsWithHeaders));
                    double po = rate(events, publishAll(publisher, stored));
                    double rn = rate(events, relayAll(backend, new NoBroker()));
                    double cpuNoBroker = micros(lastCpuNanos);
                    String label = round == 0 ? "warm-up" : "round " + round;
                    System.out.printf("%s %s: raw %,.0f/s, raw with headers %,.0f/s, raw waiting per %d %,.0f/s,"
                                    + " relay %,.0f/s (relay/raw with headers %.2f); publisher alone %,.0f/s, relay to no"
                                    + " broker %,.0f/s; CPU per event on the sending threads: relay %.2f us, raw producer's"
                                    + " caller %.2f us, relay to no broker %.2f us%n",
                            backendName, label, r, rh, batch, rb, re, re / rh, po, rn, cpuRelay, cpuRaw, cpuNoBroker);
                    System.out.printf("%s %s: machine CPU busy (all processes) during the relay %.0f %%, during the raw"
                            + " producer with headers %.0f %%; raw with headers and Kafka's default batch.size %,.0f/s"
                            + " (relay/that %.2f)%n", backendName, label, busyRelay, busyRaw, rk, re / rk);
                    if (round > 0) {
                        pairRatios.add(re / rh);
                        raw.add(r);
                        rawHeaders.add(rh);
                        rawBatched.add(rb);
                        rawKafkaBatches.add(rk);
                        relay.add(re);
                        publisherOnly.add(po);
                        relayNoBroker.add(rn);
                        relayCpu.add(cpuRelay);
                        rawCpu.add(cpuRaw);
                        noBrokerCpu.add(cpuNoBroker);
                    }
                }
            }
            System.out.printf("RESULT %s CPU per event on the sending threads (medians): relay %.2f us (to no broker %.2f us),"
                    + " raw producer's caller %.2f us%n", backendName, median(relayCpu), median(noBrokerCpu), median(rawCpu));
            double mr = median(raw);
            double mrh = median(rawHeaders);
            double mrb = median(rawBatched);
            double mre = median(relay);
            System.out.printf("RESULT %s throughput: relay %,.0f events/s; raw producer, same records and headers %,.0f"
                            + " events/s, ratio %.2f; raw without headers %,.0f events/s, ratio %.2f;"
                            + " raw waiting per batch %,.0f events/s (relay/that %.2f)%n",
                    backendName, mre, mrh, mre / mrh, mr, mre / mr, mrb, mre / mrb);
            System.out.printf("RESULT %s raw producer with headers and Kafka's default batch.size (16 KiB) %,.0f events/s"
                    + " (relay/that %.2f)%n", backendName, median(rawKafkaBatches), mre / median(rawKafkaBatches));
            System.out.printf("RESULT %s breakdown: KafkaEventPublisher alone (stored events read beforehand, lists of %d)"
                            + " %,.0f events/s; the relay to a publisher that does nothing %,.0f events/s%n",
                    backendName, batch, median(publisherOnly), median(relayNoBroker));
            double best = pairRatios.stream().mapToDouble(Double::doubleValue).max().orElse(0);
            rows.add(String.format(java.util.Locale.ROOT, "| %s (%d rounds) | %s | %,.0f | %,.0f | **%.2f** | %,.0f | %.2f | %.2f, %.2f |",
                    startedAt, rounds, backendName.equals("sqlite") ? "SQLite" : "PostgreSQL", mre, mrh, mre / mrh, mr,
                    mre / mr, median(pairRatios), best));
        }
    }

    /** The headers {@code KafkaEventPublisher} sends with a row (see {@code KafkaHeaders}), computed before timing. */
    private static RecordHeaders headers(RecordedEvent e) {
        RecordHeaders h = new RecordHeaders();
        h.add(KafkaHeaders.EVENT_ID, e.eventId().toString().getBytes(StandardCharsets.UTF_8));
        h.add(KafkaHeaders.EVENT_TYPE, e.eventType().getBytes(StandardCharsets.UTF_8));
        h.add(KafkaHeaders.SCHEMA_VERSION, String.valueOf(e.schemaVersion()).getBytes(StandardCharsets.UTF_8));
        h.add(KafkaHeaders.AGGREGATE_TYPE, e.aggregateType().getBytes(StandardCharsets.UTF_8));
        h.add(KafkaHeaders.AGGREGATE_ID, e.aggregateId().toString().getBytes(StandardCharsets.UTF_8));
        h.add(KafkaHeaders.GLOBAL_POSITION, String.valueOf(e.globalPosition()).getBytes(StandardCharsets.UTF_8));
        return h;
    }

    /** A producer with exactly the settings of the relay's {@link KafkaEventPublisher} for {@code config}. */
    private static KafkaProducer<byte[], byte[]> rawProducer(KafkaBusConfig config) {
        return new KafkaProducer<>(KafkaEventPublisher.producerConfig(config), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private long rawAll(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> documents)
            throws Exception {
        long start = System.nanoTime();
        long cpu = CPU.getCurrentThreadCpuTime();
        List<Future<?>> acks = new ArrayList<>(documents.size());
        for (ProducerRecord<byte[], byte[]> r : documents) {
            acks.add(producer.send(r));
        }
        lastCpuNanos = CPU.getCurrentThreadCpuTime() - cpu;
        for (Future<?> ack : acks) {
            ack.get();
        }
        return System.nanoTime() - start;
    }

    private long rawBatched(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> documents)
            throws Exception {
        long start = System.nanoTime();
        List<Future<?>> acks = new ArrayList<>(batch);
        for (int from = 0; from < documents.size(); from += batch) {
            acks.clear();
            for (ProducerRecord<byte[], byte[]> r : documents.subList(from, Math.min(documents.size(), from + batch))) {
                acks.add(producer.send(r));
            }
            for (Future<?> ack : acks) {
                ack.get();
            }
        }
        return System.nanoTime() - start;
    }

    @SuppressWarnings("deprecation")   // Thread.threadId() is Java 19
    private long relayAll(EventStoreBackend backend, EventPublisher publisher) throws InterruptedException {
        CountingPublisher counting = new CountingPublisher(publisher, events);
        List<Thread> relayThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        EventRelay.Builder builder = EventRelay.builder("bench-" + names.incrementAndGet(), backend, counting).batchSize(batch);
        if (Integer.getInteger("inFlight") != null) {
            builder.maxBatchesInFlight(Integer.getInteger("inFlight"));
        }
        EventRelay relay = builder
                .threadFactory(r -> {
                    Thread t = new Thread(r);
                    t.setDaemon(true);
                    relayThreads.add(t);
                    return t;
                }).build();
        long start = System.nanoTime();
        relay.start();
        try {
            if (!counting.done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the relay published " + counting.count.get() + " of " + events
                        + " events in 10 minutes: " + relay.status());
            }
            long elapsed = System.nanoTime() - start;
            // The relay's threads are new with the relay: their CPU time is the relay's work (read, encode, send).
            lastCpuNanos = relayThreads.stream().mapToLong(t -> Math.max(0, CPU.getThreadCpuTime(t.getId()))).sum();
            return elapsed;
        } finally {
            relay.close();
        }
    }

    /** The publisher's share: the same stored rows, read beforehand, handed over in lists of {@code batch}. */
    private long publishAll(EventPublisher publisher, List<RecordedEvent> stored) throws Exception {
        long start = System.nanoTime();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int from = 0; from < stored.size(); from += batch) {
            acks.add(publisher.publishRows(stored.subList(from, Math.min(stored.size(), from + batch)), row -> {
                throw new IllegalStateException("not decoded");
            }));
        }
        for (CompletableFuture<Void> ack : acks) {
            ack.get();
        }
        return System.nanoTime() - start;
    }

    /** The relay's own share: a publisher that accepts everything at once. */
    private static final class NoBroker implements EventPublisher {
        @Override
        public void publish(List<StoredEvent> list) {
            EventPublisher.checkPublishable(list);
        }

        @Override
        public CompletableFuture<Void> publishRows(List<RecordedEvent> rows, Function<RecordedEvent, StoredEvent> decoder) {
            EventPublisher.checkRows(rows);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public BusStats stats() {
            return new BusStats(0, 0, 0, 0, 0, 0);
        }

        @Override
        public BusShutdownReport shutdown(Duration deadline) {
            return BusShutdownReport.COMPLETE;
        }
    }

    /** Counts what the relay published and signals when the whole log was acknowledged. */
    private static final class CountingPublisher implements EventPublisher {
        private final EventPublisher delegate;
        private final long target;
        private final AtomicLong count = new AtomicLong();
        private final CountDownLatch done = new CountDownLatch(1);

        CountingPublisher(EventPublisher delegate, long target) {
            this.delegate = delegate;
            this.target = target;
        }

        @Override
        public void publish(List<StoredEvent> list) {
            delegate.publish(list);
            count(list.size());
        }

        @Override
        public CompletableFuture<Void> publishRows(List<RecordedEvent> rows, Function<RecordedEvent, StoredEvent> decoder) {
            return delegate.publishRows(rows, decoder).thenRun(() -> count(rows.size()));
        }

        private void count(int n) {
            if (count.addAndGet(n) >= target) {
                done.countDown();
            }
        }

        @Override
        public BusStats stats() {
            return delegate.stats();
        }

        @Override
        public BusShutdownReport shutdown(Duration deadline) {
            return BusShutdownReport.COMPLETE;   // the benchmark closes the real publisher itself
        }
    }

    // ---------------------------------------------------------------- latency

    private void latency(String backendName) throws Exception {
        try (Opened opened = open(backendName)) {
            EventStoreBackend backend = opened.backend;
            String topic = "latency-" + backendName + "-" + run;
            createTopics(topic);
            KafkaBusConfig config = KafkaBusConfig.builder(bootstrap).topic(topic).createTopics(4, (short) 1)
                    .groupIdPrefix("bench-" + run + ".").build();
            int warmUp = 200;
            int total = warmUp + latencyEvents;
            Map<UUID, Long> sentAt = new ConcurrentHashMap<>();
            long[] latencies = new long[total];
            AtomicInteger received = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(1);
            Map<UUID, Integer> index = new ConcurrentHashMap<>();
            try (KafkaEventPublisher publisher = new KafkaEventPublisher(config, registry);
                 KafkaEventConsumer consumer = new KafkaEventConsumer(config, registry);
                 EventRelay relay = EventRelay.builder("latency", backend, publisher).batchSize(batch).build().start()) {
                BusSubscription subscription = consumer.subscribe(ConsumerGroup.named("latency"), (event, envelope) -> {
                    long now = System.nanoTime();
                    Long sent = sentAt.get(envelope.aggregateId());
                    Integer i = index.get(envelope.aggregateId());
                    if (sent != null && i != null) {
                        latencies[i] = now - sent;
                        if (received.incrementAndGet() == total) {
                            all.countDown();
                        }
                    }
                });
                awaitLive(relay);
                long interval = TimeUnit.SECONDS.toNanos(1) / rate;
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    long due = start + i * interval;   // pacing, not synchronization
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                    UUID order = UUID.randomUUID();
                    index.put(order, i);
                    sentAt.put(order, System.nanoTime());
                    backend.store().appendEvents(order, BenchEvents.TYPE, List.of(BenchEvents.event(order, i)),
                            ExpectedVersion.NO_STREAM);
                }
                if (!all.await(5, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the consumer received " + received.get() + " of " + total
                            + " events in 5 minutes; relay " + relay.status());
                }
                subscription.unsubscribe();
            }
            long[] measured = Arrays.copyOfRange(latencies, warmUp, total);
            Arrays.sort(measured);
            System.out.printf("RESULT %s latency append -> handler over %d appends at %d/s: median %.2f ms, p99 %.2f ms,"
                            + " max %.2f ms%n", backendName, latencyEvents, rate, millis(percentile(measured, 50)),
                    millis(percentile(measured, 99)), millis(measured[measured.length - 1]));
        }
    }

    private static void awaitLive(EventRelay relay) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (relay.status().state() != RelayState.LIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the relay did not become LIVE within a minute: " + relay.status());
            }
            Thread.sleep(10);
        }
    }

    // ---------------------------------------------------------------- helpers

    private final class Opened implements AutoCloseable {
        final EventStoreBackend backend;
        private final Path file;
        private final String schema;

        Opened(EventStoreBackend backend, Path file, String schema) {
            this.backend = backend;
            this.file = file;
            this.schema = schema;
        }

        @Override
        public void close() throws Exception {
            backend.close();
            if (file != null) {
                java.nio.file.Files.deleteIfExists(Path.of(file + ".locks"));   // the relay's lock file
                Files.delete(file);
            }
            if (schema != null) {
                try (Connection c = DriverManager.getConnection(PostgresTestServer.url()); Statement sql = c.createStatement()) {
                    sql.execute("DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }

    private Opened open(String backendName) throws Exception {
        switch (backendName) {
            case "sqlite" -> {
                Path file = Files.newDatabase("relay");
                return new Opened(EventStoreBackends.open("sqlite:" + file, registry), file, null);
            }
            case "postgresql" -> {
                String url = PostgresTestServer.url();
                String schema = PostgresTestServer.freshSchema();
                String withSchema = url + (url.contains("?") ? "&" : "?") + "schema=" + schema;
                return new Opened(EventStoreBackends.open(withSchema, registry), null, schema);
            }
            default -> throw new IllegalArgumentException("backend must be sqlite or postgresql; got " + backendName);
        }
    }

    private void createTopics(String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> list = new ArrayList<>();
            for (String t : topics) {
                list.add(new NewTopic(t, 4, (short) 1));
            }
            admin.createTopics(list).all().get(1, TimeUnit.MINUTES);
            // Send only once every partition's leader acts as one (as the bus's own topic creation does): an
            // idempotent producer whose first batch meets a leader not yet acting retries it out of order.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (!leadersAnswer(admin, List.of(topics))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the leaders of " + Arrays.toString(topics) + " did not answer in a minute");
                }
                Thread.sleep(20);
            }
        }
    }

    private static boolean leadersAnswer(Admin admin, List<String> topics) throws Exception {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (TopicDescription d : admin.describeTopics(topics).allTopicNames().get(1, TimeUnit.MINUTES).values()) {
                for (var p : d.partitions()) {
                    if (p.leader() == null || p.leader().isEmpty()) {
                        return false;
                    }
                    latest.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
                }
            }
            admin.listOffsets(latest).all().get(1, TimeUnit.MINUTES);
            return true;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /** Busy and total jiffies of the whole machine ({@code /proc/stat}), or zeros where there is none. */
    private static long[] machineJiffies() {
        try {
            String[] f = java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
            return new long[] {total - idle, total};
        } catch (Exception e) {
            return new long[] {0, 0};
        }
    }

    /** The share of the machine's CPU that was busy since {@code before}, in percent (all processes: broker, server). */
    private static double busySince(long[] before) {
        long[] now = machineJiffies();
        long total = now[1] - before[1];
        return total <= 0 ? 0 : 100.0 * (now[0] - before[0]) / total;
    }

    private static double rate(int events, long nanos) {
        return events / seconds(nanos);
    }

    /** {@code nanos} of CPU over the run's events, in microseconds per event. */
    private double micros(long nanos) {
        return nanos / 1000.0 / events;
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static long percentile(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
