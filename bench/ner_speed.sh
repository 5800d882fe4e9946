#!/usr/bin/env bash
# The entity model's cost, measured the way issue 16 asks: `newsflow bench parse` of two builds run
# alternately in one batch (the build before the model, and this one), medians and their ratio; then
# entity recognition alone, newsflow's tagger against spaCy's small model on CoNLL valid (bench/ner_spacy.py).
#
# Usage: bench/ner_speed.sh BASE_BIN [NEW_BIN] [ROUNDS]
#   BASE_BIN  a newsflow built from the commit before the model (git worktree add /tmp/base <commit>;
#             cd /tmp/base && swift build -c release --product newsflow)
#   NEW_BIN   default .build/release/newsflow; ROUNDS default 5 (each: one 3-pass run of each build)
set -euo pipefail
cd "$(dirname "$0")/.."
BASE=${1:?usage: bench/ner_speed.sh BASE_BIN [NEW_BIN] [ROUNDS]}
NEW=${2:-.build/release/newsflow}
ROUNDS=${3:-5}
WORK=$(mktemp -d /tmp/nf-nerspeed-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
for round in $(seq 1 "$ROUNDS"); do
  "$BASE" bench parse --passes 3 --json > "$WORK/base-$round.json"
  "$NEW" bench parse --passes 3 --json > "$WORK/new-$round.json"
  echo "round $round of $ROUNDS done" >&2
done
python3 - "$WORK" "$ROUNDS" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def load(kind):
    return [json.load(open("%s/%s-%d.json" % (work, kind, r))) for r in range(1, rounds + 1)]
base, new = load("base"), load("new")
b = statistics.median(d["mb_per_second"] for d in base)
n = statistics.median(d["mb_per_second"] for d in new)
print("bench parse, %d alternating rounds of 3 passes, medians:" % rounds)
print("  before the model  %6.2f MB/s  (%s)" % (b, ", ".join("%.2f" % d["mb_per_second"] for d in base)))
print("  with the model    %6.2f MB/s  (%s)" % (n, ", ".join("%.2f" % d["mb_per_second"] for d in new)))
print("  ratio             %6.2f" % (n / b))
PY
if [ -x .venv-peer/bin/python ]; then
  .venv-peer/bin/python bench/ner_spacy.py --bin "$NEW" | tail -4
else
  echo "spaCy comparison skipped: create .venv-peer (see bench/ner_spacy.py)"
fi
