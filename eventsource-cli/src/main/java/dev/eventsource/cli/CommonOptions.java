package dev.eventsource.cli;

import picocli.CommandLine.Option;

import java.lang.reflect.Method;

/** The options every command has: how much it says on stderr. */
public final class CommonOptions {

    @Option(names = "--verbose", description = "On error, print the stack trace as well as the one-line message.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "No progress bars and no hints.")
    boolean quiet;

    @Option(names = "--progress", description = "Show progress bars even when stderr is not a terminal.")
    boolean progress;

    /** Progress bars: forced by --progress, off with --quiet, otherwise only on a terminal. */
    boolean showProgress() {
        if (quiet) {
            return false;
        }
        return progress || stderrIsTerminal();
    }

    /**
     * The launcher script knows whether stderr is a terminal ({@code [ -t 2 ]}) and says so in a
     * system property; Java alone only knows whether there is a console at all.
     */
    private static boolean stderrIsTerminal() {
        String told = System.getProperty("eventsource.stderr.tty");
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // Since Java 22 System.console() may exist without a terminal; isTerminal() tells.
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
