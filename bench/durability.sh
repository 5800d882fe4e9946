#!/usr/bin/env bash
# The cost of durability: the whole pipeline (newsflow run --exit-when-drained, 2 workers, release build)
# over the same N generated articles under each sync policy, alternating, R rounds; prints medians.
# Usage: bench/durability.sh [N] [R]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-20000}
R=${2:-3}
BIN=.build/release/newsflow
[ -x "$BIN" ] || swift build -c release >/dev/null
WORK=$(mktemp -d /tmp/nf-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
python3 - "$WORK/articles" "$N" <<'PY'
import os, sys
folder, count = sys.argv[1], int(sys.argv[2])
os.makedirs(folder)
for i in range(count):
    day = i % 28 + 1
    text = (f" date 2024-03-{day:02d} Generated story number {i}\n\nNairobi, Kenya, March {day}\n\n"
            + f"Officials in Nairobi said on Tuesday that project {i} would start next month, the ministry said.\n\n" * 8)
    with open(os.path.join(folder, f"b-{i:06d}.txt"), "w") as f:
        f.write(text)
PY
BYTES=$(du -sb "$WORK/articles" | cut -f1)
declare -A RESULTS
policies=("default:journal interval 50 ms + sink fsync per batch:"
          "always:journal fsync before dispatch + sink fsync per batch:NEWSFLOW_JOURNAL_FSYNC=always"
          "none:no fsync anywhere (kill -9 safe only):NEWSFLOW_JOURNAL_FSYNC=never NEWSFLOW_SINK_FSYNC=false")
for round in $(seq 1 "$R"); do
  for entry in "${policies[@]}"; do
    IFS=: read -r name label envs <<<"$entry"
    DATA="$WORK/data-$name-$round"
    mkdir -p "$DATA/inbox"
    cp "$WORK"/articles/* "$DATA/inbox/"
    start=$(date +%s.%N)
    env $envs "$BIN" run --data-dir "$DATA" --parsers 2 --exit-when-drained --log-level error >/dev/null 2>&1
    end=$(date +%s.%N)
    lines=$(cat "$DATA"/out/*.jsonl | wc -l)
    [ "$lines" -eq "$N" ] || { echo "policy $name: $lines records, expected $N" >&2; exit 1; }
    rate=$(python3 -c "print(f'{$N/($end-$start):.0f}')")
    RESULTS[$name]="${RESULTS[$name]:-} $rate"
    rm -rf "$DATA"
  done
done
echo "pipeline, $N articles ($((BYTES / N)) bytes each), 2 workers, $R rounds alternating; articles/s (median, runs)"
for entry in "${policies[@]}"; do
  IFS=: read -r name label envs <<<"$entry"
  python3 -c "import statistics,sys; v=[int(x) for x in sys.argv[2].split()]; print(f'  {sys.argv[1]:8} {statistics.median(v):8.0f}   {v}   {sys.argv[3]}')" "$name" "${RESULTS[$name]}" "$label"
done
