package dev.eventsource.sqlite.internal;

import dev.eventsource.store.StoreClosedException;
import org.sqlite.SQLiteConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's connections: one writer, guarded by {@link #writeLock()}, and for file databases a
 * small pool of reader connections that WAL lets run while a write is in progress. A
 * {@code ":memory:"} database lives in its single connection, so there reads share the writer
 * under the same lock; each store opens its own, which is why two stores never share data.
 */
public final class Connections {

    /** Work on a connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private static final int MAX_IDLE_READERS = 4;

    private final String database;
    private final String description;
    private final boolean memory;
    private final boolean walRequested;
    private final boolean readOnly;
    private final Duration busyTimeout;
    private final String synchronous;
    private final Properties driverProperties;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ConcurrentLinkedDeque<Connection> idleReaders = new ConcurrentLinkedDeque<>();
    private volatile Connection writer;
    private volatile boolean walInEffect;
    private volatile boolean closed;

    /**
     * @param description  names the store in {@link StoreClosedException}
     * @param readOnly     open every connection with SQLite's read-only flag and leave the journal mode alone
     * @param synchronous  the {@code PRAGMA synchronous} level for the writer
     * @param driverProperties extra sqlite-jdbc settings, applied to every connection
     */
    public Connections(String database, String description, boolean walRequested, boolean readOnly, Duration busyTimeout,
                       String synchronous, Properties driverProperties) {
        this.database = database;
        this.description = description;
        this.memory = database.equals(":memory:");
        this.walRequested = walRequested;
        this.readOnly = readOnly;
        this.busyTimeout = busyTimeout;
        this.synchronous = synchronous;
        this.driverProperties = driverProperties;
    }

    /** Opens the writer connection and applies the journal mode and durability settings; idempotent. */
    public void open() throws SQLException {
        writeLock.lock();
        try {
            ensureOpen();
            if (writer != null) {
                return;
            }
            if (!memory) {
                warnIfOnNetworkFilesystem(Path.of(database));
            }
            Connection connection = connect();
            try (Statement sql = connection.createStatement()) {
                if (!memory) {
                    // Setting the journal mode writes the file header, so a read-only store only asks for it.
                    String journal = readOnly ? "PRAGMA journal_mode" : "PRAGMA journal_mode = " + (walRequested ? "WAL" : "DELETE");
                    walInEffect = journalMode(sql, journal);
                }
                sql.execute("PRAGMA synchronous = " + synchronous);
            } catch (SQLException | RuntimeException e) {
                closeQuietly(connection);
                throw e;
            }
            writer = connection;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs the journal-mode pragma. Changing the mode of a new file takes an exclusive lock, and
     * SQLite answers {@code SQLITE_BUSY} at once, without its busy handler, when another connection
     * is doing the same (several processes creating one store at the same moment); that is retried
     * here, with a short backoff, until the busy timeout.
     */
    private boolean journalMode(Statement sql, String journal) throws SQLException {
        long deadline = System.nanoTime() + busyTimeout.toNanos();
        long backoffMillis = 1;
        while (true) {
            try (ResultSet mode = sql.executeQuery(journal)) {
                return mode.next() && "wal".equalsIgnoreCase(mode.getString(1));
            } catch (SQLException e) {
                if (SQLiteErrors.primaryCode(e) != 5 || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                backoffMillis = Math.min(backoffMillis * 2, 50);
            }
        }
    }

    /** File system types on which SQLite's locks and WAL's shared memory cannot be trusted across hosts. */
    private static final java.util.Set<String> NETWORK_FILESYSTEMS = java.util.Set.of("nfs", "nfs4", "cifs", "smb",
            "smb2", "smbfs", "9p", "afs", "ceph", "glusterfs", "lustre", "davfs", "fuse.sshfs", "sshfs", "fuse.s3fs",
            "fuse.gcsfuse", "fuse.glusterfs", "fuse.cephfs");

    /**
     * The network file system type {@code type} names (as {@link java.nio.file.FileStore#type()}
     * reports it), or null for a local one.
     */
    static String networkFilesystem(String type) {
        String t = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT);
        return NETWORK_FILESYSTEMS.contains(t) ? t : null;
    }

    /** Logs a warning when the database file (or the folder it will be created in) is on a network file system. */
    private void warnIfOnNetworkFilesystem(Path file) {
        try {
            Path probe = file.toAbsolutePath();
            while (probe != null && !Files.exists(probe)) {
                probe = probe.getParent();
            }
            String network = probe == null ? null : networkFilesystem(Files.getFileStore(probe).type());
            if (network != null) {
                System.getLogger(Connections.class.getName()).log(System.Logger.Level.WARNING,
                        "SQLite database {0} is on a network file system ({1}): SQLite''s locks and WAL''s shared"
                                + " memory do not hold across hosts there, and writers on two hosts can corrupt the"
                                + " file. Keep it on a local disk, or use PostgreSQL for several hosts.", file, network);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // Only a warning: a file system we cannot ask about is opened as before.
        }
    }

    public boolean isOpen() {
        return writer != null && !closed;
    }

    public boolean isMemory() {
        return memory;
    }

    /** Whether the database is in WAL mode; false until opened and always for {@code ":memory:"}. */
    public boolean walInEffect() {
        return walInEffect;
    }

    /** Serializes use of {@link #writer()}. */
    public ReentrantLock writeLock() {
        return writeLock;
    }

    /** The writer connection; only use it while holding {@link #writeLock()}. */
    public Connection writer() {
        ensureOpen();
        return writer;
    }

    /** Runs read-only work on a reader connection and gives the connection back; holds nothing afterwards. */
    public <T> T read(SqlWork<T> work) throws SQLException {
        if (memory) {
            writeLock.lock();
            try {
                return work.run(writer());
            } finally {
                writeLock.unlock();
            }
        }
        ensureOpen();
        Connection reader = idleReaders.pollFirst();
        if (reader == null) {
            reader = connect();
        }
        try {
            return work.run(reader);
        } finally {
            release(reader);
        }
    }

    /** Closes every connection; later use throws {@link StoreClosedException}. */
    public void close() {
        writeLock.lock();
        try {
            closed = true;
            if (writer != null) {
                closeQuietly(writer);
            }
            drainIdle();
        } finally {
            writeLock.unlock();
        }
    }

    private Connection connect() throws SQLException {
        SQLiteConfig config = new SQLiteConfig(driverProperties);
        config.setBusyTimeout((int) Math.min(busyTimeout.toMillis(), Integer.MAX_VALUE));
        if (readOnly) {
            config.setReadOnly(true);
            if (!canCreateCompanions()) {
                // A read-only WAL database cannot be opened without its -shm file, which SQLite cannot create in a
                // folder it may not write; immutable=1 reads it without one. In such a folder no writer can commit
                // either, because commits need the -wal, -shm or -journal file there.
                return config.createConnection("jdbc:sqlite:file:" + Path.of(database).toAbsolutePath().toUri().getRawPath()
                        + "?immutable=1");
            }
        }
        return config.createConnection("jdbc:sqlite:" + database);
    }

    /** Whether SQLite can create or open the database's -shm file, which reading a WAL database needs. */
    private boolean canCreateCompanions() {
        Path file = Path.of(database).toAbsolutePath();
        Path folder = file.getParent();
        return Files.exists(Path.of(file + "-shm")) || folder == null || Files.isWritable(folder);
    }

    private void release(Connection reader) {
        if (closed || idleReaders.size() >= MAX_IDLE_READERS) {
            closeQuietly(reader);
            return;
        }
        idleReaders.offerFirst(reader);
        if (closed) {
            // close() may have drained the pool between the check above and the offer.
            drainIdle();
        }
    }

    private void drainIdle() {
        for (Connection c; (c = idleReaders.pollFirst()) != null; ) {
            closeQuietly(c);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreClosedException(description);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // Closing is best effort: SQLite has already made every committed transaction durable.
        }
    }
}
