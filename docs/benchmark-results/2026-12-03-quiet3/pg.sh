#!/usr/bin/env bash
# A durable PostgreSQL 15 (Debian build) for benchmarks: fsync=on, synchronous_commit=on, 127.0.0.1:55432.
set -euo pipefail
B=/usr/lib/postgresql/15/bin; D=/tmp/quietpg/data
as() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
if [ ! -f $D/PG_VERSION ]; then
  mkdir -p /tmp/quietpg && chown nobody:nogroup /tmp/quietpg
  as $B/initdb -D $D -U postgres --auth=trust >/dev/null
fi
as $B/pg_ctl -D $D -l /tmp/quietpg/log -o "-p 55432 -k /tmp/quietpg -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on -c wal_sync_method=fdatasync -c max_connections=200 -c shared_buffers=256MB" -w start >/dev/null
psql -h 127.0.0.1 -p 55432 -U postgres -Atc "show fsync; show synchronous_commit"
