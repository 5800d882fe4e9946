#!/usr/bin/env bash
# Throughput against the number of parser workers: the whole pipeline (newsflow run --exit-when-drained,
# default durability, release build) over the same N generated articles of about 2 KB with 1, 2 and 4
# workers, alternating, R rounds; prints medians and the ratio to 1 worker.
# Usage: bench/scaling.sh [N] [R] [WORKERS...]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
R=${2:-3}
shift 2 || true
WORKERS=(${@:-1 2 4})
BIN=.build/release/newsflow
[ -x "$BIN" ] || swift build -c release >/dev/null
WORK=$(mktemp -d /tmp/nf-scale-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
python3 - "$WORK/articles" "$N" <<'PY'
import os, sys
folder, count = sys.argv[1], int(sys.argv[2])
os.makedirs(folder)
cities = [("Nairobi", "Kenya"), ("Oslo", "Norway"), ("Lima", "Peru"), ("Hanoi", "Vietnam"), ("Accra", "Ghana")]
for i in range(count):
    day = i % 28 + 1
    city, country = cities[i % len(cities)]
    paragraph = (f"Officials in {city} said on Tuesday that project {i} would start next month, the ministry said. "
                 f"Finance Minister Anna Berg told Reuters the plan covers {i % 97 + 3} districts.\n\n")
    text = f" date 2024-03-{day:02d} Generated story number {i}\n\n{city}, {country}, March {day}\n\n" + paragraph * 9
    with open(os.path.join(folder, f"s-{i:06d}.txt"), "w") as f:
        f.write(text)
PY
BYTES=$(du -sb "$WORK/articles" | cut -f1)
declare -A RESULTS
for round in $(seq 1 "$R"); do
  for workers in "${WORKERS[@]}"; do
    DATA="$WORK/data-$workers-$round"
    mkdir -p "$DATA/inbox"
    cp "$WORK"/articles/* "$DATA/inbox/"
    start=$(date +%s.%N)
    "$BIN" run --data-dir "$DATA" --parsers "$workers" --exit-when-drained --log-level error >/dev/null 2>&1
    end=$(date +%s.%N)
    lines=$(cat "$DATA"/out/*.jsonl | wc -l)
    [ "$lines" -eq "$N" ] || { echo "$workers workers: $lines records, expected $N" >&2; exit 1; }
    RESULTS[$workers]="${RESULTS[$workers]:-} $(python3 -c "print(f'{$N/($end-$start):.0f}')")"
    rm -rf "$DATA"
  done
done
echo "pipeline, $N articles ($((BYTES / N)) bytes each), drop folder to fsynced out/, $R rounds alternating, $(nproc) cores"
base=""
for workers in "${WORKERS[@]}"; do
  python3 -c "
import statistics, sys
values = [int(x) for x in sys.argv[2].split()]
median = statistics.median(values)
base = float(sys.argv[3]) if sys.argv[3] else median
print(f'  {sys.argv[1]} workers {median:8.0f} articles/s  {median * int(sys.argv[4]) / 1e6:6.1f} MB/s  x{median / base:.2f}   runs {values}')
" "$workers" "${RESULTS[$workers]}" "$base" "$((BYTES / N))"
  [ -n "$base" ] || base=$(python3 -c "import statistics,sys; print(statistics.median([int(x) for x in sys.argv[1].split()]))" "${RESULTS[$workers]}")
done
