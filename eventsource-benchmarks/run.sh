#!/usr/bin/env bash
# Runs every benchmark and the bounded-memory check; results land in eventsource-benchmarks/results/.
# Usage (from the repository root): eventsource-benchmarks/run.sh [extra JMH options, e.g. AppendBenchmark]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -DskipTests -pl eventsource-benchmarks -am package
mkdir -p eventsource-benchmarks/results
jar=eventsource-benchmarks/target/benchmarks.jar
java -jar "$jar" -rf json -rff eventsource-benchmarks/results/jmh.json "$@" | tee eventsource-benchmarks/results/jmh.txt
if [ "$#" -eq 0 ]; then
  echo "== readAll over 1,000,000 events with -Xmx64m =="
  java -jar "$jar" '\.ReadAllBenchmark\.library' -p events=1000000 -p metadata=traced -jvmArgsAppend -Xmx64m -wi 0 -i 1 \
    | tee eventsource-benchmarks/results/readall-1m-xmx64m.txt
fi
