package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.sqlite.Notes.NoteCreated;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.EventStoreBusyException;
import dev.eventsource.store.EventStoreInterruptedException;
import dev.eventsource.store.ExpectedVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long an append waits for a write lock that another connection holds, and how an interrupt
 * ends the wait. The bounds are behaviour (the configured busy timeout), with margins generous
 * enough for a loaded machine; the lock is held by a raw JDBC connection on the same file.
 */
class SQLiteWaitTest {

    private static final Duration BUSY_TIMEOUT = Duration.ofSeconds(5);
    /** Margin for a loaded machine; far below a second busy timeout. */
    private static final long MARGIN_MILLIS = 2_000;

    @TempDir
    Path dir;

    private final EventRegistry registry = new EventRegistry().register(NoteCreated.class);

    /** What one appending thread saw: its outcome, how long it took, and its interrupt flag afterwards. */
    record Attempt(Object outcome, long millis, boolean interruptFlag) {
    }

    @Test
    void an_append_queued_behind_a_blocked_append_fails_busy_within_one_busy_timeout_of_queueing() throws Exception {
        Path db = dir.resolve("queued.db");
        UUID id = UUID.randomUUID();
        try (SQLiteEventStore store = store(db, BUSY_TIMEOUT); Connection other = lockFromOutside(db)) {
            CompletableFuture<Attempt> first = attempt(store, id);
            await(store::isWriting);
            CompletableFuture<Attempt> second = attempt(store, id);
            await(() -> store.queuedAppends() == 1);

            Attempt leader = first.get(1, TimeUnit.MINUTES);
            Attempt queued = second.get(1, TimeUnit.MINUTES);

            assertThat(leader.outcome()).isInstanceOf(EventStoreBusyException.class);
            assertThat(queued.outcome()).isInstanceOf(EventStoreBusyException.class);
            assertThat(queued.millis()).as("time the queued append took, in ms")
                    .isLessThan(BUSY_TIMEOUT.toMillis() + MARGIN_MILLIS);
            other.createStatement().execute("ROLLBACK");
            assertThat(store.getStreamVersion(id, "Note")).isZero();
        }
    }

    @Test
    void an_interrupted_append_waiting_for_a_blocked_lock_leaves_promptly_with_its_flag_set_and_nothing_written()
            throws Exception {
        Path db = dir.resolve("interrupted-leader.db");
        UUID id = UUID.randomUUID();
        try (SQLiteEventStore store = store(db, Duration.ofMinutes(2)); Connection other = lockFromOutside(db)) {
            Thread[] thread = new Thread[1];
            CompletableFuture<Attempt> waiting = attempt(store, id, thread);
            await(store::isWriting);

            thread[0].interrupt();
            Attempt interrupted = waiting.get(30, TimeUnit.SECONDS);

            assertThat(interrupted.outcome()).isInstanceOf(EventStoreInterruptedException.class);
            assertThat(interrupted.interruptFlag()).isTrue();
            other.createStatement().execute("ROLLBACK");
            assertThat(store.getStreamVersion(id, "Note")).isZero();
            assertThat(store.appendEvents(id, "Note", List.of(new NoteCreated("later", "")), ExpectedVersion.NO_STREAM)
                    .newVersion()).isEqualTo(1);
        }
    }

    @Test
    void an_interrupted_append_queued_behind_a_blocked_one_leaves_promptly_and_is_never_written() throws Exception {
        Path db = dir.resolve("interrupted-follower.db");
        UUID leaderStream = UUID.randomUUID();
        UUID followerStream = UUID.randomUUID();
        try (SQLiteEventStore store = store(db, Duration.ofMinutes(2)); Connection other = lockFromOutside(db)) {
            CompletableFuture<Attempt> leading = attempt(store, leaderStream);
            await(store::isWriting);
            Thread[] thread = new Thread[1];
            CompletableFuture<Attempt> queued = attempt(store, followerStream, thread);
            await(() -> store.queuedAppends() == 1);

            thread[0].interrupt();
            Attempt interrupted = queued.get(30, TimeUnit.SECONDS);
            other.createStatement().execute("ROLLBACK");
            Attempt leader = leading.get(1, TimeUnit.MINUTES);

            assertThat(interrupted.outcome()).isInstanceOf(EventStoreInterruptedException.class);
            assertThat(interrupted.interruptFlag()).isTrue();
            assertThat(leader.outcome()).isInstanceOf(AppendResult.class);
            assertThat(store.getStreamVersion(followerStream, "Note")).isZero();
            assertThat(store.getStreamVersion(leaderStream, "Note")).isEqualTo(1);
        }
    }

    @Test
    void an_append_on_an_interrupted_thread_writes_nothing_and_keeps_the_flag() throws Exception {
        Path db = dir.resolve("pre-interrupted.db");
        UUID id = UUID.randomUUID();
        try (SQLiteEventStore store = store(db, BUSY_TIMEOUT)) {
            Thread[] thread = new Thread[1];
            CompletableFuture<Attempt> attempt = new CompletableFuture<>();
            thread[0] = new Thread(() -> {
                Thread.currentThread().interrupt();
                attempt.complete(run(store, id));
            });
            thread[0].start();

            Attempt interrupted = attempt.get(30, TimeUnit.SECONDS);

            assertThat(interrupted.outcome()).isInstanceOf(EventStoreInterruptedException.class);
            assertThat(interrupted.interruptFlag()).isTrue();
            assertThat(store.getStreamVersion(id, "Note")).isZero();
        }
    }

    private SQLiteEventStore store(Path db, Duration busyTimeout) {
        SQLiteEventStore store = SQLiteEventStore.builder(db.toString()).eventRegistry(registry).busyTimeout(busyTimeout).build();
        store.initialize();
        return store;
    }

    /** A second connection on the file holding its write lock, as another process would. */
    private static Connection lockFromOutside(Path db) throws Exception {
        Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
        other.createStatement().execute("BEGIN IMMEDIATE");
        return other;
    }

    private CompletableFuture<Attempt> attempt(SQLiteEventStore store, UUID id) {
        return attempt(store, id, new Thread[1]);
    }

    private CompletableFuture<Attempt> attempt(SQLiteEventStore store, UUID id, Thread[] thread) {
        CompletableFuture<Attempt> attempt = new CompletableFuture<>();
        thread[0] = new Thread(() -> attempt.complete(run(store, id)));
        thread[0].start();
        return attempt;
    }

    private static Attempt run(SQLiteEventStore store, UUID id) {
        long start = System.nanoTime();
        Object outcome;
        try {
            outcome = store.appendEvents(id, "Note", List.of(new NoteCreated("x", "")), ExpectedVersion.ANY);
        } catch (RuntimeException e) {
            outcome = e;
        }
        return new Attempt(outcome, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                Thread.currentThread().isInterrupted());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s for the setup").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
