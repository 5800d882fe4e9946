"""Helpers shared by the gazetteer generators in this folder (generate_countries.py, generate_cities.py,
generate_first_names.py). Not a script: the generators import it from their own folder.

Standard library only.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

SCRIPT_DIR = Path(__file__).resolve().parent
REPO_ROOT = SCRIPT_DIR.parent.parent
SWIFT_DIR = REPO_ROOT / "Sources" / "ArticleParsing" / "Gazetteer"

# An ISO 3166-1 alpha-2 code.
CODE_RE = re.compile(r"^[A-Z]{2}$")

# Unicode categories that names must not contain and that swift_string escapes: control and format
# characters, line and paragraph separators.
CONTROL_CATEGORIES = ("Cc", "Cf", "Zl", "Zp")


class InputError(Exception):
    """Malformed or inconsistent input. The generators print it and exit with status 2."""


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def is_control(ch: str) -> bool:
    return unicodedata.category(ch) in CONTROL_CATEGORIES


def reject_control(name: str, where: str) -> str:
    """`name` unchanged; InputError when it holds a control or format character."""
    if any(is_control(ch) for ch in name):
        raise InputError(f"{where}: control or format character in {name!r}")
    return name


def strip_diacritics(text: str) -> str:
    """NFKD with combining marks dropped ("Åland" -> "Aland"). The result is left decomposed."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def sort_key(name: str, letters: dict[int, str] | None = None) -> tuple[str, str]:
    """Alphabetical, ignoring case and diacritics ("Åland Islands" sorts with the A's); ties broken by
    the exact string so the order is total and deterministic. `letters` (a str.maketrans table) folds
    letters that decomposition leaves alone ("ł" -> "l") before the comparison."""
    folded = strip_diacritics(name)
    if letters is not None:
        folded = folded.translate(letters)
    return (folded.casefold(), name)


def swift_string(text: str) -> str:
    """A Swift string literal for `text`: backslash and quote escaped, control and format characters
    written as \\u{...}."""
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif is_control(ch):
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def doc_comment(doc: str) -> list[str]:
    """`doc` as Swift `///` documentation comment lines."""
    return [f"/// {line}" for line in doc.split("\n")]


def swift_file(header: str, lines: list[str]) -> str:
    """The generated file: `header` (`//` comment lines ending in a newline), a blank line, then
    `lines`, ending in exactly one newline."""
    return "\n".join([header, *lines]).rstrip("\n") + "\n"


def note(message: str) -> None:
    print(f"note: {message}", file=sys.stderr)


def argument_parser(doc: str | None) -> argparse.ArgumentParser:
    """A parser whose help shows the generator's docstring as written. Add the generator's own options,
    then add_output_arguments()."""
    return argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)


def add_output_arguments(parser: argparse.ArgumentParser, default_output: Path) -> None:
    parser.add_argument("--output", type=Path, default=default_output, help="Swift file to write")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if the output is stale")


def input_failure(error: Exception) -> int:
    """Report an input error; the exit status for it."""
    print(f"error: {error}", file=sys.stderr)
    return 2


def write_or_check(text: str, output: Path, check: bool, script: str, summary: str) -> int:
    """With `check`, compare `text` with `output` without writing: 0 when equal, 1 (and a message naming
    `script`) when the file is missing or different. Otherwise write `text` to `output` and print
    `summary` on stderr. Returns the exit status."""
    if check:
        current = output.read_text(encoding="utf-8") if output.exists() else None
        if current != text:
            print(f"{output} is out of date: run {script}", file=sys.stderr)
            return 1
        return 0

    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output}: {summary}", file=sys.stderr)
    return 0
