package dev.eventsource.subscription;

/**
 * Where a subscription starts reading the global log when it is subscribed.
 *
 * <ul>
 *   <li>{@link #CHECKPOINT} (the default): after its saved checkpoint, or at the beginning when
 *       there is none;</li>
 *   <li>{@link #BEGINNING}: from the first event, ignoring any saved checkpoint;</li>
 *   <li>{@link #END}: only events appended after it was subscribed, ignoring any checkpoint;</li>
 *   <li>{@link #after(long)}: strictly after the given global position.</li>
 * </ul>
 *
 * @param kind     which of the above
 * @param position the exclusive start for {@link Kind#POSITION}, else 0
 */
public record StartFrom(Kind kind, long position) {

    public static final StartFrom CHECKPOINT = new StartFrom(Kind.CHECKPOINT, 0);
    public static final StartFrom BEGINNING = new StartFrom(Kind.BEGINNING, 0);
    public static final StartFrom END = new StartFrom(Kind.END, 0);

    /** The kinds of start. */
    public enum Kind { CHECKPOINT, BEGINNING, END, POSITION }

    public StartFrom {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (position < 0 || (kind != Kind.POSITION && position != 0)) {
            throw new IllegalArgumentException("position must be >= 0 and only set for Kind.POSITION; got " + position
                    + " for " + kind);
        }
    }

    /** Start strictly after global position {@code position} (0 = the beginning). */
    public static StartFrom after(long position) {
        return new StartFrom(Kind.POSITION, position);
    }
}
