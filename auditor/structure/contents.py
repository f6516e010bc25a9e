"""Tables of contents: recognised, and kept out of the provisions.

A table of contents lists the headings the body then repeats, so it ends where its first entries
appear again; that holds for a text with no pages as for a PDF whose contents run over pages. When
the body repeats none of them, the pages after the marker that read like contents go.
"""

from __future__ import annotations

import re
from typing import Protocol, TypeVar

from auditor.structure.headings import TOC, match_heading


class _LineLike(Protocol):
    text: str
    page: int


L = TypeVar("L", bound=_LineLike)


def _toc_like(page_lines: list[L]) -> bool:
    if not page_lines:
        return False
    if any(match_heading(ln.text) and match_heading(ln.text).kind == "preamble" for ln in page_lines):
        return False
    headingish = sum(
        1 for ln in page_lines
        if re.match(r"^\s*(chapter|annex|article|appendix|section|part|title|capítulo|anexo|chapitre|annexe)\b", ln.text, re.I)
        or re.search(r"\.{3,}\s*\d+\s*$|\s\d{1,4}\s*$", ln.text)
    )
    return headingish / len(page_lines) >= 0.3


_TOC_KINDS = ("preamble", "chapter", "part", "section", "article", "annex", "protocol")


def _heading_key(text: str) -> tuple[str, str | None] | None:
    heading = match_heading(text)
    if heading is None or heading.kind not in _TOC_KINDS:
        return None
    return heading.kind, heading.number


def _end_of_contents(lines: list[L], start: int) -> int | None:
    found = _repeated_entry(lines, start)
    return found[1] if found else None


def _repeated_entry(lines: list[L], start: int) -> tuple[int, int] | None:
    """(entry, repeat): the first of the contents' first entries that the body repeats, and where it does.

    A table of contents lists the headings the body then repeats ("CHAPTER 1 GENERAL PROVISIONS",
    "Article 1.1 ..."), so the body starts at the next occurrence of its first entry (or, if the
    body does not repeat that one, of its second or third). This holds for a text with no pages as
    for a PDF whose contents run over several pages.
    """
    keys: list[tuple[int, tuple[str, str | None]]] = []
    for j in range(start + 1, min(start + 60, len(lines))):
        key = _heading_key(lines[j].text)
        if key and key not in [k for _, k in keys]:
            keys.append((j, key))
            if len(keys) == 3:
                break
    for position, key in keys:
        for k in range(position + 1, len(lines)):
            if _heading_key(lines[k].text) == key and not _listed_entry(lines, k):
                return position, k  # (the entry in the contents, where the body repeats it)
    return None


def _listed_entry(lines: list[L], k: int) -> bool:
    """Still inside the contents: the next lines are headings too, with no prose between."""
    following = [ln.text for ln in lines[k + 1:k + 4]]
    return len(following) == 3 and all(_heading_key(t) for t in following)


UNMARKED_RUN = 8  # headings in a row, with no prose between, before an unmarked list is taken for contents


def _is_prose(text: str) -> bool:
    return len(text) > 120 or text.rstrip().endswith((".", ";", ":", ","))


def _dense_run(lines: list[L], begin: int) -> int | None:
    """Where the next run of headings with no prose between them begins (a table of contents with no marker)."""
    run_start, run = None, 0
    for i in range(begin, len(lines)):
        text = lines[i].text
        if len(text) <= 100 and _heading_key(text) and not match_heading(text).body:
            if run == 0:
                run_start = i
            run += 1
            if run >= UNMARKED_RUN:
                return run_start
        elif _is_prose(text):
            run = 0  # the headings so far had text under them
    return None


def _no_prose(span: list[L]) -> bool:
    return bool(span) and sum(_is_prose(ln.text) for ln in span) <= 0.15 * len(span)


def _skip_unmarked(lines: list[L]) -> list[L]:
    """Drop lists of headings that have no marker above them (the whole agreement's, or a protocol's own).

    Some collections drop the "Contents" line and keep the list; protocols on rules of origin carry their own
    list. A run counts only if the body repeats its first entries and nothing between is prose.
    """
    begin = 0
    while (run := _dense_run(lines, begin)) is not None:
        found = _repeated_entry(lines, run - 1)
        if found is None or not _no_prose(lines[found[0]:found[1]]):
            begin = run + UNMARKED_RUN
            continue
        # The list starts at its first entry that the body repeats: a protocol's own heading above its list stays.
        lines = lines[:found[0]] + lines[found[1]:]
        begin = found[0]
    return lines


def skip_table_of_contents(lines: list[L]) -> list[L]:
    """The lines without tables of contents: one after its marker ("TABLE OF CONTENTS", "ÍNDICE"), or unmarked."""
    limit = max(40, len(lines) // 8)
    start = next((i for i, ln in enumerate(lines[:limit]) if TOC.match(ln.text)), None)
    if start is None:
        return _skip_unmarked(lines)
    body = _end_of_contents(lines, start)
    if body is not None:
        return lines[:start] + _skip_unmarked(lines[body:])
    toc_page = lines[start].page
    end = start
    while end < len(lines) and lines[end].page == toc_page:
        end += 1
    while end < len(lines):
        page = lines[end].page
        page_lines = [ln for ln in lines[end:] if ln.page == page]
        if not _toc_like(page_lines):
            break
        end += len(page_lines)
    return lines[:start] + _skip_unmarked(lines[end:])
