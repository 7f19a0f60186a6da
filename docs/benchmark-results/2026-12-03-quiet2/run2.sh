#!/usr/bin/env bash
# Quiet-machine benchmark pass, 2026-12-03 evening (fourth session). Output in /work/quiet/out2/.
set -uo pipefail
cd /work/main
J=eventsource-benchmarks/target/benchmarks.jar
O=/work/quiet/out2; mkdir -p $O
/work/quiet/pg.sh
export EVENTSOURCE_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:55432/postgres?user=postgres'
JMH="-wi 1 -w 2 -i 5 -r 3 -f 1"
run() { local name=$1; shift; echo "== $name $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $O/log.txt
  "$@" > $O/$name.txt 2>&1; echo "   done $(date +%T) rc=$?" | tee -a $O/log.txt; }
run pg-append java -jar $J "${PG_APPEND_RE:-\.PostgreSQLAppendBenchmark\.(library|rawJdbc|rawMinimal)(_8_threads|_32_threads)?$}" -p batch=1 $JMH -rf json -rff $O/pg-append.json
run pg-append100 java -jar $J '\.PostgreSQLAppendBenchmark\.(library|rawJdbc|rawMinimal)$' -p batch=100 $JMH -rf json -rff $O/pg-append100.json
run sqlite-append java -jar $J '\.AppendBenchmark\.' -p batch=1,100 $JMH -rf json -rff $O/sqlite-append.json
run layout java -cp $(ls ~/.m2/repository/org/xerial/sqlite-jdbc/3.54.1.0/sqlite-jdbc-3.54.1.0.jar) /tmp/lay/Lay.java 5 3000 100
run readall java -jar $J '\.ReadAllBenchmark\.' -p metadata=none,traced $JMH -rf json -rff $O/readall.json
run pg-readall java -jar $J 'PostgreSQLReadAllBenchmark' -p metadata=none,traced $JMH -rf json -rff $O/pg-readall.json
run load java -jar $J '\.LoadBenchmark\.' -p events=100 -wi 3 -w 3 -i 5 -r 3 -f 1 -rf json -rff $O/load.json
run groupcommit env LD_PRELOAD=/tmp/libslowsync.so SLOWSYNC_MICROS=2000 java -jar $J '\.ConcurrentAppendBenchmark\.library_(1_thread|8_threads)$' $JMH -rf json -rff $O/groupcommit.json
run relay java -cp $J dev.eventsource.benchmarks.RelayBenchmark
run cli200k env BENCH_DIR=/tmp/cli200k-quiet2 OLD=${CLI_OLD:-/tmp/cli-before.jar} eventsource-cli/bench/cli-200k.sh eventsource-cli/target/eventsource.jar
echo ALL DONE | tee -a $O/log.txt
