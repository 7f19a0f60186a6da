#!/bin/bash
# samples wait events of client backends every 20 ms for $1 seconds
export PGHOST=127.0.0.1 PGPORT=55432 PGUSER=postgres PGDATABASE=postgres
end=$((SECONDS+$1))
while [ $SECONDS -lt $end ]; do
psql -Atc "select coalesce(wait_event_type,'CPU')||':'||coalesce(wait_event,'-')||':'||state||':'||left(query,30) from pg_stat_activity where backend_type='client backend' and pid<>pg_backend_pid() and application_name like 'PostgreSQL JDBC%'"
sleep 0.02
done
