package dev.eventsource.subscription;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a subscription's handler calls, with a timeout when one is set: on a worker thread that the
 * subscription thread waits for. A call that overruns is interrupted; one that ignores the interrupt
 * for a short grace is abandoned with its thread (counted) and the next call gets a new worker. So
 * a hung handler costs at most its timeout per attempt and never stalls the subscription. Without a
 * timeout the call runs on the caller's thread. Used by one subscription thread at a time (under the
 * subscription's work lock).
 */
final class HandlerCalls {

    /** A call that ignores its interrupt this long after its timeout is abandoned. */
    private static final Duration GRACE = Duration.ofMillis(200);

    /** One attempt of the handler; what it throws is the attempt's failure. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws Exception;
    }

    private final String subscription;
    private final Duration timeout;
    private final ThreadFactory threads;
    private volatile Worker worker;
    private volatile long abandoned;
    private volatile long startedAtMillis;

    HandlerCalls(String subscription, Duration timeout, ThreadFactory threads) {
        this.subscription = subscription;
        this.timeout = timeout;
        this.threads = threads;
    }

    /** Handler calls left running on an abandoned thread because they ignored their interrupt. */
    long abandoned() {
        return abandoned;
    }

    /** When the call in progress started (epoch millis of {@code nowMillis}), or 0 when none is. */
    long startedAtMillis() {
        return startedAtMillis;
    }

    <T> T call(Call<T> call, long nowMillis) throws Exception {
        startedAtMillis = Math.max(1, nowMillis);
        try {
            if (timeout == null) {
                return call.run();
            }
            return onWorker(call);
        } finally {
            startedAtMillis = 0;
        }
    }

    /** Ends the worker thread, if any; a call still running on it is interrupted. */
    void close() {
        Worker w = worker;
        worker = null;
        if (w != null) {
            w.stop();
        }
    }

    private <T> T onWorker(Call<T> call) throws Exception {
        if (worker == null) {
            worker = new Worker();
        }
        Task<T> task = new Task<>(call);
        worker.submit(task);
        try {
            if (task.done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                if (task.failure instanceof InterruptedException interrupted) {
                    // Only this class interrupts the worker, for a timeout: a failed attempt, never a stop of the
                    // subscription (which an InterruptedException from call() means to the caller).
                    HandlerTimeoutException timedOut = new HandlerTimeoutException(subscription, timeout, false);
                    timedOut.initCause(interrupted);
                    throw timedOut;
                }
                return task.result();
            }
        } catch (InterruptedException e) {
            // The subscription is being stopped hard: the call goes on without us, on a worker we drop.
            worker.stop();
            worker = null;
            throw e;
        }
        worker.interruptCall();
        boolean ended = task.done.await(GRACE.toNanos(), TimeUnit.NANOSECONDS);
        if (ended && task.succeeded()) {
            // It finished its work after all (a transactional one has committed): reporting a failure would do it twice.
            return task.result();
        }
        if (!ended) {
            worker.stop();
            worker = null;
            abandoned++;
        }
        HandlerTimeoutException timedOut = new HandlerTimeoutException(subscription, timeout, !ended);
        if (ended) {
            timedOut.initCause(task.failure != null ? task.failure : task.error);
        }
        throw timedOut;
    }

    private static final class Task<T> implements Runnable {
        private final Call<T> call;
        private final CountDownLatch done = new CountDownLatch(1);
        private T value;
        private Exception failure;
        private Error error;

        Task(Call<T> call) {
            this.call = call;
        }

        @Override
        public void run() {
            try {
                value = call.run();
            } catch (Exception e) {
                failure = e;
            } catch (Error e) {
                error = e;
            } finally {
                done.countDown();
            }
        }

        boolean succeeded() {
            return failure == null && error == null;
        }

        T result() throws Exception {
            if (error != null) {
                throw error;
            }
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }

    /** One thread that runs submitted calls one at a time. */
    private final class Worker {
        private final BlockingQueue<Runnable> queue = new ArrayBlockingQueue<>(1);
        private final AtomicReference<Thread> running = new AtomicReference<>();
        private volatile boolean stopped;
        private final Thread thread;

        Worker() {
            thread = threads.newThread(this::loop);
            thread.setName("eventsource-handler-" + subscription);
            thread.start();
        }

        void submit(Runnable task) throws InterruptedException {
            queue.put(task);
        }

        private void loop() {
            while (!stopped) {
                Runnable task;
                try {
                    task = queue.take();
                } catch (InterruptedException e) {
                    if (stopped) {
                        return;
                    }
                    // An interrupt meant for a call that had just returned: not for this wait.
                    continue;
                }
                running.set(Thread.currentThread());
                try {
                    task.run();
                } finally {
                    running.set(null);
                    // Clear an interrupt aimed at the call that has ended, so that it does not hit the next one.
                    Thread.interrupted();
                }
            }
        }

        void interruptCall() {
            Thread t = running.get();
            if (t != null) {
                t.interrupt();
            }
        }

        void stop() {
            stopped = true;
            thread.interrupt();
        }
    }
}
