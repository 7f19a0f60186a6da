package dev.eventsource.store.spi;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FastInstantDeserializerTest {

    private final ObjectMapper json = EventMapper.defaultObjectMapper();

    @Test
    void reads_back_every_instant_jackson_writes_exactly() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong() % 4_000_000_000L, random.nextInt(1_000_000_000));
            if (i % 3 == 0) {
                instant = instant.truncatedTo(ChronoUnit.MICROS);
            } else if (i % 3 == 1) {
                instant = instant.truncatedTo(ChronoUnit.SECONDS);
            }
            String text = json.writeValueAsString(instant);

            assertThat(json.readValue(text, Instant.class)).as(text).isEqualTo(instant);
        }
    }

    @Test
    void leaves_other_forms_to_jacksons_own_reader() throws Exception {
        assertThat(FastInstantDeserializer.parse("2026-11-26T10:15:30+01:00")).isNull();
        assertThat(json.readValue("\"2026-11-26T10:15:30+01:00\"", Instant.class))
                .isEqualTo(Instant.parse("2026-11-26T09:15:30Z"));
        assertThat(json.readValue("1700000000.5", Instant.class)).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 500_000_000));
    }

    @Test
    void refuses_impossible_dates_through_the_fallback() {
        assertThat(FastInstantDeserializer.parse("2026-02-30T10:15:30Z")).isNull();
        assertThat(FastInstantDeserializer.parse("2026-11-26T24:00:00Z")).isNull();
        assertThat(FastInstantDeserializer.parse("2026-11-26T10:15:30.Z")).isNull();
    }
}
