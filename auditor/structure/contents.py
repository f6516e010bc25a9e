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
    """Where the body begins after a table of contents: where the contents' first entries appear again.

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
                return k
    return None


def _listed_entry(lines: list[L], k: int) -> bool:
    """Still inside the contents: the next lines are headings too, with no prose between."""
    following = [ln.text for ln in lines[k + 1:k + 4]]
    return len(following) == 3 and all(_heading_key(t) for t in following)


def skip_table_of_contents(lines: list[L]) -> list[L]:
    """The lines without the table of contents, if one follows its marker ("TABLE OF CONTENTS", "ÍNDICE")."""
    limit = max(40, len(lines) // 8)
    start = next((i for i, ln in enumerate(lines[:limit]) if TOC.match(ln.text)), None)
    if start is None:
        return lines
    body = _end_of_contents(lines, start)
    if body is not None:
        return lines[:start] + lines[body:]
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
    return lines[:start] + lines[end:]
