-- eventsource-postgresql schema, version 4: tenant indexes.
--
-- Rendered and applied like schema-v1.sql (PostgreSQLEventStore.schemaSql returns every version, in order).
-- Serves the tenant filter of readAll and of tenant subscriptions (WHERE tenant_id = ? AND
-- global_position > ? ... ORDER BY global_position): one index range per page instead of a walk of
-- the whole log that skips other tenants' rows. On a large existing table, create it beforehand
-- with CREATE INDEX CONCURRENTLY under the same name to avoid blocking writers; this script then
-- leaves it as it is.

CREATE INDEX IF NOT EXISTS ${prefix}events_by_tenant
    ON ${schema}.${prefix}events (tenant_id, global_position) WHERE tenant_id IS NOT NULL;

INSERT INTO ${schema}.${prefix}schema_version (version, description)
VALUES (4, 'tenant index on events')
ON CONFLICT (version) DO NOTHING;
