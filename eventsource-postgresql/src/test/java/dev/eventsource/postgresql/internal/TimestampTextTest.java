package dev.eventsource.postgresql.internal;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The text appends bind their times as: exact for whole microseconds, {@code Instant.toString} otherwise. */
class TimestampTextTest {

    @Test
    void writes_whole_microseconds_digit_by_digit_and_reads_back_as_the_same_instant() {
        assertThat(TimestampText.of(Instant.parse("2026-12-04T12:40:49.123456Z"))).isEqualTo("2026-12-04T12:40:49.123456Z");
        assertThat(TimestampText.of(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00.000000Z");
        assertThat(TimestampText.of(Instant.parse("1969-12-31T23:59:59.999999Z"))).isEqualTo("1969-12-31T23:59:59.999999Z");
        assertThat(TimestampText.of(Instant.parse("0001-01-01T00:00:00Z"))).isEqualTo("0001-01-01T00:00:00.000000Z");
        assertThat(TimestampText.of(Instant.parse("9999-12-31T23:59:59.999999Z"))).isEqualTo("9999-12-31T23:59:59.999999Z");
    }

    @Test
    void agrees_with_instant_parsing_over_the_whole_storable_range() {
        long first = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(first, last + 1), random.nextInt(1_000_000) * 1_000L);
            String text = TimestampText.of(t);
            assertThat(text).hasSize(27);
            assertThat(Instant.parse(text)).isEqualTo(t);
        }
    }

    @Test
    void leaves_instants_finer_than_a_microsecond_to_instant_to_string() {
        Instant nanos = Instant.parse("2026-12-04T12:40:49.123456789Z");
        assertThat(TimestampText.of(nanos)).isEqualTo(nanos.toString());
    }
}
