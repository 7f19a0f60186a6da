package dev.eventsource.store.spi;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FastInstantSerializerTest {

    private final ObjectMapper library = EventMapper.defaultObjectMapper();
    /** Jackson's own Instant serializer, configured as the library's mapper is. */
    private final ObjectMapper jackson = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    record Stamped(Instant at, List<Instant> history) {
    }

    record Formatted(@JsonFormat(shape = JsonFormat.Shape.NUMBER) Instant at,
                     @JsonFormat(pattern = "yyyy-MM-dd HH:mm", timezone = "UTC") Instant minute) {
    }

    @Test
    void the_library_mapper_uses_it() throws Exception {
        assertThat(library.getSerializerProviderInstance().findValueSerializer(Instant.class))
                .isInstanceOf(FastInstantSerializer.class);
    }

    @Test
    void writes_exactly_what_jackson_writes_for_every_instant() throws Exception {
        Random random = new Random(17);
        for (int i = 0; i < 50_000; i++) {
            // Seconds across and beyond years 1 to 9999, so the fallback is exercised as well.
            Instant instant = Instant.ofEpochSecond(random.nextLong() % 400_000_000_000L, random.nextInt(1_000_000_000));
            switch (i % 4) {
                case 0 -> instant = instant.truncatedTo(ChronoUnit.MICROS);
                case 1 -> instant = instant.truncatedTo(ChronoUnit.MILLIS);
                case 2 -> instant = instant.truncatedTo(ChronoUnit.SECONDS);
                default -> {
                }
            }
            assertThat(library.writeValueAsString(instant)).isEqualTo(jackson.writeValueAsString(instant));
        }
        for (String edge : List.of("0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999Z", "2000-02-29T12:00:00.000001Z", "2026-11-26T10:15:30.1Z",
                "-0001-12-31T23:59:59Z", "+10000-01-01T00:00:00Z")) {
            Instant instant = Instant.parse(edge);
            assertThat(library.writeValueAsString(instant)).as(edge).isEqualTo(jackson.writeValueAsString(instant));
        }
        assertThat(library.writeValueAsString(Instant.parse("2026-11-26T10:15:30.120Z")))
                .isEqualTo("\"2026-11-26T10:15:30.120Z\"");
    }

    @Test
    void inside_records_and_collections_too() throws Exception {
        Stamped stamped = new Stamped(Instant.parse("2026-11-26T10:15:30.123456Z"),
                List.of(Instant.parse("2020-01-01T00:00:00Z"), Instant.ofEpochSecond(-1, 5)));

        String text = library.writeValueAsString(stamped);

        assertThat(text).isEqualTo(jackson.writeValueAsString(stamped));
        assertThat(library.readValue(text, Stamped.class)).isEqualTo(stamped);
    }

    @Test
    void leaves_formats_timestamps_and_typing_to_jackson() throws Exception {
        Formatted formatted = new Formatted(Instant.parse("2026-11-26T10:15:30.5Z"), Instant.parse("2026-11-26T10:15:30Z"));
        assertThat(library.writeValueAsString(formatted)).isEqualTo(jackson.writeValueAsString(formatted))
                .contains("\"2026-11-26 10:15\"").contains("1795688130.5");

        Instant instant = Instant.parse("2026-11-26T10:15:30.123Z");
        assertThat(library.writer().with(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(instant))
                .isEqualTo(jackson.writer().with(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(instant));

        ObjectMapper typedLibrary = library.copy().activateDefaultTyping(
                library.getPolymorphicTypeValidator(), ObjectMapper.DefaultTyping.EVERYTHING);
        ObjectMapper typedJackson = jackson.copy().activateDefaultTyping(
                jackson.getPolymorphicTypeValidator(), ObjectMapper.DefaultTyping.EVERYTHING);
        assertThat(typedLibrary.writeValueAsString(new Stamped(instant, List.of(instant))))
                .isEqualTo(typedJackson.writeValueAsString(new Stamped(instant, List.of(instant))));
    }
}
