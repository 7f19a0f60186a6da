package dev.eventsource.store.spi;

import dev.eventsource.event.EventMetadata;
import dev.eventsource.event.EventRegistry;
import dev.eventsource.event.SerializationException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one-pass metadata reading agrees with the tree reading on every input, and the last-read cache never mixes rows up. */
class MetadataReaderTest {

    private static final UUID ACTOR = UUID.fromString("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    private static final String TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private final EventMapper mapper = new EventMapper(new EventRegistry());

    @Test
    void reads_what_the_mapper_writes_in_one_pass_and_equal_to_the_tree_reading() {
        EventMetadata full = new EventMetadata("t1", ACTOR, UUID.randomUUID(), UUID.randomUUID(), Map.of("b", "2", "a", "1"))
                .withTraceContext(TRACEPARENT, "vendor=x");
        String json = mapper.metadataJson(full);

        EventMetadata fast = MetadataReader.read(EventMapper.defaultObjectMapper().getFactory(), "t1", json);

        assertThat(fast).as("the shape the mapper writes is read in one pass").isNotNull().isEqualTo(full);
        assertThat(EventMapper.readMetadataTree(EventMapper.defaultObjectMapper(), "t1", json)).isEqualTo(full);
    }

    @Test
    void declines_every_shape_it_does_not_read_exactly_and_the_mapper_then_reads_it_as_the_tree_does() {
        List<String> inputs = List.of(
                "{\"extras\": {\"a\": \"1\"}, \"actorId\": \"" + ACTOR + "\", \"causationId\": null}",
                "{\"actorId\": \"" + ACTOR + "\", \"other\": [1, {\"x\": 2}], \"more\": {\"y\": [3]}}",
                "{\"extras\": {\"n\": 5, \"s\": \"x\", \"z\": null, \"o\": {\"k\": 1}, \"b\": true}}",
                "{\"extras\": \"not an object\"}",
                "{\"extras\": null}",
                "{\"extras\": [\"a\"]}",
                "{\"extras\": {\"a\": \"1\"}, \"extras\": {\"b\": \"2\"}}",
                "{\"actorId\": \"" + ACTOR + "\", \"actorId\": null}",
                "{\"actorId\": \"" + ACTOR + "\"} trailing",
                "[]",
                "5",
                "null",
                "{\"extras\": {\"\": \"blank key\"}}",
                "{\"actorId\": \"not-a-uuid\"}",
                "{\"actorId\": 12}",
                "{\"actorId\": {}}",
                "{\"actorId\": ",
                "{\"extras\": {\"a\": \"1\"");
        for (String input : inputs) {
            Object tree = outcome(() -> EventMapper.readMetadataTree(EventMapper.defaultObjectMapper(), "t", input));
            Object mapped = outcome(() -> mapper.metadata("t", input));
            assertThat(mapped).as(input).isEqualTo(tree);
        }
        assertThat(outcome(() -> mapper.metadata("t", "{\"actorId\": 12}")))
                .asString().startsWith(SerializationException.class.getName() + ": Stored metadata is not valid");
    }

    @Test
    void the_same_text_read_for_another_tenant_gets_that_tenant() {
        String json = mapper.metadataJson(EventMetadata.EMPTY.withActorId(ACTOR).withTraceContext(TRACEPARENT, null));

        EventMetadata first = mapper.metadata("acme", json);
        EventMetadata second = mapper.metadata("globex", new String(json.toCharArray()));
        EventMetadata third = mapper.metadata(null, json);

        assertThat(first.tenantId()).isEqualTo("acme");
        assertThat(second.tenantId()).isEqualTo("globex");
        assertThat(third.tenantId()).isNull();
        assertThat(List.of(first.actorId(), second.actorId(), third.actorId())).containsOnly(ACTOR);
    }

    @Test
    void rows_read_alternately_from_many_threads_each_get_their_own_metadata() throws Exception {
        int kinds = 5;
        List<String> texts = new ArrayList<>();
        List<EventMetadata> expected = new ArrayList<>();
        for (int k = 0; k < kinds; k++) {
            EventMetadata m = EventMetadata.EMPTY.withActorId(UUID.randomUUID()).withExtra("k", Integer.toString(k))
                    .withTraceContext(String.format("00-%032x-%016x-01", k + 1, k + 1), null);
            texts.add(mapper.metadataJson(m));
            expected.add(m.withTenantId("tenant-" + k));
        }
        int threads = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t;
                results.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int i = 0; i < 20_000; i++) {
                        int k = (i * 7 + offset) % kinds;
                        // A fresh String per read, as a row from the database is.
                        EventMetadata read = mapper.metadata("tenant-" + k, new String(texts.get(k).toCharArray()));
                        if (!read.equals(expected.get(k))) {
                            throw new AssertionError("read " + read + " for kind " + k + ", expected " + expected.get(k));
                        }
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get(5, TimeUnit.MINUTES)).isEqualTo(20_000);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Object outcome(Callable<EventMetadata> read) {
        try {
            return read.call();
        } catch (Exception e) {
            return e.getClass().getName() + ": " + e.getMessage();
        }
    }
}
