#!/usr/bin/env python3
"""Plots benchmark results: throughput against workers (one line per system) and latency against offered load.

Usage: bench/plot.py RESULTS.json --out DIR

RESULTS.json:
    {"scaling": [{"system": "newsflow" | "peer", "workers": W, "articles_per_second": x}, ...],
     "latency": [{"offered_rate": r, "p50_ms": a, "p99_ms": b, "p999_ms": c}, ...]}
A latency row may also name its "system"; then each system gets its own lines; "p999_ms" is optional.

Writes DIR/throughput-vs-workers.png and DIR/latency-vs-load.png. Several entries for the same system and
number of workers (repeated runs) are drawn as points, and the line goes through their median. Several
latency entries for one offered load (rounds) give one point, their median, with a band from the lowest to
the highest round: joining the rounds one after another drew a zig-zag that read as noise. Needs
matplotlib (bench/peer/requirements.txt); renders without a display (Agg backend).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (after choosing the backend)
from matplotlib.ticker import MaxNLocator  # noqa: E402

STYLE = {"newsflow": {"color": "tab:blue", "marker": "o"}, "peer": {"color": "tab:orange", "marker": "s"}}
LABEL = {"newsflow": "newsflow", "peer": "peer (pyzmq + spaCy en_core_web_sm, NER only)"}


def plot_scaling(rows: list[dict], path: str) -> None:
    runs: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        runs[row["system"]][int(row["workers"])].append(float(row["articles_per_second"]))
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=120)
    for system in sorted(runs, key=lambda s: (s not in STYLE, s)):
        style = STYLE.get(system, {"marker": "^"})
        by_workers = runs[system]
        workers = sorted(by_workers)
        medians = [statistics.median(by_workers[w]) for w in workers]
        axes.plot(workers, medians, label=LABEL.get(system, system), linewidth=2, **style)
        scatter = [(w, v) for w in workers for v in by_workers[w] if len(by_workers[w]) > 1]
        if scatter:
            axes.scatter(*zip(*scatter), s=12, alpha=0.4, color=style.get("color"))
    axes.set_yscale("log")  # the two systems differ by orders of magnitude
    axes.set_xlabel("workers")
    axes.set_ylabel("articles/s (log scale)")
    axes.set_title("Throughput against workers")
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def plot_latency(rows: list[dict], path: str) -> None:
    """Per system (rows may name one) and percentile: the median over rounds at each offered load, with
    the range of the rounds as a band."""
    groups: dict[str, dict[float, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        groups[row.get("system", "")][float(row["offered_rate"])].append(row)
    figure, axes = plt.subplots(figsize=(7, 4.5), dpi=120)
    for system in sorted(groups):
        by_rate = groups[system]
        rates = sorted(by_rate)
        prefix = f"{LABEL.get(system, system)} " if system else ""
        color = STYLE.get(system, {}).get("color")
        for key, marker, line in (("p50_ms", "o", "-"), ("p99_ms", "s", "--"), ("p999_ms", "^", ":")):
            points = [(rate, [float(row[key]) for row in by_rate[rate] if key in row]) for rate in rates]
            points = [(rate, values) for rate, values in points if values]
            if not points:
                continue
            xs = [rate for rate, _ in points]
            drawn = axes.plot(xs, [statistics.median(values) for _, values in points], marker=marker, linewidth=2,
                              color=color, linestyle=line, label=f"{prefix}{key[:-3]} (median, band: min-max)")
            axes.fill_between(xs, [min(values) for _, values in points], [max(values) for _, values in points],
                              color=drawn[0].get_color(), alpha=0.15, linewidth=0)
    axes.set_yscale("log")
    axes.set_xlabel("offered load (articles/s)")
    axes.set_ylabel("latency per article (ms, log scale)")
    axes.set_title("Latency against offered load")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize="small")
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", help="JSON results file")
    parser.add_argument("--out", required=True, help="folder for the PNG files")
    args = parser.parse_args(argv)
    with open(args.results) as handle:
        results = json.load(handle)
    os.makedirs(args.out, exist_ok=True)
    written = []
    if results.get("scaling"):
        path = os.path.join(args.out, "throughput-vs-workers.png")
        plot_scaling(results["scaling"], path)
        written.append(path)
    if results.get("latency"):
        path = os.path.join(args.out, "latency-vs-load.png")
        plot_latency(results["latency"], path)
        written.append(path)
    if not written:
        print(f"plot: {args.results} has neither 'scaling' nor 'latency' rows", file=sys.stderr)
        return 1
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
