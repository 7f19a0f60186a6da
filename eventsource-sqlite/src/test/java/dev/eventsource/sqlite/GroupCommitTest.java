package dev.eventsource.sqlite;

import dev.eventsource.event.EventRegistry;
import dev.eventsource.sqlite.Notes.NoteCreated;
import dev.eventsource.sqlite.Notes.NoteUpdated;
import dev.eventsource.store.AppendResult;
import dev.eventsource.store.ExpectedVersion;
import dev.eventsource.store.OptimisticLockException;
import dev.eventsource.store.StoredEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Group commit: appends that arrive while a transaction is in progress are committed together in
 * the next one, each still decided on its own.
 *
 * <p>To build a group on purpose, another connection holds the database's write lock: the first
 * append's leader waits inside {@code BEGIN IMMEDIATE}, the following appends queue up behind it,
 * and when the lock is released the next leader commits all of them at once.
 */
class GroupCommitTest {

    @TempDir
    Path dir;

    private final EventRegistry registry = new EventRegistry().register(NoteCreated.class).register(NoteUpdated.class);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private SQLiteEventStore store;
    private Connection blocker;

    @BeforeEach
    void openStoreAndBlocker() throws Exception {
        Path db = dir.resolve("group.db");
        store = SQLiteEventStore.builder(db.toString()).eventRegistry(registry).busyTimeout(Duration.ofSeconds(60)).build();
        store.initialize();
        blocker = DriverManager.getConnection("jdbc:sqlite:" + db);
    }

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
        blocker.close();
        store.close();
    }

    @Test
    void appends_queued_behind_a_commit_are_committed_together() throws Exception {
        holdWriteLock();
        CompletableFuture<AppendResult> first = appendAsync(() -> newStream());
        awaitThat(() -> store.isWriting() && store.queuedAppends() == 0, "the first append's leader to wait for the lock");
        List<CompletableFuture<AppendResult>> queued = new ArrayList<>();
        for (int i = 0; i < 31; i++) {
            queued.add(appendAsync(this::newStream));
        }
        awaitThat(() -> store.queuedAppends() == 31, "31 appends to queue up");

        releaseWriteLock();

        assertThat(first.get(60, TimeUnit.SECONDS).newVersion()).isEqualTo(1);
        for (CompletableFuture<AppendResult> append : queued) {
            assertThat(append.get(60, TimeUnit.SECONDS).newVersion()).isEqualTo(1);
        }
        assertThat(store.groupCommitStats()).isEqualTo(new GroupCommitStats(2, 32, 32));
        assertThat(store.globalPosition()).isEqualTo(32);
    }

    @Test
    void each_append_in_a_group_is_decided_on_its_own_and_sees_the_ones_before_it() throws Exception {
        UUID id = UUID.randomUUID();
        holdWriteLock();
        CompletableFuture<AppendResult> leader = appendAsync(this::newStream);
        awaitThat(() -> store.isWriting() && store.queuedAppends() == 0, "the first append's leader to wait for the lock");
        CompletableFuture<AppendResult> creates = queue(1, () -> append(id, new NoteCreated("t", "c"), ExpectedVersion.NO_STREAM));
        CompletableFuture<AppendResult> conflicts = queue(2, () -> append(id, new NoteCreated("again", ""), ExpectedVersion.NO_STREAM));
        CompletableFuture<AppendResult> continues = queue(3, () -> append(id, new NoteUpdated("c2"), ExpectedVersion.exactly(1)));

        releaseWriteLock();

        assertThat(leader.get(60, TimeUnit.SECONDS).newVersion()).isEqualTo(1);
        assertThat(creates.get(60, TimeUnit.SECONDS).newVersion()).isEqualTo(1);
        assertThat(continues.get(60, TimeUnit.SECONDS).newVersion()).isEqualTo(2);
        Throwable conflict = failureOf(conflicts);
        assertThat(conflict).isInstanceOf(OptimisticLockException.class);
        assertThat(((OptimisticLockException) conflict).actualVersion()).isEqualTo(1);
        assertThat(store.getEvents(id, "Note").events()).extracting(StoredEvent::event)
                .containsExactly(new NoteCreated("t", "c"), new NoteUpdated("c2"));
        assertThat(store.groupCommitStats()).isEqualTo(new GroupCommitStats(2, 3, 3));
    }

    @Test
    void when_a_group_cannot_start_every_append_in_it_fails_and_nothing_is_written() throws Exception {
        store.close();
        Path db = dir.resolve("group.db");
        store = SQLiteEventStore.builder(db.toString()).eventRegistry(registry).busyTimeout(Duration.ofMillis(300)).build();
        store.initialize();
        holdWriteLock();
        List<CompletableFuture<AppendResult>> appends = IntStream.range(0, 8)
                .mapToObj(i -> appendAsync(this::newStream)).collect(Collectors.toList());

        for (CompletableFuture<AppendResult> append : appends) {
            assertThat(failureOf(append))
                    .isInstanceOf(dev.eventsource.store.EventStoreBusyException.class);
        }
        releaseWriteLock();
        assertThat(store.globalPosition()).isZero();
        assertThat(store.groupCommitStats().commits()).isZero();
    }

    @Test
    void many_threads_appending_at_once_all_get_the_right_outcome() throws Exception {
        UUID shared = UUID.randomUUID();
        int threadsCount = 16;
        int perThread = 20;
        List<CompletableFuture<List<Long>>> workers = new ArrayList<>();
        for (int t = 0; t < threadsCount; t++) {
            workers.add(CompletableFuture.supplyAsync(() -> {
                List<Long> sharedVersions = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    assertThat(append(UUID.randomUUID(), new NoteCreated("own", ""), ExpectedVersion.NO_STREAM).newVersion())
                            .isEqualTo(1);
                    sharedVersions.add(appendWithRetry(shared));
                }
                return sharedVersions;
            }, threads));
        }

        Set<Long> versions = new java.util.HashSet<>();
        for (CompletableFuture<List<Long>> worker : workers) {
            versions.addAll(worker.get(120, TimeUnit.SECONDS));
        }

        int total = threadsCount * perThread;
        assertThat(versions).hasSize(total).allMatch(v -> v >= 1 && v <= total);
        assertThat(store.getStreamVersion(shared, "Note")).isEqualTo(total);
        assertThat(store.globalPosition()).isEqualTo(2L * total);
        GroupCommitStats stats = store.groupCommitStats();
        assertThat(stats.appends()).isEqualTo(2L * total);
        assertThat(stats.commits()).isBetween(1L, stats.appends());
        System.out.printf("group commit, %d threads (half on one contended stream): %d appends in %d commits"
                + " (%.2f per commit)%n", threadsCount, stats.appends(), stats.commits(), stats.appendsPerCommit());
    }

    private long appendWithRetry(UUID id) {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            long version = store.getStreamVersion(id, "Note");
            try {
                return append(id, new NoteUpdated("v" + (version + 1)), ExpectedVersion.exactly(version)).newVersion();
            } catch (OptimisticLockException lost) {
                // Another thread took this version: read again and retry.
            }
        }
        return fail("no append won in 10000 attempts");
    }

    private AppendResult newStream() {
        return append(UUID.randomUUID(), new NoteCreated("t", "c"), ExpectedVersion.NO_STREAM);
    }

    private AppendResult append(UUID id, Object event, ExpectedVersion expected) {
        return store.appendEvents(id, "Note", List.of((dev.eventsource.event.DomainEvent) event), expected);
    }

    private CompletableFuture<AppendResult> appendAsync(Supplier<AppendResult> append) {
        return CompletableFuture.supplyAsync(append, threads);
    }

    /** Starts an append and waits until it is the {@code position}-th in the queue, so the order is known. */
    private CompletableFuture<AppendResult> queue(int position, Supplier<AppendResult> append) {
        CompletableFuture<AppendResult> future = appendAsync(append);
        awaitThat(() -> store.queuedAppends() == position, position + " appends to queue up");
        return future;
    }

    private static Throwable failureOf(CompletableFuture<?> future) throws Exception {
        Throwable failure = future.handle((r, e) -> e).get(60, TimeUnit.SECONDS);
        return failure instanceof java.util.concurrent.CompletionException ? failure.getCause() : failure;
    }

    private void holdWriteLock() throws Exception {
        blocker.createStatement().execute("BEGIN IMMEDIATE");
    }

    private void releaseWriteLock() throws Exception {
        blocker.createStatement().execute("ROLLBACK");
    }

    private static void awaitThat(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }
}
