package dev.eventsource.archfixtures;

/** Breaks the in-memory-adapter rule on purpose (its only interface is in java.lang). */
public final class InMemoryAdapterAwayFromItsPort implements Runnable {
    @Override
    public void run() {
    }
}
