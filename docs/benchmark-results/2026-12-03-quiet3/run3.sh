#!/usr/bin/env bash
# Quiet-machine benchmark pass, 2026-12-03 (fifth session). Output in $O.
set -uo pipefail
cd /work/main
J=eventsource-benchmarks/target/benchmarks.jar
O=${O:-/work/quiet/out3}; mkdir -p $O
/work/quiet/pg.sh
export EVENTSOURCE_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:55432/postgres?user=postgres'
JMH="-wi 1 -w 2 -i 5 -r 3 -f ${FORKS:-1}"
run() { local name=$1; shift; echo "== $name $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg) cpu-pressure $(head -1 /proc/pressure/cpu | cut -d' ' -f2-3)" | tee -a $O/log.txt
  "$@" > $O/$name.txt 2>&1; echo "   done $(date +%T) rc=$?" | tee -a $O/log.txt; }
for step in ${STEPS:-pg-append pg-append100 sqlite-append layout readall pg-readall load groupcommit relay cli200k}; do
case $step in
pg-append) run pg-append java -jar $J '\.PostgreSQLAppendBenchmark\.(library|rawJdbc|rawMinimal)(_8_threads|_32_threads)?$' -p batch=1 $JMH -rf json -rff $O/pg-append.json ;;
pg-append100) run pg-append100 java -jar $J '\.PostgreSQLAppendBenchmark\.(library|rawJdbc|rawMinimal)$' -p batch=100 $JMH -rf json -rff $O/pg-append100.json ;;
sqlite-append) run sqlite-append java -jar $J '\.AppendBenchmark\.' -p batch=1,100 $JMH -rf json -rff $O/sqlite-append.json ;;
layout) mkdir -p /tmp/lay; run layout java -cp $(ls ~/.m2/repository/org/xerial/sqlite-jdbc/3.54.1.0/sqlite-jdbc-3.54.1.0.jar) docs/benchmark-results/2026-12-03-quiet2/Lay.java 5 3000 100 ;;
readall) run readall java -jar $J '\.ReadAllBenchmark\.' -p metadata=none,traced $JMH -rf json -rff $O/readall.json ;;
pg-readall) run pg-readall java -jar $J 'PostgreSQLReadAllBenchmark' -p metadata=none,traced $JMH -rf json -rff $O/pg-readall.json ;;
load) run load java -jar $J '\.LoadBenchmark\.' -p events=100 -wi 3 -w 3 -i 5 -r 3 -f 1 -rf json -rff $O/load.json ;;
groupcommit) run groupcommit env LD_PRELOAD=/tmp/libslowsync.so SLOWSYNC_MICROS=2000 java -jar $J '\.ConcurrentAppendBenchmark\.library_(1_thread|8_threads)$' $JMH -rf json -rff $O/groupcommit.json ;;
relay) run relay java -cp $J dev.eventsource.benchmarks.RelayBenchmark ;;
relay-before) run relay-before java -cp /tmp/before/eventsource-benchmarks/target/benchmarks.jar dev.eventsource.benchmarks.RelayBenchmark 100000 1000 5 0 ;;
relay-split)
  # The broker (its own JVM) and PostgreSQL on CPU 1, the relay and the raw producer on CPU 0: as if the broker and
  # the database were other machines. Run with before and after jars (BEFORE_JAR=...).
  pm=$(head -1 /tmp/quietpg/data/postmaster.pid); for p in $pm $(pgrep -P $pm); do taskset -a -p 2 $p >/dev/null; done
  (taskset -c 1 java -cp $J /tmp/brk/Broker.java > $O/broker.txt 2>&1 &) ; for i in $(seq 60); do grep -q BOOTSTRAP $O/broker.txt && break; sleep 1; done
  export EVENTSOURCE_TEST_KAFKA_BOOTSTRAP=$(sed -n 's/BOOTSTRAP //p' $O/broker.txt)
  for v in before after before after; do jar=$J; [ $v = before ] && jar=${BEFORE_JAR:-/tmp/before/eventsource-benchmarks/target/benchmarks.jar}
    run relay-split-$v-$(date +%H%M%S) taskset -c 0 java -cp $jar dev.eventsource.benchmarks.RelayBenchmark 100000 1000 5 0; done
  pkill -f Broker.java; unset EVENTSOURCE_TEST_KAFKA_BOOTSTRAP; for p in $pm $(pgrep -P $pm); do taskset -a -p 3 $p >/dev/null; done ;;
cli200k) run cli200k env BENCH_DIR=/tmp/cli200k-quiet3 ${CLI_OLD:+OLD=$CLI_OLD} eventsource-cli/bench/cli-200k.sh eventsource-cli/target/eventsource.jar ;;
esac
done
echo ALL DONE | tee -a $O/log.txt
