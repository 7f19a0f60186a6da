package dev.eventsource.store.spi;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import com.fasterxml.jackson.databind.ser.ContextualSerializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jsr310.ser.InstantSerializer;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes an {@link Instant} as Jackson's own serializer does under the library's configuration
 * ({@code DateTimeFormatter.ISO_INSTANT}: {@code 2026-11-26T10:15:30.123456Z}, the fraction in groups
 * of three digits, none when zero), without going through {@code DateTimeFormatter}, which was a
 * noticeable share of an append's CPU. Years outside 1 to 9999, a {@code @JsonFormat} on the
 * property or type, timestamps enabled on the writer, and polymorphic typing all go to Jackson's
 * {@link InstantSerializer}, so the output is exactly Jackson's in every case
 * ({@code FastInstantSerializerTest} compares them).
 */
final class FastInstantSerializer extends StdSerializer<Instant> implements ContextualSerializer {

    /** Epoch days of 0001-01-01 and 9999-12-31, the years written here; others go to Jackson. */
    private static final long FIRST_DAY = LocalDate.of(1, 1, 1).toEpochDay();
    private static final long LAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    private static final InstantSerializer JACKSON = InstantSerializer.INSTANCE;

    FastInstantSerializer() {
        super(Instant.class);
    }

    @Override
    public JsonSerializer<?> createContextual(SerializerProvider provider, BeanProperty property) throws JsonMappingException {
        JsonFormat.Value format = findFormatOverrides(provider, property, handledType());
        return format == null || format.equals(JsonFormat.Value.empty()) ? this : JACKSON.createContextual(provider, property);
    }

    @Override
    public void serialize(Instant value, JsonGenerator generator, SerializerProvider provider) throws IOException {
        char[] text = provider.isEnabled(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS) ? null : format(value);
        if (text == null) {
            JACKSON.serialize(value, generator, provider);
        } else {
            generator.writeString(text, 0, text.length);
        }
    }

    @Override
    public void serializeWithType(Instant value, JsonGenerator generator, SerializerProvider provider, TypeSerializer types)
            throws IOException {
        JACKSON.serializeWithType(value, generator, provider, types);
    }

    @Override
    public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper visitor, JavaType type) throws JsonMappingException {
        JACKSON.acceptJsonFormatVisitor(visitor, type);
    }

    /** {@code ISO_INSTANT}'s text for {@code instant}, or null when its year is outside 1 to 9999. */
    static char[] format(Instant instant) {
        long seconds = instant.getEpochSecond();
        long day = Math.floorDiv(seconds, 86_400);
        if (day < FIRST_DAY || day > LAST_DAY) {
            return null;
        }
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        LocalDate date = LocalDate.ofEpochDay(day);
        int nanos = instant.getNano();
        int fraction = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
        char[] text = new char[20 + (fraction == 0 ? 0 : fraction + 1)];
        put(text, 0, date.getYear(), 4);
        text[4] = '-';
        put(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        put(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        put(text, 11, secondOfDay / 3_600, 2);
        text[13] = ':';
        put(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        put(text, 17, secondOfDay % 60, 2);
        if (fraction > 0) {
            text[19] = '.';
            put(text, 20, fraction == 3 ? nanos / 1_000_000 : fraction == 6 ? nanos / 1_000 : nanos, fraction);
        }
        text[text.length - 1] = 'Z';
        return text;
    }

    /** Writes {@code value} as {@code width} decimal digits, zero-padded, at {@code text[at]}. */
    private static void put(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
