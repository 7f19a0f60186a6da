-- eventsource-postgresql: opt-in row-level security (see docs/tenancy.md and ADR 0005).
--
-- Not a numbered schema version: a store applies it only when built with rowLevelSecurity(true),
-- and teams that manage DDL by hand take it from PostgreSQLEventStore.rowLevelSecuritySql(...).
-- Run it after the schema scripts, as the role that owns the tables, and make that role one that
-- bypasses row-level security (BYPASSRLS, or a superuser): it owns stream_head(), which must see
-- every tenant's rows. Running it twice is harmless.
--
-- Afterwards a role without BYPASSRLS sees and writes only rows of the tenant its transaction is
-- bound to (SELECT set_config('eventsource.tenant_id', 'acme', true)); unbound, it sees no event
-- and can insert none. FORCE makes the policies apply to the tables' owner as well.

ALTER TABLE ${schema}.${prefix}events ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.${prefix}events FORCE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS ${prefix}events_tenant ON ${schema}.${prefix}events;
CREATE POLICY ${prefix}events_tenant ON ${schema}.${prefix}events
    USING (tenant_id = current_setting('eventsource.tenant_id', true))
    WITH CHECK (tenant_id = current_setting('eventsource.tenant_id', true));

-- A snapshot is visible with the event it was taken at: only to the tenant that owns the stream.
ALTER TABLE ${schema}.${prefix}snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${schema}.${prefix}snapshots FORCE ROW LEVEL SECURITY;

DROP POLICY IF EXISTS ${prefix}snapshots_tenant ON ${schema}.${prefix}snapshots;
CREATE POLICY ${prefix}snapshots_tenant ON ${schema}.${prefix}snapshots
    USING (EXISTS (SELECT 1 FROM ${schema}.${prefix}events AS e WHERE e.aggregate_type = ${prefix}snapshots.aggregate_type
                   AND e.aggregate_id = ${prefix}snapshots.aggregate_id AND e.version = ${prefix}snapshots.version))
    WITH CHECK (EXISTS (SELECT 1 FROM ${schema}.${prefix}events AS e WHERE e.aggregate_type = ${prefix}snapshots.aggregate_type
                   AND e.aggregate_id = ${prefix}snapshots.aggregate_id AND e.version = ${prefix}snapshots.version));

-- A stream's version and the tenant of its last event, whoever owns it: a bound connection needs
-- the true version to append, and the owner to be refused with a name. It reveals nothing else.
CREATE OR REPLACE FUNCTION ${schema}.${prefix}stream_head(stream_type text, stream_id uuid)
RETURNS TABLE (version bigint, tenant_id text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
    SELECT e.version, e.tenant_id FROM ${schema}.${prefix}events AS e
     WHERE e.aggregate_type = stream_type AND e.aggregate_id = stream_id
     ORDER BY e.version DESC LIMIT 1
$fn$;
