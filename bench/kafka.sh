#!/usr/bin/env bash
# Kafka throughput: records/s and MB/s from a 4-partition topic into Parquet with one
# `parquet-ingest kafka` member and with two (two processes, one group), each run reading the
# whole topic under a new group id and ending with --stop-when-idle. Starts its own KRaft broker
# (a child JVM, as the tests do), fills the topic once with bench/KafkaBenchProducer.java, and
# prints one line per run; the idle wait is subtracted from the wall time.
#
#   KAFKA_CP=<classpath of kafka_2.13 4.3.1> bench/kafka.sh [records=2000000] [rounds=3]
#
# Needs a built CLI (cli/target/parquet-ingest.jar). KAFKA_CP: e.g. the output of
# `mvn dependency:build-classpath` on a pom with org.apache.kafka:kafka_2.13 and slf4j-nop.
set -euo pipefail
cd "$(dirname "$0")/.."
records="${1:-2000000}"
rounds="${2:-3}"
idle=3
work="${BENCH_DIR:-/tmp/parquet-ingest-kafka-bench}"
: "${KAFKA_CP:?set KAFKA_CP to the classpath of kafka_2.13}"
rm -rf "$work" && mkdir -p "$work"
port=$((20000 + RANDOM % 20000)); controller=$((port + 1))
cat > "$work/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$work/data
num.partitions=4
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
java -cp "$KAFKA_CP" kafka.tools.StorageTool format -t "$(cat /proc/sys/kernel/random/uuid | tr -d - | cut -c1-22)" -c "$work/server.properties" > "$work/format.log"
java -Xmx512m -XX:+UseSerialGC -cp "$KAFKA_CP" kafka.Kafka "$work/server.properties" > "$work/broker.log" 2>&1 &
broker=$!
trap 'kill $broker 2>/dev/null; wait $broker 2>/dev/null || true' EXIT
until (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null; do sleep 0.2; done
bootstrap="127.0.0.1:$port"
schema="$work/schema.txt"
printf 'id: int64 not null\nts: int64\nuser: string\ncountry: string\nstatus: string\nduration_ms: int32\namount: double\nurl: string\n' > "$schema"
bytes=$(java -cp "$KAFKA_CP" bench/KafkaBenchProducer.java "$bootstrap" events "$records")
echo "== $records records, $(python3 -c "print(round($bytes/1e6,1))") MB of JSON values, 4 partitions, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"

member() { # group out log
  bin/parquet-ingest kafka --bootstrap-servers "$bootstrap" --topic events --group-id "$1" \
    --schema "$schema" --out "$2" --workers 1 --stop-when-idle ${idle}s --no-progress \
    --consumer-property session.timeout.ms=10000 > "$3" 2>&1
}

now() { date +%s.%N; }
for r in $(seq 1 "$rounds"); do
  for members in 1 2; do
    g="bench-$members-$r"; out="$work/out-$g"
    t0=$(now)
    pids=()
    for m in $(seq 1 "$members"); do member "$g" "$out" "$work/$g-$m.log" & pids+=($!); done
    wait "${pids[@]}"
    t1=$(now)
    parquet=$(du -sb "$out" | cut -f1)
    files=$(find "$out" -name '*.parquet' | wc -l)
    written=$(cat "$work/$g"-*.log | sed -n 's/^Wrote \([0-9,]*\) rows.*/\1/p' | tr -d , | paste -sd+ | bc)
    [[ "$written" == "$records" ]] || { echo "members $members round $r wrote $written rows, not $records"; cat "$work/$g"-*.log; exit 1; }
    python3 - "$members" "$r" "$t0" "$t1" "$idle" "$records" "$bytes" "$parquet" "$files" <<'PY'
import sys
m, r, t0, t1, idle, n, b, pq, files = sys.argv[1:]
s = float(t1) - float(t0) - float(idle)
print(f"members {m} round {r}: {s:.1f} s, {int(n)/s:,.0f} records/s, {int(b)/s/1e6:.1f} MB/s JSON in, "
      f"{int(pq)/s/1e6:.1f} MB/s Parquet out ({int(pq)/1e6:.1f} MB in {files} files)")
PY
    rm -rf "$out"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
