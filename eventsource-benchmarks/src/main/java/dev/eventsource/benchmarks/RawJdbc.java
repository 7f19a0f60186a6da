package dev.eventsource.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import dev.eventsource.store.EventIds;

/**
 * Plain JDBC appends, on a connection with the same pragmas (WAL, the same synchronous level, the
 * same busy timeout) the store uses, into one of two tables ({@link Layout}): the store's own
 * {@code events} table (what the library costs on top of its layout) or a minimal event table (what
 * the layout costs: the physical limit). Payload JSON is computed before timing starts, so this is
 * SQLite alone.
 */
final class RawJdbc implements AutoCloseable {

    /** Which table raw JDBC writes. */
    enum Layout {
        /** The store's {@code events} table with its indexes, ids as the store writes them (time-ordered, 16-byte BLOBs). */
        OURS,
        /**
         * The least an event log can be: {@code position INTEGER PRIMARY KEY}, stream id (16-byte
         * BLOB), version, type, payload, time, and {@code UNIQUE (stream, version)}; no event id, no
         * other index.
         */
        MINIMAL
    }

    static final String MINIMAL_TABLE = "CREATE TABLE IF NOT EXISTS minimal_events (position INTEGER PRIMARY KEY,"
            + " stream BLOB NOT NULL, version INTEGER NOT NULL, type TEXT NOT NULL, payload TEXT NOT NULL,"
            + " time INTEGER NOT NULL, UNIQUE (stream, version))";

    private final Layout layout;

    final Connection connection;
    private final PreparedStatement insert;
    private final PreparedStatement version;
    private final String payload;
    private long nextVersion;

    RawJdbc(String file, String synchronous) throws SQLException {
        this(file, synchronous, Layout.OURS);
    }

    RawJdbc(String file, String synchronous, Layout layout) throws SQLException {
        this.layout = layout;
        connection = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement sql = connection.createStatement()) {
            sql.execute("PRAGMA journal_mode = WAL");
            sql.execute("PRAGMA synchronous = " + synchronous);
            sql.execute("PRAGMA busy_timeout = 5000");
        }
        connection.setAutoCommit(true);
        if (layout == Layout.MINIMAL) {
            try (Statement sql = connection.createStatement()) {
                sql.execute(MINIMAL_TABLE);
            }
            insert = connection.prepareStatement("INSERT INTO minimal_events (stream, version, type, payload, time)"
                    + " VALUES (?, ?, ?, ?, ?)");
            version = connection.prepareStatement("SELECT COALESCE(MAX(version), 0) FROM minimal_events WHERE stream = ?");
            payload = BenchEvents.json(UUID.randomUUID(), 1);
            return;
        }
        // The store's own statements, written out as a plain JDBC application would, with nothing of the library.
        insert = connection.prepareStatement("INSERT INTO events (event_id, aggregate_type, aggregate_id, version,"
                + " event_type, schema_version, occurred_at, recorded_at, tenant_id, metadata, payload)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        version = connection.prepareStatement(
                "SELECT COALESCE(MAX(version), 0) FROM events WHERE aggregate_type = ? AND aggregate_id = ?");
        payload = BenchEvents.json(UUID.randomUUID(), 1);
    }

    /** Write attempts that SQLite refused as busy and that were retried, across all instances. */
    static final java.util.concurrent.atomic.AtomicLong BUSY_RETRIES = new java.util.concurrent.atomic.AtomicLong();

    /** What a plain JDBC application does: retry a transaction SQLite refused as busy. */
    private interface Transaction {
        void run(Statement sql) throws SQLException;
    }

    private void retryingBusy(Transaction work) throws SQLException {
        while (true) {
            try (Statement sql = connection.createStatement()) {
                try {
                    work.run(sql);
                    return;
                } catch (org.sqlite.SQLiteException e) {
                    if (e.getResultCode().code != org.sqlite.SQLiteErrorCode.SQLITE_BUSY.code) {
                        throw e;
                    }
                    insert.clearBatch();
                    try {
                        sql.execute("ROLLBACK");
                    } catch (SQLException none) {
                        // No transaction was open: BEGIN itself was refused.
                    }
                    BUSY_RETRIES.incrementAndGet();
                }
            }
        }
    }

    /** One transaction appending {@code count} rows to a new stream. */
    void appendNewStream(int count) throws SQLException {
        UUID stream = UUID.randomUUID();
        retryingBusy(sql -> {
            sql.execute("BEGIN IMMEDIATE");
            bind(stream, 1, count);
            insert.executeBatch();
            sql.execute("COMMIT");
        });
    }

    /** One transaction appending a row to an existing stream, reading its version first, as an append must. */
    void appendToStream(UUID stream) throws SQLException {
        retryingBusy(sql -> {
            sql.execute("BEGIN IMMEDIATE");
            if (layout == Layout.MINIMAL) {
                version.setBytes(1, bytes(stream));
            } else {
                version.setString(1, BenchEvents.TYPE);
                version.setBytes(2, bytes(stream));
            }
            long current;
            try (var rs = version.executeQuery()) {
                rs.next();
                current = rs.getLong(1);
            }
            bind(stream, current + 1, 1);
            insert.executeBatch();
            sql.execute("COMMIT");
        });
    }

    private void bind(UUID stream, long firstVersion, int count) throws SQLException {
        long now = System.currentTimeMillis() * 1000;
        byte[] streamId = bytes(stream);
        if (layout == Layout.MINIMAL) {
            for (int i = 0; i < count; i++) {
                insert.setBytes(1, streamId);
                insert.setLong(2, firstVersion + i);
                insert.setString(3, "ItemAdded");
                insert.setString(4, payload);
                insert.setLong(5, now);
                insert.addBatch();
            }
            nextVersion = firstVersion + count;
            return;
        }
        for (int i = 0; i < count; i++) {
            insert.setBytes(1, bytes(EventIds.next()));
            insert.setString(2, BenchEvents.TYPE);
            insert.setBytes(3, streamId);
            insert.setLong(4, firstVersion + i);
            insert.setString(5, "ItemAdded");
            insert.setInt(6, 1);
            insert.setLong(7, now);
            insert.setLong(8, now);
            insert.setNull(9, java.sql.Types.VARCHAR);
            insert.setString(10, BenchEvents.EMPTY_METADATA);
            insert.setString(11, payload);
            insert.addBatch();
        }
        nextVersion = firstVersion + count;
    }

    /** The 16 bytes the store writes for an id. */
    static byte[] bytes(UUID id) {
        return java.nio.ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }

    long lastVersion() {
        return nextVersion - 1;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
