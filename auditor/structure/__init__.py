"""Structure: clean pages (or a ToTA outline) -> ``Agreement`` with divisions and provisions.

The parser walks the body lines once. A heading-shaped line only opens an
article when the numbering agrees (RCEP's wrapped cross-references such as
"Article 10.8 (Reservations ..." start lines too), so each accepted heading is
checked against the article and chapter numbers seen so far.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from auditor.model import (
    Agreement,
    DivisionRef,
    Footnote,
    IngestedDocument,
    OutlineArticle,
    PageInfo,
    Paragraph,
    Provision,
)
from auditor.numbering import number_value
from auditor.structure.contents import skip_table_of_contents
from auditor.structure.headings import (
    ENUMERATOR,
    FINAL_CLAUSE,
    PARAGRAPH_NUMBER,
    TOC,
    Heading,
    document_acronyms,
    is_upper_line,
    looks_like_title_line,
    match_heading,
    tidy_title,
)
from auditor.structure.instruments import amendments, incorporated_agreements
from auditor.structure.report import structure_report

_FINAL_CHAPTER = re.compile(r"final (provisions|clauses)|disposiciones finales|dispositions finales", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;:!?)\]”\"']\s*$")
# A wrapped title breaks after a connector ("... of the Parties and") or runs on in capitalised words.
_CONNECTOR_END = re.compile(r"\b(of|and|the|for|on|in|to|between|with|by|or|under|from|at|than|including|upon|within"
                            r"|pursuant|see|de|del|y|et|des|du|en|la|le|los|las|conforme|según|selon|sous)\s*$",
                            re.IGNORECASE)

_LAST_WORD = re.compile(r"([A-Za-zÀ-ÿ]+)-$")
_FIRST_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")
# Words a provision's first sentence opens with, and a title's wrapped second line does not.
_SENTENCE_OPENING = re.compile(r"^(The|A|An|Each|No|Nothing|This|These|Where|When|If|Unless|Notwithstanding|Subject"
                               r"|For the purposes|El|La|Los|Las|Cada|Ninguna|Nada|Le|Les|Chaque|Aucune|Aucun)\s")
_CONNECTOR_START = re.compile(r"^(and|of|for|on|in|to|between|with|by|or|y|et|de)\b", re.IGNORECASE)


def _all_capitalised(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-zÀ-ÿ][\w\-’']*", text) if len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words)


@dataclass
class _Line:
    page: int
    text: str
    notes: list[Footnote] = field(default_factory=list)
    blank_before: bool = False
    page_start: bool = False


@dataclass
class _Builder:
    kind: str
    number: str | None
    title: str | None
    part: DivisionRef | None
    chapter: DivisionRef | None
    section: DivisionRef | None
    subsection: DivisionRef | None
    annex: DivisionRef | None
    page: int | None
    lines: list[_Line] = field(default_factory=list)


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
        return _from_outline(agreement, doc.outline)
    lines = _flatten(doc)
    acronyms = document_acronyms([ln.text for ln in lines])
    if agreement.title is None:
        agreement.title = _guess_title(lines, acronyms)
    body = skip_table_of_contents(lines)
    agreement = _TextParser(agreement, body, acronyms).parse()
    agreement.incorporates = incorporated_agreements(agreement.text)
    agreement.amendments = amendments(agreement.text, agreement.incorporates[0] if len(agreement.incorporates) == 1
                                      else None)
    agreement.structure_report = structure_report(agreement, [ln.text for ln in body],
                                                  contents_skipped=len(body) < len(lines))
    return agreement


# --------------------------------------------------------------------------- ToTA


def _from_outline(agreement: Agreement, outline: list[OutlineArticle]) -> Agreement:
    chunks: list[str] = []
    offset = 0
    seen_divisions: dict[tuple[str | None, str | None], DivisionRef] = {}
    for art in outline:
        chapter = None
        is_preamble = bool(art.chapter_title and re.match(r"^\s*(preamble|préambule|preámbulo)", art.chapter_title, re.I))
        if art.chapter_title or art.chapter_number:
            key = (art.chapter_number, art.chapter_title)
            if key not in seen_divisions:
                seen_divisions[key] = DivisionRef(kind="preamble" if is_preamble else "chapter",
                                                  number=art.chapter_number, title=art.chapter_title)
                agreement.divisions.append(seen_divisions[key])
            chapter = seen_divisions[key] if not is_preamble else None
        kind = "preamble" if is_preamble else ("final" if art.chapter_title and _FINAL_CHAPTER.search(art.chapter_title) else "article")
        text = art.text.strip()
        start = offset
        chunks.append(text)
        offset += len(text) + 2
        treaty = agreement.treaty_identifier or "x"
        agreement.provisions.append(
            Provision(
                id=f"tota:{treaty}:{art.identifier}",
                kind=kind,
                number=art.number,
                title=art.title,
                chapter=chapter,
                text=text,
                paragraphs=_paragraphs(text),
                start=start,
                end=start + len(text),
            )
        )
    agreement.text = "\n\n".join(chunks)
    return agreement


# --------------------------------------------------------------------------- text


def _flatten(doc: IngestedDocument) -> list[_Line]:
    out: list[_Line] = []
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
            out.append(_Line(page=page.number, text=text.strip(), notes=pending, blank_before=blank, page_start=first))
            pending = []
            blank = False
            first = False
        if pending and out:
            out[-1].notes.extend(pending)
    return out


def _guess_title(lines: list[_Line], acronyms: frozenset[str] = frozenset()) -> str | None:
    if not lines:
        return None
    first_page = lines[0].page
    head: list[str] = []
    for line in lines:
        if line.page != first_page or len(head) >= 4 or match_heading(line.text) or TOC.match(line.text):
            break
        head.append(line.text)
    title = tidy_title(" ".join(head), acronyms) if head else None
    return title[:300] if title else None


class _TextParser:
    def __init__(self, agreement: Agreement, lines: list[_Line], acronyms: frozenset[str] = frozenset()) -> None:
        self.agreement = agreement
        self.acronyms = acronyms
        self.lines = lines
        self.part: DivisionRef | None = None
        self.chapter: DivisionRef | None = None
        self.section: DivisionRef | None = None
        self.subsection: DivisionRef | None = None
        self.annex: DivisionRef | None = None
        self.last_article: tuple[int, ...] | None = None
        self.container_changed = True
        self.last_chapter: tuple[int, ...] | None = None
        self.chapter_style: tuple[bool, bool] | None = None
        # PARTs (or TITLEs) are the chapters unless the text has chapters of its own: two or more, that are not
        # cross-references wrapped to a line start ("Chapter Twenty-One (Dispute Settlement),").
        chapter_numbers = {h.number for ln in lines if (h := match_heading(ln.text)) is not None
                           and h.kind == "chapter" and "(" not in ln.text and not ln.text.rstrip().endswith(",")}
        self.parts_are_chapters = len(chapter_numbers) < 2
        self.current: _Builder | None = None
        self.builders: list[_Builder] = []
        self.vocabulary = self._vocabulary()

    def _vocabulary(self) -> set[str]:
        return set(map(str.lower, re.findall(r"[A-Za-zÀ-ÿ]{3,}", "\n".join(ln.text for ln in self.lines))))

    # -- helpers

    def _prev_ends_sentence(self, i: int) -> bool:
        if i == 0:
            return True
        line, prev = self.lines[i], self.lines[i - 1]
        if line.blank_before or line.page_start:
            return True
        return bool(_SENTENCE_END.search(prev.text)) or is_upper_line(prev.text) or bool(match_heading(prev.text)) \
            or looks_like_title_line(prev.text)

    def _take_title(self, i: int, heading: Heading, upper_only: bool) -> tuple[str, int]:
        """Title on the heading line, or on the lines after it. Returns (title, next index)."""
        if heading.body:  # a run-in article: its text follows on the heading line, no title lines below
            return tidy_title(heading.title, self.acronyms) if heading.title else "", i + 1
        parts = [heading.title] if heading.title else []
        j = i + 1
        while j < len(self.lines) and len(parts) < 4:
            text = self.lines[j].text
            if match_heading(text) or ENUMERATOR.match(text) or FINAL_CLAUSE.match(text):
                break
            current = " ".join(parts)
            unbalanced = current.count("(") > current.count(")")
            if unbalanced:
                parts.append(text)
            elif not parts:
                # Divisions take a title-case title only when a heading follows it.
                next_is_heading = j + 1 < len(self.lines) and bool(match_heading(self.lines[j + 1].text))
                if is_upper_line(text) or (looks_like_title_line(text) and (not upper_only or next_is_heading)):
                    parts.append(text)
                elif heading.kind == "article" and self._sentence_case_title(j):
                    parts.append(text)
                else:
                    break
            elif is_upper_line(text) and is_upper_line(current) and not _SENTENCE_END.search(current):
                parts.append(text)
            elif _SENTENCE_OPENING.match(text) and not _CONNECTOR_END.search(current):
                break  # "Customs Valuation Agreement" / "The Customs Valuation Agreement or any ...": the text begins
            elif ((not upper_only or heading.title) and not is_upper_line(current) and looks_like_title_line(text)
                  and not _SENTENCE_END.search(current)
                  and (_CONNECTOR_END.search(current) or _CONNECTOR_START.match(text)
                       or (len(text) <= 40 and _all_capitalised(text)))):
                parts.append(text)
            elif ((not upper_only or heading.title) and not is_upper_line(current) and not _SENTENCE_END.search(current)
                  and len(text) <= 40 and _all_capitalised(text) and text.endswith(".")):
                parts.append(text)
            else:
                break
            j += 1
        return tidy_title(" ".join(parts), self.acronyms), j

    def _sentence_case_title(self, j: int) -> bool:
        """ "ARTICLE 2" / "General requirements" / "For the purpose of ...": a short line in sentence case between
        a bare heading and a new sentence is the title."""
        text = self.lines[j].text
        if (len(text) > 70 or len(text.split()) > 10 or not text[:1].isupper() or _SENTENCE_END.search(text)
                or text.endswith(",") or _SENTENCE_OPENING.match(text) or _CONNECTOR_END.search(text)):
            return False
        if j + 1 >= len(self.lines):
            return False
        after = self.lines[j + 1].text
        return bool(after[:1].isupper() or after[:1] in "(“\"" or ENUMERATOR.match(after) or match_heading(after))

    def _start(self, kind: str, number: str | None, title: str | None, line: _Line) -> None:
        self.current = _Builder(kind=kind, number=number, title=title or None, part=self.part, chapter=self.chapter,
                                section=self.section, subsection=self.subsection, annex=self.annex, page=line.page)
        self.builders.append(self.current)

    def _division(self, heading: Heading, title: str) -> DivisionRef:
        kind = heading.kind
        if kind == "part" and self.parts_are_chapters:
            kind = "chapter"
        elif kind == "part" and heading.word.upper() in ("TITLE", "TITRE", "TÍTULO", "TITULO"):
            kind = "title"  # cited as the agreement names it: "Title IV", not "Part IV"
        ref = DivisionRef(kind=kind, number=heading.number, title=title or None)
        self.agreement.divisions.append(ref)
        return ref

    def _dangling(self, i: int) -> bool:
        """The previous line breaks off mid-phrase ("... the requirements of"): a heading cannot follow."""
        line = self.lines[i]
        if i == 0 or line.blank_before:
            return False
        prev = self.lines[i - 1].text
        if is_upper_line(prev) or re.search(r";\s*(and|or|y|o|et|ou)\s*$", prev):
            return False  # "(a) ...; and" closes a list item
        if re.fullmatch(r"\s*(and|or|y|o|et|ou)\s*", prev) and i >= 2 and self.lines[i - 2].text.rstrip().endswith(";"):
            return False  # the same, with "and" wrapped onto a line of its own
        return prev.endswith(",") or bool(_CONNECTOR_END.search(prev))

    def _accept_article(self, i: int, heading: Heading) -> bool:
        value = number_value(heading.number)
        if value is None:
            return False
        next_in_sequence = self.last_article is not None and value[:-1] == self.last_article[:-1] \
            and value[-1] == self.last_article[-1] + 1
        if self._dangling(i) and not (next_in_sequence and heading.sep.strip() == ":" and heading.title):
            return False  # a wrapped reference; the next number with a titled heading is not one
        chapter_value = number_value(self.chapter.number) if self.chapter and self.annex is None else None
        if len(value) > 1 and chapter_value and value[0] != chapter_value[0]:
            return False
        if self.last_article is None or value > self.last_article:
            return next_in_sequence or self._prev_ends_sentence(i) or heading.sep.strip() in (":", ".")
        if self.container_changed and value[-1] <= 1:
            return self._prev_ends_sentence(i)
        return False

    def _accept_division(self, i: int, heading: Heading) -> bool:
        in_capitals = self.lines[i].text.strip().split()[0].isupper()
        if heading.kind == "subsection" and not (in_capitals or heading.title):
            return False  # "Sub-section C" alone, in running text, is more often a reference than a heading
        if heading.kind == "chapter" or (heading.kind == "part" and self.parts_are_chapters):
            value = number_value(heading.number)
            if value is None:
                return False
            next_in_sequence = self.last_chapter is not None and value == (self.last_chapter[0] + 1,)
            if not (in_capitals or next_in_sequence or self._prev_ends_sentence(i)):
                return False
            # Chapters are numbered in sequence and set in one style; HS chapters
            # quoted in a rules-of-origin annex ("Chapter 4 Dairy produce") are not.
            style = _heading_style(self.lines[i].text, heading)
            if self.chapter_style is not None and style != self.chapter_style:
                return False
            if self.last_chapter is not None and not (self.last_chapter < value <= (self.last_chapter[0] + 3,)):
                return False
            self.chapter_style = style
            return True
        return in_capitals or self._prev_ends_sentence(i)

    # -- main loop

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
            if heading and heading.kind == "article" and self._accept_article(i, heading):
                title, j = self._take_title(i, heading, upper_only=False)
                value = number_value(heading.number)
                self.last_article = value
                self.container_changed = False
                kind = "annex-article" if self.annex else (
                    "final" if self.chapter and self.chapter.title and _FINAL_CHAPTER.search(self.chapter.title) else "article")
                self._start(kind, heading.number, title, line)
                if heading.body:
                    self.current.lines.append(_Line(page=line.page, text=heading.body, notes=list(line.notes)))
                else:
                    self._carry_notes(lines[i:j])
                seen_body_heading = True
                i = j
                continue
            if heading and heading.kind in ("chapter", "part", "section", "subsection", "annex", "protocol") \
                    and self._accept_division(i, heading):
                title, j = self._take_title(i, heading, upper_only=heading.kind != "annex")
                ref = self._division(heading, title)
                if ref.kind == "chapter":
                    self.chapter, self.section, self.subsection, self.annex = ref, None, None, None
                    self.last_chapter = number_value(ref.number)
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
                self.container_changed = True
                seen_body_heading = True
                self._carry_notes(lines[i:j])
                i = j
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
        return self._finish()

    def _inside_container(self, ref: DivisionRef) -> bool:
        """A Part or Title that restarts its numbering inside an annex or protocol divides that container."""
        if self.annex is None:
            return False
        value, last = number_value(ref.number), number_value(self.part.number) if self.part else None
        return value is None or last is None or value <= last or self.section is not None

    def _carry_notes(self, heading_lines: list[_Line]) -> None:
        """Footnotes anchored in a heading or title line belong to the provision it opens."""
        notes = [n for ln in heading_lines for n in ln.notes]
        if notes and self.current is not None:
            self.current.lines.append(_Line(page=heading_lines[0].page, text="", notes=notes))

    # -- assembly

    def _join(self, lines: list[_Line]) -> str:
        """Join wrapped lines; keep breaks before enumerated paragraphs; undo end-of-line hyphenation."""
        parts: list[str] = []
        for line in lines:
            text = line.text
            if not text:
                continue
            if not parts:
                parts.append(text)
                continue
            last = parts[-1]
            if line.blank_before or ENUMERATOR.match(text) or last.endswith(":"):
                parts.append("\n" + text)
            elif len(last) > 1 and last[-1] == "-" and last[-2].isalpha() and text[:1].islower():
                head = _LAST_WORD.search(last[-60:])
                tail = _FIRST_WORD.match(text)
                joined = (head.group(1) + tail.group(0)).lower() if head and tail else ""
                parts[-1] = last[:-1] if joined in self.vocabulary else last
                parts.append(text)
            else:
                parts.append(" " + text)
        return "".join(parts)

    def _finish(self) -> Agreement:
        agreement = self.agreement
        numbered = Counter(b.number for b in self.builders if b.number and b.kind != "annex-article")
        duplicates = any(c > 1 for c in numbered.values())
        used: Counter[str] = Counter()
        chunks: list[str] = []
        offset = 0
        for b in self.builders:
            text = self._join(b.lines)
            if b.kind == "front-matter":
                continue
            if not text.strip() and b.kind not in ("article", "final", "annex-article"):
                continue
            if not text.strip() and not b.number:
                continue
            pages = [ln.page for ln in b.lines if ln.text] or ([b.page] if b.page else [])
            notes = [n for ln in b.lines for n in ln.notes]
            heading = _heading_text(b)
            chunks.append(heading)
            offset += len(heading) + 1
            start = offset
            chunks.append(text)
            offset += len(text) + 2
            base = _provision_id(b, duplicates)
            used[base] += 1
            pid = base if used[base] == 1 else f"{base}-{used[base]}"
            agreement.provisions.append(
                Provision(
                    id=pid,
                    kind=b.kind,
                    number=b.number,
                    title=b.title,
                    part=b.part,
                    chapter=b.chapter,
                    section=b.section,
                    subsection=b.subsection,
                    annex=b.annex,
                    text=text,
                    paragraphs=_paragraphs(text),
                    footnotes=notes,
                    page_start=min([b.page] + pages) if b.page else (min(pages) if pages else None),
                    page_end=max(pages) if pages else b.page,
                    start=start,
                    end=start + len(text),
                )
            )
        agreement.text = "".join(
            chunk + ("\n" if k % 2 == 0 else "\n\n") for k, chunk in enumerate(chunks)
        )
        return agreement


def _heading_style(line: str, heading: Heading) -> tuple[bool, bool]:
    """(keyword in capitals, title on the heading line): constant within one agreement."""
    return line.strip().split()[0].isupper(), bool(heading.title)


def _heading_text(b: _Builder) -> str:
    if b.number:
        return f"Article {b.number}" + (f": {b.title}" if b.title else "")
    return b.title or b.kind.capitalize()


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", value).strip("-")


def _provision_id(b: _Builder, chapter_qualified: bool) -> str:
    if b.kind == "preamble":
        return "preamble"
    if b.kind == "final" and not b.number:
        return "final-clause"
    prefix = ""
    if b.annex is not None:
        prefix = f"annex-{_slug(b.annex.number or b.annex.title or 'x').lower()}-"
    elif chapter_qualified and b.chapter is not None and b.chapter.number:
        prefix = f"ch{_slug(b.chapter.number)}-"
    if b.number:
        return f"{prefix}art-{_slug(b.number)}"
    if b.annex is not None:
        return prefix.rstrip("-")
    return f"{prefix}text"


def _paragraphs(text: str) -> list[Paragraph]:
    """Numbered paragraphs ("1. ...") of a provision, with offsets into its text."""
    starts: list[tuple[int, str | None]] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        m = PARAGRAPH_NUMBER.match(raw)
        if m:
            starts.append((pos, m.group(1)))
        pos += len(raw)
    if not starts or starts[0][0] != 0:
        starts.insert(0, (0, None))
    out: list[Paragraph] = []
    for k, (s, num) in enumerate(starts):
        e = starts[k + 1][0] if k + 1 < len(starts) else len(text)
        chunk = text[s:e]
        stripped = chunk.rstrip()
        if stripped.strip():
            out.append(Paragraph(number=num, text=stripped, start=s, end=s + len(stripped)))
    return out


__all__ = ["structure"]
