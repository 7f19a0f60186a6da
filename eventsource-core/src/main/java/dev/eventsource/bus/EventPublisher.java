package dev.eventsource.bus;

import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StoredEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The publishing side of a bus: hands stored events, envelopes included, to the bus.
 *
 * <p>{@link #publish(List)} returns once the bus has <em>accepted</em> every event: a synchronous
 * in-process bus after every handler ran, an asynchronous one once the events are queued, a broker
 * adapter once the broker acknowledged them all. That is what a relay waits for before it advances
 * its checkpoint. If it throws for another reason than bad input or shutdown, some of the events
 * may have been published: publish them all again (consumers see duplicates, never a gap).
 *
 * <p>Order: the events of one aggregate are delivered in the order they were published, within a
 * list and across calls from one thread. Calls from several threads are ordered as they reach the
 * bus, so a publisher that needs the store's order publishes from one thread, as a relay does.
 *
 * <p>Refused, before anything of the list is published: a null list ({@link NullPointerException});
 * a null element, or an event that is not a stored one (no event id, aggregate id, type, payload or
 * metadata, or a version or global position below 1), with {@link IllegalArgumentException}; any
 * call after shutdown with {@link EventBusClosedException}.
 */
public interface EventPublisher extends BusEndpoint {

    /**
     * Publishes {@code events} in list order.
     *
     * @throws IllegalArgumentException if an event is not a stored event (see above)
     * @throws EventBusClosedException  after shutdown
     */
    void publish(List<StoredEvent> events);

    /** Publishes one event; see {@link #publish(List)}. */
    default void publish(StoredEvent event) {
        publish(List.of(checkPublishable(event)));
    }

    /**
     * Starts publishing events as the log stores them, in list order, after the rows of earlier
     * calls; the future completes once the bus accepted every row (as {@link #publish(List)}
     * returns), or exceptionally with what {@code publish} would have thrown. This is a relay's
     * path: it lets the caller read the next rows while these are on their way, and lets a broker
     * adapter send the stored document without decoding the payload.
     *
     * <p>The default decodes every row with {@code decoder}, calls {@link #publish(List)} and
     * returns a completed future. If {@code decoder} throws for a row, the rows before it are
     * published first (this returns only after they were accepted), then the decoder's exception is
     * thrown: nothing at or after that row is published. Adapters whose wire carries the stored
     * document ({@link dev.eventsource.wire.EventDocument}) override this and never call
     * {@code decoder}.
     *
     * <p>If the future fails, rows of this call and of later calls may or may not be published:
     * publish again from the first row of the earliest failed call (consumers see duplicates,
     * never a gap). To keep first sightings in log order, an implementation that acknowledges
     * later refuses, once a call failed, every call that starts after that call's first row, until
     * a call starts at or before it.
     *
     * @param rows    stored rows, in global position order; not empty
     * @param decoder turns a row into the event a handler receives
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code rows} is empty or holds null
     * @throws EventBusClosedException  after shutdown
     */
    default CompletableFuture<Void> publishRows(List<RecordedEvent> rows, Function<RecordedEvent, StoredEvent> decoder) {
        checkRows(rows);
        Objects.requireNonNull(decoder, "decoder");
        List<StoredEvent> decoded = new ArrayList<>(rows.size());
        for (RecordedEvent row : rows) {
            StoredEvent event;
            try {
                event = decoder.apply(row);
            } catch (RuntimeException e) {
                if (!decoded.isEmpty()) {
                    publish(decoded);
                }
                throw e;
            }
            decoded.add(event);
        }
        publish(decoded);
        return CompletableFuture.completedFuture(null);
    }

    /**
     * Checks the rows given to {@link #publishRows}: every implementation calls it first.
     *
     * @throws NullPointerException     if {@code rows} is null
     * @throws IllegalArgumentException if it is empty or holds null
     */
    static List<RecordedEvent> checkRows(List<RecordedEvent> rows) {
        Objects.requireNonNull(rows, "rows must not be null; publish a list of stored rows");
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("rows must not be empty; publish at least one stored row");
        }
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i) == null) {
                throw new IllegalArgumentException("rows[" + i + "] is null; publish stored rows only");
            }
        }
        return rows;
    }

    /**
     * Checks that {@code events} can be published and returns them as an unmodifiable list. Every
     * implementation calls it first, so that every bus refuses the same input with the same message.
     *
     * @throws IllegalArgumentException naming the first event that is not a stored event
     */
    static List<StoredEvent> checkPublishable(List<StoredEvent> events) {
        Objects.requireNonNull(events, "events must not be null; publish a list of stored events");
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) == null) {
                throw new IllegalArgumentException("events[" + i + "] is null; publish stored events only");
            }
            checkPublishable(events.get(i));
        }
        return List.copyOf(events);
    }

    private static StoredEvent checkPublishable(StoredEvent e) {
        Objects.requireNonNull(e, "event must not be null; publish a stored event");
        String missing = e.eventId() == null ? "eventId"
                : e.aggregateId() == null ? "aggregateId"
                : e.eventType() == null || e.eventType().isBlank() ? "eventType"
                : e.event() == null ? "the payload (event)"
                : e.metadata() == null ? "metadata" : null;
        if (missing != null) {
            throw new IllegalArgumentException("cannot publish an event without " + missing + ": " + e
                    + "; publish the StoredEvents the store returned, which carry their whole envelope");
        }
        if (e.version() < 1 || e.globalPosition() < 1) {
            throw new IllegalArgumentException("cannot publish event " + e.eventId() + " with version " + e.version()
                    + " and global position " + e.globalPosition() + ": both start at 1 for a stored event;"
                    + " publish after the append committed, with the envelopes the store returned");
        }
        return e;
    }
}
