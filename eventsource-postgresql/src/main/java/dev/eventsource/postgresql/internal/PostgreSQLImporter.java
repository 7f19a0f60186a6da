package dev.eventsource.postgresql.internal;

import dev.eventsource.jdbc.SqlNames;
import dev.eventsource.store.EventImporter;
import dev.eventsource.postgresql.TransientStoreException;
import dev.eventsource.store.EventImporter.ImportResult;
import dev.eventsource.store.ImportConflictException;
import dev.eventsource.store.spi.ImportRules;
import dev.eventsource.store.RecordedEvent;
import dev.eventsource.store.StreamId;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes imported rows (the {@code EventImporter} role) into one store's events table, one
 * transaction per batch, the way appends write:
 *
 * <ul>
 *   <li>the transaction calls {@code announce_writer()} before it takes any position, so a
 *       checkpointing forward reader never passes an imported row that is not yet committed
 *       (see {@code docs/adr/0001-postgresql-gap-safe-global-order.md});</li>
 *   <li>it takes the per-stream locks the append path takes after a collision, for every stream of
 *       the batch in ascending key order, then reads where the batch's ids are stored and the
 *       streams' versions and lets {@link ImportRules} decide;</li>
 *   <li>the rows are inserted by one statement in batch order, so the sequence hands out positions
 *       in that order; a unique violation (an append that did not take the stream lock got in
 *       between) re-decides from a savepoint.</li>
 * </ul>
 */
public final class PostgreSQLImporter {

    /** How often a batch is re-decided after a concurrent append collided with it, before giving up. */
    private static final int ATTEMPTS = 5;

    private final EventsTable events;
    private final String lockStreams;
    private final String facts;
    private final String insert;

    public PostgreSQLImporter(String schema, String prefix) {
        String s = SqlNames.schema(schema);
        String p = SqlNames.tablePrefix(prefix);
        String table = s + "." + p + "events";
        this.events = new EventsTable(s, p);
        this.lockStreams = "WITH writer AS MATERIALIZED (SELECT " + s + "." + p + "announce_writer())"
                + " SELECT count(pg_advisory_xact_lock(u.k)) FROM writer, unnest(?::bigint[]) AS u(k)";
        // Stored ids come with their content: a row "already there" must be the same event, not only at the same place.
        // One index lookup per id (as in EventsTable): event_id = ANY(?) may get a generic plan that scans.
        this.facts = "SELECT f.* FROM unnest(?::uuid[]) AS i(id) CROSS JOIN LATERAL (SELECT " + EventsTable.COLUMNS
                + " FROM " + table + " WHERE event_id = i.id LIMIT 1) AS f"
                + " UNION ALL"
                // A stream's head as the append path reads it: one backward index step, never an aggregate.
                + " SELECT NULL, NULL, s.t, s.i, coalesce((SELECT version FROM " + table
                + " WHERE aggregate_type = s.t AND aggregate_id = s.i ORDER BY version DESC LIMIT 1), 0),"
                + " NULL, NULL, NULL, NULL, NULL, NULL, NULL"
                + " FROM unnest(?::text[], ?::uuid[]) AS s(t, i)";
        // One typed array per inserted column, in EventsTable.INSERTED order.
        this.insert = "INSERT INTO " + table + " (" + String.join(", ", EventsTable.INSERTED) + ")"
                + " SELECT " + String.join(", ", EventsTable.INSERTED.stream().map(column -> "e." + column).toList())
                + " FROM unnest(?::uuid[], ?::text[], ?::uuid[], ?::bigint[], ?::text[], ?::int[], ?::timestamptz[],"
                + " ?::timestamptz[], ?::text[], ?::jsonb[], ?::jsonb[]) WITH ORDINALITY AS e("
                + String.join(", ", EventsTable.INSERTED) + ", ord)"
                + " ORDER BY e.ord";
    }

    /**
     * Imports one batch under {@link ImportRules}: all of it or nothing. The connection must be in
     * autocommit mode and is left in it.
     *
     * @throws ImportConflictException  if the batch contradicts what the table holds
     * @throws TransientStoreException  if concurrent appends kept colliding with the batch
     * @throws SQLException             raw, for the store to translate
     */
    public ImportResult importRecorded(Connection c, List<RecordedEvent> batch) throws SQLException {
        batch = ImportRules.requireValid(batch);
        if (batch.isEmpty()) {
            return new ImportResult(0, 0);
        }
        c.setAutoCommit(false);
        try {
            lockStreams(c, batch);
            for (int attempt = 1; ; attempt++) {
                Savepoint beforeAttempt = c.setSavepoint();
                try {
                    List<RecordedEvent> toWrite = decide(c, batch);
                    insert(c, toWrite);
                    c.commit();
                    return new ImportResult(toWrite.size(), batch.size() - toWrite.size());
                } catch (SQLException e) {
                    if (!PgErrors.isUniqueViolation(e)) {
                        throw e;
                    }
                    if (attempt >= ATTEMPTS) {
                        throw new TransientStoreException("An import batch of " + batch.size() + " events kept colliding"
                                + " with concurrent appends after " + ATTEMPTS + " attempts. Nothing of it was written;"
                                + " retry (rows already imported are skipped).", e.getSQLState(), e);
                    }
                    c.rollback(beforeAttempt);
                }
            }
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** Announces the writer, then locks the batch's streams in ascending key order so two imports cannot deadlock. */
    private void lockStreams(Connection c, List<RecordedEvent> batch) throws SQLException {
        Object[] keys = batch.stream().map(RecordedEvent::stream).distinct().map(events::streamLockKey).sorted()
                .distinct().toArray();
        try (PreparedStatement s = c.prepareStatement(lockStreams)) {
            s.setArray(1, c.createArrayOf("int8", keys));
            s.execute();
        }
    }

    /**
     * The stored rows with these event ids (the {@code EventImporter.storedEvents} hint): the facts
     * query of a batch without its streams, one index lookup per id in one statement.
     */
    public Map<UUID, RecordedEvent> stored(Connection c, List<UUID> ids) throws SQLException {
        Map<UUID, RecordedEvent> stored = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(facts)) {
            s.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            s.setArray(2, c.createArrayOf("text", new Object[0]));
            s.setArray(3, c.createArrayOf("uuid", new Object[0]));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    RecordedEvent row = EventsTable.row(rs, 1);
                    stored.put(row.eventId(), row);
                }
            }
        }
        return stored;
    }

    private List<RecordedEvent> decide(Connection c, List<RecordedEvent> batch) throws SQLException {
        Set<StreamId> streams = new LinkedHashSet<>();
        batch.forEach(row -> streams.add(row.stream()));
        Map<UUID, RecordedEvent> stored = new HashMap<>();
        Map<StreamId, Long> versions = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement(facts)) {
            s.setArray(1, c.createArrayOf("uuid", batch.stream().map(RecordedEvent::eventId).toArray()));
            s.setArray(2, c.createArrayOf("text", streams.stream().map(StreamId::aggregateType).toArray()));
            s.setArray(3, c.createArrayOf("uuid", streams.stream().map(StreamId::aggregateId).toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    // Stream heads are the rows without a position.
                    if (rs.getObject(1) == null) {
                        versions.put(new StreamId(rs.getString(3), rs.getObject(4, UUID.class)), rs.getLong(5));
                    } else {
                        RecordedEvent row = EventsTable.row(rs, 1);
                        stored.put(row.eventId(), row);
                    }
                }
            }
        }
        return ImportRules.decide(batch, stored, versions);
    }

    private void insert(Connection c, List<RecordedEvent> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        int n = rows.size();
        Object[] ids = new Object[n];
        String[] aggregateTypes = new String[n];
        Object[] aggregateIds = new Object[n];
        Long[] versions = new Long[n];
        String[] eventTypes = new String[n];
        Integer[] schemaVersions = new Integer[n];
        String[] occurredAt = new String[n];
        String[] recordedAt = new String[n];
        String[] tenants = new String[n];
        String[] metadata = new String[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            RecordedEvent row = rows.get(i);
            ids[i] = row.eventId();
            aggregateTypes[i] = row.aggregateType();
            aggregateIds[i] = row.aggregateId();
            versions[i] = row.version();
            eventTypes[i] = row.eventType();
            schemaVersions[i] = row.schemaVersion();
            occurredAt[i] = TimestampText.of(row.occurredAt());
            recordedAt[i] = TimestampText.of(row.recordedAt());
            tenants[i] = row.tenantId();
            metadata[i] = row.metadataJson();
            payloads[i] = row.payloadJson();
        }
        Array[] arrays = {c.createArrayOf("uuid", ids), c.createArrayOf("text", aggregateTypes),
                c.createArrayOf("uuid", aggregateIds), c.createArrayOf("int8", versions), c.createArrayOf("text", eventTypes),
                c.createArrayOf("int4", schemaVersions), c.createArrayOf("text", occurredAt),
                c.createArrayOf("text", recordedAt), c.createArrayOf("text", tenants), c.createArrayOf("text", metadata),
                c.createArrayOf("text", payloads)};
        try (PreparedStatement s = c.prepareStatement(insert)) {
            for (int i = 0; i < arrays.length; i++) {
                s.setArray(i + 1, arrays[i]);
            }
            int inserted = s.executeUpdate();
            if (inserted != n) {
                throw new IllegalStateException("inserted " + inserted + " rows for " + n + " imported events");
            }
        }
    }
}
