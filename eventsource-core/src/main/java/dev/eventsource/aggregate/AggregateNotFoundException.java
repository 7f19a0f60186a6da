package dev.eventsource.aggregate;

import dev.eventsource.EventSourceException;

import java.util.UUID;

/** {@code AggregateRepository.load} found no events for the aggregate. */
public class AggregateNotFoundException extends EventSourceException {

    private final UUID aggregateId;
    private final String aggregateType;

    public AggregateNotFoundException(UUID aggregateId, String aggregateType) {
        super(aggregateType + " " + aggregateId + " does not exist (its stream has no events). Use find() or"
                + " loadOrCreate() when absence is expected.");
        this.aggregateId = aggregateId;
        this.aggregateType = aggregateType;
    }

    public UUID aggregateId() {
        return aggregateId;
    }

    public String aggregateType() {
        return aggregateType;
    }
}
