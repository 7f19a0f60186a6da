package dev.eventsource.bus;

/**
 * One member of a {@link ConsumerGroup}, as returned by {@link EventConsumer#subscribe}; closing it
 * unsubscribes.
 */
public interface BusSubscription extends AutoCloseable {

    /** The group this member belongs to. */
    ConsumerGroup group();

    /** True until {@link #unsubscribe()} or the consumer's shutdown. */
    boolean isActive();

    /**
     * Leaves the group: once this returns, the handler is not called again, and calls already running
     * have finished (called from inside the handler, it cannot wait for the call it runs in, nor for
     * calls other threads make at the same time). The group's remaining members take over its share.
     * Calling it twice, or after the consumer's shutdown, does nothing.
     */
    void unsubscribe();

    /** Same as {@link #unsubscribe()}. */
    @Override
    default void close() {
        unsubscribe();
    }
}
