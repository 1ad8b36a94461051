#!/usr/bin/env bash
# Builds the benchmarks jar, runs the suite under the JVM flags that stand in for the Go
# experiment's GOMEMLIMIT=2276MB, GOMAXPROCS=1 and GOGC=50 (docs/benchmarks.md says why and where
# the analogy breaks), writes JMH's JSON results under jmh/results/, profiles the 400K-row files
# with JFR, and regenerates the tables and the chart in docs/benchmarks.md.
#
#   flock /tmp/mvn.lock jmh/run-tables.sh
#
# Run it under the Maven lock, so that no build on this shared machine competes with the
# measurement; started without the lock, it takes it itself. The Maven build below runs while the
# lock is held (a second `flock /tmp/mvn.lock` here would wait for ourselves forever).
#
# About 20 minutes on a 2-core machine: one fork per combination, 2 warm-up and 3 measured
# iterations (-f 1 -wi 2 -i 3 -w 2s -r 2s). Override with JMH_OPTS="..." (e.g. for more forks).
# CONFIGS=g1 runs only the G1 crossover table (both data sets, every N) and the JFR profile,
# about 7 minutes; the other tables are then left out of the document.
set -euo pipefail
cd "$(dirname "$0")/.."

LOCK=/tmp/mvn.lock
held=0
for fd in /proc/$$/fd/*; do
  if [ "$(readlink "$fd" 2>/dev/null)" = "$LOCK" ]; then held=1; fi
done
if [ "$held" = 0 ]; then
  exec flock "$LOCK" "$0" "$@"
fi

RESULTS=jmh/results
JAR=jmh/target/benchmarks.jar
DOC=docs/benchmarks.md
JMH_OPTS=${JMH_OPTS:--f 1 -wi 2 -i 3 -w 2s -r 2s}
PROFILERS="-prof dev.parquetingest.jmh.PeakMemoryProfiler -prof gc"

# GOMEMLIMIT=2276MB -> -Xmx2276m; GOMAXPROCS=1 -> one CPU seen by the JVM, and pinned to CPU 0
BASE="-Xmx2276m -XX:ActiveProcessorCount=1"
# GOGC=50 -> three stand-ins: G1 (named: with one CPU the JVM would pick Serial), G1 sized
# tightly (heap <= 1.5 x live after a full GC, more GC time allowed), and Parallel
G1="$BASE -XX:+UseG1GC"
G1_TIGHT="$BASE -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=33 -XX:GCTimeRatio=4"
PARALLEL="$BASE -XX:+UseParallelGC"

# package, never install: the reactor hands the modules to the jmh jar without publishing them
mvn -B -q -o package -DskipTests -pl jmh -am
mkdir -p "$RESULTS"

# -jvmArgs (not -jvmArgsPrepend) so that the forks do not inherit this launcher's own JVM options;
# the benchmarks' @Fork(jvmArgsAppend) adds --add-opens=java.base/java.nio=ALL-UNNAMED.
jmh() { # jmh RESULT_FILE JVM_FLAGS JMH_ARGS...
  local out=$1 flags=$2
  shift 2
  echo "$(date -u +%H:%M:%S) running $* -> $out"
  # shellcheck disable=SC2086
  if ! taskset -c 0 java -jar "$JAR" "$@" $JMH_OPTS $PROFILERS \
      -jvmArgs "$flags" -rf json -rff "$out" >> "$RESULTS/jmh-console.log" 2>&1; then
    echo "JMH failed; see $RESULTS/jmh-console.log" >&2
    exit 1
  fi
}

: > "$RESULTS/jmh-console.log"
started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
load_before=$(uptime)

CONFIGS=${CONFIGS:-all}
jmh "$RESULTS/crossover-g1.json" "$G1" EncoderCrossoverBenchmark
if [ "$CONFIGS" = all ]; then
  jmh "$RESULTS/crossover-g1-tight.json" "$G1_TIGHT" EncoderCrossoverBenchmark \
    -p dataset=logs -p rows=10000,100000,400000
  jmh "$RESULTS/crossover-parallel.json" "$PARALLEL" EncoderCrossoverBenchmark \
    -p dataset=logs -p rows=10000,100000,400000
  jmh "$RESULTS/allocator.json" "$G1" ArrowAllocatorBenchmark
  # the ZSTD floor: a 400K-row file's pages compressed and nothing else (docs/benchmarks.md,
  # fourth pass); its JSON is kept for the text, the tables do not read it
  jmh "$RESULTS/zstd-floor.json" "$G1" ZstdFloorBenchmark
else
  rm -f "$RESULTS/crossover-g1-tight.json" "$RESULTS/crossover-parallel.json" \
    "$RESULTS/allocator.json" "$RESULTS/zstd-floor.json"
fi

# Where the time goes at 400K rows: JFR, one short measured iteration per backend
rm -rf "$RESULTS/jfr.tmp"
# shellcheck disable=SC2086
taskset -c 0 java -jar "$JAR" EncoderCrossoverBenchmark -p dataset=logs -p rows=400000 \
  -f 1 -wi 1 -i 2 -w 2s -r 4s -jvmArgs "$G1" -prof "jfr:dir=$RESULTS/jfr.tmp" \
  >> "$RESULTS/jmh-console.log"
for backend in parquet-mr arrow; do
  jfr=$(find "$RESULTS/jfr.tmp" -path "*backend-$backend-*" -name '*.jfr' | head -1)
  java -cp "$JAR" dev.parquetingest.jmh.report.JfrTopFrames "$jfr" 20 \
    > "$RESULTS/jfr-top-frames-$backend-logs-400000.md"
done
rm -rf "$RESULTS/jfr.tmp"

load_after=$(uptime)
{
  echo "Measured $started to $(date -u +%Y-%m-%dT%H:%M:%SZ) by \`flock /tmp/mvn.lock jmh/run-tables.sh\`"
  echo "(JMH options \`$JMH_OPTS\`, profilers \`$PROFILERS\`, every fork under \`taskset -c 0\`)."
  echo
  echo "- machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/ {print $2}') GB RAM"
  echo "- JDK: $(java -version 2>&1 | head -1)"
  echo "- load before: \`$(echo "$load_before" | sed 's/^ *//')\`"
  echo "- load after: \`$(echo "$load_after" | sed 's/^ *//')\`"
} > "$RESULTS/machine.md"

java -cp "$JAR" dev.parquetingest.jmh.report.ResultTables "$RESULTS" "$DOC" > /dev/null
echo "Tables: $RESULTS/tables.md; chart: $RESULTS/crossover.svg; document: $DOC"
