#!/bin/bash
# usage: cpu.sh label classes regex : runs the JMH benchmark and reports CPU seconds of the fork JVM and of PostgreSQL
label=$1; cls=$2; re=$3
out=/tmp/pgread-res/cpu-$label.txt
pm=$(head -1 /tmp/pgread-pg/data/postmaster.pid)
pgcpu() { # postmaster's own + reaped children + live children, in clock ticks
  local t=$(awk '{print $14+$15+$16+$17}' /proc/$pm/stat)
  for p in $(pgrep -P $pm); do t=$((t + $(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $t; }
cp=$cls
uptime > $out
pg0=$(pgcpu)
EVENTSOURCE_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:55432/postgres?user=postgres' /usr/bin/time -f "client_cpu_s %U %S" java -cp $cp org.openjdk.jmh.Main "$re" -p batch=1 -wi 1 -w 2 -i 3 -r 3 -f 1 >> $out 2>&1
pg1=$(pgcpu)
uptime >> $out
echo "pg_cpu_s $(echo "($pg1-$pg0)/100" | bc -l)" >> $out
echo "== $label"; grep -E "load average" $out | sed 's/.*load/load/'; grep -E "^Iteration|client_cpu|pg_cpu|Warmup Iteration" $out | tr '\n' ' '; echo
