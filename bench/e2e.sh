#!/usr/bin/env bash
# End-to-end benchmark: the parquet-ingest CLI against DuckDB (JDBC, threads=2) converting the
# same generated CSV to ZSTD Parquet, run alternately in the same session, N rounds each.
# Prints wall, CPU (user+sys, also per GB of CSV) and peak RSS medians and the ratios, with the
# commit, the date and the load average before and after, checks that both outputs hold the same
# rows, and writes bench/results/e2e-<dataset>.tsv.
#
#   bench/e2e.sh [rounds=5] [datasets="reviews logs"]
#
# Needs a built checkout (mvn -B package -DskipTests), /usr/bin/time and python3 (medians, and the
# chart bench/results/e2e.svg drawn by bench/chart.py).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-5}"
datasets="${2:-reviews logs}"
work="${BENCH_DIR:-/tmp/parquet-ingest-bench}"
mkdir -p "$work" bench/results

duckdb_jar="$(ls ~/.m2/repository/org/duckdb/duckdb_jdbc/*/duckdb_jdbc-*.jar | grep -v sources | tail -n 1)"
# (re)build when the jar is missing or older than any main source or pom: a stale jar would be
# measured under the current commit's name
jar=cli/target/parquet-ingest.jar
if [[ ! -f $jar ]] || [[ -n "$(find . -path ./bench -prune -o \( -path '*/src/main/*' -o -name pom.xml \) \
    -newer "$jar" -print -quit)" ]]; then
  mvn -B -q package -DskipTests
fi
# the launcher builds its class-data archive on the first run of a new jar (2-3 s): not timed
bin/parquet-ingest --version > /dev/null

rows_of() { case "$1" in reviews) echo 1500000 ;; logs) echo 400000 ;; esac; }

for d in $datasets; do
  csv="$work/$d.csv"
  [[ -f "$csv" ]] || bin/parquet-ingest generate "$d" --rows "$(rows_of "$d")" --seed 1 --out "$csv"
  out="bench/results/e2e-$d.tsv"
  gb="$(python3 -c "import os; print(os.path.getsize('$csv') / 1e9)")"
  load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
  printf 'tool\tround\twall_s\tcpu_s\tcpu_s_per_gb\tpeak_rss_kb\n' > "$out"
  for r in $(seq 1 "$rounds"); do
    rm -rf "$work/pi-out" "$work/duck.parquet"
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" bin/parquet-ingest csv "$csv" --out "$work/pi-out" > /dev/null
    read -r wall user sys rss < "$work/t"
    printf 'parquet-ingest\t%s\t%s\t%s\t%s\t%s\n' "$r" "$wall" "$(python3 -c "print(round($user+$sys,2))")" \
      "$(python3 -c "print(round(($user+$sys)/$gb,1))")" "$rss" >> "$out"
    /usr/bin/time -f "%e %U %S %M" -o "$work/t" java -cp "$duckdb_jar" bench/DuckDbCsvToParquet.java "$csv" "$work/duck.parquet" 2
    read -r wall user sys rss < "$work/t"
    printf 'duckdb\t%s\t%s\t%s\t%s\t%s\n' "$r" "$wall" "$(python3 -c "print(round($user+$sys,2))")" \
      "$(python3 -c "print(round(($user+$sys)/$gb,1))")" "$rss" >> "$out"
  done
  echo "== $d ($(du -h "$csv" | cut -f1) CSV, $(rows_of "$d") rows), $rounds rounds, $(nproc) cores," \
    "load $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after;" \
    "commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown), $(date -u '+%Y-%m-%d %H:%M UTC')"
  java -cp "$duckdb_jar" bench/SameRows.java "$work/pi-out/*.parquet" "$work/duck.parquet"
  python3 - "$out" "$csv" <<'PY'
import csv, os, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter='\t'))
gb = os.path.getsize(sys.argv[2]) / 1e9
med = {}
for tool in ('parquet-ingest', 'duckdb'):
    sel = [r for r in rows if r['tool'] == tool]
    med[tool] = {k: statistics.median(float(r[k]) for r in sel) for k in ('wall_s', 'cpu_s', 'peak_rss_kb')}
    rng = [float(r['wall_s']) for r in sel]
    m = med[tool]
    print(f"{tool:15s} wall {m['wall_s']:6.2f} s (min {min(rng):.2f}, max {max(rng):.2f})  cpu {m['cpu_s']:6.2f} s"
          f" ({m['cpu_s']/gb:.1f} s/GB)  peak RSS {m['peak_rss_kb']/1024:7.0f} MiB")
p, d = med['parquet-ingest'], med['duckdb']
print(f"ratio parquet-ingest/duckdb: wall {p['wall_s']/d['wall_s']:.2f}x, cpu {p['cpu_s']/d['cpu_s']:.2f}x,"
      f" peak RSS {p['peak_rss_kb']/d['peak_rss_kb']:.2f}x")
PY
done

python3 bench/chart.py
