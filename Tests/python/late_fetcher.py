"""Plays a worker and a fetcher that binds its acknowledgement socket late, with pyzmq.

An outside client written only from docs/protocol.md. It PUSHes N `parsed` records to a running sink's
`results` endpoint while nothing listens on `acks`, waits DELAY seconds, then binds PULL on the acks
endpoint and collects `ack` messages for up to 5 s. It prints one JSON object: how many distinct
sequence numbers were acknowledged, and how long after binding the last one came.

Usage: late_fetcher.py RESULTS_ENDPOINT ACKS_ENDPOINT N DELAY
"""
import json
import sys
import time

import zmq


def main() -> int:
    results, acks_endpoint, count, delay = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    context = zmq.Context()
    push = context.socket(zmq.PUSH)
    push.setsockopt(zmq.LINGER, 10000)
    push.connect(results)
    for index in range(count):
        article_id = "%016x" % (0x5EED0000 + index)
        header = {"id": article_id, "seq": index + 1, "worker": "late-fetcher-test"}
        record = {"id": article_id, "title": "Record %d" % index}
        push.send_multipart([b"newsflow/1", b"parsed", json.dumps(header).encode(),
                             json.dumps(record, separators=(",", ":")).encode()])
    time.sleep(delay)
    pull = context.socket(zmq.PULL)
    pull.bind(acks_endpoint)
    bound = time.monotonic()
    acknowledged = {}
    last = None
    while time.monotonic() - bound < 5 and len(acknowledged) < count:
        if pull.poll(100):
            frames = pull.recv_multipart()
            if frames[:2] != [b"newsflow/1", b"ack"]:
                continue
            for ack in json.loads(frames[2])["acks"]:
                acknowledged[ack["seq"]] = ack["id"]
            last = time.monotonic() - bound
    ids_match = all(acknowledged[seq] == "%016x" % (0x5EED0000 + seq - 1) for seq in acknowledged)
    print(json.dumps({"acknowledged": len(acknowledged), "ids_match": ids_match, "seconds_after_bind": last}))
    push.close()
    pull.close(linger=0)
    context.term()
    return 0


if __name__ == "__main__":
    sys.exit(main())
