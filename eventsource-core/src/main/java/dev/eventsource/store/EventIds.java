package dev.eventsource.store;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time-ordered event ids: RFC 9562 version 7 UUIDs, the ids the library generates for events
 * ({@link NewEvent#of}, aggregate saves). Ids generated later in this process are always greater,
 * compared as unsigned 128-bit numbers (which is also their byte order, so they land at the right
 * end of an index on {@code event_id} instead of on a random page of it).
 *
 * <p>Layout: 48 bits of Unix time in milliseconds, version {@code 0111}, a 12-bit counter in
 * {@code rand_a} (RFC 9562 section 6.2, method 1), variant {@code 10}, then 62 random bits. The
 * first id of a millisecond seeds the counter at random below 1024; the following ids of the same
 * millisecond increment it. When more than the counter's room is needed in one millisecond, or the
 * clock steps back, the time field runs ahead of the clock by as much as needed (the RFC's allowed
 * treatment), so ids never repeat or go backwards within the process. The random bits come from
 * {@link ThreadLocalRandom}: they make ids of different processes distinct, not unguessable; an id
 * must not be used as a secret.
 *
 * <p>Callers may still supply any UUID as an event id (for idempotent retries); the stores accept
 * every version. Only {@link #timeOf} refuses ids that are not version 7.
 */
public final class EventIds {

    /** The last (millis << 12 | counter) handed out; strictly increasing. */
    private static final AtomicLong LAST = new AtomicLong();

    private static final long VERSION_7 = 0x7000L;

    private EventIds() {
    }

    /** A new version 7 id, greater than every id this method returned before in this process. */
    public static UUID next() {
        long now = System.currentTimeMillis();
        long state = LAST.updateAndGet(last -> {
            if ((last >>> 12) < now) {
                return now << 12 | ThreadLocalRandom.current().nextInt(1024);
            }
            return last + 1;
        });
        long msb = (state >>> 12) << 16 | VERSION_7 | (state & 0xFFF);
        long lsb = ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /**
     * The time field of a version 7 id, to the millisecond.
     *
     * @throws IllegalArgumentException if {@code id} is not a version 7 UUID of the RFC 9562 variant:
     *                                  other ids (e.g. random version 4 ones) carry no time
     */
    public static Instant timeOf(UUID id) {
        Objects.requireNonNull(id, "id");
        if (id.version() != 7 || id.variant() != 2) {
            throw new IllegalArgumentException("event id " + id + " is not a time-ordered (version 7) UUID but version "
                    + id.version() + " of variant " + id.variant() + ", so it carries no time; only ids the library"
                    + " generated (EventIds.next()) or other RFC 9562 version 7 ids have one");
        }
        return Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
    }
}
