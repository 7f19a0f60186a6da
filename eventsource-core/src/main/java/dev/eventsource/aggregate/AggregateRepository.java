package dev.eventsource.aggregate;

import dev.eventsource.event.DomainEvent;
import dev.eventsource.event.EventMetadata;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStore;
import dev.eventsource.store.EventStream;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.NewEvent;
import dev.eventsource.store.StoredEvent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Loads aggregates by replaying their stream and saves their new events with an optimistic
 * concurrency check.
 *
 * <p>{@link #save} appends the uncommitted events expecting the version the aggregate was loaded
 * at; if another writer got there first it throws
 * {@link dev.eventsource.store.OptimisticLockException}, writes nothing and leaves the aggregate's
 * uncommitted events in place. Thread-safe; aggregates themselves are not.
 *
 * @param <A> the aggregate type
 */
public final class AggregateRepository<A extends AggregateRoot<?>> {

    private final EventStore store;
    private final Function<UUID, A> factory;
    private final String aggregateType;

    /**
     * @param store         where the events live
     * @param factory       creates an empty aggregate for an id, e.g. {@code NoteAggregate::new}
     * @param aggregateType the stream type, e.g. {@code "Note"}
     */
    public AggregateRepository(EventStore store, Function<UUID, A> factory, String aggregateType) {
        this.store = Objects.requireNonNull(store, "store");
        this.factory = Objects.requireNonNull(factory, "factory");
        if (aggregateType == null || aggregateType.isBlank()) {
            throw new IllegalArgumentException("aggregateType must be non-blank, e.g. \"Note\"");
        }
        this.aggregateType = aggregateType;
    }

    public String aggregateType() {
        return aggregateType;
    }

    public EventStore store() {
        return store;
    }

    /** A new, empty aggregate; nothing is stored until {@link #save}. */
    public A createNew(UUID aggregateId) {
        Objects.requireNonNull(aggregateId, "aggregateId");
        A aggregate = factory.apply(aggregateId);
        if (aggregate == null || !aggregate.aggregateId().equals(aggregateId)) {
            throw new IllegalStateException("the aggregate factory must return an aggregate with id " + aggregateId);
        }
        return aggregate;
    }

    /**
     * The aggregate rebuilt from all its events.
     *
     * @throws AggregateNotFoundException if its stream is empty
     */
    public A load(UUID aggregateId) {
        return find(aggregateId).orElseThrow(() -> new AggregateNotFoundException(aggregateId, aggregateType));
    }

    /** The aggregate rebuilt from all its events, or empty if it has none. */
    public Optional<A> find(UUID aggregateId) {
        EventStream stream = store.getEvents(aggregateId, aggregateType);
        if (stream.isEmpty()) {
            return Optional.empty();
        }
        A aggregate = createNew(aggregateId);
        for (StoredEvent e : stream.events()) {
            aggregate.replay(e.event(), e.version());
        }
        return Optional.of(aggregate);
    }

    /** The stored aggregate, or a new empty one. */
    public A loadOrCreate(UUID aggregateId) {
        return find(aggregateId).orElseGet(() -> createNew(aggregateId));
    }

    /** True when the aggregate has at least one event. */
    public boolean exists(UUID aggregateId) {
        return store.getStreamVersion(aggregateId, aggregateType) > 0;
    }

    /** Saves the uncommitted events without metadata; a no-op when there are none. */
    public Optional<AppendResult> save(A aggregate) {
        return save(aggregate, EventMetadata.EMPTY);
    }

    /**
     * Saves the uncommitted events, each carrying {@code metadata}; a no-op (empty result) when
     * there are none.
     *
     * @throws dev.eventsource.store.OptimisticLockException if the stream moved since the load
     */
    public Optional<AppendResult> save(A aggregate, EventMetadata metadata) {
        Objects.requireNonNull(aggregate, "aggregate");
        Objects.requireNonNull(metadata, "metadata");
        if (!aggregate.hasUncommittedEvents()) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        List<NewEvent> events = new ArrayList<>();
        for (DomainEvent e : aggregate.uncommittedEvents()) {
            events.add(new NewEvent(e, UUID.randomUUID(), now, metadata));
        }
        AppendResult result = store.append(aggregate.aggregateId(), aggregateType, events,
                ExpectedVersion.exactly(aggregate.committedVersion()));
        aggregate.markCommitted();
        return Optional.of(result);
    }
}
