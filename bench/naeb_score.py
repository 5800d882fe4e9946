#!/usr/bin/env python3
"""Score HTML article extraction on the NAEB corpus: newsflow's `parse` against trafilatura.

What it measures
----------------
The corpus (`--corpus DIR`) holds `articles.json`, `{key: {"title", "authors", "date", "articleBody", ...}}`,
and `html/<key>.html.gz`, the raw page for some of the keys. Only keys that have a page are scored.

* Body: the ScrapingHub article-extraction-benchmark metric, reimplemented here from `evaluate.py` of
  github.com/scrapinghub/article-extraction-benchmark at commit 7d95432dc2320c068b1e53072c64e8c13cf096cb
  (its `tests.py` cases hold for the functions below). Its conventions:
  - tokens are the matches of the regex `\\w+` (Unicode, case kept: "The" and "the" differ);
  - shingles are the 4-grams of consecutive tokens, counted as a multiset; a text with 1 to 3 tokens
    gives one shorter shingle of all its tokens, an empty text none;
  - per document, over every shingle: tp += min(true, pred), fp += excess in pred, fn += excess in
    truth; then tp, fp, fn are divided by tp+fp+fn so that every document weighs the same;
  - per-document precision is 1 when fp == fn == 0 (this includes both texts empty), 0 when
    tp == fp == 0, else tp/(tp+fp); recall alike (1 when fp == fn == 0, 0 when tp == fn == 0,
    else tp/(tp+fn));
  - precision is averaged only over documents with tp+fp > 0, i.e. whose prediction has a shingle:
    a page with no prediction lowers recall but leaves precision alone; recall is averaged over
    documents with tp+fn > 0 (the truth has a shingle);
  - F1 is the harmonic mean of those two averages, not the mean of per-document F1s (the latter is in
    the JSON as `f1_doc_mean`); `exact` is the share of documents whose token lists are equal.
  The benchmark's bootstrap standard deviations are not computed.
* Title: case-insensitive (casefold), whitespace-collapsed, Unicode-NFC exact match (`title`); the
  lenient rate (`title~`) also counts one normalized title containing the other.
* Date: the first 10 characters of the extracted publication date equal the truth's `YYYY-MM-DD`.
* Authors, over pages whose truth names someone: the set of normalized names equals the truth's
  (`authors`), or shares at least one name (`auth~`). The truth's `authors` is one string with names
  separated by commas (sometimes with stray spaces, a trailing comma or a tab). A name is normalized by
  NFC, casefold, dropping a leading "by " and full stops, and collapsing whitespace.
* Speed: pages per second and MB per second (10^6 bytes of decompressed HTML).
* Held-out pages: a quarter of the pages, those whose key's SHA-256 starts with the hex digit 0, 1, 2
  or 3, are held out from tuning the extraction rules. Body scores are also printed for the tuning part
  and the held-out part separately (`body_parts` in the JSON), and `--worst` lists tuning pages only, so
  that looking at errors never means looking at the held-out pages. The split depends on the key alone,
  not on the page or on the scores.

Systems
-------
1. newsflow: every page is decompressed into a temporary folder as `<key>.html`, then ONE process runs
   `BIN parse --lines FILE...` (several if the argument list would be too long; their times are added).
   It prints a JSON record per line for each file it could parse, matched back to its page by
   `source.uri`; fields read: `body`, `title`, `published`, `authors` (an array, taken as it is). A page
   without a record is an empty prediction. Timed: the process's wall clock, start-up included.
2. trafilatura, when importable: per page, on the raw bytes (trafilatura detects the encoding itself),
   `trafilatura.extract(html, output_format="json", with_metadata=True, favor_precision=False)` with
   every other argument at its default (favor_recall=False, include_comments=True -- comments go to a
   separate JSON field, not `text` --, include_tables=True, include_images=False, include_links=False,
   include_formatting=False, deduplicate=False, fast=False so the readability/justext fallbacks run,
   no url, no target_language, the default config). Body from `text`, title from `title`, date from
   `date`, authors from `author` split on ";", ",", "&" and " and ". Timed: the loop of extract calls
   only, in-process, after one warm-up call on the first page (no import, file reading or
   decompression in it).
With `--runs N` the two are run alternately N times; speeds are from the median time, scores from
the first run.

How to run
----------
    make venv   # Tests/python/requirements.txt into .venv, trafilatura with it
    .venv/bin/python bench/naeb_score.py --bin .build/release/newsflow [--runs 3] [--json out.json] [--worst 10]

`--corpus` defaults to the first that exists of $NEWSFLOW_CORPUS/naeb and ../shared/corpus/naeb from the
repository root; `--bin` to $NEWSFLOW_BIN, else .build/release/newsflow. Exit status 0 whenever it ran
(scores are reported, not asserted); 2 on a usage error or when newsflow gives not a single record.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
NGRAM_N = 4


def held_out(key: str) -> bool:
    """Whether a page is held out from tuning (see the module docstring)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[0] in "0123"


class UsageError(Exception):
    """A problem with the command line, the corpus or the binary: exit status 2."""


# --- the benchmark's body metric -----------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


def tokenize(text: str | None) -> list[str]:
    """The benchmark's tokens: runs of word characters."""
    return _WORD.findall(text or "")


def shingles(text: str | None, n: int = NGRAM_N) -> Counter:
    """Multiset of n-grams of tokens; 1..n-1 tokens give one short shingle, no token gives none."""
    tokens = tokenize(text)
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def shingle_counts(true: str | None, pred: str | None, n: int = NGRAM_N) -> tuple[float, float, float]:
    """(tp, fp, fn) over shingles, divided by their sum when it is not zero."""
    t, p = shingles(true, n), shingles(pred, n)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    total = tp + fp + fn
    if total > 0:
        return tp / total, fp / total, fn / total
    return tp, fp, fn


def precision_of(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_of(tp: float, fp: float, fn: float) -> float:
    if fp == 0 and fn == 0:
        return 1.0
    if tp == 0 and fn == 0:
        return 0.0
    return tp / (tp + fn)


def f1_of(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def body_scores(counts: list[tuple[float, float, float]], exact: list[bool]) -> dict:
    """The benchmark's averages over documents (see the module docstring)."""
    precisions = [precision_of(*c) for c in counts if c[0] + c[1] > 0]
    recalls = [recall_of(*c) for c in counts if c[0] + c[2] > 0]
    p = statistics.mean(precisions) if precisions else 0.0
    r = statistics.mean(recalls) if recalls else 0.0
    return {
        "precision": p,
        "recall": r,
        "f1": f1_of(p, r),
        "f1_doc_mean": statistics.mean(f1_of(precision_of(*c), recall_of(*c)) for c in counts) if counts else 0.0,
        "exact": statistics.mean(exact) if exact else 0.0,
        "precision_pages": len(precisions),
        "recall_pages": len(recalls),
    }


# --- titles, dates, authors ----------------------------------------------------------------------

def norm_title(text: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", text or "").casefold().split())


_AUTHOR_SEP = re.compile(r"[;,&\n]|\s+and\s+", re.IGNORECASE)


def split_authors(text: str | None, separators: re.Pattern = _AUTHOR_SEP) -> list[str]:
    return [part for part in separators.split(text or "") if part.strip()]


def norm_name(name: str) -> str:
    name = unicodedata.normalize("NFC", name).casefold().replace(".", " ")
    name = " ".join(name.split())
    if name.startswith("by "):
        name = name[3:]
    return name.strip(" ,;:-|")


def name_set(names: list[str]) -> frozenset[str]:
    return frozenset(n for n in (norm_name(x) for x in names if isinstance(x, str)) if n)


# --- corpus --------------------------------------------------------------------------------------

def default_corpus() -> Path | None:
    candidates = []
    if os.environ.get("NEWSFLOW_CORPUS"):
        candidates.append(Path(os.environ["NEWSFLOW_CORPUS"]) / "naeb")
    candidates.append(REPO.parent / "shared" / "corpus" / "naeb")
    return next((c for c in candidates if c.is_dir()), None)


def load_corpus(corpus: Path) -> tuple[list[str], dict, dict]:
    """Keys with a page (sorted), the truth for each, and each page's decompressed bytes."""
    try:
        with open(corpus / "articles.json", encoding="utf-8") as f:
            truth = json.load(f)
    except (OSError, ValueError) as e:
        raise UsageError(f"cannot read {corpus / 'articles.json'}: {e}")
    keys = sorted(k for k in truth if (corpus / "html" / f"{k}.html.gz").is_file())
    if not keys:
        raise UsageError(f"no page of {corpus / 'articles.json'} has an html/<key>.html.gz in {corpus}")
    pages = {}
    for key in keys:
        with gzip.open(corpus / "html" / f"{key}.html.gz", "rb") as f:
            pages[key] = f.read()
    return keys, truth, pages


# --- the systems ---------------------------------------------------------------------------------

def empty_prediction() -> dict:
    return {"body": "", "title": None, "date": None, "authors": []}


def arg_chunks(files: list[str], budget: int) -> list[list[str]]:
    chunks, current, size = [], [], 0
    for f in files:
        cost = len(os.fsencode(f)) + 1 + 8  # the string, its NUL and the argv pointer
        if current and size + cost > budget:
            chunks.append(current)
            current, size = [], 0
        current.append(f)
        size += cost
    if current:
        chunks.append(current)
    return chunks


def run_newsflow(binary: str, folder: Path, keys: list[str]) -> tuple[dict, float, list[str], float]:
    """One `parse --lines` process per argument chunk: (predictions by key, seconds, problems, seconds spent
    inside the parser by its own account: the sum of the records' `parser.elapsed_us`, which leaves out
    process start, reading files, content ids and writing JSON, as trafilatura's timing leaves them out)."""
    by_path = {os.path.realpath(folder / f"{k}.html"): k for k in keys}
    files = [str(folder / f"{k}.html") for k in keys]
    try:
        arg_max = os.sysconf("SC_ARG_MAX")
    except (ValueError, OSError):
        arg_max = 128 * 1024
    env_size = sum(len(k) + len(v) + 2 + 8 for k, v in os.environ.items())
    budget = max(16 * 1024, min(arg_max // 2 - env_size, 1024 * 1024))
    predictions, seconds, problems, inside = {}, 0.0, [], 0.0
    for chunk in arg_chunks(files, budget):
        started = time.perf_counter()
        try:
            proc = subprocess.run([binary, "parse", "--lines", *chunk], stdin=subprocess.DEVNULL,
                                  capture_output=True)
        except OSError as e:
            raise UsageError(f"cannot run {binary}: {e}")
        seconds += time.perf_counter() - started
        if proc.returncode not in (0, 1):
            problems.append(f"exit status {proc.returncode} on a chunk of {len(chunk)} files; stderr ends: "
                            + proc.stderr.decode("utf-8", "replace").strip()[-300:])
        stderr_lines = [l for l in proc.stderr.decode("utf-8", "replace").splitlines() if l.strip()]
        if stderr_lines:
            problems.append(f"{len(stderr_lines)} line(s) on stderr, first: {stderr_lines[0][:200]}")
        for line in proc.stdout.decode("utf-8", "replace").splitlines():
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                uri = record["source"]["uri"]
            except (ValueError, KeyError, TypeError):
                problems.append(f"not a record: {line[:120]}")
                continue
            key = by_path.get(os.path.realpath(uri)) if isinstance(uri, str) else None
            if key is None and isinstance(uri, str) and uri.endswith(".html"):
                stem = os.path.basename(uri)[:-5]
                key = stem if stem in by_path.values() else None
            if key is None:
                problems.append(f"record for an unknown file: {str(uri)[:120]}")
                continue
            if key in predictions:
                problems.append(f"second record for {key}; the first is kept")
                continue
            try:
                inside += float(record["parser"]["elapsed_us"]) / 1e6
            except (KeyError, TypeError, ValueError):
                pass
            authors = record.get("authors")
            predictions[key] = {
                "body": record.get("body") if isinstance(record.get("body"), str) else "",
                "title": record.get("title") if isinstance(record.get("title"), str) else None,
                "date": record.get("published") if isinstance(record.get("published"), str) else None,
                "authors": [a for a in authors if isinstance(a, str)] if isinstance(authors, list) else [],
            }
    return predictions, seconds, problems, inside


def load_trafilatura():
    try:
        import trafilatura
    except ImportError:
        return None
    for name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    return trafilatura


def trafilatura_extract(trafilatura, page: bytes) -> str | None:
    return trafilatura.extract(page, output_format="json", with_metadata=True, favor_precision=False)


def run_trafilatura(trafilatura, keys: list[str], pages: dict) -> tuple[dict, float, list[str]]:
    trafilatura_extract(trafilatura, pages[keys[0]])  # warm-up, untimed
    outputs = {}
    started = time.perf_counter()
    for key in keys:
        outputs[key] = trafilatura_extract(trafilatura, pages[key])
    seconds = time.perf_counter() - started
    predictions, problems = {}, []
    for key, out in outputs.items():
        if not out:
            continue
        try:
            doc = json.loads(out)
        except ValueError:
            problems.append(f"{key}: output is not JSON")
            continue
        predictions[key] = {
            "body": doc.get("text") or "",
            "title": doc.get("title"),
            "date": doc.get("date"),
            "authors": split_authors(doc.get("author")),
        }
    return predictions, seconds, problems


# --- scoring and reporting -----------------------------------------------------------------------

def score(keys: list[str], truth: dict, predictions: dict) -> dict:
    counts, exact, per_page = [], [], {}
    title_exact = title_lenient = title_pages = 0
    date_ok = date_pages = 0
    authors_exact = authors_overlap = authors_pages = 0
    for key in keys:
        t = truth[key]
        pred = predictions.get(key, empty_prediction())
        c = shingle_counts(t.get("articleBody", ""), pred["body"])
        counts.append(c)
        exact.append(tokenize(t.get("articleBody", "")) == tokenize(pred["body"]))
        page = {"p": precision_of(*c), "r": recall_of(*c)}
        page["f1"] = f1_of(page["p"], page["r"])
        page["record"] = key in predictions

        true_title = norm_title(t.get("title"))
        if true_title:
            title_pages += 1
            got = norm_title(pred["title"])
            page["title"] = got == true_title
            title_exact += page["title"]
            title_lenient += bool(got) and (got in true_title or true_title in got)
        true_date = (t.get("date") or "")[:10]
        if true_date:
            date_pages += 1
            page["date"] = (pred["date"] or "")[:10] == true_date
            date_ok += page["date"]
        true_names = name_set(split_authors(t.get("authors"), re.compile(",")))
        if true_names:
            authors_pages += 1
            got_names = name_set(pred["authors"])
            page["authors"] = got_names == true_names
            authors_exact += page["authors"]
            authors_overlap += bool(got_names & true_names)
        per_page[key] = page

    def rate(n, d):
        return n / d if d else None

    parts = {}
    for part, wanted in (("tuning", False), ("held_out", True)):
        chosen = [i for i, key in enumerate(keys) if held_out(key) == wanted]
        parts[part] = body_scores([counts[i] for i in chosen], [exact[i] for i in chosen]) | {"pages": len(chosen)}
    return {
        "records": len(predictions),
        "missing": [k for k in keys if k not in predictions],
        "body": body_scores(counts, exact),
        "body_parts": parts,
        "title": {"exact": rate(title_exact, title_pages), "lenient": rate(title_lenient, title_pages),
                  "pages": title_pages},
        "date": {"accuracy": rate(date_ok, date_pages), "pages": date_pages},
        "authors": {"exact": rate(authors_exact, authors_pages), "overlap": rate(authors_overlap, authors_pages),
                    "pages": authors_pages},
        "per_page": per_page,
    }


def speed(seconds: list[float], pages: int, megabytes: float) -> dict:
    median = statistics.median(seconds)
    return {"seconds": seconds, "median_seconds": median,
            "pages_per_s": pages / median if median > 0 else None,
            "mb_per_s": megabytes / median if median > 0 else None}


def fmt(value, width: int, digits: int = 3) -> str:
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.{digits}f}"


def print_table(result: dict) -> None:
    print(f"NAEB extraction ({result['pages']} pages, {result['html_mb']:.1f} MB of HTML)")
    print(f"{'system':<12} {'body_P':>6} {'body_R':>6} {'body_F1':>7} {'title':>6} {'title~':>6} {'date':>6} "
          f"{'authors':>7} {'auth~':>6} {'pages/s':>8} {'MB/s':>7}")
    for name, s in result["systems"].items():
        b = s["body"]
        print(f"{name:<12} {fmt(b['precision'], 6)} {fmt(b['recall'], 6)} {fmt(b['f1'], 7)} "
              f"{fmt(s['title']['exact'], 6)} {fmt(s['title']['lenient'], 6)} {fmt(s['date']['accuracy'], 6)} "
              f"{fmt(s['authors']['exact'], 7)} {fmt(s['authors']['overlap'], 6)} "
              f"{fmt(s['speed']['pages_per_s'], 8, 1)} {fmt(s['speed']['mb_per_s'], 7, 2)}")
    for name, s in result["systems"].items():
        line = f"{name:<12} body P / R / F1"
        for part, label in (("tuning", "tuning"), ("held_out", "held out")):
            b = s["body_parts"][part]
            line += f"   {label} ({b['pages']} pages) {b['precision']:.3f} / {b['recall']:.3f} / {b['f1']:.3f}"
        print(line)
    for name, s in result["systems"].items():
        note = f"{name}: {s['records']}/{result['pages']} pages gave a result"
        if s.get("version"):
            note += f" (version {s['version']})"
        note += f"; authors over {s['authors']['pages']} pages naming someone"
        note += f"; runs (s): {', '.join(f'{x:.2f}' for x in s['speed']['seconds'])}"
        print(note)
    inside = result["systems"].get("newsflow", {}).get("speed_inside_parser")
    if inside and inside["pages_per_s"]:
        print(f"newsflow inside its parser (extraction and full enrichment, no process start, file reading, ids "
              f"or JSON output; measured as trafilatura is): {inside['pages_per_s']:.1f} pages/s")
    if result["speed_ratio"] is not None:
        print(f"speed ratio newsflow/trafilatura: x{result['speed_ratio']:.1f} (whole newsflow process, wall clock)"
              + (f", x{result['speed_ratio_inside_parser']:.1f} (inside the parser)"
                 if result.get("speed_ratio_inside_parser") else ""))


def one_line(text: str, limit: int = 200) -> str:
    return " ".join((text or "").split())[:limit]


def print_worst(n: int, keys: list[str], truth: dict, predictions: dict, scores: dict) -> None:
    per_page = scores["per_page"]
    worst = sorted((k for k in keys if not held_out(k)), key=lambda k: (per_page[k]["f1"], k))[:n]
    print(f"\n{len(worst)} lowest-F1 tuning pages for newsflow (held-out pages are never listed)")
    for key in worst:
        page = per_page[key]
        pred = predictions.get(key, empty_prediction())
        print(f"{key}  P={page['p']:.3f} R={page['r']:.3f} F1={page['f1']:.3f}"
              f"{'' if page['record'] else '  (no record)'}  {truth[key].get('url', '')}")
        print(f"  pred: {one_line(pred['body'])}")
        print(f"  true: {one_line(truth[key].get('articleBody', ''))}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=None,
                        help="the NAEB folder (articles.json and html/); default $NEWSFLOW_CORPUS/naeb, "
                             "else ../shared/corpus/naeb from the repository root")
    parser.add_argument("--bin", default=os.environ.get("NEWSFLOW_BIN") or str(REPO / ".build/release/newsflow"),
                        help="the newsflow binary (default $NEWSFLOW_BIN, else .build/release/newsflow)")
    parser.add_argument("--runs", type=int, default=1, help="timed runs of each system, alternately (default 1)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results as one JSON object")
    parser.add_argument("--worst", type=int, default=0, metavar="N", help="print newsflow's N lowest-F1 tuning pages")
    parser.add_argument("--no-trafilatura", action="store_true", help="score newsflow only")
    args = parser.parse_args(argv)
    try:
        return run(args)
    except UsageError as e:
        print(f"naeb_score: {e}", file=sys.stderr)
        return 2


def run(args: argparse.Namespace) -> int:
    if args.runs < 1:
        raise UsageError("--runs must be at least 1")
    if args.worst < 0:
        raise UsageError("--worst must not be negative")
    corpus = args.corpus or default_corpus()
    if corpus is None or not corpus.is_dir():
        raise UsageError(f"no corpus folder: {corpus or 'give --corpus (neither $NEWSFLOW_CORPUS/naeb nor ../shared/corpus/naeb exists)'}")
    binary = shutil.which(args.bin) if os.sep not in args.bin else args.bin
    if not binary or not os.access(binary, os.X_OK):
        raise UsageError(f"newsflow binary not found or not executable: {args.bin} (give --bin or $NEWSFLOW_BIN)")

    keys, truth, pages = load_corpus(corpus)
    megabytes = sum(len(p) for p in pages.values()) / 1e6
    trafilatura = None if args.no_trafilatura else load_trafilatura()
    if trafilatura is None and not args.no_trafilatura:
        print("naeb_score: trafilatura is not importable; scoring newsflow only", file=sys.stderr)

    folder = Path(tempfile.mkdtemp(prefix="naeb-"))
    try:
        for key in keys:
            (folder / f"{key}.html").write_bytes(pages[key])
        first: dict = {}
        seconds: dict = {"newsflow": [], "trafilatura": []}
        inside_parser: list[float] = []
        for i in range(args.runs):
            preds, secs, problems, inside = run_newsflow(binary, folder, keys)
            seconds["newsflow"].append(secs)
            inside_parser.append(inside)
            if i == 0:
                if not preds:
                    for p in problems[:5]:
                        print(f"naeb_score: newsflow: {p}", file=sys.stderr)
                    raise UsageError(f"{binary} parse --lines gave no record for any of {len(keys)} pages")
                first["newsflow"] = (preds, problems)
            if trafilatura is not None:
                preds, secs, problems = run_trafilatura(trafilatura, keys, pages)
                seconds["trafilatura"].append(secs)
                if i == 0:
                    first["trafilatura"] = (preds, problems)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    result = {"pages": len(keys), "html_mb": megabytes, "corpus": str(corpus), "runs": args.runs,
              "metric": "scrapinghub/article-extraction-benchmark evaluate.py @ 7d95432, 4-gram shingles",
              "systems": {}, "speed_ratio": None}
    for name, (preds, problems) in first.items():
        for p in problems[:10]:
            print(f"naeb_score: {name}: {p}", file=sys.stderr)
        if len(problems) > 10:
            print(f"naeb_score: {name}: ... and {len(problems) - 10} more", file=sys.stderr)
        s = score(keys, truth, preds)
        s["speed"] = speed(seconds[name], len(keys), megabytes)
        s["problems"] = problems
        if name == "newsflow":
            s["binary"] = binary
            s["speed_inside_parser"] = speed(inside_parser, len(keys), megabytes)
        else:
            s["version"] = getattr(trafilatura, "__version__", None)
        result["systems"][name] = s
    systems = result["systems"]
    if "trafilatura" in systems and systems["trafilatura"]["speed"]["pages_per_s"]:
        result["speed_ratio"] = systems["newsflow"]["speed"]["pages_per_s"] / systems["trafilatura"]["speed"]["pages_per_s"]
        result["speed_ratio_inside_parser"] = (systems["newsflow"]["speed_inside_parser"]["pages_per_s"]
                                               / systems["trafilatura"]["speed"]["pages_per_s"])

    print_table(result)
    if args.worst:
        print_worst(args.worst, keys, truth, first["newsflow"][0], systems["newsflow"])
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
