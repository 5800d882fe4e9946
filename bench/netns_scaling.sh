#!/usr/bin/env bash
# Scaling across hosts, shown rather than assumed (issue 19): the fetcher, the sink, each parser worker
# and the producer run in Linux network namespaces of their own, with their own addresses on one private
# subnet joined by a bridge (the same setup as Tests/scripts/multihost.sh), and talk over tcp only. For 1,
# 2 and 4 workers in turn, a pyzmq producer written from docs/protocol.md (Tests/python/submit.py)
# submits ARTICLES articles; the time is from its first submission to the last record in the sink's
# out/. On a machine of few cores the namespaces share the same processors: what this shows is that
# adding workers on other "hosts" does not make the pipeline slower, and where the ceiling is.
#
# Usage (as root):  bench/netns_scaling.sh /path/to/newsflow [ARTICLES] [WORKERS...]
#   defaults: 20000 articles; workers 1 2 4. Needs iproute2 and the venv's python (make venv).
# Prints one line per worker count; exit 0 when every run delivered every article.
set -uo pipefail

BIN=${1:?usage: $0 /path/to/newsflow [ARTICLES] [WORKERS...]}
ARTICLES=${2:-20000}
shift $(( $# >= 2 ? 2 : $# ))
COUNTS=("$@")
[ ${#COUNTS[@]} -gt 0 ] || COUNTS=(1 2 4)
REPO=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${NEWSFLOW_PYTHON:-$REPO/.venv/bin/python}
[ -x "$BIN" ] || { echo "netns_scaling: $BIN is not an executable" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "netns_scaling: needs root (ip netns)" >&2; exit 2; }
command -v ip >/dev/null || { echo "netns_scaling: iproute2 (ip) is not installed" >&2; exit 2; }
"$PYTHON" -c "import zmq" 2>/dev/null || { echo "netns_scaling: $PYTHON cannot import zmq (make venv)" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")

PREFIX="nfsc-$$"
NET="10.232.$(( $$ % 200 + 20 ))"
WORK=$(mktemp -d /tmp/nf-scaling-XXXXXX)
NAMESPACES=()
PIDS=()

ns_up() {   # namespace address
    ip netns add "$1" && ip -n "$1" link set lo up || return 1
    local end="v${1##*-}"
    ip -n "$PREFIX-br" link add "$end" type veth peer name eth0 netns "$1" || return 1
    ip -n "$PREFIX-br" link set "$end" master br0 && ip -n "$PREFIX-br" link set "$end" up || return 1
    ip -n "$1" addr add "$2/24" dev eth0 && ip -n "$1" link set eth0 up || return 1
    NAMESPACES+=("$1")
}

teardown() {
    local pid ns
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done
    sleep 1
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    PIDS=()
    for ns in "${NAMESPACES[@]}"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
        ip netns del "$ns" 2>/dev/null
    done
    NAMESPACES=()
}
trap 'teardown; rm -rf "$WORK"' EXIT

config() {   # file data_dir instance
    cat >"$1" <<EOF
data_dir: "$2"
log:
  level: error
metrics:
  port: -1
endpoints:
  ingest: tcp://$NET.1:7101
  submit: tcp://$NET.1:7102
  dispatch: tcp://$NET.1:7103
  acks: tcp://$NET.1:7104
  results: tcp://$NET.2:7105
fetcher:
  instance: sc-fetcher
  inbox:
    enabled: false
parser:
  instance: $3
sink:
  instance: sc-sink
EOF
}

# Records in out/: lines of every .jsonl file.
records() { cat "$1"/out/*.jsonl 2>/dev/null | wc -l; }

# Waits until out/ holds $2 lines (reading only what each file gained since the last look, every 20 ms),
# or $3 seconds pass; prints the time it saw the last one.
WATCH='
import os, sys, time
folder, wanted, limit = sys.argv[1], int(sys.argv[2]), time.time() + float(sys.argv[3])
offsets, lines = {}, 0
while lines < wanted and time.time() < limit:
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if not name.endswith(".jsonl"):
            continue
        with open(os.path.join(folder, name), "rb") as f:
            f.seek(offsets.get(name, 0))
            chunk = f.read()
        offsets[name] = offsets.get(name, 0) + len(chunk)
        lines += chunk.count(b"\n")
    if lines < wanted:
        time.sleep(0.02)
print("%.3f" % time.time())
'

status=0
echo "netns scaling: $ARTICLES articles per run, tcp between namespaces, $(nproc) cores; $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null)"
for workers in "${COUNTS[@]}"; do
    rm -rf "${WORK:?}"/*
    ip netns add "$PREFIX-br" && ip -n "$PREFIX-br" link set lo up && ip -n "$PREFIX-br" link add br0 type bridge \
        && ip -n "$PREFIX-br" link set br0 up || { echo "netns_scaling: cannot create the bridge" >&2; exit 1; }
    NAMESPACES+=("$PREFIX-br")
    ns_up "$PREFIX-fetch" "$NET.1" && ns_up "$PREFIX-sink" "$NET.2" && ns_up "$PREFIX-prod" "$NET.3" \
        || { echo "netns_scaling: cannot create the namespaces" >&2; exit 1; }
    config "$WORK/fetcher.yaml" "$WORK/fetcher" sc-parser
    config "$WORK/sink.yaml" "$WORK/sink" sc-parser
    ip netns exec "$PREFIX-sink" "$BIN" sink --config "$WORK/sink.yaml" 2>>"$WORK/sink.log" &
    PIDS+=($!)
    ip netns exec "$PREFIX-fetch" "$BIN" fetcher --config "$WORK/fetcher.yaml" 2>>"$WORK/fetcher.log" &
    PIDS+=($!)
    for number in $(seq 1 "$workers"); do
        ns_up "$PREFIX-w$number" "$NET.$(( 10 + number ))" || { echo "netns_scaling: cannot create worker namespace" >&2; exit 1; }
        config "$WORK/worker-$number.yaml" "$WORK/worker-$number" "sc-parser-$number"
        ip netns exec "$PREFIX-w$number" "$BIN" parser --config "$WORK/worker-$number.yaml" 2>>"$WORK/worker-$number.log" &
        PIDS+=($!)
    done
    # Wait for every worker to be connected (the fetcher's status file says how many are).
    deadline=$(( $(date +%s) + 60 ))
    until [ "$("$PYTHON" -c "import glob,json,sys; print(json.load(open(glob.glob(sys.argv[1])[0])).get('workers', 0))" "$WORK/fetcher/run/status-*.json" 2>/dev/null || echo 0)" -ge "$workers" ]; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "netns_scaling: $workers workers did not connect in 60 s" >&2; tail -3 "$WORK"/*.log >&2; exit 1; }
        sleep 0.2
    done
    started=$("$PYTHON" -c "import time; print('%.3f' % time.time())")
    ip netns exec "$PREFIX-prod" "$PYTHON" "$REPO/Tests/python/submit.py" "tcp://$NET.1:7102" "$ARTICLES" "$workers" >"$WORK/producer.log" 2>&1 &
    producer=$!
    PIDS+=($producer)
    finished=$("$PYTHON" -c "$WATCH" "$WORK/sink/out" "$ARTICLES" 600)
    got=$(records "$WORK/sink")
    wait "$producer" 2>/dev/null
    seconds=$(awk -v a="$started" -v b="$finished" 'BEGIN { printf "%.2f", b - a }')
    rate=$(awk -v n="$got" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
    printf '  %d worker(s), each in its own namespace: %6s articles/s  (%d of %d records in %s s)\n' \
        "$workers" "$rate" "$got" "$ARTICLES" "$seconds"
    [ "$got" -eq "$ARTICLES" ] || { status=1; tail -3 "$WORK"/*.log >&2; }
    teardown
done
exit $status
