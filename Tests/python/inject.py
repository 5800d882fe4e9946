"""Inject N raw articles into a running newsflow fetcher over its ingest endpoint, with pyzmq.

This is an outside client written only from docs/protocol.md: PUSH to the ingest endpoint, frames
["newsflow/1", "inject", header JSON, raw bytes].

Usage: inject.py ENDPOINT N
"""
import json
import sys

import zmq


def main() -> int:
    endpoint, count = sys.argv[1], int(sys.argv[2])
    context = zmq.Context()
    socket = context.socket(zmq.PUSH)
    socket.setsockopt(zmq.LINGER, 10000)
    socket.connect(endpoint)
    for index in range(count):
        header = {"source": {"kind": "zmq", "uri": "pyzmq-test"}, "name": f"py-{index}.txt"}
        body = (
            f"Injected story {index} from Python\n\n"
            f"GENEVA, June {index % 28 + 1} - Delegates from {index % 50 + 2} countries met on Monday "
            f"to discuss item {index}, officials said.\n\nTalks will resume next week."
        ).encode("utf-8")
        socket.send_multipart([b"newsflow/1", b"inject", json.dumps(header).encode(), body])
    socket.close()  # linger: waits until everything is handed to the fetcher
    context.term()
    print(f"injected {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
