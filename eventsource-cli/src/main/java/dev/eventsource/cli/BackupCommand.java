package dev.eventsource.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Backs up a SQLite store to a file with SQLite's {@code VACUUM INTO}: one read transaction, so the
 * copy is the database as of one moment even while writers (this process or others) append; the
 * copy is compacted, and has no WAL of its own. It is written next to the target under a temporary
 * name and moved into place only after {@code verify} passed on it, so a failed or interrupted
 * backup never leaves a half-written file under the target's name.
 *
 * <p>Refused, with one line saying why: a target that exists (unless {@code --force}), a target that
 * is a directory, a target in a directory that does not exist or cannot be written, the source
 * file itself as target, and a store that is not a SQLite file. A PostgreSQL store is not copied:
 * the command says to use {@code pg_dump} (consistent while writers run) and which tables to name.
 */
@Command(name = "backup", mixinStandardHelpOptions = true,
        description = "Copy a SQLite store to a file while it is in use (VACUUM INTO: one consistent moment), then"
                + " verify the copy. For PostgreSQL it prints the pg_dump command to use instead.")
final class BackupCommand extends BaseCommand {

    @Parameters(index = "0", arity = "0..1", defaultValue = Stores.DEFAULT_URL, paramLabel = "URL",
            description = "The store to back up (default: ${DEFAULT-VALUE}); must exist.")
    String url;

    @Option(names = "--to", required = true, paramLabel = "FILE", description = "The backup file to write; must not exist.")
    Path to;

    @Option(names = "--force", description = "Replace the backup file if it exists (only once the new copy verified).")
    boolean force;

    private static final Pattern PG_PARAMETER = Pattern.compile("[?&](schema|tablePrefix)=([^&]*)");

    @Override
    public Integer call() throws Exception {
        String resolved = Stores.resolve(url);
        if (resolved != null && (resolved.startsWith("postgresql:") || resolved.startsWith("jdbc:postgresql:")
                || resolved.startsWith("postgres:"))) {
            throw new CommandFailure(ExitCode.USAGE, postgresAdvice(resolved));
        }
        Optional<Path> file = Stores.sqliteFile(resolved);
        if (file.isEmpty()) {
            throw new CommandFailure(ExitCode.USAGE, "backup copies a SQLite file; " + Stores.shown(resolved)
                    + " is not one (an in-memory store has nothing to keep). Give the URL or path of a SQLite store");
        }
        // Refuses a missing, foreign or directory source before the target is looked at.
        Stores.openExisting(resolved).close();
        Path source = file.get().toAbsolutePath().normalize();
        Path target = checkTarget(source, to.toAbsolutePath().normalize());

        long started = System.nanoTime();
        Path partial = target.resolveSibling(target.getFileName() + ".partial-" + ProcessHandle.current().pid());
        try {
            Files.deleteIfExists(partial);
            copy(source, partial);
            String verified = verify(partial);
            move(partial, target);
            long size = Files.size(target);
            out().println("Backed up " + Stores.shown(resolved) + " to " + target + " (" + StatsCommand.bytes(size) + ") in "
                    + Human.duration(Duration.ofNanos(System.nanoTime() - started)) + "; " + verified);
        } finally {
            Files.deleteIfExists(partial);
        }
        return ExitCode.OK;
    }

    /** The target, refused with one line when it cannot or must not be written. */
    private Path checkTarget(Path source, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            throw new CommandFailure(ExitCode.USAGE, target + " is a directory; give the backup file's path, e.g. --to "
                    + target.resolve(source.getFileName() + ".backup"));
        }
        if (Files.exists(target) && Files.isSameFile(source, target) || target.equals(source)) {
            throw new CommandFailure(ExitCode.USAGE, target + " is the store itself; give another path for the backup");
        }
        for (String companion : new String[] {"-wal", "-shm", "-journal"}) {
            if (target.toString().equals(source + companion)) {
                throw new CommandFailure(ExitCode.USAGE, target + " is a file SQLite keeps beside the store; give another"
                        + " path for the backup");
            }
        }
        if (Files.exists(target) && !force) {
            throw new CommandFailure(ExitCode.USAGE, target + " exists; pass --force to replace it (the new copy replaces"
                    + " it only once it verified), or give another path");
        }
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new CommandFailure(ExitCode.USAGE, "no directory " + dir + " to write the backup into; create it first");
        }
        if (!Files.isWritable(dir)) {
            throw new CommandFailure(ExitCode.USAGE, "cannot write into " + dir + " (permission denied); choose a directory"
                    + " you can write to");
        }
        return target;
    }

    /** {@code VACUUM INTO} on a read-only connection: the source is not written, not even its WAL. */
    private static void copy(Path source, Path partial) throws SQLException {
        org.sqlite.SQLiteConfig config = new org.sqlite.SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(10_000);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + source, config.toProperties());
             PreparedStatement vacuum = c.prepareStatement("VACUUM INTO ?")) {
            vacuum.setString(1, partial.toString());
            vacuum.execute();
        } catch (SQLException e) {
            throw new CommandFailure(ExitCode.FAILURE, "the backup of " + source + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code verify} on the copy; a copy with problems is not kept. */
    private String verify(Path partial) {
        StringWriter output = new StringWriter();
        CommandLine verify = EventsourceCli.commandLine();
        verify.setOut(new PrintWriter(output, true));
        verify.setErr(new PrintWriter(output, true));
        int code = verify.execute("verify", "sqlite:" + partial, "--quiet");
        String lines = output.toString().strip();
        if (code != ExitCode.OK) {
            throw new CommandFailure(ExitCode.FAILURE, "the backup did not verify, so it was not kept: "
                    + lines.replace(System.lineSeparator(), " "));
        }
        String first = lines.lines().findFirst().orElse("");
        return "verified: " + (first.startsWith("OK: ") ? first.substring(4, first.indexOf(';') < 0 ? first.length()
                : first.indexOf(';')) : first);
    }

    private static void move(Path partial, Path target) throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (AccessDeniedException | NoSuchFileException e) {
            throw new CommandFailure(ExitCode.FAILURE, "cannot put the backup at " + target + ": " + e.getMessage(), e);
        }
    }

    /** One line: what to run instead, naming the store's tables by their schema and prefix. */
    static String postgresAdvice(String url) {
        String schema = "public";
        String prefix = "eventsource_";
        Matcher m = PG_PARAMETER.matcher(url);
        while (m.find()) {
            String value = java.net.URLDecoder.decode(m.group(2), java.nio.charset.StandardCharsets.UTF_8);
            if (m.group(1).equals("schema")) {
                schema = value;
            } else {
                prefix = value;
            }
        }
        return "backup copies SQLite files only; back up a PostgreSQL store with pg_dump, which takes a consistent"
                + " snapshot while writers run, naming the store's tables and sequence: pg_dump --dbname=DATABASE --table='"
                + schema + "." + prefix + "*' --format=custom --file=eventsource.dump (restore with pg_restore)";
    }
}
