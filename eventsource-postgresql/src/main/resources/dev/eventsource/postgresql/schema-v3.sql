-- eventsource-postgresql schema, version 3: subscriptions.
--
-- Rendered and applied like schema-v1.sql (PostgreSQLEventStore.schemaSql returns every version, in order).
-- One checkpoint per subscription name (PostgreSQLCheckpointStore), the dead-letter queue
-- (PostgreSQLDeadLetterStore), and a statement trigger that NOTIFYs live subscriptions
-- (PostgreSQLAppendNotifier) when events are inserted; the notification is sent at commit, and
-- only wakes readers up: what they read is still bounded by readable_position().

CREATE TABLE IF NOT EXISTS ${schema}.${prefix}subscription_checkpoints (
    subscription     text        NOT NULL,
    position         bigint      NOT NULL,
    events_processed bigint      NOT NULL,
    last_event_id    uuid,
    last_event_type  text,
    updated_at       timestamptz NOT NULL,
    CONSTRAINT ${prefix}subscription_checkpoints_pkey PRIMARY KEY (subscription),
    CONSTRAINT ${prefix}subscription_checkpoints_position_check CHECK (position >= 0)
);

CREATE TABLE IF NOT EXISTS ${schema}.${prefix}dead_letters (
    id              bigint      GENERATED ALWAYS AS IDENTITY,
    subscription    text        NOT NULL,
    event_id        uuid        NOT NULL,
    global_position bigint      NOT NULL,
    event_type      text        NOT NULL,
    payload         text        NOT NULL,
    error           text        NOT NULL,
    stack_trace     text        NOT NULL,
    attempts        integer     NOT NULL,
    first_failed_at timestamptz NOT NULL,
    last_failed_at  timestamptz NOT NULL,
    resolved_at     timestamptz,
    CONSTRAINT ${prefix}dead_letters_pkey PRIMARY KEY (id),
    CONSTRAINT ${prefix}dead_letters_event_key UNIQUE (subscription, event_id)
);

CREATE INDEX IF NOT EXISTS ${prefix}dead_letters_unresolved
    ON ${schema}.${prefix}dead_letters (subscription, global_position) WHERE resolved_at IS NULL;

-- Channel names are at most 63 bytes; names here are ASCII, so left() counts bytes.
CREATE OR REPLACE FUNCTION ${schema}.${prefix}notify_appended() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM pg_notify(left('${schema}.${prefix}events', 63), '');
    RETURN NULL;
END
$fn$;

DROP TRIGGER IF EXISTS ${prefix}events_notify_appended ON ${schema}.${prefix}events;
CREATE TRIGGER ${prefix}events_notify_appended AFTER INSERT ON ${schema}.${prefix}events
    FOR EACH STATEMENT EXECUTE FUNCTION ${schema}.${prefix}notify_appended();

INSERT INTO ${schema}.${prefix}schema_version (version, description)
VALUES (3, 'subscription checkpoints, dead letters, append notification trigger')
ON CONFLICT (version) DO NOTHING;
