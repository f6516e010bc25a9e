"""Structure: clean pages (or a ToTA outline) -> ``Agreement`` with divisions and provisions.

The stage is a few modules with one job each: ``headings`` (the shape of a heading line), ``contents``
(tables of contents, kept out of the provisions), ``sequence`` (which heading-shaped lines really open
articles and chapters), ``titles``, the divisions (here: which Part, Chapter, Section or Annex each
provision sits in), ``assembly`` (text, ids, paragraphs), ``instruments`` (amendments and incorporation)
and ``report`` (how sure the reading is).
"""

from __future__ import annotations

import re

from auditor.model import Agreement, DivisionRef, IngestedDocument, PageInfo
from auditor.numbering import number_value
from auditor.structure.assembly import assemble
from auditor.structure.contents import skip_table_of_contents
from auditor.structure.headings import FINAL_CLAUSE, Heading, document_acronyms, match_heading
from auditor.structure.instruments import amendments, incorporated_agreements
from auditor.structure.lines import Builder, Line, flatten
from auditor.structure.outline import FINAL_CHAPTER, from_outline
from auditor.structure.report import structure_report
from auditor.structure.sequence import NumberingSequence
from auditor.structure.dates import date_signed
from auditor.structure.titles import TitleReader, cover_date, guess_title


def structure(doc: IngestedDocument) -> Agreement:
    meta = doc.metadata
    agreement = Agreement(
        title=meta.title,
        parties=meta.parties,
        date_signed=meta.date_signed,
        date_into_force=meta.date_into_force,
        language=meta.language,
        source=meta.source,
        format=meta.format,
        treaty_identifier=meta.treaty_identifier,
        pages=len(doc.pages),
        encoding=meta.encoding,
        page_info=[PageInfo(number=p.number, source=p.source, ocr_confidence=p.ocr_confidence) for p in doc.pages],
    )
    if doc.outline is not None:
        return from_outline(agreement, doc.outline)
    lines = flatten(doc)
    texts = [ln.text for ln in lines]
    acronyms = document_acronyms(texts)
    if agreement.title is None:
        agreement.title = guess_title(lines, acronyms)
    if agreement.date_signed is None:
        agreement.date_signed = cover_date(lines) or date_signed(texts)
    body = skip_table_of_contents(lines)
    agreement = _TextParser(agreement, body, acronyms).parse()
    agreement.incorporates = incorporated_agreements(agreement.text)
    agreement.amendments = amendments(agreement.text, agreement.incorporates[0] if len(agreement.incorporates) == 1
                                      else None)
    agreement.structure_report = structure_report(agreement, [ln.text for ln in body],
                                                  contents_skipped=len(body) < len(lines))
    return agreement


# --------------------------------------------------------------------------- text


class _TextParser:
    """Walks the body lines once, keeping track of the divisions each provision sits in."""

    def __init__(self, agreement: Agreement, lines: list[Line], acronyms: frozenset[str] = frozenset()) -> None:
        self.agreement = agreement
        self.lines = lines
        self.sequence = NumberingSequence(lines)
        self.titles = TitleReader(lines, acronyms)
        self.part: DivisionRef | None = None
        self.chapter: DivisionRef | None = None
        self.section: DivisionRef | None = None
        self.subsection: DivisionRef | None = None
        self.annex: DivisionRef | None = None
        self.current: Builder | None = None
        self.builders: list[Builder] = []

    def parse(self) -> Agreement:
        i = 0
        lines = self.lines
        seen_body_heading = False
        while i < len(lines):
            line = lines[i]
            heading = match_heading(line.text)
            if heading and heading.kind == "preamble" and not seen_body_heading:
                if self.current is not None and self.current.kind == "preamble":
                    self.current.kind = "front-matter"  # the title page, already read as the title
                self._start("preamble", None, "Preamble", line)
                i += 1
                continue
            if heading and heading.kind == "article" \
                    and self.sequence.accept_article(i, heading, self.chapter, self.annex):
                i = self._open_article(i, heading)
                seen_body_heading = True
                continue
            if heading and heading.kind in ("chapter", "part", "section", "subsection", "annex", "protocol") \
                    and self.sequence.accept_division(i, heading):
                i = self._open_division(i, heading)
                seen_body_heading = True
                continue
            if FINAL_CLAUSE.match(line.text) and seen_body_heading and self.annex is None and (
                self.current is None or self.current.kind != "final" or self.current.number is not None
            ):
                self._start("final", None, "Final clause", line)
            if self.current is None:
                self._start("preamble" if not seen_body_heading else "article", None,
                            "Preamble" if not seen_body_heading else None, line)
            self.current.lines.append(line)
            i += 1
        vocabulary = set(map(str.lower, re.findall(r"[A-Za-zÀ-ÿ]{3,}", "\n".join(ln.text for ln in lines))))
        return assemble(self.agreement, self.builders, vocabulary)

    def _open_article(self, i: int, heading: Heading) -> int:
        line = self.lines[i]
        title, j = self.titles.take(i, heading, upper_only=False)
        self.sequence.last_article = number_value(heading.number)
        self.sequence.container_changed = False
        final_chapter = self.chapter and self.chapter.title and FINAL_CHAPTER.search(self.chapter.title)
        kind = "annex-article" if self.annex else ("final" if final_chapter else "article")
        self._start(kind, heading.number, title, line)
        if heading.body:
            self.current.lines.append(Line(page=line.page, text=heading.body, notes=list(line.notes)))
        else:
            self._carry_notes(self.lines[i:j])
        return j

    def _open_division(self, i: int, heading: Heading) -> int:
        line = self.lines[i]
        title, j = self.titles.take(i, heading, upper_only=heading.kind != "annex")
        ref = self._division(heading, title)
        if ref.kind == "chapter":
            self.chapter, self.section, self.subsection, self.annex = ref, None, None, None
            self.sequence.last_chapter = number_value(ref.number)
            self.current = None
        elif ref.kind in ("part", "title") and self._inside_container(ref):
            self.section, self.subsection = ref, None  # a protocol's own Titles: "Protocol 3 › Title II"
            self.current = None
        elif ref.kind in ("part", "title"):
            self.part, self.chapter, self.section, self.subsection, self.annex = ref, None, None, None, None
            self.current = None
        elif ref.kind == "section":
            self.section, self.subsection = ref, None
            self.current = None
        elif ref.kind == "subsection":
            self.subsection = ref
            self.current = None
        else:  # annex or protocol: a container of its own
            self.annex, self.section, self.subsection = ref, None, None
            self._start("annex-article", None, ref.title, line)
        self.sequence.container_changed = True
        self._carry_notes(self.lines[i:j])
        return j

    def _start(self, kind: str, number: str | None, title: str | None, line: Line) -> None:
        self.current = Builder(kind=kind, number=number, title=title or None, part=self.part, chapter=self.chapter,
                               section=self.section, subsection=self.subsection, annex=self.annex, page=line.page)
        self.builders.append(self.current)

    def _division(self, heading: Heading, title: str) -> DivisionRef:
        kind = heading.kind
        if kind == "part" and self.sequence.parts_are_chapters:
            kind = "chapter"
        elif kind == "part" and heading.word.upper() in ("TITLE", "TITRE", "TÍTULO", "TITULO"):
            kind = "title"  # cited as the agreement names it: "Title IV", not "Part IV"
        ref = DivisionRef(kind=kind, number=heading.number, title=title or None)
        self.agreement.divisions.append(ref)
        return ref

    def _inside_container(self, ref: DivisionRef) -> bool:
        """A Part or Title that restarts its numbering inside an annex or protocol divides that container."""
        if self.annex is None:
            return False
        value, last = number_value(ref.number), number_value(self.part.number) if self.part else None
        return value is None or last is None or value <= last or self.section is not None

    def _carry_notes(self, heading_lines: list[Line]) -> None:
        """Footnotes anchored in a heading or title line belong to the provision it opens."""
        notes = [n for ln in heading_lines for n in ln.notes]
        if notes and self.current is not None:
            self.current.lines.append(Line(page=heading_lines[0].page, text="", notes=notes))


__all__ = ["structure"]
