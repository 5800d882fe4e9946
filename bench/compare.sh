#!/usr/bin/env bash
# newsflow beside its limits and its peer, in one go, alternating, R rounds; prints medians and ratios and
# writes docs/img/throughput-vs-workers.png and docs/img/latency-vs-load.png.
#
#   newsflow pipeline  `newsflow bench pipeline`: submit to fsynced out/, default durability, W workers
#   transport          `newsflow bench transport`: libzmq PUSH/PULL between two processes, same message size
#   peer               bench/peer/spacy_pipeline.py: pyzmq + spaCy en_core_web_sm NER, same shape and fsync
#                      policy, same articles (`newsflow bench generate`), same number of workers
#   parse alone        `newsflow bench parse` on the same articles, one core
#
#   plumbing alone     `newsflow bench pipeline --parse none`: workers answer with a record that only names the
#                      article, so what is left is the fetcher, the sink and the transport
#
# Usage: bench/compare.sh [ROUNDS]     (default 3; about 8 minutes on 2 cores)
#   BASE_BIN=path/to/newsflow bench/compare.sh   also runs that build's 2-worker pipeline (--parse full and
#                      none) and parse alone in every round, alternating with this one, and prints the ratios
# Needs a release build (built if missing) and Python 3; the peer's venv (.venv-peer, spaCy + matplotlib)
# is created on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SIZE=2048
ARTICLES=20000          # per newsflow pipeline run
PEER_ARTICLES=1500      # per peer run (the peer is about two orders of magnitude slower)
WORKERS=(1 2 4)
PEER_WORKERS=(1 2)
RATES=(500 1000 2000 4000)
BIN=.build/release/newsflow
BASE_BIN=${BASE_BIN:-}
[ -x "$BIN" ] || swift build -c release --product newsflow >/dev/null
PEER_VENV=.venv-peer
if [ ! -f "$PEER_VENV/.installed" ]; then
  python3 -m venv "$PEER_VENV"
  "$PEER_VENV/bin/pip" install -q --disable-pip-version-check -r bench/peer/requirements.txt
  touch "$PEER_VENV/.installed"
fi
WORK=$(mktemp -d /tmp/nf-compare-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
"$BIN" bench generate "$WORK/articles" --articles "$PEER_ARTICLES" --size "$SIZE"
RESULTS="$WORK/results.jsonl"
record() { # system kind workers file
  python3 -c 'import json,sys; d=json.load(open(sys.argv[4])); d.update(system=sys.argv[1], kind=sys.argv[2], workers=int(sys.argv[3])); print(json.dumps(d))' \
    "$1" "$2" "$3" "$4" >> "$RESULTS"
}
started=$(date +%s)
for round in $(seq 1 "$ROUNDS"); do
  echo "round $round of $ROUNDS" >&2
  "$BIN" bench transport --size "$SIZE" --messages 300000 --json > "$WORK/t.json" && record transport transport 0 "$WORK/t.json"
  "$BIN" bench parse "$WORK/articles" --passes 3 --json > "$WORK/p.json" && record parse parse 1 "$WORK/p.json"
  for workers in "${WORKERS[@]}"; do
    "$BIN" bench pipeline --articles "$ARTICLES" --size "$SIZE" --workers "$workers" --json > "$WORK/n.json"
    record newsflow saturation "$workers" "$WORK/n.json"
  done
  "$BIN" bench pipeline --articles "$ARTICLES" --size "$SIZE" --workers 2 --transport tcp --json > "$WORK/n.json"
  record newsflow-tcp saturation 2 "$WORK/n.json"
  "$BIN" bench pipeline --articles $(( ARTICLES * 3 )) --size "$SIZE" --workers 2 --parse none --json > "$WORK/n.json"
  record newsflow plumbing 2 "$WORK/n.json"
  if [ -n "$BASE_BIN" ]; then
    "$BASE_BIN" bench parse "$WORK/articles" --passes 3 --json > "$WORK/p.json" && record base parse 1 "$WORK/p.json"
    "$BASE_BIN" bench pipeline --articles "$ARTICLES" --size "$SIZE" --workers 2 --json > "$WORK/n.json"
    record base saturation 2 "$WORK/n.json"
    "$BASE_BIN" bench pipeline --articles $(( ARTICLES * 3 )) --size "$SIZE" --workers 2 --parse none --json > "$WORK/n.json"
    record base plumbing 2 "$WORK/n.json"
  fi
  for rate in "${RATES[@]}"; do
    count=$(( rate * 5 ))
    "$BIN" bench pipeline --articles "$count" --size "$SIZE" --workers 2 --rate "$rate" --json > "$WORK/n.json"
    record newsflow rate 2 "$WORK/n.json"
  done
  for workers in "${PEER_WORKERS[@]}"; do
    rm -rf "$WORK/peer-out"
    "$PEER_VENV/bin/python" bench/peer/spacy_pipeline.py --articles "$WORK/articles" --workers "$workers" \
      --out "$WORK/peer-out" --json "$WORK/s.json" >/dev/null
    record peer saturation "$workers" "$WORK/s.json"
  done
done
elapsed=$(( $(date +%s) - started ))
mkdir -p docs/img
python3 - "$RESULTS" "$WORK/plot.json" "$elapsed" "$ROUNDS" <<'PY'
import json, statistics, sys, platform, os
rows = [json.loads(line) for line in open(sys.argv[1])]
def med(system, kind, workers=None, key="articles_per_second", rate=None):
    values = [r[key] if not isinstance(key, tuple) else r[key[0]][key[1]] for r in rows
              if r["system"] == system and r["kind"] == kind and (workers is None or r["workers"] == workers)
              and (rate is None or r.get("offered_rate") == rate)]
    return statistics.median(values) if values else float("nan")
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print(f"newsflow compare: {sys.argv[4]} rounds alternating, {sys.argv[3]} s; {os.cpu_count()} cores ({cpu}), "
      f"{platform.system()} {platform.release()}; 2,048-byte generated articles; medians")
transport = med("transport", "transport")
parse = med("parse", "parse")
print(f"  transport limit (libzmq PUSH/PULL, 2 processes)  {transport:10.0f} messages/s")
print(f"  parse + enrich alone, one core                   {parse:10.0f} articles/s")
for w in (1, 2, 4):
    n = med("newsflow", "saturation", w)
    p99 = med("newsflow", "saturation", w, ("latency_ms", "p99"))
    print(f"  newsflow pipeline, {w} worker(s), ipc              {n:10.0f} articles/s   ({n / transport:.1%} of transport, {n / parse:.0%} of parse alone on one core)")
tcp = med("newsflow-tcp", "saturation", 2)
print(f"  newsflow pipeline, 2 workers, tcp                {tcp:10.0f} articles/s")
two = med("newsflow", "saturation", 2)
print(f"  pipeline, 2 workers, / (2 x parse alone)         {two / (2 * parse):10.0%}")
plumbing = med("newsflow", "plumbing", 2)
cpu = {k: med("newsflow", "plumbing", 2, ("cpu_us_per_article", k)) for k in ("fetcher", "parser-1", "parser-2", "sink")}
print(f"  plumbing alone (--parse none), 2 workers         {plumbing:10.0f} articles/s   CPU/article: "
      + ", ".join(f"{k} {v:.0f} µs" for k, v in cpu.items()))
if any(r["system"] == "base" for r in rows):
    base_parse, base_two, base_plumbing = med("base", "parse"), med("base", "saturation", 2), med("base", "plumbing", 2)
    print("  beside the base build (BASE_BIN), same rounds:")
    print(f"    parse alone                  {base_parse:8.0f} -> {parse:8.0f} articles/s   x{parse / base_parse:.2f}")
    print(f"    pipeline, 2 workers          {base_two:8.0f} -> {two:8.0f} articles/s   x{two / base_two:.2f}"
          f"   ({base_two / (2 * base_parse):.0%} -> {two / (2 * parse):.0%} of 2 x parse alone)")
    print(f"    plumbing alone, 2 workers    {base_plumbing:8.0f} -> {plumbing:8.0f} articles/s   x{plumbing / base_plumbing:.2f}")
for w in (1, 2):
    s = med("peer", "saturation", w)
    n = med("newsflow", "saturation", w)
    print(f"  peer (pyzmq + spaCy NER), {w} worker(s)            {s:10.1f} articles/s   newsflow/peer x{n / s:.0f}")
print("  latency at offered load, 2 workers (submit to fsynced line):")
for rate in (500, 1000, 2000, 4000):
    p50 = med("newsflow", "rate", 2, ("latency_ms", "p50"), rate)
    p99 = med("newsflow", "rate", 2, ("latency_ms", "p99"), rate)
    p999 = med("newsflow", "rate", 2, ("latency_ms", "p999"), rate)
    got = med("newsflow", "rate", 2, "articles_per_second", rate)
    print(f"    {rate:5d}/s offered ({got:6.0f}/s done): p50 {p50:6.1f} ms, p99 {p99:6.1f} ms, p999 {p999:6.1f} ms")
mem = {}
for r in rows:
    if r["system"] == "newsflow" and r["kind"] == "saturation":
        for role, mb in r.get("peak_memory_mb", {}).items():
            key = "parser" if role.startswith("parser") else role
            mem[key] = max(mem.get(key, 0), mb)
print("  peak memory (largest over runs): " + ", ".join(f"{k} {v:.0f} MB" for k, v in sorted(mem.items())))
plot = {"scaling": [{"system": r["system"], "workers": r["workers"], "articles_per_second": r["articles_per_second"]}
                    for r in rows if r["kind"] == "saturation" and r["system"] in ("newsflow", "peer")],
        "latency": [{"system": "newsflow", "offered_rate": r["offered_rate"], "p50_ms": r["latency_ms"]["p50"],
                     "p99_ms": r["latency_ms"]["p99"], "p999_ms": r["latency_ms"]["p999"]}
                    for r in rows if r["kind"] == "rate"]}
json.dump(plot, open(sys.argv[2], "w"))
PY
"$PEER_VENV/bin/python" bench/plot.py "$WORK/plot.json" --out docs/img >/dev/null
echo "plots: docs/img/throughput-vs-workers.png, docs/img/latency-vs-load.png"
