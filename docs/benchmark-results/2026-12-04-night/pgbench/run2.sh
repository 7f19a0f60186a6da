#!/usr/bin/env bash
# usage: run2.sh clients seconds variant:mode ...
c=$1; t=$2; shift 2
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
for vm in "$@"; do
  s=${vm%%:*}; m=${vm#*:}
  psql -q -h 127.0.0.1 -p 55432 -U postgres -c "truncate pb.eventsource_events" -c checkpoint >/dev/null
  b0=$(busy)
  out=$(PGOPTIONS="-c plan_cache_mode=$m" /usr/lib/postgresql/15/bin/pgbench -h 127.0.0.1 -p 55432 -U postgres -n -M prepared -c $c -j 2 -T $t -f $s.sql postgres 2>&1)
  b1=$(busy)
  n=$(echo "$out" | awk '/number of transactions actually processed/{print $NF}' | cut -d/ -f1)
  tps=$(echo "$out" | awk '/^tps/{printf "%d", $3}')
  echo "$vm tps=$tps cpu_us_per_tx=$(( (b1-b0)*10000 / n ))"
done
