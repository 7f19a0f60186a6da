package dev.eventsource.subscription;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/** The dead-letter queue in memory, for tests and prototypes. Thread-safe. */
public final class InMemoryDeadLetterStore implements DeadLetterStore {

    private static final Comparator<DeadLetter> ORDER = Comparator.comparing(DeadLetter::subscription)
            .thenComparingLong(DeadLetter::globalPosition);

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, DeadLetter> byId = new LinkedHashMap<>();
    private long lastId;

    @Override
    public DeadLetter add(DeadLetter letter) {
        Objects.requireNonNull(letter, "letter");
        lock.lock();
        try {
            for (DeadLetter existing : byId.values()) {
                if (existing.subscription().equals(letter.subscription()) && existing.eventId().equals(letter.eventId())) {
                    DeadLetter updated = new DeadLetter(existing.id(), existing.subscription(), existing.eventId(),
                            existing.globalPosition(), existing.eventType(), existing.payload(), letter.error(),
                            letter.stackTrace(), existing.attempts() + letter.attempts(), existing.firstFailedAt(),
                            letter.lastFailedAt(), null);
                    byId.put(existing.id(), updated);
                    return updated;
                }
            }
            DeadLetter stored = letter.withId(++lastId);
            byId.put(stored.id(), stored);
            return stored;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<DeadLetter> find(long id) {
        lock.lock();
        try {
            return Optional.ofNullable(byId.get(id));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<DeadLetter> list(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        return listAll().stream().filter(d -> d.subscription().equals(subscription)).toList();
    }

    @Override
    public long count(String subscription) {
        Objects.requireNonNull(subscription, "subscription");
        lock.lock();
        try {
            return byId.values().stream().filter(d -> !d.isResolved() && d.subscription().equals(subscription)).count();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<DeadLetter> listAll() {
        lock.lock();
        try {
            return byId.values().stream().filter(d -> !d.isResolved()).sorted(ORDER).toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean resolve(long id, Instant at) {
        Objects.requireNonNull(at, "at");
        lock.lock();
        try {
            DeadLetter d = byId.get(id);
            if (d == null || d.isResolved()) {
                return false;
            }
            byId.put(id, new DeadLetter(d.id(), d.subscription(), d.eventId(), d.globalPosition(), d.eventType(),
                    d.payload(), d.error(), d.stackTrace(), d.attempts(), d.firstFailedAt(), d.lastFailedAt(), at));
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<DeadLetter> query(DeadLetterQuery query) {
        Objects.requireNonNull(query, "query");
        lock.lock();
        try {
            // Ids are handed out in increasing order and entries keep theirs, so insertion order is id order.
            return byId.values().stream().filter(query::matches).limit(query.limit()).toList();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public DeadLetterStats stats() {
        lock.lock();
        try {
            Map<String, Long> bySubscription = new HashMap<>();
            Map<String, Long> byErrorType = new HashMap<>();
            long unresolved = 0;
            for (DeadLetter d : byId.values()) {
                if (!d.isResolved()) {
                    unresolved++;
                    bySubscription.merge(d.subscription(), 1L, Long::sum);
                    byErrorType.merge(DeadLetterStats.errorType(d.error()), 1L, Long::sum);
                }
            }
            return new DeadLetterStats(unresolved, bySubscription, byErrorType);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long purgeResolved(Instant resolvedBefore) {
        Objects.requireNonNull(resolvedBefore, "resolvedBefore");
        lock.lock();
        try {
            int before = byId.size();
            byId.values().removeIf(d -> d.isResolved() && d.resolvedAt().isBefore(resolvedBefore));
            return before - byId.size();
        } finally {
            lock.unlock();
        }
    }
}
