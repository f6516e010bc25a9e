"""Page cleaning: running headers and footers, page numbers, footnotes.

Published treaties repeat a header on every page (RCEP prints ``12-1``),
number their pages, and print footnotes at page bottoms with markers glued to
words ("Scope3"). Leaving any of that in the body breaks article detection and
pollutes the classifier, so it goes here, before structure sees the text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from auditor.model import Footnote, PageSource, SourcePage

# Lines that are headings must never be taken for running headers, even when
# a chapter heading happens to sit at the top of many pages.
HEADING_START = re.compile(
    r"^\s*(article|art\.|artículo|articulo|chapter|chapitre|capítulo|capitulo|section|sección|seccion"
    r"|part|partie|parte|annex|annexe|anexo|title|titre|título|titulo|protocol|protocole|protocolo"
    r"|preamble|préambule|preámbulo|appendix|apéndice|appendice)\b",
    re.IGNORECASE,
)
_PAGE_NUMBER = re.compile(
    r"^[\s\-–—]*((page|página|pagina)\s+)?(\d{1,4}|[ivxlcdm]{1,7})(\s*(of|de|sur|/)\s*\d{1,4})?[\s\-–—]*$",
    re.IGNORECASE,
)
_CHAPTER_PAGE = re.compile(r"^\s*[A-Z]?\d{1,3}[A-Z]?\s*[-–]\s*\d{1,4}\s*$")  # "12-1", "8A-3"
_FOOTNOTE_LINE = re.compile(r"^\s*(\d{1,3})\s+(?=\S)(.*)$")
# Footnotes open like sentences: "For greater certainty", "“Measure” means", "[Note".
_NOTE_OPENING = re.compile(r"^[A-ZÀ-Ý“\"'‘\[¿¡]")
# Characters the text layers of PDFs carry for hyphens, spaces or nothing. Replaced one by one where
# present: ten substring tests cost a fiftieth of a ``str.translate`` pass over a page.
_REPLACEMENTS = (("\ufffe", "-"), ("\u00ad", "-"), ("\xa0", " "), ("\u2002", " "), ("\u2003", " "), ("\u2009", " "),
                 ("\x83", ""), ("\uf0b7", ""), ("\u200b", ""), ("\ufeff", ""))


@dataclass
class RawPage:
    number: int
    source: PageSource
    text: str
    ocr_confidence: float | None = None


# Some collections store a whole agreement as one line. A heading keyword with its number, after the
# end of a sentence or a run of capitals ("... INICIALES Artículo 1.01 Establecimiento ..."), and before
# a capitalised word, starts a line of its own again.
# Numbers spelt out ("Article Eighteen", "ARTICLE TWENTY-ONE"), as some older agreements print them.
_WORD_NUMBER = (r"(?i:(?:twenty|thirty|forty|fifty)(?:[- ]?(?:one|two|three|four|five|six|seven|eight|nine))?"
                r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
                r"|seventeen|eighteen|nineteen)(?![A-Za-z])")
FLATTENED_LINE = 2000  # characters: no printed line is this long
_INLINE_HEADING = re.compile(
    r"(?:(?<=[.;:!?”\"’)\]])|(?<=\b[A-ZÀ-Ý]{2})|(?<=[a-zà-ÿ]))\s+"
    r"(?=(?:ARTICLE|Article|ARTÍCULO|Artículo|ARTICULO|Articulo|CHAPTER|Chapter|CAPÍTULO|Capítulo|CHAPITRE|Chapitre"
    r"|SECTION|Section|SECCIÓN|Sección|ANNEX|ANEXO|ANNEXE|PART|PARTE|PARTIE|TITLE|TÍTULO|TITRE)\s+(?:[–—-]\s*)?"
    r"(?:\d{1,4}|[IVXLC]{1,6}|" + _WORD_NUMBER + r")(?:[.\-]\d{1,3}){0,3}\b[.:]?\s+(?:\(?1[.)]\s*)?[A-ZÀ-Ý“\"(])"
    r"|\s+(?=(?:PREAMBLE|PREÁMBULO|PRÉAMBULE)\s)")


def _restore_line_breaks(line: str) -> str:
    return _INLINE_HEADING.sub("\n", line) if len(line) > FLATTENED_LINE else line


# OCR of some collections spaces the digits of article numbers: "Article 1 0 Technical barriers", "Article 1 2 Exchange".
_SPACED_NUMBER = re.compile(r"\b(ARTICLE|Article|ARTÍCULO|Artículo|ARTICULO|Articulo)\s(\d)((?: \d){1,2})(?=\s+[A-ZÀ-Ý(])")
SPACED_NUMBER_FAMILY = 3  # occurrences in one document before its numbers are taken to be spaced by the extraction


def _join_spaced_numbers(text: str) -> str:
    return _SPACED_NUMBER.sub(lambda m: f"{m.group(1)} {m.group(2)}{m.group(3).replace(' ', '')}", text)


def _normalise_characters(text: str) -> str:
    if not text.isascii():
        for char, replacement in _REPLACEMENTS:
            if char in text:
                text = text.replace(char, replacement)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split_lines(text: str) -> list[str]:
    text = _normalise_characters(text)
    return [ln.rstrip() for line in text.split("\n") for ln in _restore_line_breaks(line).split("\n")]


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip().lower()))


def _is_page_number(line: str) -> bool:
    return bool(_PAGE_NUMBER.match(line) or _CHAPTER_PAGE.match(line))


def _edge_indices(lines: list[str], depth: int = 3) -> tuple[list[int], list[int]]:
    filled = [i for i, ln in enumerate(lines) if ln.strip()]
    return filled[:depth], filled[-depth:][::-1]


def _running_shapes(pages: list[list[str]]) -> set[str]:
    """Line shapes that recur at page tops or bottoms on many pages."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        top, bottom = _edge_indices(lines)
        counts.update({_shape(lines[i]) for i in top + bottom})
    # Short documents: a line must recur on every page; long ones: on a quarter of them.
    threshold = len(pages) if len(pages) < 8 else max(3, int(0.25 * len(pages)))
    return {s for s, c in counts.items() if c >= threshold and s}


def _strip_edges(lines: list[str], running: set[str]) -> list[str]:
    lines = list(lines)
    for from_top in (True, False):
        removed = 0
        while lines and removed < 3:
            idx = next((i for i in (range(len(lines)) if from_top else range(len(lines) - 1, -1, -1))
                        if lines[i].strip()), None)
            if idx is None:
                break
            line = lines[idx]
            if HEADING_START.match(line):
                break
            if _is_page_number(line) or _shape(line) in running:
                del lines[idx]
                removed += 1
                continue
            break
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _marker_position(lines: list[str], number: str, before: int) -> tuple[int, int, int] | None:
    """Find the footnote marker in the body: (line index, start, end), last one first."""
    glued = re.compile(rf"(?<=[A-Za-z\)\]’”\"';:,])({number})(?=[\s,.;:)]|$)|(?<=[a-z]\.)({number})(?=\s|$)")
    for i in range(before - 1, -1, -1):
        line = lines[i]
        if line.strip() == number:
            return i, -1, -1
        matches = list(glued.finditer(line))
        if matches:
            m = matches[-1]
            return i, m.start(), m.end()
    return None


MAX_PRINTED_PAGE_LINES = 150  # more lines than any printed page has
# Running headers that extractions leave inside the text: a document symbol and its page ("EU/XX/en 150",
# "CE/CI/en 9"), the Official Journal's ("L 127/6 EN Official Journal of the European Union 14.5.2011").
RUNNING_HEADER = re.compile(
    r"^\s*(?:[A-Z]{2,5}(?:/[A-Za-z0-9]{1,10}){1,4}\s+\d{1,4}"
    r"|(?:\d{1,2}\.\d{1,2}\.\d{4}\s+)?(?:[LC]\s*\d{1,4}/\d{1,4}\s+)?(?:EN|FR|ES|DE)\s+Official Journal of the European "
    r"Union(?:\s+[LC]\s*\d{1,4}/\d{1,4})?(?:\s+\d{1,2}\.\d{1,2}\.\d{4})?)\s*$")


def _split_footnotes(lines: list[str], expected: int, page: int) -> tuple[list[str], list[Footnote], dict[str, int], int]:
    """Separate the footnote block at the bottom of a page from its body.

    A footnote block starts at a line "N text" where N is the next footnote
    number of the document (or 1, for documents that restart numbering) and
    the marker N appears in the body above it. Each later "N+1 text" line
    starts the next note; other lines continue the current one.
    """
    if len(lines) > MAX_PRINTED_PAGE_LINES:
        # Not a printed page but a whole text (an extraction with no page breaks): its notes sit inline
        # where the extraction put them, and a "1 Due to ..." line halfway down must not swallow the rest.
        # The page numbers the extraction kept ("13", "- 4 -", "Page 7 of 40", "14-3") go, as on pages.
        return [ln for ln in lines if not (_is_page_number(ln) or RUNNING_HEADER.match(ln))], [], {}, expected
    start = None
    low = max(0, len(lines) // 3)
    starts = {i: m for i in range(low, len(lines)) if (m := _FOOTNOTE_LINE.match(lines[i]))}
    for i, m in starts.items():
        n = int(m.group(1))
        if not (n == expected or n == 1 or expected < n <= expected + 3):
            continue
        if not _NOTE_OPENING.match(m.group(2)):
            continue
        if any(int(other.group(1)) == n for j, other in starts.items() if j > i):
            continue
        if _marker_position(lines, str(n), i):
            start = i
            break
    if start is None:
        return lines, [], {}, expected
    body = lines[:start]
    notes: list[Footnote] = []
    for line in lines[start:]:
        m = _FOOTNOTE_LINE.match(line)
        if m and (not notes or int(m.group(1)) == int(notes[-1].number) + 1):
            notes.append(Footnote(number=m.group(1), text=m.group(2).strip(), page=page))
        elif notes and line.strip():
            notes[-1].text = _join_wrapped(notes[-1].text, line.strip())
    anchors: dict[str, int] = {}
    for note in notes:
        pos = _marker_position(body, note.number, len(body))
        if pos is None:
            continue
        i, s, e = pos
        if s < 0:
            body[i] = ""
        else:
            body[i] = body[i][:s] + body[i][e:]
        anchors[note.number] = i
    return body, notes, anchors, int(notes[-1].number) + 1


def _join_wrapped(left: str, right: str) -> str:
    if left.endswith("-") and right[:1].islower():
        return left[:-1] + right
    return f"{left} {right}"


def clean_pages(raw_pages: list[RawPage]) -> list[SourcePage]:
    if sum(len(_SPACED_NUMBER.findall(p.text)) for p in raw_pages) >= SPACED_NUMBER_FAMILY:
        raw_pages = [RawPage(p.number, p.source, _join_spaced_numbers(p.text), p.ocr_confidence) for p in raw_pages]
    split = [_split_lines(p.text) for p in raw_pages]
    running = _running_shapes(split)
    expected = 1
    out: list[SourcePage] = []
    for raw, lines in zip(raw_pages, split):
        body = _strip_edges(lines, running)
        body, notes, anchors, expected = _split_footnotes(body, expected, raw.number)
        out.append(
            SourcePage(
                number=raw.number,
                source=raw.source,
                ocr_confidence=raw.ocr_confidence,
                lines=body,
                footnotes=notes,
                footnote_anchors=anchors,
            )
        )
    return out
