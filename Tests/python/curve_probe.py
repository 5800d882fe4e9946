"""Probe a newsflow pipeline that has CURVE on, with pyzmq, as an outside client.

Usage: curve_probe.py MODE INGEST DISPATCH SERVER_PUB [CLIENT_KEY CLIENT_PUB] MARKER COUNT
  MODE plain    : no security at all
  MODE unknown  : CURVE with a fresh key pair the pipeline does not know
  MODE allowed  : CURVE with the key pair in CLIENT_KEY / CLIENT_PUB (Z85 files)
Each mode PUSHes COUNT articles carrying MARKER to the ingest endpoint, and (plain, unknown) also connects to
the dispatch endpoint as a would-be worker (DEALER, `ready` with credit) and counts the raw articles it is
given within 3 seconds. Prints one JSON object: {"mode": ..., "sent": N, "raw_received": K}.
Frames follow docs/protocol.md: ["newsflow/1", kind, header JSON, payload].
"""
import json
import sys
import time

import zmq


def read_key(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read().strip()


def secure(socket, server_pub: bytes, public: bytes, secret: bytes) -> None:
    socket.curve_serverkey = server_pub
    socket.curve_publickey = public
    socket.curve_secretkey = secret


def main() -> int:
    mode, ingest, dispatch, server_pub_file = sys.argv[1:5]
    rest = sys.argv[5:]
    if mode == "allowed":
        client_key, client_pub, marker, count = rest
        public, secret = read_key(client_pub), read_key(client_key)
    else:
        marker, count = rest
        public, secret = zmq.curve_keypair()
    count = int(count)
    server_pub = read_key(server_pub_file)
    context = zmq.Context()

    push = context.socket(zmq.PUSH)
    push.setsockopt(zmq.LINGER, 2000)
    if mode != "plain":
        secure(push, server_pub, public, secret)
    push.connect(ingest)
    sent = 0
    for index in range(count):
        header = {"source": {"kind": "zmq", "uri": "curve-probe"}, "name": f"{mode}-{index}.txt"}
        body = (f"{marker} story {index}\n\nThe text of {marker} number {index} must only travel encrypted. "
                f"Officials said on Monday that item {index} would be discussed.").encode("utf-8")
        try:
            push.send_multipart([b"newsflow/1", b"inject", json.dumps(header).encode(), body], flags=zmq.NOBLOCK)
            sent += 1
        except zmq.Again:
            pass  # no connection was let in: nothing can be queued
        time.sleep(0.005)

    received = 0
    if mode != "allowed":
        dealer = context.socket(zmq.DEALER)
        dealer.setsockopt(zmq.LINGER, 0)
        dealer.setsockopt(zmq.ROUTING_ID, f"probe-{mode}".encode())
        if mode != "plain":
            secure(dealer, server_pub, public, secret)
        dealer.connect(dispatch)
        ready = {"worker": f"probe-{mode}", "capacity": 100, "done": []}
        deadline = time.time() + 3
        next_ready = 0.0
        while time.time() < deadline:
            if time.time() >= next_ready:
                try:
                    dealer.send_multipart([b"newsflow/1", b"ready", json.dumps(ready).encode()], flags=zmq.NOBLOCK)
                except zmq.Again:
                    pass
                next_ready = time.time() + 0.5
            if dealer.poll(100):
                frames = dealer.recv_multipart()
                if len(frames) > 1 and frames[1] == b"raw":
                    received += 1
        dealer.close()
    time.sleep(0.5)
    push.close()
    context.term()
    print(json.dumps({"mode": mode, "sent": sent, "raw_received": received}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
