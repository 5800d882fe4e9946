"""Validate every line of every out/*.jsonl file against the record JSON Schema, with jsonschema.

Usage: validate_records.py SCHEMA OUT_DIR
Prints "N records valid" and exits 0, or lists the first problems and exits 1.
"""
import json
import pathlib
import sys

import jsonschema


def main() -> int:
    schema = json.loads(pathlib.Path(sys.argv[1]).read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    problems, count = [], 0
    for path in sorted(pathlib.Path(sys.argv[2]).glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            count += 1
            for error in validator.iter_errors(json.loads(line)):
                problems.append(f"{path.name}:{number}: {error.json_path}: {error.message}")
    if problems:
        print("\n".join(problems[:20]))
        print(f"{len(problems)} problems in {count} records")
        return 1
    print(f"{count} records valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
