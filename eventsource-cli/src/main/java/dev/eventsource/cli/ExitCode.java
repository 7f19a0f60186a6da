package dev.eventsource.cli;

/**
 * The exit codes of the {@code eventsource} command, which scripts can rely on. Documented in the
 * module README; changing one is a breaking change.
 */
public final class ExitCode {

    /** The command did what was asked. */
    public static final int OK = 0;
    /** {@code verify} found problems, a migration did not verify, or another failure. */
    public static final int FAILURE = 1;
    /** Bad arguments or options, including a store URL no backend on the class path accepts. */
    public static final int USAGE = 2;
    /**
     * The store cannot be opened (a missing or non-SQLite file, an unreachable server, a locked
     * database), or failed as a whole while a command ran: a transient failure, an unavailable,
     * incompatible or not initialized store, told apart by the exception's type.
     */
    public static final int STORE_UNAVAILABLE = 3;
    /** Input data was refused: a malformed JSON Lines line or events that conflict with the target's. */
    public static final int DATA_REJECTED = 4;

    private ExitCode() {
    }
}
