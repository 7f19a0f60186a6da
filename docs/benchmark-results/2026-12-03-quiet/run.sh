#!/usr/bin/env bash
# Quiet-machine benchmark pass, 2026-12-03 afternoon. Output in /work/quiet/out/.
set -uo pipefail
cd "$(git rev-parse --show-toplevel)"
J=eventsource-benchmarks/target/benchmarks.jar
O=${OUT:-/tmp/quiet-out}; mkdir -p $O
echo "start a durable PostgreSQL on 127.0.0.1:55432 first (see below)"
export EVENTSOURCE_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:55432/postgres?user=postgres'
JMH="-wi 1 -w 2 -i 5 -r 3 -f 1"
run() { local name=$1; shift; echo "== $name $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $O/log.txt
  "$@" > $O/$name.txt 2>&1; echo "   done $(date +%T) rc=$?" | tee -a $O/log.txt; }
run tenancy java -jar $J 'TenancyBenchmark' $JMH -rf json -rff $O/tenancy.json
run rls java -jar $J 'RowLevelSecurityBenchmark' $JMH -rf json -rff $O/rls.json
run pg-append java -jar $J '\.PostgreSQLAppendBenchmark\.(library|rawJdbc|rawMinimal)(_8_threads)?$' -p batch=1 $JMH -rf json -rff $O/pg-append.json
run readall java -jar $J '\.ReadAllBenchmark\.' -p metadata=none,traced $JMH -rf json -rff $O/readall.json
run pg-readall java -jar $J 'PostgreSQLReadAllBenchmark' -p metadata=none,traced $JMH -rf json -rff $O/pg-readall.json
run sqlite-append java -jar $J '\.AppendBenchmark\.' -p batch=1,100 $JMH -rf json -rff $O/sqlite-append.json
run relay java -cp $J dev.eventsource.benchmarks.RelayBenchmark
run cli200k env BENCH_DIR=/tmp/cli200k-quiet OLD=/tmp/cli-before.jar eventsource-cli/bench/cli-200k.sh eventsource-cli/target/eventsource.jar
echo ALL DONE | tee -a $O/log.txt
