#!/usr/bin/env python3
"""The fetcher's state files at 10^6 entries: start time and memory, so that months of running do not make
a start slow or a fetcher big (issue: nothing grows without bound).

Usage: bench/state_growth.py [--bin PATH] [--count N] [--runs R]

For each state file, a data folder holding N entries of it (default 10^6), and the same folder empty; the
time from starting `newsflow fetcher` to its "fetcher started" line and its VmHWM then (medians of R
starts, default 3), as in bench/growth.py. Then the file's size after those starts:

  journal      N articles of about 500 bytes, all acknowledged but the last 1,000 (acked.log one number a
               line, as an older fetcher wrote it); rewritten as ranges at the first start
  inbox.taken  N entries for files no longer in the drop folder; compacted away at the first start
  feeds/seen   N remembered feed items in the current generation (one feed configured, unreachable)
"""
import argparse, os, shutil, statistics, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import growth  # noqa: E402  (the journal writer and the start measurement)

CONFIG = """metrics: {port: -1}
log: {format: json, level: info}
fetcher: {inbox: {enabled: %s}, drain_timeout_ms: 0%s}
"""


def measure(binary, data, config, runs):
    results = [growth.start_until_ready([binary, "fetcher", "--data-dir", data, "--config", config], "fetcher started")
               for _ in range(runs)]
    return statistics.median(r["seconds"] for r in results), statistics.median(r["peak_mb"] for r in results), \
        [round(r["seconds"], 3) for r in results]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", default=os.path.join(growth.ROOT, ".build", "release", "newsflow"))
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="nf-state-", dir="/tmp")
    try:
        feeds = os.path.join(work, "feeds.yaml")
        with open(feeds, "w") as f:
            f.write("- url: http://127.0.0.1:9/feed.xml\n  interval_s: 3600\n")
        plain = os.path.join(work, "plain.yaml")
        with open(plain, "w") as f:
            f.write(CONFIG % ("false", ""))
        inbox = os.path.join(work, "inbox.yaml")
        with open(inbox, "w") as f:
            f.write(CONFIG % ("true", ""))
        with_feeds = os.path.join(work, "feeds-config.yaml")
        with open(with_feeds, "w") as f:
            f.write(CONFIG % ("false", ", feeds: {file: %s}" % feeds))
        rows = []

        def row(name, data, config, file):
            empty = os.path.join(work, name + "-empty")
            os.makedirs(os.path.join(empty, "inbox"))
            base = measure(args.bin, empty, config, args.runs)
            before = os.path.getsize(os.path.join(data, file))
            loaded = measure(args.bin, data, config, args.runs)
            after = os.path.getsize(os.path.join(data, file))
            rows.append((name, base, loaded, before, after))
            print(f"  {name}: done", file=sys.stderr)
            shutil.rmtree(data)
            shutil.rmtree(empty)

        data = os.path.join(work, "journal")
        os.makedirs(os.path.join(data, "inbox"))
        growth.write_journal(data, args.count)
        row("journal", data, plain, "journal/acked.log")

        data = os.path.join(work, "taken")
        os.makedirs(os.path.join(data, "inbox"))
        os.makedirs(os.path.join(data, "state"))
        with open(os.path.join(data, "state", "inbox.taken"), "w") as f:
            f.write("".join(f"1234:1700000000000000000\tgone-{i:07d}.txt\n" for i in range(args.count)))
        row("inbox.taken", data, inbox, "state/inbox.taken")

        data = os.path.join(work, "seen")
        os.makedirs(os.path.join(data, "inbox"))
        os.makedirs(os.path.join(data, "state", "feeds"))
        with open(os.path.join(data, "state", "feeds", "seen"), "w") as f:
            f.write("".join("%016x\n" % (i * 0x9E3779B97F4A7C15 % (1 << 64)) for i in range(args.count)))
        row("feeds/seen", data, with_feeds, "state/feeds/seen")

        print(f"fetcher start with {args.count:,} entries of each state file; medians of {args.runs} starts")
        print(f"{'state':<12} {'empty: s':>9} {'MB':>6}   {'loaded: s':>10} {'MB':>6}   {'bytes/entry':>11}   "
              f"{'file before':>12} {'after':>12}   runs (s)")
        for name, base, loaded, before, after in rows:
            per = (loaded[1] - base[1]) * 1048576 / args.count
            print(f"{name:<12} {base[0]:>9.3f} {base[1]:>6.1f}   {loaded[0]:>10.3f} {loaded[1]:>6.1f}   {per:>11.1f}   "
                  f"{before:>12,} {after:>12,}   {loaded[2]}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
