#!/bin/bash
# Pairs: each command with the old jar, then the new jar, on identical input; wall and CPU seconds, load average.
# Run in a directory holding events200k.jsonl; usage: cli-pairs.sh (old jar at /tmp/cli-before.jar, new at /tmp/cli-after.jar)
cd "${BENCH_DIR:-.}"
m() { local label=$1 name=$2; shift 2; local s=$(date +%s.%N)
  local cpu=$( { /usr/bin/env time -f "%U %S" "$@" >/dev/null 2>./err.$label.$name; } 2>&1; tail -1 ./err.$label.$name)
  local e=$(date +%s.%N); printf "%-7s %-9s wall %6.2f s  cpu(user sys) %s  load %s\n" $label $name $(echo "$e-$s"|bc) "$cpu" "$(cut -d' ' -f1-3 /proc/loadavg)"; }
for j in before after; do rm -f $j.db* $j-m.db*; done
for cmd in import reimport migrate verify streams stats export; do
  for j in before after; do
    J=/tmp/cli-$j.jar
    case $cmd in
      import|reimport) m $j $cmd java -jar $J import sqlite:./$j.db --in events200k.jsonl ;;
      migrate) m $j $cmd java -jar $J migrate --from sqlite:./$j.db --to sqlite:./$j-m.db ;;
      verify) m $j $cmd java -jar $J verify sqlite:./$j.db ;;
      streams) m $j $cmd java -jar $J streams sqlite:./$j.db --limit 5 ;;
      stats) m $j $cmd java -jar $J stats sqlite:./$j.db ;;
      export) m $j $cmd java -jar $J export sqlite:./$j.db --out ./exp-$j.jsonl ;;
    esac
  done
done
