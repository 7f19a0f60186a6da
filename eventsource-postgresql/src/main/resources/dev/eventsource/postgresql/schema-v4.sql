-- eventsource-postgresql schema, version 4: PLACEHOLDER on branch pgspeed.
--
-- Version 4 is reserved for the row-level-security / tenant-index migration of branch rls. This
-- file only keeps the numbering contiguous on branch pgspeed (whose migration is version 5); when
-- the branches are merged, the rls branch's schema-v4.sql replaces this file entirely.

INSERT INTO ${schema}.${prefix}schema_version (version, description)
VALUES (4, 'reserved (placeholder for the row-level-security migration)')
ON CONFLICT (version) DO NOTHING;
