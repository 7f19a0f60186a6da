-- eventsource-postgresql schema, version 2: snapshots.
--
-- Rendered and applied like schema-v1.sql (PostgreSQLEventStore.schemaSql returns both, in order).
-- One snapshot per stream; PostgreSQLSnapshotStore upserts a row only when its version is not
-- lower than the stored one. Snapshots are a cache: dropping rows costs full replays, never data.

CREATE TABLE IF NOT EXISTS ${schema}.${prefix}snapshots (
    aggregate_type text        NOT NULL,
    aggregate_id   uuid        NOT NULL,
    version        bigint      NOT NULL,
    schema_version integer     NOT NULL,
    state          jsonb       NOT NULL,
    taken_at       timestamptz NOT NULL,
    CONSTRAINT ${prefix}snapshots_pkey PRIMARY KEY (aggregate_type, aggregate_id),
    CONSTRAINT ${prefix}snapshots_version_check CHECK (version >= 1)
);

INSERT INTO ${schema}.${prefix}schema_version (version, description)
VALUES (2, 'snapshots table')
ON CONFLICT (version) DO NOTHING;
