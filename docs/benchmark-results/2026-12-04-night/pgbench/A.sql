\set k random(1, 1000000000)
\set hi random(0, 9000000000000000000)
\set lo random(0, 9000000000000000000)
\set r random(0, 9000000000000000000)
WITH writer AS MATERIALIZED (SELECT pb.eventsource_announce_writer()) INSERT INTO pb.eventsource_events (event_id, aggregate_type, aggregate_id, version, event_type, schema_version, occurred_at, recorded_at, tenant_id, metadata, payload) SELECT v.* FROM writer, (VALUES ((lpad(to_hex(:r::bigint),16,'0') || lpad(to_hex(:k::bigint),16,'0'))::uuid, 'Order', (lpad(to_hex(:hi::bigint),16,'0') || lpad(to_hex(:lo::bigint),16,'0'))::uuid, 1::bigint, 'OrderPlaced', 1, now(), now(), NULL::text, '{}'::jsonb, '{"orderId":"0f8fad5b-d9cb-469f-a165-70867728950e","customer":"customer-42","amountCents":12345,"currency":"EUR","lines":[{"sku":"SKU-1","qty":2},{"sku":"SKU-2","qty":1}],"note":"benchmark payload"}'::jsonb)) AS v;
