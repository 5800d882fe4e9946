"""Submits N articles on the submit endpoint and reports what the fetcher answered, with pyzmq.

An outside client written only from docs/protocol.md: a DEALER sends `inject` messages with a `ref`, and
reads `accepted` messages for up to 10 s. Prints one JSON object: how many refs were accepted, how many
refused, and the first refusal's reason.

Usage: submit_refused.py ENDPOINT N
"""
import json
import sys
import time

import zmq


def main() -> int:
    endpoint, count = sys.argv[1], int(sys.argv[2])
    context = zmq.Context()
    socket = context.socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(endpoint)
    for index in range(count):
        header = {"ref": f"r-{index}", "name": f"refused-{index}.txt"}
        body = f"Refused story {index}\n\nOSLO, May 3 - Item {index} was approved, officials said.\n".encode()
        socket.send_multipart([b"newsflow/1", b"inject", json.dumps(header).encode(), body])
    accepted, refused, reason = set(), set(), None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and len(accepted) + len(refused) < count:
        if not socket.poll(100):
            continue
        frames = socket.recv_multipart()
        if frames[:2] != [b"newsflow/1", b"accepted"]:
            continue
        header = json.loads(frames[2])
        accepted.update(entry["ref"] for entry in header.get("accepted", []))
        for entry in header.get("refused", []):
            refused.add(entry["ref"])
            reason = reason or entry["reason"]
    print(json.dumps({"accepted": len(accepted), "refused": len(refused), "reason": reason}))
    socket.close()
    context.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())
