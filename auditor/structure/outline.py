"""ToTA's outline (articles already delimited by the XML) -> provisions, with chapters as divisions."""

from __future__ import annotations

import re

from auditor.model import Agreement, DivisionRef, OutlineArticle, Provision
from auditor.structure.assembly import paragraphs

FINAL_CHAPTER = re.compile(r"final (provisions|clauses)|disposiciones finales|dispositions finales", re.IGNORECASE)


def from_outline(agreement: Agreement, outline: list[OutlineArticle]) -> Agreement:
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
        kind = "preamble" if is_preamble else ("final" if art.chapter_title and FINAL_CHAPTER.search(art.chapter_title) else "article")
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
                paragraphs=paragraphs(text),
                start=start,
                end=start + len(text),
            )
        )
    agreement.text = "\n\n".join(chunks)
    return agreement
