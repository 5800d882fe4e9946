#!/usr/bin/env python3
"""Entity recognition against Reuters-21578's document-level tags: a signal, not a gold standard.

Reuters-21578 stories carry <PEOPLE> (surnames, `james-baker`) and <ORGS> (short names, `imf`) tags
that list some of the people and organizations a story is about. This script parses every story with
`newsflow parse` (title, blank line, dateline and body, as `newsflow bench parse` reads them) and reports:

  people found      share of PEOPLE tags whose surname is the last word of a person in the record
  persons matching  share of the record's persons, in stories with PEOPLE tags, whose last word is a
                    tagged surname (a floor on precision: the tags leave many people out)
  orgs found        share of ORGS tags equal to an organization's name, its initials, or the acronym the
                    record gives it (`oecd` for the Organisation for Economic Cooperation and Development)
  ... by name       the same without the record's acronyms (the measure before records carried them)

Usage: bench/entities_reuters.py --bin .build/release/newsflow [--ner-model FILE] [--corpus ../shared/corpus/reuters21578]
"""
import argparse, glob, json, os, re, subprocess, tempfile


def stories(corpus):
    for path in sorted(glob.glob(os.path.join(corpus, "*.sgm"))):
        text = open(path, encoding="utf-8", errors="replace").read()
        for story in text.split("</REUTERS>"):
            body = re.search(r"<TEXT[^>]*>(.*?)</TEXT>", story, re.S)
            if not body:
                continue
            def element(name, within):
                match = re.search(r"<%s[^>]*>(.*?)</%s>" % (name, name), within, re.S)
                return match.group(1) if match else ""
            def tags(name):
                return re.findall(r"<D>(.*?)</D>", element(name, story))
            inner = body.group(1)
            yield (element("TITLE", inner) + "\n\n" + element("DATELINE", inner) + element("BODY", inner),
                   tags("PEOPLE"), tags("ORGS"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True)
    parser.add_argument("--ner-model", help="entity model file (default: the shipped model)")
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--corpus", default=os.path.join(here, "..", "..", "shared", "corpus", "reuters21578"))
    args = parser.parse_args()
    items = list(stories(args.corpus))
    records = {}
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, (text, _, _) in enumerate(items):
            path = os.path.join(folder, "%05d.txt" % number)
            open(path, "w").write(text)
            paths.append(path)
        for start in range(0, len(paths), 500):
            model = ["--ner-model", args.ner_model] if args.ner_model else []
            run = subprocess.run([args.bin, "parse", "--lines", *model, *paths[start:start + 500]],
                                 capture_output=True, text=True)
            for line in run.stdout.splitlines():
                record = json.loads(line)
                records[int(os.path.basename(record["source"]["uri"]).split(".")[0])] = record
    people = found = persons = matching = orgs = orgs_found = orgs_by_name = 0
    for number, (_, people_tags, org_tags) in enumerate(items):
        record = records.get(number)
        entities = (record or {}).get("entities") or {}
        names = [p["name"] for p in entities.get("persons", [])]
        last_words = {name.split()[-1].lower() for name in names}
        surnames = [tag.split("-")[-1] for tag in people_tags]
        if people_tags:
            people += len(surnames)
            found += sum(1 for surname in surnames if surname in last_words)
            persons += len(names)
            matching += sum(1 for name in names if name.split()[-1].lower() in surnames)
        if org_tags:
            lowered = [o["name"].lower() for o in entities.get("organizations", [])]
            initials = ["".join(word[0] for word in name.split() if word[0].isalpha()) for name in lowered]
            acronyms = [o["acronym"].lower() for o in entities.get("organizations", []) if "acronym" in o]
            orgs += len(org_tags)
            orgs_by_name += sum(1 for tag in org_tags if tag in lowered or tag in initials)
            orgs_found += sum(1 for tag in org_tags if tag in lowered or tag in initials or tag in acronyms)
    print("Reuters-21578 tags: %d stories, %d parsed" % (len(items), len(records)))
    print("  people found      %.3f  (%d PEOPLE tags)" % (found / max(1, people), people))
    print("  persons matching  %.3f  (%d persons in stories with PEOPLE tags)" % (matching / max(1, persons), persons))
    print("  orgs found        %.3f  (%d ORGS tags)" % (orgs_found / max(1, orgs), orgs))
    print("  ... by name       %.3f  (names and initials only)" % (orgs_by_name / max(1, orgs)))


if __name__ == "__main__":
    main()
