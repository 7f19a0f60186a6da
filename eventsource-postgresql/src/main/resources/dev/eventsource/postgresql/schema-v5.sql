-- eventsource-postgresql schema, version 5: the append notification leaves the writing transaction.
--
-- Rendered and applied like schema-v1.sql (PostgreSQLEventStore.schemaSql returns every version, in order).
-- Up to version 4 an AFTER INSERT statement trigger called pg_notify inside every writing
-- transaction. PostgreSQL serializes the commits of notifying transactions (the notification
-- queue's lock is held until the commit record is flushed), which capped concurrent writers.
-- From version 5 PostgreSQLEventStore sends the NOTIFY itself, after its appends commit, from one
-- background sender per store that coalesces bursts of appends into one notification; see
-- PostgreSQLEventStore.notifications(). The channel is unchanged (left('<schema>.<prefix>events', 63)),
-- so PostgreSQLAppendNotifier listens as before. A notification only wakes subscribers up; one
-- that is lost costs at most their poll interval.

DROP TRIGGER IF EXISTS ${prefix}events_notify_appended ON ${schema}.${prefix}events;
DROP FUNCTION IF EXISTS ${schema}.${prefix}notify_appended();

INSERT INTO ${schema}.${prefix}schema_version (version, description)
VALUES (5, 'append notification sent by the store after commit; the notify trigger is dropped')
ON CONFLICT (version) DO NOTHING;
