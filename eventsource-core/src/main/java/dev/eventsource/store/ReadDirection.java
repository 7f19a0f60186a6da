package dev.eventsource.store;

/** The order in which {@code readAll} walks the global log. */
public enum ReadDirection {
    /** Increasing global position: oldest first. */
    FORWARD,
    /** Decreasing global position: newest first. */
    BACKWARD
}
