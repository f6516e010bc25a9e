"""The lines the text parser reads, and the provisions it builds from them, before assembly."""

from __future__ import annotations

from dataclasses import dataclass, field

from auditor.model import DivisionRef, Footnote, IngestedDocument


@dataclass
class Line:
    """One non-blank line of the cleaned pages, with the footnotes anchored in it."""

    page: int
    text: str
    notes: list[Footnote] = field(default_factory=list)
    blank_before: bool = False
    page_start: bool = False


@dataclass
class Builder:
    """A provision being read: its heading, its divisions and its lines so far."""

    kind: str
    number: str | None
    title: str | None
    part: DivisionRef | None
    chapter: DivisionRef | None
    section: DivisionRef | None
    subsection: DivisionRef | None
    annex: DivisionRef | None
    page: int | None
    lines: list[Line] = field(default_factory=list)



def flatten(doc: IngestedDocument) -> list[Line]:
    out: list[Line] = []
    for page in doc.pages:
        notes_by_line: dict[int, list[Footnote]] = {}
        for note in page.footnotes:
            anchor = page.footnote_anchors.get(note.number)
            notes_by_line.setdefault(anchor if anchor is not None else len(page.lines) - 1, []).append(note)
        blank = False
        first = True
        pending: list[Footnote] = []
        for i, text in enumerate(page.lines):
            pending.extend(notes_by_line.get(i, []))
            if not text.strip():
                blank = True
                continue
            out.append(Line(page=page.number, text=text.strip(), notes=pending, blank_before=blank, page_start=first))
            pending = []
            blank = False
            first = False
        if pending and out:
            out[-1].notes.extend(pending)
    return out
