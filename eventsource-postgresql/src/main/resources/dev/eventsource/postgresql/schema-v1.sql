-- eventsource-postgresql schema, version 1.
--
-- For teams that manage DDL with Flyway or Liquibase: render this file for your schema and table
-- prefix with PostgreSQLEventStore.schemaSql("my_schema", "eventsource_") (which validates both
-- names) rather than substituting the placeholders by hand. ${schema} and ${prefix} are the only
-- placeholders. Running it twice is harmless, and a store's initialize() recognises a schema
-- created this way (it reads the schema-version table) and leaves it alone.
--
-- Every writer must go through PostgreSQLEventStore (or call ${schema}.${prefix}announce_writer()
-- in its transaction before inserting): readers rely on it to keep the global order gap-safe.
-- See docs/adr/0001-postgresql-gap-safe-global-order.md.

CREATE TABLE IF NOT EXISTS ${schema}.${prefix}schema_version (
    version     integer     PRIMARY KEY,
    applied_at  timestamptz NOT NULL DEFAULT now(),
    description text        NOT NULL
);

-- CACHE 1 matters: readers compare the sequence's last value with the bounds writers announce,
-- which is only sound when no session holds pre-allocated values.
CREATE SEQUENCE IF NOT EXISTS ${schema}.${prefix}events_position_seq AS bigint START 1 CACHE 1;

CREATE TABLE IF NOT EXISTS ${schema}.${prefix}events (
    global_position bigint      NOT NULL DEFAULT nextval('${schema}.${prefix}events_position_seq'),
    event_id        uuid        NOT NULL,
    aggregate_type  text        NOT NULL,
    aggregate_id    uuid        NOT NULL,
    version         bigint      NOT NULL,
    event_type      text        NOT NULL,
    schema_version  integer     NOT NULL,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL,
    tenant_id       text,
    metadata        jsonb       NOT NULL,
    payload         jsonb       NOT NULL,
    CONSTRAINT ${prefix}events_pkey PRIMARY KEY (global_position),
    CONSTRAINT ${prefix}events_event_id_key UNIQUE (event_id),
    CONSTRAINT ${prefix}events_stream_version_key UNIQUE (aggregate_type, aggregate_id, version),
    CONSTRAINT ${prefix}events_version_check CHECK (version >= 1)
);

ALTER SEQUENCE ${schema}.${prefix}events_position_seq OWNED BY ${schema}.${prefix}events.global_position;

-- Called by every writing transaction before it takes a position: holds, until the transaction
-- ends, a shared advisory lock whose keys are (this table's oid, low 32 bits of the last position
-- handed out so far). Every position the transaction takes afterwards is above that bound.
CREATE OR REPLACE FUNCTION ${schema}.${prefix}announce_writer() RETURNS void
LANGUAGE sql VOLATILE AS $fn$
    SELECT pg_advisory_xact_lock_shared(
               '${schema}.${prefix}events'::regclass::oid::bigint::bit(32)::integer,
               (bound & 4294967295)::bit(32)::integer)
      FROM (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END AS bound
              FROM ${schema}.${prefix}events_position_seq) AS s;
$fn$;

-- The highest position a forward reader may pass: every position at or below it is either
-- committed and visible to statements that start after this call, or will never be committed.
-- It reads the last position handed out, then lowers it to the smallest bound announced by a
-- writer still in progress; that order is what makes it safe.
CREATE OR REPLACE FUNCTION ${schema}.${prefix}readable_position() RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
    allocated bigint;
    lowest    bigint;
BEGIN
    SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END INTO allocated
      FROM ${schema}.${prefix}events_position_seq;
    SELECT min(allocated - (((allocated - l.objid::bigint) % 4294967296) + 4294967296) % 4294967296) INTO lowest
      FROM pg_catalog.pg_locks AS l
     WHERE l.locktype = 'advisory'
       AND l.objsubid = 2
       AND l.classid = '${schema}.${prefix}events'::regclass::oid
       AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database());
    RETURN least(allocated, coalesce(lowest, allocated));
END
$fn$;

INSERT INTO ${schema}.${prefix}schema_version (version, description)
VALUES (1, 'events table, position sequence, writer announcement and readable-position functions')
ON CONFLICT (version) DO NOTHING;
