package dev.eventsource.sqlite.internal;

import dev.eventsource.store.EventImporter;
import dev.eventsource.EventSourceException;
import dev.eventsource.store.EventImporter.ImportResult;
import dev.eventsource.store.ImportConflictException;
import dev.eventsource.store.spi.ImportRules;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.spi.SerializedEvent;
import dev.eventsource.store.StreamId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes imported rows (the {@code EventImporter} role) on the store's writer connection. It holds
 * the write lock that the group committer holds for each group, so an import never interleaves with
 * appends of this process, and runs each batch in one {@code BEGIN IMMEDIATE} transaction, so it
 * waits for other processes' writers like an append does. The rows' ids, streams, versions, times,
 * tenant, metadata and payload are stored as given; global positions are assigned by the table, in
 * batch order.
 */
public final class SQLiteImporter {

    private final Connections connections;
    private final SQLiteErrors errors;
    private final EventQueries queries;

    public SQLiteImporter(Connections connections, SQLiteErrors errors, EventQueries queries) {
        this.queries = queries;
        this.connections = connections;
        this.errors = errors;
    }

    /**
     * Imports one batch under {@link ImportRules}: all of it or, on a conflict or an error, none of it.
     *
     * @throws ImportConflictException if the batch contradicts what the database holds
     * @throws EventSourceException    translated from the driver
     */
    public ImportResult importRecorded(List<RecordedEvent> batch) {
        batch = ImportRules.requireValid(batch);
        ReentrantLock lock = connections.writeLock();
        lock.lock();
        long[] settings = null;
        try (Statement control = connections.writer().createStatement()) {
            settings = widen(control);
            control.execute("BEGIN IMMEDIATE");
            try {
                Connection c = control.getConnection();
                Map<UUID, RecordedEvent> stored = stored(c, batch);
                List<RecordedEvent> toWrite = ImportRules.decide(batch, stored, versions(c, batch, stored));
                insert(c, toWrite);
                // A batch that was all there already has nothing to make durable.
                control.execute(toWrite.isEmpty() ? "ROLLBACK" : "COMMIT");
                return new ImportResult(toWrite.size(), batch.size() - toWrite.size());
            } catch (SQLException | RuntimeException e) {
                Schema.rollbackQuietly(control, e);
                throw e;
            }
        } catch (SQLException e) {
            throw errors.translate(e, "importing a batch of " + batch.size() + " events");
        } finally {
            narrow(settings);
            lock.unlock();
        }
    }

    /**
     * The page cache a batch may use, in KiB: large enough that an import batch's index pages stay
     * in memory until its commit. With SQLite's default (2 MiB) a batch of thousands of rows with
     * random event ids and stream keys spills dirty index pages to the WAL mid-transaction and
     * rewrites them again and again; the cache only grows as pages are touched.
     */
    static final int BATCH_CACHE_KIB = 256 * 1024;

    /**
     * WAL pages after which a batch's commit checkpoints, instead of SQLite's default 1,000: an
     * import's consecutive batches rewrite the same index pages, so checkpointing every few batches
     * copies each page back once rather than once per batch. The WAL grows to at most about this
     * many pages of 4 KiB (here 64 MiB) plus one batch; other writers of the store keep the default.
     */
    static final int BATCH_AUTOCHECKPOINT_PAGES = 16_384;

    /** Sets the batch's cache and autocheckpoint; returns the connection's own values (as the pragmas state them). */
    private static long[] widen(Statement control) throws SQLException {
        long[] before = {pragma(control, "cache_size"), pragma(control, "wal_autocheckpoint")};
        control.execute("PRAGMA cache_size = -" + BATCH_CACHE_KIB);
        control.execute("PRAGMA wal_autocheckpoint = " + BATCH_AUTOCHECKPOINT_PAGES);
        return before;
    }

    private static long pragma(Statement control, String name) throws SQLException {
        try (ResultSet rs = control.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Back to the connection's own values (SQLite's defaults unless the application set others) for the appends that follow. */
    private void narrow(long[] settings) {
        if (settings == null) {
            return;
        }
        try (Statement control = connections.writer().createStatement()) {
            control.execute("PRAGMA cache_size = " + settings[0]);
            control.execute("PRAGMA wal_autocheckpoint = " + settings[1]);
        } catch (SQLException | RuntimeException e) {
            // Only a setting for speed; the connection stays usable with the larger values.
        }
    }

    /** Ids are looked up this many at a time: one statement per chunk instead of one per row (SQLite allows 32,766 parameters). */
    static final int LOOKUP_CHUNK = 500;

    /** The stored rows with the batch's event ids; see {@link #stored(Connection, EventQueries, List)}. */
    private Map<UUID, RecordedEvent> stored(Connection c, List<RecordedEvent> batch) throws SQLException {
        return stored(c, queries, batch.stream().map(RecordedEvent::eventId).toList());
    }

    /**
     * The stored rows with these event ids (the {@code EventImporter.storedEvents} hint, and the
     * facts of a batch), found with one {@code IN (...)} query per {@link #LOOKUP_CHUNK} ids.
     */
    public static Map<UUID, RecordedEvent> stored(Connection c, EventQueries queries, List<UUID> ids) throws SQLException {
        Map<UUID, RecordedEvent> found = new HashMap<>();
        for (int from = 0; from < ids.size(); from += LOOKUP_CHUNK) {
            List<UUID> chunk = ids.subList(from, Math.min(ids.size(), from + LOOKUP_CHUNK));
            try (PreparedStatement find = c.prepareStatement(queries.findEvents(chunk.size()))) {
                for (int i = 0; i < chunk.size(); i++) {
                    find.setBytes(i + 1, EventQueries.bytes(chunk.get(i)));
                }
                try (ResultSet rs = find.executeQuery()) {
                    while (rs.next()) {
                        RecordedEvent stored = EventQueries.row(rs);
                        found.put(stored.eventId(), stored);
                    }
                }
            }
        }
        return found;
    }

    /**
     * The current version of each stream the batch writes to. Streams whose every row of the batch
     * is already stored are not asked for: {@link ImportRules#decide} skips those rows before it
     * looks at a version.
     */
    private Map<StreamId, Long> versions(Connection c, List<RecordedEvent> batch, Map<UUID, RecordedEvent> stored)
            throws SQLException {
        Map<StreamId, Long> versions = new HashMap<>();
        try (PreparedStatement version = c.prepareStatement(queries.streamVersion)) {
            for (RecordedEvent row : batch) {
                if (!stored.containsKey(row.eventId()) && !versions.containsKey(row.stream())) {
                    EventQueries.bindStream(version, 1, row.stream());
                    try (ResultSet rs = version.executeQuery()) {
                        rs.next();
                        versions.put(row.stream(), rs.getLong(1));
                    }
                }
            }
        }
        return versions;
    }

    private void insert(Connection c, List<RecordedEvent> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(queries.insert)) {
            for (RecordedEvent row : rows) {
                SerializedEvent event = new SerializedEvent(row.eventId(), row.eventType(), row.schemaVersion(),
                        row.occurredAt(), row.tenantId(), row.metadataJson(), row.payloadJson());
                EventQueries.bindInsert(insert, row.stream(), event, row.version(), EventQueries.micros(row.recordedAt()));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
