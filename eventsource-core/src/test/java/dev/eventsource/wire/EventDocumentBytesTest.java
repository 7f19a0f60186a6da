package dev.eventsource.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.eventsource.store.RecordedEvent;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link EventDocument#encodeBytes(RecordedEvent)} writes the document straight to bytes in a buffer
 * each thread reuses; these tests hold it to what Jackson writes for the same document, byte for
 * byte, on rows full of what needs care (escapes, controls, 2-, 3- and 4-byte UTF-8, dates before
 * 1970 and far from it, long documents), and across threads.
 */
class EventDocumentBytesTest {

    private static final ObjectMapper MAPPER = EventDocument.objectMapper();
    private static final String[] PIECES = {"a", "Z", "0", " ", "\"", "\\", "/", "\n", "\r", "\t", "\b", "\f", "\u0000",
            "\u0001", "\u001f", "\u007f", "é", "ß", "€", "\u2028", "中", "😀", "{", "}", "[", ":", ","};

    /** What the document must be: Jackson writing the same fields, in order, with payload and metadata as trees. */
    private static byte[] jackson(RecordedEvent row) throws JsonProcessingException {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("eventId", row.eventId().toString());
        node.put("eventType", row.eventType());
        node.put("schemaVersion", row.schemaVersion());
        node.put("aggregateType", row.aggregateType());
        node.put("aggregateId", row.aggregateId().toString());
        node.put("version", row.version());
        node.put("globalPosition", row.globalPosition());
        node.put("occurredAt", EventDocument.time(row.occurredAt()));
        node.put("recordedAt", EventDocument.time(row.recordedAt()));
        node.put("tenantId", row.tenantId());
        node.set("metadata", MAPPER.readTree(row.metadataJson() == null ? "{}" : row.metadataJson()));
        node.set("payload", MAPPER.readTree(row.payloadJson()));
        // Written as text, then UTF-8: Jackson's byte generator escapes a surrogate pair in a field name
        // where its text generator (which wrote the stored JSON) does not, and the stored text is what is copied.
        return MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    }

    private static String text(Random random, int maxPieces) {
        StringBuilder b = new StringBuilder("k");   // never blank: a document's names and tenant are not
        int n = 1 + random.nextInt(maxPieces);
        for (int i = 0; i < n; i++) {
            b.append(random.nextInt(3) == 0 ? PIECES[random.nextInt(PIECES.length)] : "x" + random.nextInt(1000));
        }
        return b.toString();
    }

    /** Stored JSON as Jackson writes it (one line): the form whose copy must equal Jackson's writing of its tree. */
    private static String json(Random random, int fields) {
        ObjectNode o = MAPPER.createObjectNode();
        for (int i = 0; i < fields; i++) {
            String name = text(random, 3) + i;
            switch (random.nextInt(6)) {
                case 0 -> o.put(name, text(random, 8));
                case 1 -> o.put(name, random.nextLong());
                case 2 -> o.put(name, new BigDecimal(random.nextInt(100_000) + "." + random.nextInt(100) + "0"));
                case 3 -> o.put(name, random.nextBoolean());
                case 4 -> o.putNull(name);
                default -> {
                    ArrayNode a = o.putArray(name);
                    a.add(text(random, 4)).add(random.nextInt()).addObject().put(text(random, 2), text(random, 2));
                }
            }
        }
        try {
            return MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static Instant instant(Random random) {
        // years 0 to 9999, before and after 1970, with and without micros
        long seconds = random.nextLong(-62_167_219_200L, 253_402_300_799L);
        return Instant.ofEpochSecond(seconds, random.nextBoolean() ? 0 : random.nextInt(1_000_000) * 1000L);
    }

    private static RecordedEvent row(Random random, int payloadFields) {
        Instant occurred = instant(random);
        return new RecordedEvent(new UUID(random.nextLong(), random.nextLong()), text(random, 4), random.nextInt(1, 1000),
                new UUID(random.nextLong(), random.nextLong()), text(random, 4), random.nextLong(1, Long.MAX_VALUE),
                random.nextLong(1, Long.MAX_VALUE), occurred, random.nextBoolean() ? occurred : instant(random),
                random.nextInt(3) == 0 ? null : text(random, 3), random.nextInt(4) == 0 ? null : json(random, 3),
                json(random, payloadFields));
    }

    @Test
    void writes_what_jackson_writes_byte_for_byte() throws Exception {
        Random random = new Random(12);
        for (int i = 0; i < 2_000; i++) {
            RecordedEvent row = row(random, 1 + random.nextInt(12));
            assertThat(new String(EventDocument.encodeBytes(row), StandardCharsets.UTF_8)).as("row %d: %s", i, row)
                    .isEqualTo(new String(jackson(row), StandardCharsets.UTF_8));
            RecordedEvent stored = row.metadataJson() != null ? row : new RecordedEvent(row.eventId(), row.eventType(),
                    row.schemaVersion(), row.aggregateId(), row.aggregateType(), row.version(), row.globalPosition(),
                    row.occurredAt(), row.recordedAt(), row.tenantId(), "{}", row.payloadJson());
            assertThat(EventDocument.decode(EventDocument.encodeBytes(row))).as("row %d, decoded", i).isEqualTo(stored);
        }
    }

    @Test
    void a_large_document_then_small_ones_on_the_same_thread() throws Exception {
        Random random = new Random(7);
        RecordedEvent small = row(random, 2);
        RecordedEvent large = row(random, 8_000);
        assertThat(EventDocument.encodeBytes(large).length).as("beyond the retained buffer").isGreaterThan(DocumentBytes.RETAINED);
        for (RecordedEvent row : List.of(small, large, small, large, large, small)) {
            assertThat(EventDocument.encodeBytes(row)).isEqualTo(jackson(row));
        }
    }

    @Test
    void a_lone_surrogate_is_written_as_a_question_mark_as_string_get_bytes_does() {
        RecordedEvent row = new RecordedEvent(UUID.randomUUID(), "Bad\uD800Type", 1, UUID.randomUUID(), "Cart\uDC00", 1, 1,
                Instant.parse("2025-01-31T09:15:00Z"), Instant.parse("2025-01-31T09:15:00Z"), null, null,
                "{\"k\":\"x\uD83D\",\"pair\":\"\uD83D\uDE00\"}");
        String document = new String(EventDocument.encodeBytes(row), StandardCharsets.UTF_8);
        assertThat(document).contains("\"eventType\":\"Bad?Type\"", "\"aggregateType\":\"Cart?\"",
                "\"payload\":{\"k\":\"x?\",\"pair\":\"\uD83D\uDE00\"}");
    }

    @Test
    void times_outside_four_digit_years_are_written_as_the_formatter_writes_them() {
        for (Instant t : List.of(Instant.parse("+10000-01-01T00:00:00.000001Z"), Instant.parse("-0001-12-31T23:59:59.999999Z"),
                Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("9999-12-31T23:59:59.999999Z"),
                Instant.parse("1969-12-31T23:59:59.5Z"), Instant.EPOCH)) {
            RecordedEvent row = new RecordedEvent(UUID.randomUUID(), "T", 1, UUID.randomUUID(), "A", 1, 1, t, t, null, null, "{}");
            assertThat(new String(EventDocument.encodeBytes(row), StandardCharsets.UTF_8))
                    .as(t.toString()).contains("\"occurredAt\":\"" + EventDocument.time(t) + "\",\"recordedAt\":\""
                            + EventDocument.time(t) + "\"");
        }
    }

    @Test
    void id_bytes_are_the_ids_text() {
        Random random = new Random(3);
        List<UUID> ids = new ArrayList<>(List.of(new UUID(0, 0), new UUID(-1, -1), new UUID(Long.MIN_VALUE, Long.MAX_VALUE)));
        for (int i = 0; i < 1_000; i++) {
            ids.add(new UUID(random.nextLong(), random.nextLong()));
        }
        ids.add(UUID.randomUUID());
        for (UUID id : ids) {
            assertThat(new String(EventDocument.idBytes(id), StandardCharsets.US_ASCII)).isEqualTo(id.toString());
        }
    }

    /** Each thread has its own buffer: documents encoded at once on many threads are each their own. */
    @Test
    void threads_encoding_at_once_each_get_their_own_document() throws Exception {
        Random random = new Random(5);
        List<RecordedEvent> rows = new ArrayList<>();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            RecordedEvent row = row(random, i % 50 == 0 ? 3_000 : 1 + random.nextInt(10));
            rows.add(row);
            expected.add(jackson(row));
        }
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int offset = t * 37;
                results.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int round = 0; round < 10; round++) {
                        for (int i = 0; i < rows.size(); i++) {
                            int k = (i + offset + round) % rows.size();
                            assertThat(EventDocument.encodeBytes(rows.get(k))).isEqualTo(expected.get(k));
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            start.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get()).isEqualTo(10 * rows.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
