#!/usr/bin/env bash
# SQLite appends before (f7cfbc3, schema 4 with the type indexes) and after (schema 5 without), alternating.
O=/work/quiet/idx; cd /work/main
for round in 1 2; do for v in before after; do
  jar=eventsource-benchmarks/target/benchmarks.jar; [ $v = before ] && jar=/tmp/before/eventsource-benchmarks/target/benchmarks.jar
  echo "== $v $round $(date +%T) load $(cut -d' ' -f1-3 /proc/loadavg)" >> $O/log.txt
  java -jar $jar '\.AppendBenchmark\.' -p batch=1,100 -wi 1 -w 2 -i 5 -r 3 -f 1 -rf json -rff $O/append-$v-$round.json > $O/append-$v-$round.txt 2>&1
done; done
echo ALL DONE >> $O/log.txt
