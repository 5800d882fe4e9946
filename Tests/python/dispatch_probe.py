"""A parser worker written only from docs/protocol.md, to check how the fetcher dispatches to it.

It connects a DEALER to the fetcher's dispatch endpoint, announces its credit with `ready` (and a
`batch`, when given one above 0), takes every `raw` message it is sent, says each article is done, and
prints one JSON line: the number of articles in each message, and the articles taken.

Usage: dispatch_probe.py DISPATCH_ENDPOINT CAPACITY BATCH EXPECTED
"""
import json
import sys
import time

import zmq


def main() -> int:
    endpoint, capacity, batch, expected = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    context = zmq.Context()
    dealer = context.socket(zmq.DEALER)
    dealer.setsockopt(zmq.LINGER, 0)
    dealer.setsockopt(zmq.ROUTING_ID, f"probe/{batch}-{time.time_ns()}".encode())
    dealer.connect(endpoint)
    ready = {"worker": "probe", "capacity": capacity, "done": []}
    if batch > 0:
        ready["batch"] = batch
    sizes, seqs, bad = [], [], []
    deadline = time.time() + 30
    next_ready = 0.0
    while time.time() < deadline and len(seqs) < expected:
        if time.time() >= next_ready:
            dealer.send_multipart([b"newsflow/1", b"ready", json.dumps(ready).encode()])
            next_ready = time.time() + 0.3
        if not dealer.poll(100):
            continue
        frames = dealer.recv_multipart()
        if frames[0] != b"newsflow/1" or frames[1] != b"raw":
            continue
        pairs = frames[2:]
        if len(pairs) % 2 != 0:
            bad.append(len(frames))
            continue
        sizes.append(len(pairs) // 2)
        done = []
        for header, body in zip(pairs[0::2], pairs[1::2]):
            fields = json.loads(header)
            if not body.startswith(b"Probe story") or not fields.get("id"):
                bad.append(fields.get("seq"))
            seqs.append(fields["seq"])
            done.append(fields["seq"])
        dealer.send_multipart([b"newsflow/1", b"ready", json.dumps(dict(ready, done=done)).encode()])
    dealer.close()
    context.term()
    print(json.dumps({"messages": sizes, "articles": len(seqs), "distinct": len(set(seqs)), "bad": bad}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
