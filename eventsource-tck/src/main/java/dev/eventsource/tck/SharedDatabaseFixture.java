package dev.eventsource.tck;

import dev.eventsource.backend.EventStoreBackend;
import dev.eventsource.event.EventRegistry;
import org.junit.jupiter.api.AfterEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The fixture of the suites that need several application instances on one database (locks,
 * relays): a backend implements {@link #newDatabase(EventRegistry)}, a new empty database whose
 * supplier opens one more instance's backend on it each time it is called, as another process
 * would (for SQLite a new store on the same file, for PostgreSQL one on the same schema; for the
 * in-memory backend, backends sharing one store and one lock table). The suite initializes and
 * closes the backends.
 */
public abstract class SharedDatabaseFixture {

    /** A new, empty database; each call of the supplier opens another instance's backend on it, not yet initialized. */
    protected abstract Supplier<EventStoreBackend> newDatabase(EventRegistry registry);

    /** How long a test waits for something to happen before it fails; generous, as machines vary. */
    protected Duration timeout() {
        return Duration.ofMinutes(1);
    }

    private final List<AutoCloseable> opened = new ArrayList<>();
    private Supplier<EventStoreBackend> database;

    /** Opens another instance on this test's database (the same one for the whole test). */
    protected final EventStoreBackend openInstance() {
        if (database == null) {
            database = newDatabase(new EventRegistry().register(TckEvent.class));
        }
        EventStoreBackend backend = database.get();
        opened.add(backend);
        backend.store().initialize();
        return backend;
    }

    /** Closes {@code closeable} after the test, before the backends (in reverse order of registration). */
    protected final <T extends AutoCloseable> T closeLater(T closeable) {
        opened.add(closeable);
        return closeable;
    }

    @AfterEach
    final void closeInstances() throws Exception {
        Exception failure = null;
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                failure = failure == null ? e : failure;
            }
        }
        opened.clear();
        database = null;
        if (failure != null) {
            throw failure;
        }
    }

    /** Waits until {@code condition} holds, failing after {@link #timeout()}. */
    protected final void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout().toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout() + " waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}
