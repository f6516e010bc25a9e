"""Assembly: the provisions read by the parser become the agreement's provisions, text and ids."""

from __future__ import annotations

import re
from collections import Counter

from auditor.model import Agreement, Paragraph, Provision
from auditor.structure.headings import ENUMERATOR, PARAGRAPH_NUMBER
from auditor.structure.lines import Builder, Line

_LAST_WORD = re.compile(r"([A-Za-zÀ-ÿ]+)-$")
_FIRST_WORD = re.compile(r"[A-Za-zÀ-ÿ]+")


def assemble(agreement: Agreement, builders: list[Builder], vocabulary: set[str]) -> Agreement:
    numbered = Counter(b.number for b in builders if b.number and b.kind != "annex-article")
    duplicates = any(c > 1 for c in numbered.values())
    used: Counter[str] = Counter()
    chunks: list[str] = []
    offset = 0
    for b in builders:
        text = _join(b.lines, vocabulary)
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
                paragraphs=paragraphs(text),
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


def _join(lines: list[Line], vocabulary: set[str]) -> str:
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
            parts[-1] = last[:-1] if joined in vocabulary else last
            parts.append(text)
        else:
            parts.append(" " + text)
    return "".join(parts)


def _heading_text(b: Builder) -> str:
    if b.number:
        return f"Article {b.number}" + (f": {b.title}" if b.title else "")
    return b.title or b.kind.capitalize()


def _slug(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", value).strip("-")


def _provision_id(b: Builder, chapter_qualified: bool) -> str:
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


def paragraphs(text: str) -> list[Paragraph]:
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
