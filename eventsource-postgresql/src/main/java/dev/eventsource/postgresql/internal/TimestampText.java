package dev.eventsource.postgresql.internal;

import dev.eventsource.wire.EventDocument;

import java.time.Instant;

/**
 * An instant as the text a {@code timestamptz} parameter is bound as: {@code 2026-12-04T12:40:49.123456Z}.
 * Appends bind their times as text cast in SQL rather than as {@code OffsetDateTime}, because the
 * driver formats those through a new {@code TimestampUtils} and {@code GregorianCalendar} for every
 * statement, which was about a tenth of a single-event append's client CPU.
 *
 * <p>The text is exact: an instant of whole microseconds is written as an event document writes
 * its times ({@link EventDocument#time}); any other as {@link Instant#toString()}, which the server
 * then reads and rounds to microseconds as it did before.
 */
final class TimestampText {

    private TimestampText() {
    }

    static String of(Instant t) {
        return t.getNano() % 1_000 == 0 ? EventDocument.time(t) : t.toString();
    }
}
