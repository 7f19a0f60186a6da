package dev.eventsource.cli;

import dev.eventsource.store.IncompatibleStoreException;
import dev.eventsource.store.StoreNotInitializedException;
import dev.eventsource.store.StoreUnavailableException;
import dev.eventsource.store.TransientEventStoreException;
import dev.eventsource.store.ImportConflictException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * The {@code eventsource} command: try the library, look inside any event store, follow it,
 * move it between backends, export and import it, check its integrity.
 *
 * <p>Every failure is one line on stderr, {@code eventsource: error: <what went wrong and what to
 * do>}, with the stack trace only under {@code --verbose}; exit codes are those of
 * {@link ExitCode}.
 */
@Command(name = "eventsource", mixinStandardHelpOptions = true, version = "eventsource 0.1.0-SNAPSHOT",
        description = {"Try event sourcing on SQLite, and inspect, follow, migrate, export, import and verify event stores.",
                "", "Store URLs (default: sqlite:./eventsource.db):",
                "  sqlite:PATH  jdbc:sqlite:PATH  sqlite::memory:  memory:",
                "  postgresql://user:pass@host:5432/db",
                "  jdbc:postgresql://host:5432/db?user=u&password=p"},
        footer = {"", "Exit codes:", "  0  ok", "  1  failure: verify found problems, migration not verified, other errors",
                "  2  usage error: bad arguments, unknown store URL", "  3  store unavailable: missing or foreign file, server down, locked", "  4  input refused: malformed JSON Lines, conflicting events"},
        subcommands = {DemoCommand.class, InitCommand.class, StreamsCommand.class, EventsCommand.class, TailCommand.class,
                StatsCommand.class, MigrateCommand.class, ExportCommand.class, ImportCommand.class, VerifyCommand.class,
                SchemaCommand.class, SubscriptionsCommand.class, DlqCommand.class, BackupCommand.class, RelayCommand.class})
public final class EventsourceCli implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    CommonOptions common;

    /** Runs the command and exits the JVM with its exit code. */
    public static void main(String[] args) {
        // Driver and pool logs would break the one-line error contract; --verbose lets them through.
        boolean verbose = List.of(args).contains("--verbose");
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "warn" : "off");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        CliLog.install(System.err, List.of(args).contains("-q") || List.of(args).contains("--quiet"), verbose);
        System.exit(commandLine().execute(args));
    }

    /** The command line, ready to {@code execute}; tests set its out and err writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new EventsourceCli()).setUsageHelpAutoWidth(true);
        cl.getSubcommands().values().forEach(EventsourceCli::listCommonOptionsOnce);
        return cl.setExecutionExceptionHandler(EventsourceCli::onFailure)
                .setParameterExceptionHandler(EventsourceCli::onUsageError)
                .setExecutionStrategy(parsed -> {
                    try {
                        return new CommandLine.RunLast().execute(parsed);
                    } catch (CommandLine.ExecutionException e) {
                        // Errors arrive wrapped; exceptions went to onFailure already.
                        return report(e.getCause() == null ? e : e.getCause(), e.getCommandLine(), parsed);
                    }
                });
    }

    /** Options every command takes, described once in {@code eventsource --help} rather than on every command's page. */
    private static final List<String> COMMON = List.of("-h", "-V", "-q", "--verbose", "--progress");

    private static void listCommonOptionsOnce(CommandLine commandLine) {
        commandLine.getSubcommands().values().forEach(EventsourceCli::listCommonOptionsOnce);
        CommandSpec command = commandLine.getCommandSpec();
        for (OptionSpec option : List.copyOf(command.options())) {
            if (COMMON.contains(option.shortestName())) {
                command.remove(option);
                command.addOption(option.toBuilder().hidden(true).build());
            }
        }
        String[] footer = command.usageMessage().footer();
        String[] withCommon = new String[footer.length + 2];
        withCommon[0] = "";
        withCommon[1] = "Every command also takes -q/--quiet, --verbose, --progress and -h/--help (see: eventsource --help).";
        System.arraycopy(footer, 0, withCommon, 2, footer.length);
        command.usageMessage().footer(withCommon);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    private static int onUsageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        cl.getErr().println("eventsource: error: " + oneLine(e.getMessage()) + " (see: "
                + cl.getCommandSpec().qualifiedName() + " --help)");
        return ExitCode.USAGE;
    }

    private static int onFailure(Exception e, CommandLine cl, ParseResult parsed) {
        return report(e, cl, parsed);
    }

    /** Also reached with errors (a class missing from a broken class path, memory exhausted), so they stay one line too. */
    private static int report(Throwable e, CommandLine cl, ParseResult parsed) {
        int code;
        if (e instanceof CommandFailure failure) {
            code = failure.exitCode();
        } else if (storeUnavailable(e)) {
            code = ExitCode.STORE_UNAVAILABLE;
        } else if (e instanceof ImportConflictException) {
            code = ExitCode.DATA_REJECTED;
        } else {
            code = ExitCode.FAILURE;
        }
        String message = e instanceof java.nio.file.FileSystemException f ? describe(f)
                : e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        cl.getErr().println("eventsource: error: " + oneLine(message));
        if (verbose(parsed)) {
            e.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        return code;
    }

    /**
     * A file operation that failed, in words: the JDK's message for these is the bare path
     * ({@code NoSuchFileException}, {@code AccessDeniedException}) or the operating system's reason
     * after it.
     */
    static String describe(java.nio.file.FileSystemException e) {
        String reason;
        if (e instanceof java.nio.file.NoSuchFileException) {
            reason = "no such file, or its folder does not exist";
        } else if (e instanceof java.nio.file.AccessDeniedException) {
            reason = "permission denied";
        } else if (e instanceof java.nio.file.FileAlreadyExistsException) {
            reason = "it already exists";
        } else {
            reason = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
        }
        String file = e.getFile() == null ? "a file" : e.getFile();
        return "cannot use " + file + (e.getOtherFile() == null ? "" : " (with " + e.getOtherFile() + ")") + ": " + reason;
    }

    /** The store failed as a whole, by type: the exit code scripts read to wait, retry or alert. */
    static boolean storeUnavailable(Throwable e) {
        return e instanceof TransientEventStoreException || e instanceof StoreUnavailableException
                || e instanceof IncompatibleStoreException || e instanceof StoreNotInitializedException;
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** Messages quote stored names and input lines, so they are made printable too. */
    static String oneLine(String message) {
        return Terminal.printable(message.replaceAll("\\s*\\R\\s*", " ").strip());
    }
}
