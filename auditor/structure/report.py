"""The structure report: how many heading-like lines became articles, gaps, duplicates, and warnings.

An agreement read as one provision has no e-commerce chapter and no cultural exception, and an audit
of it would report their absence with confidence. The report says when the reading is doubtful, in
the parse and in the audit, so that absence is never asserted from a text that was not read.
"""

from __future__ import annotations

import re
from collections import Counter

from auditor.model import Agreement, StructureReport
from auditor.numbering import number_value

# What a reader sees as an article heading: the word and a number at the start of a line.
HEADING_LIKE = re.compile(r"^\s*(?:Article|ARTICLE|Art[íi]culo|ART[ÍI]CULO|Art\.)\s+(?:[–—-]\s*)?"
                          r"(?:\d+|[IVXLC]+)\b")
WEAK_SHARE = 0.6  # fewer articles than this share of the heading-like lines: the reading is doubtful
MAX_GAP = 5  # consecutive article numbers further apart than this are not one sequence with holes
LONG_TEXT = 20_000  # characters: a text this long read as one or two provisions was not understood


def structure_report(agreement: Agreement, body_lines: list[str], *, contents_skipped: bool) -> StructureReport:
    heading_lines = sum(1 for line in body_lines if HEADING_LIKE.match(line))
    numbered = [p for p in agreement.provisions if p.number and p.kind in ("article", "final", "annex-article")]
    main = [p.number for p in numbered if p.annex is None]
    counts = Counter(main)
    duplicates = sorted((n for n, c in counts.items() if c > 1), key=lambda n: number_value(n) or (0,))
    report = StructureReport(heading_lines=heading_lines, articles=len(numbered), numbering_gaps=_gaps(main),
                             duplicates=duplicates, contents_skipped=contents_skipped,
                             divisions=len(agreement.divisions))
    text_length = sum(len(p.text) for p in agreement.provisions)
    if heading_lines >= 5 and len(numbered) < WEAK_SHARE * heading_lines:
        report.warnings.append(f"Only {len(numbered)} of {heading_lines} lines that look like article headings "
                               "became articles: the structure of this text was not fully recognised, so a "
                               "clause the audit reports as absent may be in the text.")
    if len(agreement.provisions) <= 2 and text_length > LONG_TEXT:
        report.warnings.append(f"The text ({text_length:,} characters) was read as {len(agreement.provisions)} "
                               "provision(s): its articles were not recognised, so the audit cannot say what it "
                               "lacks.")
    if agreement.incorporates:
        report.warnings.append(f"This agreement incorporates {', '.join(agreement.incorporates)} by reference: "
                               "what it contains is mostly in that text, which was not read here.")
    if len(report.numbering_gaps) > max(5, len(main) // 10):
        report.warnings.append(f"{len(report.numbering_gaps)} article numbers are missing from the sequence "
                               f"(first: {', '.join(report.numbering_gaps[:5])}).")
    return report


def _gaps(numbers: list[str]) -> list[str]:
    """Numbers missing inside runs of plain or chapter-qualified numbering (1, 2, 4 -> 3; 2.1, 2.3 -> 2.2)."""
    by_prefix: dict[tuple[int, ...], set[int]] = {}
    for number in numbers:
        value = number_value(number)
        if value and len(value) <= 2 and re.fullmatch(r"[\d.]+", number):
            by_prefix.setdefault(value[:-1], set()).add(value[-1])
    missing = []
    for prefix, seen in sorted(by_prefix.items()):
        if len(seen) < 3:
            continue
        ordered = sorted(seen)
        for a, b in zip(ordered, ordered[1:]):
            if b - a <= MAX_GAP:  # a longer jump is another numbering (a schedule, a year), not lost articles
                missing += [".".join(str(v) for v in (*prefix, n)) for n in range(a + 1, b)]
    return missing
