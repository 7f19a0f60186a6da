package dev.eventsource.cli;

/**
 * A failure the command reports as one line on stderr ({@code eventsource: error: <message>})
 * and ends with {@code exitCode}. The message must name the problem and, where there is one, the
 * fix.
 */
public class CommandFailure extends RuntimeException {

    private final int exitCode;

    public CommandFailure(int exitCode, String message) {
        this(exitCode, message, null);
    }

    public CommandFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** One of the {@link ExitCode} values. */
    public int exitCode() {
        return exitCode;
    }
}
