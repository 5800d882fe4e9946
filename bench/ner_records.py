#!/usr/bin/env python3
"""What records carry, scored against a CoNLL-2003-format file's gold entities, document by document.

`ner eval` scores the entity model alone. Records carry what the model found after the rules have
refined it (roles, acronyms, folded mentions, names the rules add or drop), from text the parser has
tokenized itself. This script scores that: the measure a user of the records sees.

Each CoNLL document becomes a plain-text article: its first sentence the title line, then one paragraph
per sentence. Tokens are joined by spaces, except before closing punctuation and `'s`, and after an
opening bracket, as news text writes them. The articles go through `newsflow parse --lines`; each record's
persons, organizations and locations are compared with the gold names of PER, ORG and LOC, detokenized
the same way, as sets per document (TP, FP and FN summed over documents).

Two readings:
* exact: the sets as they are;
* folded: records fold shorter mentions into longer names (`Mammadyarov` into `Elmar Mammadyarov`),
  carry an organization's acronym beside its name, and write a dateline's city as a name (`London` for
  `LONDON`). So names are compared in lower case; in both gold and found sets, a name whose words appear
  in order inside a longer name of the same type in the document is dropped; and a gold organization
  written as the acronym a record carries counts as found.

With --model-alone, the same articles also go through `newsflow ner tag` (the model's labels on the
parser's own tokens, before any rule), scored the same way: the difference is what the rules do.

A file whose name contains "test" is refused: the test split stays out of every benchmark.

Usage: bench/ner_records.py [FILE] [--bin .build/release/newsflow] [--ner-model MODEL] [--errors N]
                            [--model-alone]
"""
import argparse, json, os, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ner_spacy import Counts, gold_spans, read_conll  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = {"persons": "PER", "organizations": "ORG", "locations": "LOC"}
NO_SPACE_BEFORE = {",", ".", ";", ":", ")", "!", "?", "%", "'s", "'S", "n't", "'"}


def detokenize(words):
    text = ""
    for word in words:
        if text and word not in NO_SPACE_BEFORE and not text.endswith("(") and not text.endswith("$"):
            text += " "
        text += word
    return text


def tagged_names(output):
    """{type: names} from `ner tag` output: `token LABEL` lines (BILOU), a blank line between sentences."""
    names = {kind: set() for kind in KINDS.values()}
    words, open_type = [], None
    for line in output.splitlines() + [""]:
        token, _, label = line.rpartition(" ")
        part, type_ = (label[:1], label[2:]) if label not in ("", "O") else ("O", None)
        if open_type and (part in ("B", "U", "O") or type_ != open_type):
            if open_type in names:
                names[open_type].add(detokenize(words))
            open_type = None
        if part in ("B", "U") or (part in ("I", "L") and open_type is None):
            words, open_type = [], type_
        if open_type:
            words.append(token)
        if part in ("L", "U") and open_type:
            if open_type in names:
                names[open_type].add(detokenize(words))
            open_type = None
    return names


def fold(names):
    """Names without those whose words appear in order inside a longer name of the same set."""
    split = {name: name.split() for name in names}

    def inside(short, long):
        return len(short) < len(long) and any(long[i:i + len(short)] == short for i in range(len(long) - len(short) + 1))

    return {name for name in names if not any(inside(split[name], split[other]) for other in names if other != name)}


def score_line(counts, label):
    scores = counts.scores()
    return "  %-5s %.4f  %.4f  %.4f  %5d  %5d" % (label, scores["precision"], scores["recall"], scores["f1"],
                                                  scores["gold"], scores["found"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", default=os.path.join(ROOT, "..", "shared", "corpus", "conll2003", "valid.txt"))
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "newsflow"))
    parser.add_argument("--ner-model", help="entity model file (default: the shipped model)")
    parser.add_argument("--errors", type=int, default=0, help="print the N most frequent misses and extras (folded)")
    parser.add_argument("--model-alone", action="store_true", help="also score `ner tag`'s spans, before the rules")
    parser.add_argument("--rule-errors", type=int, default=0,
                        help="with --model-alone: print the N most frequent names the rules lost or added wrongly (folded)")
    args = parser.parse_args()
    if "test" in os.path.basename(args.file).lower():
        sys.exit("refusing %s: the test split is not used in any way" % args.file)
    documents = read_conll(args.file)
    gold = []
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, document in enumerate(documents):
            sentences = [detokenize(words) for words, _ in document]
            names = {kind: set() for kind in KINDS.values()}
            for words, tags in document:
                for start, end, type_ in gold_spans(tags):
                    if type_ in names:
                        names[type_].add(detokenize(words[start:end]))
            gold.append(names)
            path = os.path.join(folder, "%04d.txt" % number)
            with open(path, "w") as out:
                out.write(sentences[0] + "\n\n" + "\n\n".join(sentences[1:]) + "\n")
            paths.append(path)
        model = ["--ner-model", args.ner_model] if args.ner_model else []
        run = subprocess.run([args.bin, "parse", "--lines", *model, *paths], capture_output=True, text=True)
        alone = []
        if args.model_alone:
            tag_model = ["--model", args.ner_model] if args.ner_model else []
            for path in paths:
                tagged = subprocess.run([args.bin, "ner", "tag", path, *tag_model], capture_output=True, text=True)
                alone.append(tagged_names(tagged.stdout))
        records = {}
        for line in run.stdout.splitlines():
            record = json.loads(line)
            records[int(os.path.basename(record["source"]["uri"]).split(".")[0])] = record
    exact = {kind: Counts() for kind in KINDS.values()}
    folded = {kind: Counts() for kind in KINDS.values()}
    alone_exact = {kind: Counts() for kind in KINDS.values()}
    alone_folded = {kind: Counts() for kind in KINDS.values()}
    misses, extras = {}, {}
    lost, added = {}, {}
    for number, names in enumerate(gold):
        entities = (records.get(number) or {}).get("entities") or {}
        for kind in KINDS.values() if alone else []:
            alone_exact[kind].add(names[kind], alone[number][kind])
            alone_folded[kind].add(fold({name.lower() for name in names[kind]}),
                                   fold({name.lower() for name in alone[number][kind]}))
        for key, kind in KINDS.items():
            found = {entity["name"] for entity in entities.get(key, [])}
            exact[kind].add(names[kind], found)
            acronyms = {entity["acronym"].lower() for entity in entities.get(key, []) if "acronym" in entity}
            gold_folded = fold({name.lower() for name in names[kind]})
            found_folded = fold({name.lower() for name in found}) | (acronyms & gold_folded)
            folded[kind].add(gold_folded, found_folded)
            for name in gold_folded - found_folded:
                misses[(kind, name)] = misses.get((kind, name), 0) + 1
            for name in found_folded - gold_folded:
                extras[(kind, name)] = extras.get((kind, name), 0) + 1
            if alone:
                before = fold({name.lower() for name in alone[number][kind]})
                for name in (before & gold_folded) - found_folded:
                    lost[(kind, name)] = lost.get((kind, name), 0) + 1
                for name in found_folded - gold_folded - before:
                    added[(kind, name)] = added.get((kind, name), 0) + 1
    print("%s: %d documents, %d records" % (args.file, len(documents), len(records)))
    tables = [("records, exact", exact), ("records, folded", folded)]
    if alone:
        tables += [("model alone, exact", alone_exact), ("model alone, folded", alone_folded)]
    for label, table in tables:
        total = Counts()
        print("%s (document sets)   P       R       F1     gold  found" % label)
        for kind, counts in table.items():
            print(score_line(counts, kind))
            total.tp, total.fp, total.fn = total.tp + counts.tp, total.fp + counts.fp, total.fn + counts.fn
        print(score_line(total, "all"))
    lists = [("missed", misses, args.errors), ("extra", extras, args.errors),
             ("right before the rules and lost by them", lost, args.rule_errors),
             ("wrong and added by the rules", added, args.rule_errors)]
    for title, table, count in lists:
        if count:
            print("most frequent %s (folded): %d" % (title, sum(table.values())))
            for (kind, name), times in sorted(table.items(), key=lambda item: (-item[1], item[0]))[:count]:
                print("  %3d  %-3s  %s" % (times, kind, name))


if __name__ == "__main__":
    main()
