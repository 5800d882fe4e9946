#!/usr/bin/env python3
"""A long run without attention: `make soak`.

Offers ARTICLES generated articles at a steady rate through the `submit` endpoint (a pyzmq DEALER written
from docs/protocol.md, resending what is not accepted in time) to `newsflow run` for at least MINUTES,
while it
  - SIGKILLs a random role (fetcher, a parser worker, the sink) every KILL_MIN..KILL_MAX seconds,
  - fills out/ and then journal/ (each a tmpfs of its own) for HOLD seconds: the pipeline must stay up,
    `/readyz` must answer 503 with the reason, a full journal must refuse submissions, and the pipeline
    must be ready again soon after the space returns,
  - reloads the configuration twice with SIGHUP (2 -> 3 parser workers, then back to 2),
  - samples every role's resident memory every 5 s.
Kills stop QUIET seconds before the end, so the memory at the end is that of roles that have run a while.
Then it stops the pipeline with SIGINT and verifies: every article in out/ exactly once, nothing in
dead-letter/, `newsflow verify` clean, each role's resident memory at the end within 10% of its level
after the first minute (levels: medians of the samples of the second minute and of the last two). It prints a JSON report (also written to WORKDIR/report.json) and exits 1 when a
check fails.

Needs root (tmpfs mounts) and the test venv's pyzmq: run through `make soak`.
"""
import argparse
import glob
import gzip
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import zmq

FIRST = ["Maria", "Peter", "Amina", "Tomas", "Wei", "Fatima", "Jonas", "Aisha", "Carlos", "Ingrid", "Kofi",
         "Elena", "Rahul", "Sofia", "Dmitri", "Grace", "Hiroshi", "Leila", "Mateo", "Nadia"]
LAST = ["Santos", "Okafor", "Lindqvist", "Zhang", "Haddad", "Berg", "Mensah", "Rossi", "Kowalski", "Tanaka",
        "Alvarez", "Novak", "Okonkwo", "Petrov", "Larsen", "Mwangi", "Fischer", "Dubois", "Silva", "Nakamura"]
PLACES = [("NAIROBI", "Kenya"), ("OSLO", "Norway"), ("LIMA", "Peru"), ("HANOI", "Vietnam"), ("ACCRA", "Ghana"),
          ("QUITO", "Ecuador"), ("RIGA", "Latvia"), ("DAKAR", "Senegal"), ("MANILA", "Philippines"),
          ("TUNIS", "Tunisia"), ("SANTIAGO", "Chile"), ("BERGEN", "Norway")]
ORGS = ["the Ministry of Finance", "Central Bank", "National Grid Authority", "Harbour Workers Union",
        "Atlas Mining Corp", "the Electoral Commission", "Coastal Fisheries Board", "Metro Transit Agency"]
TOPICS = ["the port expansion", "a new water plant", "rail fares", "the fishing quota", "a wage agreement",
          "copper exports", "the flood defences", "a clinic network", "the grain reserve", "solar tariffs"]
MONTHS = ["Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]


def article(index: int) -> bytes:
    """A unique wire-style story of 1-3 KB; the first line (the title) carries the index."""
    rnd = random.Random(index)
    city, country = rnd.choice(PLACES)
    person = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
    other = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
    org, topic = rnd.choice(ORGS), rnd.choice(TOPICS)
    month, day = rnd.randrange(12), rnd.randrange(1, 29)
    paragraphs = [
        f"{city}, {country}, {MONTHS[month]} {day} - {person} of {org} said on Tuesday that {topic} would go "
        f"ahead after talks that lasted {rnd.randrange(2, 40)} days.",
    ]
    for _ in range(rnd.randrange(3, 9)):
        paragraphs.append(rnd.choice([
            f"\"We expect {rnd.randrange(100, 9000)} jobs from {topic},\" {person} told reporters in "
            f"{city.title()}.",
            f"{other}, who leads {rnd.choice(ORGS)}, said the plan would cost {rnd.randrange(5, 900)} million "
            f"dollars over {rnd.randrange(2, 12)} years.",
            f"Officials in {rnd.choice(PLACES)[0].title()} said figures for {MONTHS[rnd.randrange(12)]} showed "
            f"a rise of {rnd.randrange(1, 99) / 10:.1f} percent from a year earlier.",
            f"{rnd.choice(ORGS)} is due to publish its review of {rnd.choice(TOPICS)} on "
            f"{rnd.choice(['Monday', 'Wednesday', 'Friday'])}, a spokesman said.",
        ]))
    title = f"Soak story {index}: {person.split()[1]} backs {topic}"
    return (title + "\n\n" + "\n\n".join(paragraphs) + "\n").encode()


TITLE = re.compile(r"^Soak story (\d+):")


class Producer(threading.Thread):
    """Offers `count` articles at `rate` per second on the submit endpoint; resends what is not accepted
    within RESEND_AFTER seconds, and what is refused one second later."""

    WINDOW = 2000
    RESEND_AFTER = 3.0

    def __init__(self, endpoint: str, count: int, rate: float):
        super().__init__(daemon=True)
        self.endpoint, self.count, self.rate = endpoint, count, rate
        self.accepted = bytearray(count)
        self.accepted_count = 0
        self.offered = 0
        self.resends = 0
        self.refused = 0
        self.refusal_reasons: dict[str, int] = {}
        self.stop = threading.Event()
        self.finished_at: float | None = None

    def run(self) -> None:
        context = zmq.Context()
        socket = context.socket(zmq.DEALER)
        socket.setsockopt(zmq.LINGER, 0)
        socket.connect(self.endpoint)
        pending: dict[int, float] = {}
        started = time.monotonic()

        def send(index: int, at: float) -> None:
            header = {"ref": str(index), "name": f"soak-{index}.txt", "source": {"kind": "zmq", "uri": "soak"}}
            socket.send_multipart([b"newsflow/1", b"inject", json.dumps(header).encode(), article(index)])
            pending[index] = at

        while self.accepted_count < self.count and not self.stop.is_set():
            now = time.monotonic()
            due = min(self.count, int((now - started) * self.rate))
            while self.offered < due and len(pending) < self.WINDOW:
                send(self.offered, now)
                self.offered += 1
            if socket.poll(20, zmq.POLLIN):
                while True:
                    try:
                        frames = socket.recv_multipart(zmq.NOBLOCK)
                    except zmq.Again:
                        break
                    if len(frames) != 3 or frames[0] != b"newsflow/1" or frames[1] != b"accepted":
                        continue
                    answer = json.loads(frames[2])
                    for entry in answer.get("accepted", []):
                        index = int(entry["ref"])
                        if pending.pop(index, None) is not None and not self.accepted[index]:
                            self.accepted[index] = 1
                            self.accepted_count += 1
                    for entry in answer.get("refused", []):
                        index = int(entry["ref"])
                        if index in pending:
                            self.refused += 1
                            reason = re.sub(r"\(.*\)", "(...)", entry.get("reason", ""))
                            self.refusal_reasons[reason] = self.refusal_reasons.get(reason, 0) + 1
                            # Resend one second from now.
                            pending[index] = time.monotonic() - self.RESEND_AFTER + 1.0
            now = time.monotonic()
            for index, sent_at in list(pending.items()):
                if now - sent_at > self.RESEND_AFTER:
                    send(index, now)
                    self.resends += 1
        self.finished_at = time.monotonic()
        socket.close()
        context.term()


class Pipeline:
    def __init__(self, binary: str, config: str, data: str, log: str, environment: dict[str, str]):
        self.data = data
        self.log_path = log
        self.log = open(log, "ab")
        self.process = subprocess.Popen(
            [binary, "run", "--config", config, "--data-dir", data, "--log-format", "json"],
            stdout=self.log, stderr=self.log, env={**os.environ, **environment})
        self.port = None

    def wait_port(self, seconds: float = 60) -> None:
        path = os.path.join(self.data, "run", "supervisor.port")
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if os.path.exists(path):
                text = open(path).read().strip()
                if text:
                    self.port = int(text)
                    return
            time.sleep(0.1)
        with open(self.log_path, "rb") as log:
            tail = log.read()[-2000:].decode(errors="replace")
        raise SystemExit(f"the supervisor did not write run/supervisor.port; its log ends:\n{tail}")

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except OSError as error:
            return 0, str(error)

    def status(self) -> dict:
        code, body = self.get("/status")
        return json.loads(body) if code == 200 else {}

    def pids(self) -> dict[str, int]:
        return {row["instance"]: row["pid"] for row in self.status().get("children", []) if "pid" in row}

    def metrics(self) -> str:
        return self.get("/metrics")[1]


def resident_megabytes(pid: int) -> float | None:
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Counters:
    """Totals of counters that restart from zero when their process does (as Prometheus' increase())."""

    def __init__(self):
        self.last: dict[str, float] = {}
        self.total: dict[str, float] = {}

    def sample(self, exposition: str) -> None:
        for line in exposition.splitlines():
            if not line.startswith("newsflow_articles_total{"):
                continue
            labels, _, value = line.rpartition(" ")
            event = re.search(r'event="([a-z]+)"', labels)
            role = re.search(r'role="([a-z]+)"', labels)
            if not event or event.group(1) not in ("redelivered", "recovered", "dropped"):
                continue
            key, number = labels, float(value)
            previous = self.last.get(key, 0.0)
            increase = number - previous if number >= previous else number
            name = f"{role.group(1) if role else '?'}.{event.group(1)}"
            self.total[name] = self.total.get(name, 0.0) + increase
            self.last[key] = number


def mount_tmpfs(folder: str, size: str) -> None:
    os.makedirs(folder, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", folder], check=True)


def fill(folder: str, leave_bytes: int) -> str:
    """Allocates all but `leave_bytes` of the file system under `folder`; returns the filler's path."""
    path = os.path.join(folder, "soak-filler.bin")
    with open(path, "wb") as filler:
        # The pipeline writes meanwhile: retry a little smaller until the allocation fits.
        for attempt in range(64):
            stats = os.statvfs(folder)
            try:
                os.posix_fallocate(filler.fileno(), 0, max(0, stats.f_bavail * stats.f_frsize - leave_bytes))
                return path
            except OSError:
                leave_bytes += 1 << 20
    raise SystemExit(f"could not fill {folder}")


def read_out(folder: str) -> tuple[list[int], int]:
    """Indices of the soak articles found in out/ (one per line) and the number of lines."""
    indices, lines = [], 0
    for path in sorted(glob.glob(os.path.join(folder, "*.jsonl")) + glob.glob(os.path.join(folder, "*.jsonl.gz"))):
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                lines += 1
                match = TITLE.match(json.loads(line).get("title", ""))
                if match:
                    indices.append(int(match.group(1)))
    return indices, lines


def main() -> int:
    arguments = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    arguments.add_argument("--bin", default=".build/release/newsflow")
    arguments.add_argument("--articles", type=int, default=1_000_000)
    arguments.add_argument("--minutes", type=float, default=32.0, help="offering time; the rate follows")
    arguments.add_argument("--workdir", default="")
    arguments.add_argument("--seed", type=int, default=1)
    arguments.add_argument("--kill-min", type=float, default=10.0)
    arguments.add_argument("--kill-max", type=float, default=40.0)
    arguments.add_argument("--hold", type=float, default=20.0, help="seconds each disk stays full")
    arguments.add_argument("--quiet", type=float, default=180.0, help="no kills in the last seconds")
    arguments.add_argument("--out-size", default="3g")
    arguments.add_argument("--journal-size", default="1g")
    options = arguments.parse_args()
    if os.geteuid() != 0:
        print("soak: needs root to mount the tmpfs folders that it fills", file=sys.stderr)
        return 2
    workdir = options.workdir or subprocess.run(["mktemp", "-d", "/tmp/nf-soak-XXXXXX"], capture_output=True,
                                                text=True, check=True).stdout.strip()
    data = os.path.join(workdir, "data")
    out, journal = os.path.join(data, "out"), os.path.join(data, "journal")
    mount_tmpfs(out, options.out_size)
    mount_tmpfs(journal, options.journal_size)
    try:
        return soak(options, workdir, data, out, journal)
    finally:
        subprocess.run(["pkill", "-KILL", "-f", "--", f"--data-dir {data}"], check=False)
        for folder in (out, journal):
            subprocess.run(["umount", "-l", folder], check=False)


def soak(options, workdir: str, data: str, out: str, journal: str) -> int:
    binary = os.path.abspath(options.bin)
    # The default configuration with two parser workers; the reloads rewrite `parsers`.
    repository = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    template = open(os.path.join(repository, "config", "newsflow.yaml")).read()
    config = os.path.join(workdir, "newsflow.yaml")

    def write_config(parsers: int) -> None:
        text = re.sub(r"(?m)^parsers: \d+", f"parsers: {parsers}", template)
        with open(config + ".tmp", "w") as handle:
            handle.write(text)
        os.replace(config + ".tmp", config)

    write_config(2)
    environment = {
        "NEWSFLOW_METRICS_PORT": "0",
        # Months unattended: compressed output, a journal kept small by its retention rules.
        "NEWSFLOW_SINK_COMPRESS": os.environ.get("SOAK_COMPRESS", "true"),
        "NEWSFLOW_SINK_ROTATE_BYTES": str(64 << 20),
        "NEWSFLOW_JOURNAL_SEGMENT_BYTES": str(16 << 20),
        "NEWSFLOW_JOURNAL_RETENTION_BYTES": str(128 << 20),
        # The near-duplicate window fills within the first minute, so the memory check measures leaks
        # rather than a cache filling up to its configured size.
        "NEWSFLOW_SINK_DUPLICATES_WINDOW_RECORDS": "25000",
        # Likewise the ids kept to drop redelivered copies: 50,000 is 1.5 minutes of this run, three times
        # the longest a copy can come after its first write (3 attempts of fetcher.ack_timeout_ms 10 s).
        "NEWSFLOW_SINK_REMEMBER_IDS": "50000",
        "NEWSFLOW_SUPERVISOR_RESTART_BACKOFF_MS": "200",
        "NEWSFLOW_SUPERVISOR_RESTART_BACKOFF_MAX_MS": "2000",
    }
    duration = options.minutes * 60
    rate = options.articles / duration
    random_source = random.Random(options.seed)
    print(f"soak: {options.articles} articles at {rate:.0f}/s for {options.minutes:g} min; work in {workdir}",
          flush=True)
    pipeline = Pipeline(binary, config, data, os.path.join(workdir, "pipeline.log"), environment)
    pipeline.wait_port()
    submit = os.path.join(data, "run", "submit.sock")
    while not os.path.exists(submit):
        time.sleep(0.1)
    producer = Producer("ipc://" + submit, options.articles, rate)
    started = time.monotonic()
    producer.start()

    failures: list[str] = []
    memory: dict[str, list[tuple[float, float]]] = {}
    counters = Counters()
    kills: list[dict] = []
    episodes: list[dict] = []
    reloads: list[dict] = []

    def elapsed() -> float:
        return time.monotonic() - started

    def sample() -> None:
        for instance, pid in pipeline.pids().items():
            megabytes = resident_megabytes(pid)
            if megabytes is not None:
                memory.setdefault(instance, []).append((elapsed(), megabytes))
        counters.sample(pipeline.metrics())

    def wait_until(seconds: float, predicate) -> float | None:
        began = time.monotonic()
        while time.monotonic() - began < seconds:
            if predicate():
                return time.monotonic() - began
            time.sleep(0.05)
        return None

    def disk_episode(folder: str, name: str, reason: str) -> None:
        log_mark = os.path.getsize(pipeline.log_path)
        refused_before = producer.refused
        filler = fill(folder, 256 << 10)
        began = elapsed()
        paused = wait_until(30, lambda: (lambda r: r[0] == 503 and reason in r[1])(pipeline.get("/readyz")))
        time.sleep(options.hold)
        restarts = sum(row.get("restarts", 0) for row in pipeline.status().get("children", []))
        os.remove(filler)
        resumed = wait_until(30, lambda: pipeline.get("/readyz")[0] == 200)
        with open(pipeline.log_path, "rb") as log:
            log.seek(log_mark)
            crashed = b"child exited unexpectedly" in log.read()
        episode = {"folder": name, "at_s": round(began), "readyz_503_after_s": paused and round(paused, 2),
                   "ready_again_after_space_s": resumed and round(resumed, 2), "role_exited": crashed,
                   "submissions_refused": producer.refused - refused_before, "restarts_total": restarts}
        episodes.append(episode)
        print(f"soak: {json.dumps(episode)}", flush=True)
        if paused is None:
            failures.append(f"{name} full: /readyz did not answer 503 with '{reason}'")
        if resumed is None:
            failures.append(f"{name} full: not ready within 30 s of the space returning")
        if crashed:
            failures.append(f"{name} full: a role exited instead of pausing")
        if name == "journal" and episode["submissions_refused"] == 0:
            failures.append("journal full: the producer saw no refusal")

    def reload(parsers: int) -> None:
        write_config(parsers)
        pipeline.process.send_signal(signal.SIGHUP)
        scaled = wait_until(30, lambda: sum(1 for i in pipeline.pids() if i.startswith("parser-")) == parsers)
        entry = {"at_s": round(elapsed()), "parsers": parsers, "scaled_after_s": scaled and round(scaled, 2)}
        reloads.append(entry)
        print(f"soak: reload {json.dumps(entry)}", flush=True)
        if scaled is None:
            failures.append(f"reload to {parsers} parsers: not scaled within 30 s")

    # What happens when: (offset in seconds, action); kills fill the gaps between.
    plan = sorted([
        (0.22 * duration, lambda: reload(3)),
        (0.40 * duration, lambda: disk_episode(out, "out", "the sink cannot write out/")),
        (0.58 * duration, lambda: disk_episode(journal, "journal", "the journal is not writable")),
        (0.72 * duration, lambda: reload(2)),
    ], key=lambda entry: entry[0])
    next_kill = 60 + random_source.uniform(options.kill_min, options.kill_max)
    next_sample = 0.0
    while producer.is_alive():
        now = elapsed()
        if now >= next_sample:
            sample()
            next_sample = now + 5
            if int(now) % 60 < 5:
                print(f"soak: {now / 60:5.1f} min, offered {producer.offered}, accepted {producer.accepted_count}, "
                      f"kills {len(kills)}", flush=True)
        if plan and now >= plan[0][0]:
            plan.pop(0)[1]()
            next_kill = max(next_kill, elapsed() + options.kill_min)
            continue
        if now >= next_kill and now < duration - options.quiet:
            pids = pipeline.pids()
            instance = random_source.choice(sorted(pids))
            os.kill(pids[instance], signal.SIGKILL)
            kills.append({"at_s": round(now, 1), "instance": instance})
            next_kill = now + random_source.uniform(options.kill_min, options.kill_max)
            # Not in the seconds before a planned event, so each event's checks see a whole pipeline.
            if plan and next_kill > plan[0][0] - options.kill_min:
                next_kill = plan[0][0] + options.kill_min
        time.sleep(0.05)
    offering = elapsed()
    for _, action in plan:
        action()

    # Drained: everything accepted has been written and acknowledged.
    def drained() -> bool:
        status = pipeline.status()
        return status.get("in_flight", 1) == 0 and status.get("ready", False)

    if wait_until(600, drained) is None:
        failures.append("the pipeline did not drain within 10 minutes of the last article")
    sample()
    # A role's level is the median of its samples over a stretch (single samples catch a file being
    # compressed or a backlog being written): the second minute, and the last two minutes.
    ended = elapsed()
    running = pipeline.pids()

    def level(instance: str, start: float, end: float) -> float | None:
        values = [value for at, value in memory.get(instance, []) if start <= at < end]
        return statistics.median(values) if values else None

    first_minute = {i: v for i in memory if (v := level(i, 60, 120)) is not None}
    at_end = {i: v for i in running if (v := level(i, ended - 120, ended + 1)) is not None}
    pipeline.process.send_signal(signal.SIGINT)
    try:
        exit_code = pipeline.process.wait(timeout=120)
    except subprocess.TimeoutExpired:
        pipeline.process.kill()
        exit_code = -1
    if exit_code != 0:
        failures.append(f"newsflow run exited {exit_code} on SIGINT")
    verify = subprocess.run([binary, "verify", "--config", config, "--data-dir", data], capture_output=True,
                            text=True)
    if verify.returncode != 0:
        failures.append("newsflow verify: " + (verify.stdout + verify.stderr)[-2000:])
    indices, lines = read_out(out)
    found = set(indices)
    lost = options.articles - len(found & set(range(options.articles)))
    duplicated = lines - len(found)
    dead = sum(1 for _ in glob.glob(os.path.join(data, "dead-letter", "*")))
    if lost:
        failures.append(f"{lost} articles missing from out/")
    if duplicated:
        failures.append(f"{duplicated} duplicate lines in out/")
    if dead:
        failures.append(f"{dead} files in dead-letter/")
    if producer.accepted_count < options.articles:
        failures.append(f"only {producer.accepted_count} articles accepted")
    memory_report = {}
    for instance in sorted(at_end):
        if instance not in first_minute:
            continue
        start, end = first_minute[instance], at_end[instance]
        peak = max(value for _, value in memory[instance])
        memory_report[instance] = {"minute_2_mb": round(start, 1), "last_2_min_mb": round(end, 1),
                                   "peak_mb": round(peak, 1), "change": round(end / start - 1, 3)}
        if end > start * 1.10:
            failures.append(f"{instance}: resident memory {end:.1f} MB at the end, {start:.1f} MB in minute 2")
    journal_mb = sum(os.path.getsize(p) for p in glob.glob(os.path.join(journal, "*"))) / 1e6
    report = {
        "articles": options.articles, "offered_rate_per_s": round(rate, 1), "offering_min": round(offering / 60, 1),
        "total_min": round(elapsed() / 60, 1), "kills": len(kills),
        "kills_by_role": {role: sum(1 for k in kills if re.sub(r"-\d+$", "", k["instance"]) == role)
                          for role in ("fetcher", "parser", "sink")},
        "resent_by_producer": producer.resends, "refused_by_fetcher": producer.refused,
        "refusal_reasons": producer.refusal_reasons,
        "counted": {name: int(value) for name, value in sorted(counters.total.items())},
        "out_lines": lines, "lost": lost, "duplicated": duplicated, "dead_letters": dead,
        "verify_exit": verify.returncode, "run_exit": exit_code,
        "journal_mb_at_end": round(journal_mb, 1), "disk_episodes": episodes, "reloads": reloads,
        "memory": memory_report, "failures": failures, "workdir": workdir,
    }
    with open(os.path.join(workdir, "report.json"), "w") as handle:
        json.dump({**report, "kill_list": kills,
                   "memory_samples": {k: [(round(t), round(v, 1)) for t, v in points] for k, points in memory.items()}},
                  handle, indent=1)
    print(json.dumps(report, indent=1))
    print("soak: " + ("FAILED: " + "; ".join(failures) if failures else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
