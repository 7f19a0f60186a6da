package dev.eventsource.subscription;

import dev.eventsource.store.StoredEvent;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Delivery to a {@link TransactionalProjection}: every handler call runs in a transaction of the
 * {@link TransactionalCheckpointStore} that also writes the checkpoint covering the event, so the
 * read model and the checkpoint commit together or not at all (exactly-once). A whole batch is
 * tried as one transaction first, because one commit per batch is what makes catching up fast.
 */
final class TransactionalDelivery implements Delivery {

    private final String subscription;
    private final TransactionalProjection projection;
    private final TransactionalCheckpointStore checkpoints;
    private final Clock clock;

    TransactionalDelivery(String subscription, TransactionalProjection projection, TransactionalCheckpointStore checkpoints,
                          Clock clock) {
        this.subscription = subscription;
        this.projection = Objects.requireNonNull(projection, "projection");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public boolean deliverAsOne(List<LogEntry> batch, long eventsProcessed) {
        List<StoredEvent> events = new ArrayList<>(batch.size());
        for (LogEntry entry : batch) {
            if (entry.decodingFailure() != null) {
                // Event by event, the subscription dead-letters it and handles the others.
                return false;
            }
            events.add(entry.decode());
        }
        Checkpoint after = checkpointAfter(events.get(events.size() - 1), eventsProcessed);
        try {
            checkpoints.saveInTransaction(after, c -> {
                for (StoredEvent event : events) {
                    projection.handle(event, c);
                }
            });
            return true;
        } catch (Exception e) {
            // Rolled back as a whole; event by event, the subscription finds the failing event and retries only it.
            return false;
        }
    }

    /** Handles {@code event} and saves its checkpoint in one transaction; true once both are committed. */
    @Override
    public boolean deliver(StoredEvent event, long eventsProcessed) throws Exception {
        checkpoints.saveInTransaction(checkpointAfter(event, eventsProcessed), c -> projection.handle(event, c));
        return true;
    }

    /** Handles {@code event} in a transaction of its own, which writes no checkpoint. */
    @Override
    public void redeliver(StoredEvent event) throws Exception {
        checkpoints.saveInTransaction(null, c -> projection.handle(event, c));
    }

    /** Empties the read model and forgets the checkpoint in one transaction. */
    @Override
    public Reset readModelReset() {
        return () -> checkpoints.resetInTransaction(subscription, projection::reset);
    }

    private Checkpoint checkpointAfter(StoredEvent last, long eventsProcessed) {
        return new Checkpoint(subscription, last.globalPosition(), eventsProcessed, last.eventId(), last.eventType(),
                clock.instant());
    }
}
