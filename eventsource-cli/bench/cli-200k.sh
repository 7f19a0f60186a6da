#!/usr/bin/env bash
# "CLI at 200k events" (docs/benchmarks.md) in one go: builds the input if missing (gen-events.py:
# 200,000 events of ~400 bytes, 20,000 streams), times each command of one jar (run through the
# ./eventsource launcher with EVENTSOURCE_JAR, so with its JVM options), measures the
# store's own batched append and readAll rates in the same run (StoreRates.java, the ratios'
# denominators: append at batch 1,000 for import and migrate; readAll with decoding, the target's
# denominator, readAll of undecoded rows, and the first readAll with decoding in a new JVM (a
# command's conditions) for export and verify, all three ratios printed) and prints the table. With OLD=path/to/old.jar each command runs with the old jar
# first and then the new one (pairs, for a loaded machine).
#   eventsource-cli/bench/cli-200k.sh [new.jar]      (default: eventsource-cli/target/eventsource.jar)
#   BENCH_DIR=/tmp/cli200k OLD=/tmp/cli-before.jar eventsource-cli/bench/cli-200k.sh
#   CMDS="verify export" ...   (only these commands, on the stores an earlier full run imported)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
new="$(cd "$(dirname "${1:-$here/../target/eventsource.jar}")" && pwd)/$(basename "${1:-eventsource.jar}")"
[ -f "$new" ] || { echo "no jar at $new; build it: ./mvnw -o -B -q -pl eventsource-cli -am package -DskipTests" >&2; exit 1; }
dir="${BENCH_DIR:-/tmp/cli200k}"
mkdir -p "$dir"; cd "$dir"
[ -f events200k.jsonl ] || python3 "$here/gen-events.py"
N=200000
# Each command runs through the ./eventsource launcher (its JVM options: the serial collector and a
# class-data archive beside the jar), on the jar given. A first run per jar, an import of the input's
# first 2,000 lines, writes that archive; it is not timed.
launcher="$here/../../eventsource"
jars=(new); [ -n "${OLD:-}" ] && jars=(old new)
jar() { [ "$1" = old ] && echo "$OLD" || echo "$new"; }
# wall seconds, user+sys CPU seconds and the 1-minute load of one command; its output goes to ./out.<label>
m() { local label=$1; shift
  local s e; s=$(date +%s.%N)
  /usr/bin/env time -f "%U %S" -o "./cpu.$label" "$@" >"./out.$label" 2>&1 || { echo "FAILED: $label ($*)"; cat "./out.$label"; exit 1; }
  e=$(date +%s.%N)
  awk -v s="$s" -v e="$e" -v l="$label" -v load="$(cut -d' ' -f1 /proc/loadavg)" '{printf "%-22s wall %7.2f s  cpu %6.2f s  load %s\n", l, e-s, $1+$2, load}' "./cpu.$label" | tee -a ./results.txt; }
: > ./results.txt
head -n 2000 events200k.jsonl > ./train.jsonl
for j in "${jars[@]}"; do
  J="$(jar $j)"; rm -f "${J%.jar}"-*.jsa ./train.db ./train.db-wal ./train.db-shm
  env EVENTSOURCE_JAR="$J" "$launcher" import sqlite:./train.db --in ./train.jsonl >/dev/null 2>&1
  ls "${J%.jar}"-*.jsa >/dev/null 2>&1 || echo "note: no class-data archive beside $J (its folder is not writable?)"
done
# CMDS picks commands (version is always taken); without import the stores of an earlier run are reused.
cmds="version ${CMDS:-import reimport migrate verify streams stats export}"
case " $cmds " in *" import "*) for j in "${jars[@]}"; do rm -f "$j.db" "$j.db-wal" "$j.db-shm"; done ;; esac
for j in "${jars[@]}"; do rm -f "$j-m.db" "$j-m.db-wal" "$j-m.db-shm"; done
for cmd in $cmds; do
  for j in "${jars[@]}"; do
    J="$(jar $j)"
    case $cmd in
      version) m "$j.$cmd" env EVENTSOURCE_JAR="$J" "$launcher" --version ;;
      import|reimport) m "$j.$cmd" env EVENTSOURCE_JAR="$J" "$launcher" import "sqlite:./$j.db" --in events200k.jsonl ;;
      migrate) m "$j.$cmd" env EVENTSOURCE_JAR="$J" "$launcher" migrate --from "sqlite:./$j.db" --to "sqlite:./$j-m.db" ;;
      verify) m "$j.$cmd" env EVENTSOURCE_JAR="$J" "$launcher" verify "sqlite:./$j.db" ;;
      streams) m "$j.$cmd" env EVENTSOURCE_JAR="$J" "$launcher" streams "sqlite:./$j.db" --limit 5 ;;
      stats) m "$j.$cmd" env EVENTSOURCE_JAR="$J" "$launcher" stats "sqlite:./$j.db" ;;
      export) m "$j.$cmd" env EVENTSOURCE_JAR="$J" "$launcher" export "sqlite:./$j.db" --out "./exp-$j.jsonl" ;;
    esac
  done
done
echo "== the store itself, same run (new jar's classes) =="
java -cp "$new" "$here/StoreRates.java" "$dir" "$dir/new.db" | tee ./rates.txt
# The same read as the first one of a new JVM, under the launcher's collector: a command's conditions.
for i in 1 2 3; do java -XX:+UseSerialGC -cp "$new" "$here/StoreRates.java" --first "$dir/new.db"; done | tee -a ./rates.txt
append=$(sed -n 's/^store append.*= \([0-9,]*\) events\/s/\1/p' ./rates.txt | tr -d ,)
decoded=$(sed -n 's/^store readAll (decoded): median.*= \([0-9,]*\) events\/s.*/\1/p' ./rates.txt | tr -d ,)
rows=$(sed -n 's/^store readAll (rows).*= \([0-9,]*\) events\/s.*/\1/p' ./rates.txt | tr -d ,)
echo "== new jar: events/s with the JVM's start (--version) taken off, and the ratio to the store =="
start=$(awk '/^new.version/ {print $3}' ./results.txt)
for cmd in import migrate; do
  awk -v c=$cmd -v st="$start" -v n=$N -v d="$append" '$1=="new."c {r=n/($3-st); printf "%-8s %9.0f events/s  = %.2f of the store append at batch 1,000 (%s events/s)\n", c, r, r/d, d}' ./results.txt
done
first=$(sed -n 's/^store readAll (decoded), first read.*= \([0-9,]*\) events\/s/\1/p' ./rates.txt | tr -d , | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
for cmd in export verify; do
  awk -v c=$cmd -v st="$start" -v n=$N -v d="$decoded" -v w="$rows" -v f="$first" '$1=="new."c {r=n/($3-st); printf "%-8s %9.0f events/s  = %.2f of readAll decoded (%s events/s), %.2f of readAll rows (%s events/s), %.2f of the first readAll decoded in a new JVM (%s events/s, median of 3)\n", c, r, r/d, d, r/w, w, r/f, f}' ./results.txt
done
awk -v st="$start" '$1=="new.reimport" {printf "reimport %.2f s wall, %.2f s without the JVM start\n", $3, $3-st}' ./results.txt
[ -n "${OLD:-}" ] && awk '{split($1,a,"."); w[a[1]"."a[2]]=$3} END {for (k in w) if (k ~ /^old\./) {c=substr(k,5); if (("new." c) in w) printf "%-9s old/new wall: %.2fx\n", c, w[k]/w["new." c]}}' ./results.txt | sort
true
