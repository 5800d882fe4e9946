"""Plays a worker and a fetcher around a sink running alone: sends records to its `results` endpoint and
takes its acknowledgements on `acks`, as docs/protocol.md describes them, and reports what it saw as one
JSON object.

First one record alone, then COUNT records back to back. For every acknowledgement it notes which
message carried it and whether the record's line was already in out/ when it arrived.

Usage: group_commit.py SOCKET_DIR OUT_DIR COUNT
"""
import glob
import json
import os
import sys
import time

import zmq


def lines_in_out(out_dir: str) -> set[str]:
    ids = set()
    for path in glob.glob(os.path.join(out_dir, "*.jsonl")):
        with open(path, "rb") as file:
            for line in file:
                if line.endswith(b"\n"):
                    ids.add(json.loads(line)["id"])
    return ids


def send(results, seq: int) -> str:
    record_id = f"group-commit-{seq:04d}"
    header = {"id": record_id, "seq": seq, "worker": "probe"}
    record = {"id": record_id, "seq": seq, "title": f"Record {seq}"}
    results.send_multipart([b"newsflow/1", b"parsed", json.dumps(header).encode(),
                            json.dumps(record, separators=(",", ":")).encode()])
    return record_id


def collect(acks, out_dir: str, wanted: set[str], seconds: float) -> list[list[dict]]:
    """Acknowledgement messages until every id of `wanted` was acknowledged; each ack with `in_out`."""
    messages = []
    seen = set()
    deadline = time.monotonic() + seconds
    while not wanted <= seen and time.monotonic() < deadline:
        if not acks.poll(100):
            continue
        frames = acks.recv_multipart()
        assert frames[0] == b"newsflow/1" and frames[1] == b"ack", frames[:2]
        present = lines_in_out(out_dir)
        batch = json.loads(frames[2])["acks"]
        for ack in batch:
            ack["in_out"] = ack["id"] in present
            seen.add(ack["id"])
        messages.append(batch)
    return messages


def main() -> int:
    socket_dir, out_dir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    context = zmq.Context()
    acks = context.socket(zmq.PULL)
    acks.bind(f"ipc://{socket_dir}/acks.sock")
    results = context.socket(zmq.PUSH)
    results.setsockopt(zmq.LINGER, 1000)
    results.connect(f"ipc://{socket_dir}/results.sock")
    # The sink sends acknowledgements only to a connected fetcher: give it time to connect.
    time.sleep(0.5)
    alone = collect(acks, out_dir, {send(results, 1)}, 20)
    burst_ids = {send(results, seq) for seq in range(2, 2 + count)}
    burst = collect(acks, out_dir, burst_ids, 20)
    print(json.dumps({"alone": alone, "burst": burst}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
