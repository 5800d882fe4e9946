"""Submit N raw articles to a newsflow fetcher's `submit` endpoint with pyzmq, resending whatever is not
`accepted` in time, so nothing is lost even when the fetcher is killed meanwhile.

Written only from docs/protocol.md: a DEALER socket; each `inject` carries a `ref`; the fetcher answers
`accepted` with the refs it has journaled. At most WINDOW articles are unaccepted at once.

Usage: submit.py ENDPOINT N [SEED]
"""
import json
import sys
import time

import zmq

WINDOW = 500
RESEND_AFTER = 2.0
DEADLINE = 300.0


def article(seed: int, index: int) -> bytes:
    return (
        f"Submitted story {seed}-{index}\n\n"
        f"OSLO, Norway, May {index % 28 + 1} - Item {index} of batch {seed} was approved on Monday, "
        f"the council said.\n\nA vote is planned next week."
    ).encode("utf-8")


def main() -> int:
    endpoint, count = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    context = zmq.Context()
    socket = context.socket(zmq.DEALER)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(endpoint)
    pending: dict[str, float] = {}  # ref -> last send time
    accepted: set[str] = set()
    next_index, resends = 0, 0
    started = time.monotonic()

    def send(ref: str) -> None:
        index = int(ref)
        header = {"ref": ref, "name": f"sub-{seed}-{index}.txt", "source": {"kind": "zmq", "uri": "submit-test"}}
        socket.send_multipart([b"newsflow/1", b"inject", json.dumps(header).encode(), article(seed, index)])
        pending[ref] = time.monotonic()

    while len(accepted) < count:
        if time.monotonic() - started > DEADLINE:
            print(f"gave up: {len(accepted)} of {count} accepted", file=sys.stderr)
            return 1
        while next_index < count and len(pending) < WINDOW:
            send(str(next_index))
            next_index += 1
        if socket.poll(200, zmq.POLLIN):
            frames = socket.recv_multipart()
            if len(frames) == 3 and frames[0] == b"newsflow/1" and frames[1] == b"accepted":
                for entry in json.loads(frames[2])["accepted"]:
                    accepted.add(entry["ref"])
                    pending.pop(entry["ref"], None)
        now = time.monotonic()
        for ref, sent_at in list(pending.items()):
            if now - sent_at > RESEND_AFTER:
                send(ref)
                resends += 1
    socket.close()
    context.term()
    print(f"submitted {count}, all accepted, {resends} resent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
