package dev.eventsource.cli;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Reads a stream on a thread of its own, a few batches ahead of the caller, and optionally maps
 * each element on worker threads, so that reading the store (the database's work and building the
 * rows), the per-row work that needs no order (export encodes each row, verify checks its JSON) and
 * what the caller does in order (writing, the per-stream checks) run on every core at once.
 *
 * <p>The caller sees exactly what reading and mapping the stream on its own thread would give: the
 * mapped elements in the stream's order, then the end. Where the mapping of an element threw, the
 * caller's {@link #next()} throws that very exception at that element (the elements before it were
 * all given); where reading failed, the elements read before the failure come first and then
 * {@link #hasNext()} throws the very exception the stream threw (a {@link RuntimeException} or an
 * {@link Error}). The stream is opened, read and closed on the reading thread only; the mapping
 * function must be safe to call from several threads at once. {@link #close()} stops the reading
 * (the stream is closed, at the latest, before the next batch is handed over), stops the workers and
 * waits for the reading thread to end; closing early is allowed and iterating after {@link #close()}
 * is refused with {@link IllegalStateException}. One caller thread only: this is not a queue for
 * several consumers.
 */
final class ReadAhead<T> implements Iterator<T>, AutoCloseable {

    /** Elements per hand-over: few enough to keep the threads busy, enough to make the hand-over cheap. */
    static final int BATCH = 1_000;

    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4);
    private final Thread thread;
    private final ExecutorService workers;
    private volatile boolean stopped;
    private Object[] current = new Object[0];
    private int index;
    private boolean ended;
    private boolean closed;

    private <S> ReadAhead(String name, Supplier<? extends Stream<? extends S>> source, Function<? super S, ? extends T> map,
                          int workerCount) {
        this.workers = map == null ? null : Executors.newFixedThreadPool(workerCount, new ThreadFactory() {
            private int n;

            @Override
            public synchronized Thread newThread(Runnable task) {
                Thread worker = new Thread(task, name + "-worker-" + (++n));
                worker.setDaemon(true);
                return worker;
            }
        });
        this.thread = new Thread(() -> read(source, map), name);
        this.thread.setDaemon(true);
    }

    /**
     * Starts reading {@code source}'s stream on a new daemon thread named {@code name}; the caller
     * gets the elements as read.
     *
     * @throws NullPointerException if an argument is null
     */
    static <T> ReadAhead<T> start(String name, Supplier<? extends Stream<? extends T>> source) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        ReadAhead<T> ahead = new ReadAhead<T>(name, source, null, 0);
        ahead.thread.start();
        return ahead;
    }

    /**
     * Starts reading {@code source}'s stream on a new daemon thread named {@code name}, each batch
     * mapped by {@code map} on one of {@code workers} daemon threads; the caller gets the mapped
     * elements in the stream's order.
     *
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code workers} is below 1
     */
    static <S, T> ReadAhead<T> start(String name, Supplier<? extends Stream<? extends S>> source,
                                     Function<? super S, ? extends T> map, int workers) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(map, "map");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1; got " + workers);
        }
        ReadAhead<T> ahead = new ReadAhead<T>(name, source, map, workers);
        ahead.thread.start();
        return ahead;
    }

    /** Worker threads for a mapping stage: every core (the reading thread and the caller mostly wait on them). */
    static int workersForCores() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    private <S> void read(Supplier<? extends Stream<? extends S>> source, Function<? super S, ? extends T> map) {
        Object last = END;
        List<S> batch = new ArrayList<>(BATCH);
        try {
            try (Stream<? extends S> stream = source.get()) {
                for (Iterator<? extends S> it = stream.iterator(); it.hasNext() && !stopped; ) {
                    batch.add(it.next());
                    if (batch.size() == BATCH) {
                        queue.put(handOver(batch, map));
                        batch = new ArrayList<>(BATCH);
                    }
                }
            } catch (RuntimeException | Error e) {
                last = new Failure(e);   // the elements read before it go first
            }
            if (!batch.isEmpty() && !stopped) {
                queue.put(handOver(batch, map));
            }
            queue.put(last);
        } catch (InterruptedException e) {
            // close(): nobody is waiting for the rest
        }
    }

    /** The batch as is, or the future of its mapping on a worker (each element's failure kept in its place). */
    private <S> Object handOver(List<S> batch, Function<? super S, ? extends T> map) {
        if (map == null) {
            return batch.toArray();
        }
        return workers.submit(() -> {
            Object[] mapped = new Object[batch.size()];
            for (int i = 0; i < mapped.length; i++) {
                try {
                    mapped[i] = map.apply(batch.get(i));
                } catch (RuntimeException | Error e) {
                    mapped[i] = new Failure(e);
                }
            }
            return mapped;
        });
    }

    /** A failure of the reading thread or of one element's mapping, handed to the caller in order. */
    private record Failure(Throwable thrown) {

        RuntimeException rethrow() {
            if (thrown instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) thrown;
        }
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            throw new IllegalStateException("this read-ahead is closed");
        }
        while (index == current.length) {
            if (ended) {
                return false;
            }
            Object next;
            try {
                next = queue.take();
                if (next instanceof Future<?> mapping) {
                    next = mapping.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandFailure(ExitCode.FAILURE, "interrupted while reading the store", e);
            } catch (ExecutionException e) {
                // The mapping catches every failure per element; this is the worker pool failing itself.
                ended = true;
                throw new CommandFailure(ExitCode.FAILURE, "a worker failed while reading the store: " + e.getCause(), e.getCause());
            }
            if (next == END) {
                ended = true;
                return false;
            }
            if (next instanceof Failure failure) {
                ended = true;
                throw failure.rethrow();
            }
            current = (Object[]) next;
            index = 0;
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Object element = current[index++];
        if (element instanceof Failure failure) {
            throw failure.rethrow();
        }
        @SuppressWarnings("unchecked")
        T mapped = (T) element;
        return mapped;
    }

    /** Stops the reading thread and the workers and waits for the reading thread (the stream it read is closed when this returns). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopped = true;
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            queue.clear();
            try {
                thread.join(100);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
