#!/usr/bin/env python3
"""How cost grows with work: nothing should grow worse than linearly where linear is possible.

Usage: bench/growth.py [--bin PATH] [--json FILE] [--quick] [--runs R]

1. Article size: `newsflow bench generate` folders of about 10 MB each (10,000 articles of 1 KB, 1,000 of
   10 KB, 100 of 100 KB, 10 of 1 MB; KB = 1,000 bytes, MB = 10^6, as `bench parse` counts), then
   `newsflow bench parse DIR --passes 3 --json` under `/usr/bin/time -f %M`: MB/s, µs per KB, p50/p99 per
   article, peak RSS of the parse run.
2. Journal recovery: data folders whose journal/ holds N articles of about 500 bytes (10^4, 10^5, 10^6),
   written byte for byte as the fetcher writes them (content ids, CRC-32 per line, 64 MiB segments,
   acked.log, state/fetcher.seq), all acknowledged but the last 1,000. Time from starting `newsflow
   fetcher` to its "fetcher started" log line (recovery happens before it), VmHWM at that moment.
3. Sink start: data folders whose out/ holds N records of about 840 bytes (10^4, 10^5, 10^6) in part
   files rotated at `sink.rotate_bytes`; time from starting `newsflow sink` to "sink started", VmHWM at
   that moment.

Each table gives the raw figure, the cost per unit (per KB, per article, per id) and that cost per unit
relative to the smallest size: x1.0 everywhere is linear, x2.0 means each unit costs twice as much as at
the smallest size. For the journal and the sink the cost per unit is the marginal one, above the same
process started on an empty data folder (row "0"), so a fixed start-up cost does not pass for sublinear
growth. Times and memory are medians of --runs starts (default 5); the files are in the page cache (just
written), so this is the CPU and memory cost of starting, not the disk's.
--quick drops the largest size of each series (and makes the article folders 2 MB): a smoke run.
With --json FILE: {"article_size": [...], "journal": [...], "sink": [...]}.
Stdlib only. Temporary folders are under /tmp/nf-growth-* and removed on any exit.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MASK = (1 << 64) - 1
FNV_OFFSET = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
SEGMENT_BYTES = 64 << 20          # journal.segment_bytes
SEQ_BLOCK = 10_000                # SequenceAllocator's block
ROTATE_BYTES = 128 << 20          # sink.rotate_bytes
UNACKED = 1000
FETCHED_AT = "2026-01-01T00:00:00.000Z"
CONFIG = """metrics: {port: -1}
log: {format: json, level: info}
fetcher: {inbox: {enabled: false}, drain_timeout_ms: 0}
"""

children: list[subprocess.Popen] = []


class Failure(Exception):
    pass


# ---------------------------------------------------------------- ids (ArticleID: FNV-1a 64 + fmix64)

def fnv(data: bytes, state: int = FNV_OFFSET) -> int:
    for byte in data:
        state = ((state ^ byte) * FNV_PRIME) & MASK
    return state


def fmix(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & MASK
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & MASK
    h ^= h >> 33
    return h


# ---------------------------------------------------------------- journal folder

JOURNAL_BODY_PREFIX = (
    " date 2024-03-14 Generated story for the journal benchmark\n\nNairobi, Kenya, March 14\n\n"
    "Officials in Nairobi said on Tuesday that the project would start next month, the ministry said. "
    "Finance Minister Anna Berg told Reuters the plan covers 42 districts and \"will be paid for\" by the "
    "regional budget.\n\nThe committee is scheduled to meet again in late November, when the first "
    "contracts are expected to be signed, economists said. Lenders are unlikely to move rates before then."
    "\n\nReference "
)


def write_journal(data: str, count: int) -> dict:
    """A data folder whose journal holds `count` articles, all acknowledged but the last UNACKED, exactly
    as the fetcher writes them (checked byte for byte against a real journal line)."""
    journal = os.path.join(data, "journal")
    os.makedirs(journal)
    os.makedirs(os.path.join(data, "state"))
    uri_prefix = os.path.join(data, "inbox", "j-")
    # Every body is PREFIX + 7 digits + ".\n": the line, its CRC and its id are continued from cached states.
    head = '{"body":"' + json.dumps(JOURNAL_BODY_PREFIX, ensure_ascii=False)[1:-1]
    head_bytes = head.encode()
    head_crc = zlib.crc32(head_bytes)
    prefix_state = fnv(JOURNAL_BODY_PREFIX.encode())
    four = [fnv(f"{k:04d}".encode(), prefix_state) for k in range(10_000)]     # after the first 4 digits

    def content_id(i: int) -> str:
        high, low = divmod(i, 1000)
        state = four[high]
        for byte in f"{low:03d}.\n".encode():
            state = ((state ^ byte) * FNV_PRIME) & MASK
        return "%016x" % fmix(state)

    segments = 0
    written = 0
    segment_bytes = 0
    handle = None
    batch: list[bytes] = []
    batch_bytes = 0

    def flush():
        nonlocal batch, batch_bytes
        if batch:
            handle.write(b"".join(batch))
            batch, batch_bytes = [], 0

    for seq in range(1, count + 1):
        if handle is None or segment_bytes >= SEGMENT_BYTES:
            if handle is not None:
                flush()
                handle.close()
            handle = open(os.path.join(journal, f"segment-{seq:020d}.jsonl"), "wb", buffering=0)
            segments += 1
            segment_bytes = 0
        index = seq - 1
        name = f"j-{index:07d}.txt"
        rest = (f'{index:07d}.\\n","fetched_at":"{FETCHED_AT}","id":"{content_id(index)}","name":"{name}",'
                f'"seq":{seq},"source":{{"kind":"dir","uri":"{uri_prefix}{index:07d}.txt"}}').encode()
        line = head_bytes + rest + b',"crc32":"%08x"}\n' % zlib.crc32(rest, head_crc)
        batch.append(line)
        batch_bytes += len(line)
        segment_bytes += len(line)
        written += len(line)
        if batch_bytes >= 8 << 20:
            flush()
    flush()
    handle.close()
    acked = max(0, count - UNACKED)
    with open(os.path.join(journal, "acked.log"), "w") as f:
        f.write("".join(f"{seq}\n" for seq in range(1, acked + 1)))
    with open(os.path.join(data, "state", "fetcher.seq"), "w") as f:
        f.write(f"{-(-count // SEQ_BLOCK) * SEQ_BLOCK}\n")
    return {"bytes": written, "segments": segments, "body_bytes": len(JOURNAL_BODY_PREFIX.encode()) + 9,
            "unacknowledged": count - acked}


def check_journal_line_format(data: str) -> None:
    """The first generated line must decode as the fetcher's own would: re-derive its id and CRC."""
    journal = os.path.join(data, "journal")
    first = sorted(n for n in os.listdir(journal) if n.startswith("segment-"))[0]
    with open(os.path.join(journal, first), "rb") as f:
        line = f.readline().rstrip(b"\n")
    content, tail = line[:-20], line[-20:]
    record = json.loads(content + b"}")
    assert tail == b',"crc32":"%08x"}' % zlib.crc32(content), "crc32"
    assert record["id"] == "%016x" % fmix(fnv(record["body"].encode())), "content id"
    assert json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode() == content + b"}"


# ---------------------------------------------------------------- out/ folder

def write_out(data: str, count: int) -> dict:
    """A data folder whose out/ holds `count` records as the sink writes them (sorted keys, one per line;
    a realistic minimal record, about 1,100 bytes: what a one-paragraph article becomes, each with a sketch
    of its own for the near-duplicate index), in part files rotated at sink.rotate_bytes."""
    sketches = random.Random(count)
    out = os.path.join(data, "out")
    os.makedirs(out)
    body = "Officials in Nairobi said on Tuesday that the project would start next month, the ministry said."
    before = ('{"body":' + json.dumps(body) + ',"countries":["KE"],"entities":{"locations":[{"country":"KE",'
              '"mentions":1,"name":"Nairobi"}],"organizations":[],"persons":[]},"fetched_at":"' + FETCHED_AT
              + '","id":"')
    after_id = ('","keywords":["Nairobi","project","ministry","districts"],"language":"en","minhash":"1:')
    after_sketch = ('","paragraphs":[' + json.dumps(body) + '],"parser":{"elapsed_us":180,"version":"0.2.0","worker":"parser-1"},'
                '"quotes":[],"seq":')
    tail = (',"simhash":"e419b0d1024d2e94","source":{"kind":"dir","uri":"/srv/news/inbox/a.txt"},"stats":'
            '{"paragraphs":1,"reading_time_s":10,"sentences":2,"words":30},"summary":"Officials in Nairobi said '
            'on Tuesday that the project would start next month.","title":"Generated story"}\n')
    files = 0
    written = 0
    file_bytes = 0
    handle = None
    batch: list[str] = []
    batch_bytes = 0
    for i in range(count):
        if handle is None or file_bytes >= ROTATE_BYTES:
            if handle is not None:
                handle.write("".join(batch))
                batch, batch_bytes = [], 0
                handle.close()
            files += 1
            handle = open(os.path.join(out, f"part-20260101T{files:02d}0000Z-sink-4242-{files:06d}.jsonl"), "w")
            file_bytes = 0
        line = f"{before}{fmix(i + 1):016x}{after_id}{sketches.randbytes(128).hex()}{after_sketch}{i + 1}{tail}"
        batch.append(line)
        batch_bytes += len(line)      # ASCII: characters are bytes
        file_bytes += len(line)
        written += len(line)
        if batch_bytes >= 8 << 20:
            handle.write("".join(batch))
            batch, batch_bytes = [], 0
    if handle is not None:
        handle.write("".join(batch))
        handle.close()
    return {"bytes": written, "files": files}


# ---------------------------------------------------------------- processes

def vmhwm_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def start_until_ready(command: list[str], message: str, timeout: float = 300) -> dict:
    """Starts `command`, waits for the JSON log line whose message is `message`; returns the seconds from
    start to that line, the process's VmHWM then, and every log line; then SIGTERMs it and waits."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    children.append(process)
    watchdog = threading.Timer(timeout, process.kill)
    watchdog.start()
    logs: list[dict] = []
    before_ready: list[dict] = []
    seconds = peak = None
    try:
        for raw in process.stderr:
            try:
                entry = json.loads(raw)
            except ValueError:
                logs.append({"message": raw.decode(errors="replace").rstrip()})
                continue
            logs.append(entry)
            if entry.get("message") == message:
                seconds = time.perf_counter() - started
                peak = vmhwm_mb(process.pid)
                before_ready = list(logs)
                break
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        for raw in process.stderr:
            try:
                logs.append(json.loads(raw))
            except ValueError:
                logs.append({"message": raw.decode(errors="replace").rstrip()})
        code = process.wait(timeout=60)
    finally:
        watchdog.cancel()
        if process.poll() is None:
            process.kill()
            process.wait()
        children.remove(process)
    if seconds is None:
        tail = "\n".join(json.dumps(e) for e in logs[-5:])
        raise Failure(f"{' '.join(command)}: no {message!r} line (exit {process.returncode})\n{tail}")
    # After SIGTERM the fetcher rightly warns that it leaves the recovered articles unacknowledged.
    problems = [e for e in before_ready if e.get("level") in ("warning", "error", "critical")]
    return {"seconds": seconds, "peak_mb": peak, "exit": code, "logs": logs, "problems": problems}


def peak_rss_run(command: list[str]) -> tuple[str, float]:
    """Runs `command` to its end; returns its stdout and its peak RSS in MB (GNU time's %M, else wait4)."""
    if os.access("/usr/bin/time", os.X_OK):
        with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
            result = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report.name] + command,
                                    capture_output=True, text=True)
            if result.returncode != 0:
                raise Failure(f"{' '.join(command)}: exit {result.returncode}: {result.stderr.strip()[-500:]}")
            return result.stdout, int(report.read().strip().splitlines()[-1]) / 1024
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    children.append(process)
    reader = threading.Thread(target=lambda: setattr(process, "_err", process.stderr.read()))
    reader.start()
    stdout = process.stdout.read().decode()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    children.remove(process)
    if process.returncode != 0:
        raise Failure(f"{' '.join(command)}: exit {process.returncode}")
    return stdout, usage.ru_maxrss / 1024


# ---------------------------------------------------------------- the three series

def article_sizes(binary: str, work: str, quick: bool) -> list[dict]:
    sizes = [1_000, 10_000, 100_000] if quick else [1_000, 10_000, 100_000, 1_000_000]
    folder_bytes = 2_000_000 if quick else 10_000_000
    rows = []
    for size in sizes:
        folder = os.path.join(work, f"articles-{size}")
        count = folder_bytes // size
        subprocess.run([binary, "bench", "generate", folder, "--articles", str(count), "--size", str(size)],
                       check=True, stdout=subprocess.DEVNULL)
        stdout, peak = peak_rss_run([binary, "bench", "parse", folder, "--passes", "3", "--json"])
        report = json.loads(stdout.strip().splitlines()[-1])
        kb = size / 1000
        rows.append({
            "size_bytes": size, "articles": count, "mb_per_second": report["mb_per_second"],
            "articles_per_second": report["articles_per_second"],
            "us_per_kb": 1000 / report["mb_per_second"],
            "p50_us": report["p50_us"], "p99_us": report["p99_us"],
            "p50_us_per_kb": report["p50_us"] / kb, "p99_us_per_kb": report["p99_us"] / kb,
            "failures": report.get("failures", 0), "peak_rss_mb": peak,
        })
        shutil.rmtree(folder)
        print(f"  article size {size:>9,} B: {report['mb_per_second']:.1f} MB/s, {peak:.0f} MB", file=sys.stderr)
    base = rows[0]
    for row in rows:
        row["per_unit_vs_smallest"] = row["us_per_kb"] / base["us_per_kb"]
        row["p50_per_unit_vs_smallest"] = row["p50_us_per_kb"] / base["p50_us_per_kb"]
    return rows


def measure_starts(command: list[str], message: str, runs: int) -> dict:
    results = [start_until_ready(command, message) for _ in range(runs)]
    return {"seconds": statistics.median(r["seconds"] for r in results),
            "seconds_runs": [round(r["seconds"], 4) for r in results],
            "peak_mb": statistics.median(r["peak_mb"] for r in results),
            "exit": [r["exit"] for r in results], "first": results[0]}


def with_marginals(rows: list[dict], unit: str) -> list[dict]:
    """Adds the cost per unit above the empty folder (row 0) and its ratio to the smallest size's."""
    empty = rows[0]
    for row in rows[1:]:
        n = row[unit]
        row["us_per_unit_raw"] = row["seconds"] * 1e6 / n
        row["us_per_unit"] = (row["seconds"] - empty["seconds"]) * 1e6 / n
        row["bytes_per_unit"] = (row["peak_mb"] - empty["peak_mb"]) * 1048576 / n
    smallest = rows[1]
    for row in rows[1:]:
        row["time_per_unit_vs_smallest"] = row["us_per_unit"] / smallest["us_per_unit"]
        row["memory_per_unit_vs_smallest"] = (row["bytes_per_unit"] / smallest["bytes_per_unit"]
                                              if smallest["bytes_per_unit"] > 0 else None)
    return rows


def journal_recovery(binary: str, work: str, config: str, quick: bool, runs: int) -> list[dict]:
    counts = [0, 10_000, 100_000] if quick else [0, 10_000, 100_000, 1_000_000]
    rows = []
    for count in counts:
        data = os.path.join(work, f"journal-{count}")
        os.makedirs(data)
        built = time.perf_counter()
        shape = write_journal(data, count) if count else {"bytes": 0, "segments": 0, "unacknowledged": 0}
        built = time.perf_counter() - built
        if count:
            check_journal_line_format(data)
        if count == counts[1]:
            verify_journal(binary, data, count)
        result = measure_starts([binary, "fetcher", "--data-dir", data, "--config", config],
                                "fetcher started", runs)
        recovered = [e for e in result["first"]["logs"] if "journal.unacknowledged" in e]
        got = int(recovered[0]["journal.unacknowledged"]) if recovered else 0
        if got != shape["unacknowledged"]:
            raise Failure(f"journal of {count}: the fetcher recovered {got} unacknowledged articles, "
                          f"expected {shape['unacknowledged']}")
        if result["first"]["problems"]:
            raise Failure(f"journal of {count}: the fetcher warned: {result['first']['problems'][:3]}")
        rows.append({"articles": count, "journal_mb": shape["bytes"] / 1e6, "segments": shape["segments"],
                     "unacknowledged_recovered": got, "generate_seconds": built,
                     "seconds": result["seconds"], "seconds_runs": result["seconds_runs"],
                     "peak_mb": result["peak_mb"], "exit": result["exit"]})
        shutil.rmtree(data)
        print(f"  journal {count:>9,}: written in {built:.1f} s ({shape['bytes'] / 1e6:.0f} MB), "
              f"started in {result['seconds']:.3f} s, {result['peak_mb']:.0f} MB", file=sys.stderr)
    return with_marginals(rows, "articles")


def verify_journal(binary: str, data: str, count: int) -> None:
    """`newsflow verify` on the generated folder: its journal checks must all pass (out/ is empty here, so
    its complaints that acknowledged articles are not in out/ are expected and ignored)."""
    result = subprocess.run([binary, "verify", "--data-dir", data], capture_output=True, text=True)
    lines = result.stdout.splitlines()
    expected = f"journal: {count} articles in "
    summary = [l for l in lines if expected in l and f"{UNACKED} not yet acknowledged" in l]
    other = [l for l in lines if l.startswith("problem:") and "was acknowledged but is in neither" not in l
             and "more acknowledged articles missing" not in l]
    if not summary or other:
        raise Failure("newsflow verify disagrees with the generated journal:\n" + result.stdout[-2000:])


def sink_start(binary: str, work: str, config: str, quick: bool, runs: int) -> list[dict]:
    counts = [0, 10_000, 100_000] if quick else [0, 10_000, 100_000, 1_000_000]
    rows = []
    for count in counts:
        data = os.path.join(work, f"sink-{count}")
        os.makedirs(data)
        built = time.perf_counter()
        shape = write_out(data, count) if count else {"bytes": 0, "files": 0}
        built = time.perf_counter() - built
        result = measure_starts([binary, "sink", "--data-dir", data, "--config", config],
                                "sink started", runs)
        started = next(e for e in result["first"]["logs"] if e.get("message") == "sink started")
        known = int(started.get("sink.known_ids", -1))
        if known != count:
            raise Failure(f"out/ of {count} records: the sink knows {known} ids")
        if result["first"]["problems"]:
            raise Failure(f"out/ of {count}: the sink warned: {result['first']['problems'][:3]}")
        rows.append({"ids": count, "out_mb": shape["bytes"] / 1e6, "files": shape["files"],
                     "known_ids": known, "generate_seconds": built,
                     "seconds": result["seconds"], "seconds_runs": result["seconds_runs"],
                     "peak_mb": result["peak_mb"], "exit": result["exit"]})
        shutil.rmtree(data)
        print(f"  sink {count:>9,}: written in {built:.1f} s ({shape['bytes'] / 1e6:.0f} MB), "
              f"started in {result['seconds']:.3f} s, {result['peak_mb']:.0f} MB", file=sys.stderr)
    return with_marginals(rows, "ids")


# ---------------------------------------------------------------- tables

def ratio(value: float | None) -> str:
    return "-" if value is None else f"x{value:.2f}"


def print_tables(sizes: list[dict], journal: list[dict], sink: list[dict]) -> None:
    if sizes:
        print_sizes(sizes)
    for name, rows, unit, noun, ready in (
            ("2. Journal recovery", journal, "articles", "article", "fetcher started"),
            ("3. Sink start", sink, "ids", "id", "sink started")):
        if rows:
            print_starts(name, rows, unit, noun, ready)


def print_sizes(sizes: list[dict]) -> None:
    print("1. Article size: bench parse, one core, median of 3 passes over a folder of about "
          f"{sizes[0]['articles'] * sizes[0]['size_bytes'] / 1e6:.0f} MB")
    print("   per unit = µs per KB (1,000 bytes); 'vs smallest' = µs per KB / µs per KB at 1 KB (x1.00 = linear)")
    print(f"   {'size':>8} {'articles':>8} {'MB/s':>7} {'µs/KB':>7} {'vs smallest':>11}   "
          f"{'p50 µs':>8} {'p99 µs':>8} {'p50 µs/KB':>9} {'vs smallest':>11}   {'peak RSS MB':>11}")
    for r in sizes:
        label = f"{r['size_bytes'] // 1000} KB" if r["size_bytes"] < 1_000_000 else f"{r['size_bytes'] // 1_000_000} MB"
        print(f"   {label:>8} {r['articles']:>8,} {r['mb_per_second']:>7.1f} {r['us_per_kb']:>7.1f} "
              f"{ratio(r['per_unit_vs_smallest']):>11}   {r['p50_us']:>8.0f} {r['p99_us']:>8.0f} "
              f"{r['p50_us_per_kb']:>9.1f} {ratio(r['p50_per_unit_vs_smallest']):>11}   {r['peak_rss_mb']:>11.1f}")


def print_starts(name: str, rows: list[dict], unit: str, noun: str, ready: str) -> None:
    print()
    extra = "; all acknowledged but the last 1,000" if unit == "articles" else ""
    print(f"{name}: start to '{ready}', VmHWM then; N {noun}s of about "
          f"{'500-byte bodies' if unit == 'articles' else '1,100-byte records'}{extra}")
    print(f"   per unit = µs and bytes per {noun} above the empty folder (row 0); "
          "'vs smallest' = that / the same at 10,000 (x1.00 = linear)")
    print(f"   {'N':>9} {'MB on disk':>10} {'files':>5} {'start s':>8} {'µs/' + noun:>10} {'vs smallest':>11}   "
          f"{'peak MB':>8} {'B/' + noun:>9} {'vs smallest':>11}   runs (s)")
    for r in rows:
        disk = r.get("journal_mb", r.get("out_mb"))
        files = r.get("segments", r.get("files"))
        if r[unit] == 0:
            print(f"   {0:>9} {disk:>10.0f} {files:>5} {r['seconds']:>8.3f} {'':>10} {'':>11}   "
                  f"{r['peak_mb']:>8.1f} {'':>9} {'':>11}   {r['seconds_runs']}")
            continue
        print(f"   {r[unit]:>9,} {disk:>10.0f} {files:>5} {r['seconds']:>8.3f} {r['us_per_unit']:>10.2f} "
              f"{ratio(r['time_per_unit_vs_smallest']):>11}   {r['peak_mb']:>8.1f} {r['bytes_per_unit']:>9.0f} "
              f"{ratio(r['memory_per_unit_vs_smallest']):>11}   {r['seconds_runs']}")


# ---------------------------------------------------------------- main

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "newsflow"))
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument("--quick", action="store_true", help="drop the largest size of each series (smoke run)")
    parser.add_argument("--runs", type=int, default=5, help="starts per size; the median is reported (default 5)")
    parser.add_argument("--only", choices=["sizes", "journal", "sink"], help="measure one series alone")
    args = parser.parse_args()
    binary = os.path.abspath(args.bin)
    for _ in range(30):       # another engineer may be relinking it
        if os.access(binary, os.X_OK):
            break
        time.sleep(2)
    else:
        print(f"no newsflow binary at {binary}", file=sys.stderr)
        return 2

    work = tempfile.mkdtemp(prefix="nf-growth-", dir="/tmp")

    def on_signal(number, _frame):
        raise SystemExit(128 + number)

    for number in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, on_signal)
    try:
        # A copy, so that a rebuild during the run cannot mix two binaries in one set of figures.
        source = binary
        binary = os.path.join(work, "newsflow")
        shutil.copy2(source, binary)
        # The shipped entity model sits beside the binary (SwiftPM resources): workers and bench parse need it.
        resources = os.path.join(os.path.dirname(source), "newsflow_ArticleParsing.resources")
        if os.path.isdir(resources):
            shutil.copytree(resources, os.path.join(work, "newsflow_ArticleParsing.resources"))
        stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(os.stat(source).st_mtime))
        print(f"binary: {source} (built {stamp}), copied for the run", file=sys.stderr)
        config = os.path.join(work, "growth.yaml")
        with open(config, "w") as f:
            f.write(CONFIG)
        started = time.perf_counter()
        sizes, journal, sink = [], [], []
        if args.only in (None, "sizes"):
            print("article size ...", file=sys.stderr)
            sizes = article_sizes(binary, work, args.quick)
        if args.only in (None, "journal"):
            print("journal recovery ...", file=sys.stderr)
            journal = journal_recovery(binary, work, config, args.quick, args.runs)
        if args.only in (None, "sink"):
            print("sink start ...", file=sys.stderr)
            sink = sink_start(binary, work, config, args.quick, args.runs)
        print(f"done in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        print_tables(sizes, journal, sink)
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"article_size": sizes, "journal": journal, "sink": sink}, f, indent=1)
                f.write("\n")
        return 0
    except Failure as failure:
        print(f"growth: {failure}", file=sys.stderr)
        return 1
    finally:
        for process in list(children):
            if process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
