package dev.eventsource.subscription;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/** Checkpoints in memory, for tests and for subscriptions that restart from scratch anyway. Thread-safe. */
public final class InMemoryCheckpointStore implements CheckpointStore {

    private final ConcurrentSkipListMap<String, Checkpoint> checkpoints = new ConcurrentSkipListMap<>();

    @Override
    public Optional<Checkpoint> find(String subscription) {
        return Optional.ofNullable(checkpoints.get(Objects.requireNonNull(subscription, "subscription")));
    }

    @Override
    public void save(Checkpoint checkpoint) {
        checkpoints.put(checkpoint.subscription(), checkpoint);
    }

    /** Compares and saves in one atomic step. */
    @Override
    public boolean saveIfUnchanged(Checkpoint expected, Checkpoint next) {
        CheckpointStore.checkSameSubscription(expected, next);
        boolean[] saved = {false};
        checkpoints.compute(next.subscription(), (name, current) -> {
            if (CheckpointStore.sameSave(current, expected)) {
                saved[0] = true;
                return next;
            }
            return current;
        });
        return saved[0];
    }

    @Override
    public boolean reset(String subscription) {
        return checkpoints.remove(Objects.requireNonNull(subscription, "subscription")) != null;
    }

    @Override
    public List<Checkpoint> findAll() {
        return List.copyOf(checkpoints.values());
    }
}
