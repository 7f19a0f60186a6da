package dev.eventsource.cli;

import java.io.PrintStream;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The library's log lines as the command prints them. The library logs through
 * {@code System.Logger}, which in this jar is {@code java.util.logging}; its console format (a
 * timestamped header line, then the level and message) would break the one-line output of every
 * command. Each record becomes one line on stderr instead: {@code eventsource: <message>} for
 * {@code INFO} (a schema upgraded in place), {@code eventsource: warning: <message>} for
 * {@code WARNING} and above. {@code -q} keeps warnings only; {@code --verbose} adds the
 * library's {@code DEBUG} lines with their logger names, and stack traces.
 */
final class CliLog extends Handler {

    private final PrintStream err;
    private final boolean verbose;
    private final Formatter messages = new Formatter() {
        @Override
        public String format(LogRecord record) {
            return formatMessage(record);
        }
    };

    private CliLog(PrintStream err, boolean verbose) {
        this.err = err;
        this.verbose = verbose;
    }

    /** Replaces the root logger's handlers with this one for the rest of the process. */
    static void install(PrintStream err, boolean quiet, boolean verbose) {
        Level level = verbose ? Level.FINE : quiet ? Level.WARNING : Level.INFO;
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        CliLog handler = new CliLog(err, verbose);
        handler.setLevel(level);
        root.addHandler(handler);
        root.setLevel(level);
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String message = messages.format(record);
        String line = "eventsource: " + (record.getLevel().intValue() >= Level.WARNING.intValue() ? "warning: " : "")
                + EventsourceCli.oneLine(message == null ? "" : message)
                + (verbose ? " [" + record.getLoggerName() + "]" : "");
        synchronized (err) {
            err.println(line);
            if (verbose && record.getThrown() != null) {
                record.getThrown().printStackTrace(err);
            }
        }
    }

    @Override
    public void flush() {
        err.flush();
    }

    @Override
    public void close() {
        flush();
    }
}
