"""A hostile peer: connects to every endpoint a newsflow pipeline binds and sends garbage — random
frames, wrong frame counts, unknown kinds, wrong versions, bad headers, a bogus record, an oversized
message and a flood — for a bounded time, only to the ipc endpoints it is given.

Usage: hostile.py RUN_DIR SECONDS
"""
import json
import os
import random
import sys
import time

import zmq


def junk(rng: random.Random) -> list[bytes]:
    choice = rng.randrange(8)
    if choice == 0:
        return [os.urandom(rng.randrange(1, 64)) for _ in range(rng.randrange(1, 6))]
    if choice == 1:
        return [b"newsflow/1"]
    if choice == 2:
        return [b"newsflow/1", b"teleport", b"{}"]
    if choice == 3:
        return [b"newsflow/9", b"raw", b"{}", b"x"]
    if choice == 4:
        return [b"newsflow/1", b"inject", b"{not json", b"body"]
    if choice == 5:
        header = {"id": "0123456789abcdef", "seq": 1, "worker": "evil"}
        return [b"newsflow/1", b"parsed", json.dumps(header).encode(), b"not a record\nsecond line"]
    if choice == 6:
        return [b"newsflow/1", b"ack", json.dumps({"acks": [{"seq": 99999999, "id": "x", "outcome": "written"}]}).encode()]
    return [b"newsflow/1", b"heartbeat", b'{"role": 1}']


def main() -> int:
    run_dir, seconds = sys.argv[1], float(sys.argv[2])
    rng = random.Random(7)
    context = zmq.Context()
    sockets = []
    for name, kind in [("ingest", zmq.PUSH), ("results", zmq.PUSH), ("acks", zmq.PUSH),
                       ("submit", zmq.DEALER), ("dispatch", zmq.DEALER)]:
        socket = context.socket(kind)
        socket.setsockopt(zmq.LINGER, 0)
        socket.setsockopt(zmq.SNDHWM, 1000)
        socket.connect(f"ipc://{run_dir}/{name}.sock")
        sockets.append(socket)
    # An oversized message on each: the receiver disconnects us and carries on.
    for socket in sockets:
        socket.send_multipart([b"newsflow/1", b"inject", b"{}", b"x" * (2 << 20)], flags=zmq.NOBLOCK)
    sent = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and sent < 200000:
        socket = rng.choice(sockets)
        try:
            socket.send_multipart(junk(rng), flags=zmq.NOBLOCK)
            sent += 1
        except zmq.Again:
            time.sleep(0.001)
    for socket in sockets:
        socket.close()
    context.term()
    print(f"sent {sent} hostile messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
