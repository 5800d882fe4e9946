#!/usr/bin/env python3
"""Near-duplicate detection scored against word-shingle Jaccard similarity, computed here on the raw text.

Gold: two stories are near-duplicates when the Jaccard similarity of their sets of 5-word shingles
(lower-cased words, punctuation dropped) is at least 0.8. It is computed exactly on the corpus text itself
(Reuters-21578 stories as title, dateline and body; BBC files whole), not on what newsflow extracted, and
without any of newsflow's code: candidate pairs come from prefix filtering (Bayardo et al., 2007), which
finds every pair at or above a threshold, and each candidate's Jaccard is then computed in full.

The stories go through the real pipeline (`newsflow run` on an inbox, exiting once drained), and the
records' `duplicate_of` links are scored:

  recall     share of gold pairs whose two records land in the same group (a record's group is the id
             in its duplicate_of, or its own id)
  precision  share of flagged links (record -> duplicate_of) whose two texts have Jaccard >= 0.5; a link
             under 0.5 is an error (between 0.5 and 0.8 neither counts against it)

Stories with the same bytes have one id and one record (the sink's exact dedupe), so they are one story
here too; stories with fewer than 5 words have no shingles and are left out.

Usage: bench/near_duplicates.py --bin .build/release/newsflow [--corpus ../shared/corpus] [--parsers 2]
       [--keep DIR] [--records DIR]   (--records: score an out/ folder from an earlier run instead)
"""
import argparse, collections, glob, html, json, os, re, shutil, subprocess, sys, tempfile, time

WORD = re.compile(r"[^\W_]+", re.UNICODE)


def reuters(corpus):
    for path in sorted(glob.glob(os.path.join(corpus, "reuters21578", "*.sgm"))):
        text = open(path, encoding="utf-8", errors="replace").read()
        for index, story in enumerate(text.split("</REUTERS>")):
            body = re.search(r"<TEXT[^>]*>(.*?)</TEXT>", story, re.S)
            if not body:
                continue
            def element(name):
                match = re.search(r"<%s[^>]*>(.*?)</%s>" % (name, name), body.group(1), re.S)
                return match.group(1) if match else ""
            name = "r-%s-%05d.txt" % (os.path.basename(path)[6:9], index)
            yield name, element("TITLE") + "\n\n" + element("DATELINE") + element("BODY")


def bbc(corpus):
    for path in sorted(glob.glob(os.path.join(corpus, "bbc", "*", "*.txt"))):
        name = "b-%s-%s" % (os.path.basename(os.path.dirname(path)), os.path.basename(path))
        yield name, open(path, encoding="utf-8", errors="replace").read()


def shingles(text, width=5):
    words = WORD.findall(html.unescape(text).lower())
    return {" ".join(words[i:i + width]) for i in range(len(words) - width + 1)}


def jaccard(a, b):
    return len(a & b) / len(a | b) if a or b else 0.0


def similar_pairs(sets, threshold):
    """Every pair of sets with Jaccard >= threshold, exactly: two such sets share a token among the first
    |S| - ceil(threshold * |S|) + 1 of each, tokens taken rarest first."""
    frequency = collections.Counter(token for tokens in sets.values() for token in tokens)
    index = collections.defaultdict(list)
    pairs = {}
    for name in sorted(sets, key=lambda n: len(sets[n])):
        tokens = sorted(sets[name], key=lambda t: (frequency[t], t))
        prefix = max(1, min(len(tokens), len(tokens) - _ceil(threshold * len(tokens)) + 1))
        candidates = set()
        for token in tokens[:prefix]:
            for other in index[token]:
                # Sizes only grow along this loop: a set too small for the threshold can be skipped.
                if len(sets[other]) >= threshold * len(sets[name]):
                    candidates.add(other)
            index[token].append(name)
        for other in candidates:
            similarity = jaccard(sets[name], sets[other])
            if similarity >= threshold:
                pairs[tuple(sorted((name, other)))] = similarity
    return pairs


def _ceil(value):
    whole = int(value)
    return whole if whole >= value - 1e-9 else whole + 1


def run_pipeline(binary, stories, parsers, folder):
    inbox = os.path.join(folder, "inbox")
    os.makedirs(inbox)
    for name, text in stories:
        open(os.path.join(inbox, name), "w").write(text)
    here = os.path.dirname(os.path.abspath(__file__))
    environment = dict(os.environ, NEWSFLOW_FETCHER_EXIT_WHEN_DRAINED="true", NEWSFLOW_METRICS_PORT="-1")
    started = time.monotonic()
    with open(os.path.join(folder, "pipeline.log"), "w") as log:
        subprocess.run([binary, "run", "--config", os.path.join(here, "..", "config", "newsflow.yaml"),
                        "--data-dir", folder, "--parsers", str(parsers), "--log-level", "warning"],
                       stdout=log, stderr=log, env=environment, check=True, timeout=3600)
    return time.monotonic() - started


def records(folder):
    found = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.jsonl"))):
        for line in open(path, encoding="utf-8"):
            record = json.loads(line)
            found[os.path.basename(record["source"]["uri"])] = record
    return found


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", help="newsflow binary to run the pipeline with")
    parser.add_argument("--corpus", default=os.path.join(here, "..", "..", "shared", "corpus"))
    parser.add_argument("--parsers", type=int, default=2)
    parser.add_argument("--keep", help="run in this (new) folder and keep it")
    parser.add_argument("--records", help="score this out/ folder instead of running the pipeline")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()

    stories = list(reuters(args.corpus)) + list(bbc(args.corpus))
    seconds = None
    if args.records:
        out = records(args.records)
    else:
        if not args.bin:
            parser.error("--bin or --records is needed")
        folder = args.keep or tempfile.mkdtemp(prefix="newsflow-dupes-")
        if args.keep:
            os.makedirs(folder)
        try:
            seconds = run_pipeline(args.bin, stories, args.parsers, folder)
            out = records(os.path.join(folder, "out"))
        finally:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)

    # One story per distinct text, as the sink keeps one record per id.
    sets = {}
    for name, text in stories:
        if name in out:
            tokens = shingles(text)
            if tokens:
                sets[name] = tokens
    by_id = {record["id"]: name for name, record in out.items()}
    group = {name: out[name].get("duplicate_of") or out[name]["id"] for name in sets}

    gold = similar_pairs(sets, 0.8)
    found = sum(1 for a, b in gold if group[a] == group[b])
    links = [(name, by_id.get(out[name]["duplicate_of"])) for name in sets if out[name].get("duplicate_of")]
    scored = [(a, b, jaccard(sets[a], sets[b])) for a, b in links if b in sets]
    errors = [(a, b, j) for a, b, j in scored if j < 0.5]
    figures = {
        "stories": len(stories), "records": len(out), "scored": len(sets), "gold_pairs": len(gold),
        "gold_found": found, "recall": found / max(1, len(gold)), "links": len(links),
        "links_scored": len(scored), "link_errors": len(errors),
        "precision": 1 - len(errors) / max(1, len(scored)),
        "links_under_0.8": sum(1 for _, _, j in scored if j < 0.8), "pipeline_seconds": seconds,
    }
    if args.json:
        print(json.dumps(figures))
        return
    print("Near-duplicates on %d stories (%d records, %d with shingles); gold: 5-word shingle Jaccard >= 0.8"
          % (figures["stories"], figures["records"], figures["scored"]))
    print("  gold pairs        %d" % len(gold))
    print("  recall            %.3f  (%d gold pairs in one group)" % (figures["recall"], found))
    print("  flagged links     %d  (%d scored, %d between 0.5 and 0.8)"
          % (len(links), len(scored), figures["links_under_0.8"] - len(errors)))
    print("  precision         %.3f  (%d links under 0.5 Jaccard)" % (figures["precision"], len(errors)))
    if seconds is not None:
        print("  pipeline          %.1f s" % seconds)
    missed = [(a, b, j) for (a, b), j in sorted(gold.items()) if group[a] != group[b]]
    for a, b, j in missed[:10]:
        print("  missed  %.2f  %s  %s" % (j, a, b))
    for a, b, j in errors[:10]:
        print("  wrong   %.2f  %s -> %s" % (j, a, b))


if __name__ == "__main__":
    main()
