"""How well the structure stage reads agreements that other collections extracted (shared/corpus/wild/).

For each text, the expected article numbers are the distinct numbers that start a line as a heading a
reader sees: "Article", "ARTICLE", "Artículo", "Art." and a number (1, 1.1, 8.61-F, 132-A, or a Roman
numeral), then the end of the line, a colon, dash or full stop, or a capitalised title. They are found
on the decoded text with one regular expression, independently of the engine. The score of a text is
the share of them that the parse has among its provisions' numbers. Texts with fewer than five such
headings are listed but not scored.

Targets (issue 12): >= 97 % overall, at most 2 texts under 80 %, nothing refused, the whole folder
parsed in <= 30 s on the 2-core machine.
Usage: python benchmarks/structure_wild.py [--worst 25] [--file NAME]
"""

from __future__ import annotations

import argparse
import re
import time
import unicodedata

from _common import CORPUS

from auditor.errors import AuditError
from auditor.pipeline import parse_file

WILD = CORPUS / "wild"
_NUMBER = r"((?:\d+|[IVXLC]+)(?:[.\-–]\d+)*(?:-[A-Z]{1,2}\b)?)"
HEADING = re.compile(r"^[ \t]*(?:Article|ARTICLE|Art[íi]culo|ART[ÍI]CULO|Art\.)[ \t]+(?:[–—-][ \t]*)?" + _NUMBER
                     + r"[ \t]*(?:$|[:.\-–—]|[ \t]+[A-ZÁÉÍÓÚÑ])", re.MULTILINE)


# Texts stored as one line (or with headings run into the text) have no line-start headings; for them the
# expected numbers are "Article N" (digits, spaced digits, Roman numerals or words) after the end of a
# sentence and before a capitalised word or paragraph 1.
INLINE = re.compile(r"(?:^|(?<=[.;:”\"’)\]])|(?<=[A-Z]{2}))\s+(?:Article|ARTICLE|Art[íi]culo|ART[ÍI]CULO)\s+"
                    r"(\d{1,3}|\d(?: \d){1,2}(?=\s+[A-Z])|[IVXLC]+|[A-Z][a-z]+(?:[- ][A-Za-z][a-z]+)?)\.?\s+"
                    r"(?:\(?1[.)]\s*)?[A-Z(“\"]")
_NOT_NUMBERS = {"THE", "THIS", "THAT", "OF"}


def normalise(number: str) -> str:
    number = unicodedata.normalize("NFKC", number).upper().replace("–", "-").replace("—", "-")
    return re.sub(r"\s+", "", number).rstrip(".")


def expected_numbers(raw: bytes) -> set[str]:
    from auditor.ingest.markup import decode_text

    text = decode_text(raw).replace("\r\n", "\n").replace("\r", "\n")
    return {normalise(m.group(1)) for m in HEADING.finditer(text)}


def inline_numbers(raw: bytes) -> set[str]:
    from auditor.ingest.markup import decode_text
    from auditor.numbering import normalise_number

    found = set()
    for m in INLINE.finditer(decode_text(raw)):
        number = m.group(1).replace(" ", "")
        if number.upper() not in _NOT_NUMBERS:
            found.add(normalise(normalise_number(number) or number))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worst", type=int, default=25, help="list this many lowest-scoring texts")
    parser.add_argument("--file", help="one file: print the numbers missed and found")
    args = parser.parse_args()
    paths = sorted(p for p in WILD.iterdir() if p.is_file() and p.name != "README.md")
    if args.file:
        paths = [WILD / args.file]
    rows, refused, warned = [], [], []
    started = time.perf_counter()
    for path in paths:
        raw = path.read_bytes()
        expected = expected_numbers(raw)
        inline = inline_numbers(raw) if len(expected) < 5 else set()
        try:
            agreement = parse_file(path)
        except AuditError as exc:
            refused.append((path.name, str(exc)))
            continue
        found = {normalise(p.number) for p in agreement.provisions if p.number}
        rows.append((path.name, expected, found, len(agreement.provisions), inline))
        if agreement.structure_report.warnings:
            warned.append(path.name)
        if args.file:
            expected = expected or inline
            print("missed:", sorted(expected - found, key=lambda n: (len(n), n)))
            print("parsed:", sorted(found, key=lambda n: (len(n), n))[:200])
    seconds = time.perf_counter() - started
    scored = [(name, len(e & f) / len(e), len(e), n) for name, e, f, n, _ in rows if len(e) >= 5]
    hits = sum(len(e & f) for _, e, f, _, _ in rows if len(e) >= 5)
    total = sum(len(e) for _, e, _, _, _ in rows if len(e) >= 5)
    inline = [(name, len(i & f) / len(i), len(i), n) for name, _, f, n, i in rows if len(i) >= 5]
    inline_hits = sum(len(i & f) for _, _, f, _, i in rows if len(i) >= 5)
    inline_total = sum(len(i) for _, _, _, _, i in rows if len(i) >= 5)
    under = [s for s in scored if s[1] < 0.8]
    print(f"{len(paths)} texts parsed in {seconds:.1f} s (target <= 30 s); {len(refused)} refused (target 0)")
    print(f"{len(scored)} texts with >= 5 numbered article headings: {hits:,} of {total:,} heading numbers found = "
          f"{hits / max(total, 1):.1%} overall (target >= 97 %); {len(under)} texts under 80 % (target <= 2); "
          f"{sum(1 for s in scored if s[3] <= 2)} read as one or two provisions")
    print(f"{len(inline)} texts without line-start headings (one-line extractions): {inline_hits:,} of "
          f"{inline_total:,} run-in article numbers found = {inline_hits / max(inline_total, 1):.1%}; "
          f"{sum(1 for s in inline if s[1] < 0.8)} texts under 80 %")
    print(f"{len(warned)} of {len(rows)} texts carry a structure warning (the parse says its reading is doubtful), "
          "among them texts stored as one line or numbered in ways the heading count above does not see")
    print(f"\n{'text':<34} {'found':>6} {'of':>5} {'provisions':>10}")
    for name, share, count, provisions in sorted(scored, key=lambda s: s[1])[:args.worst]:
        print(f"{name:<34} {share:6.0%} {count:5d} {provisions:10d}")
    if inline:
        print(f"\n{'one-line text':<34} {'found':>6} {'of':>5} {'provisions':>10}")
        for name, share, count, provisions in sorted(inline, key=lambda s: s[1])[:args.worst // 2]:
            print(f"{name:<34} {share:6.0%} {count:5d} {provisions:10d}")
    for name, error in refused:
        print(f"REFUSED {name}: {error}")


if __name__ == "__main__":
    main()
