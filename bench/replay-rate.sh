#!/usr/bin/env bash
# Replay pacing: ingests N articles, then replays the journal with --rate R and reports how long it took
# (expected about N/R seconds) against an unpaced replay. Usage: bench/replay-rate.sh [N] [R]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
R=${2:-200}
BIN=.build/release/newsflow
[ -x "$BIN" ] || swift build -c release >/dev/null
WORK=$(mktemp -d /tmp/nf-replay-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/live/inbox"
python3 - "$WORK/live/inbox" "$N" <<'PY'
import os, sys
for i in range(int(sys.argv[2])):
    with open(os.path.join(sys.argv[1], f"r-{i:06d}.txt"), "w") as f:
        f.write(f"Replay story {i}\n\nLIMA, Peru (AP) — Item {i} was approved on Monday, officials said.\n")
PY
"$BIN" run --data-dir "$WORK/live" --exit-when-drained --log-level error
for mode in paced unpaced; do
  extra=(); [ "$mode" = paced ] && extra=(--rate "$R")
  start=$(date +%s.%N)
  "$BIN" replay "$WORK/live/journal" --to "$WORK/$mode" "${extra[@]}" --log-level error 2>/dev/null
  end=$(date +%s.%N)
  lines=$(cat "$WORK/$mode"/out/*.jsonl | wc -l)
  python3 -c "print(f'$mode: {$lines} articles in {$end-$start:.2f} s' + (f' (expected about {$N/$R:.1f} s at --rate $R)' if '$mode' == 'paced' else ''))"
done
