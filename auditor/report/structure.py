"""Renderings of ``auditor parse``: documented JSON and a readable outline."""

from __future__ import annotations

import json

from auditor.model import Agreement


def structure_json(agreement: Agreement, *, include_text: bool = False) -> str:
    data = agreement.model_dump(mode="json")
    if include_text:
        data["text"] = agreement.text
    return json.dumps(data, ensure_ascii=False, indent=2)


def _pages(start: int | None, end: int | None) -> str:
    if start is None:
        return ""
    return f"p. {start}" if start == end or end is None else f"pp. {start}-{end}"


def structure_text(agreement: Agreement) -> str:
    ocr_pages = [p for p in agreement.page_info if p.source == "ocr"]
    lines = [
        f"Title:      {agreement.title or '(unknown)'}",
        f"Language:   {agreement.language or '?'}",
        f"Format:     {agreement.format}" + (f" ({agreement.pages} pages)" if agreement.pages else ""),
    ]
    if agreement.encoding:
        lines.append(f"Encoding:   {agreement.encoding} (detected)")
    if agreement.parties:
        lines.append(f"Parties:    {', '.join(agreement.parties)}")
    if agreement.date_signed:
        lines.append(f"Signed:     {agreement.date_signed}")
    if ocr_pages:
        confidences = [p.ocr_confidence for p in ocr_pages if p.ocr_confidence is not None]
        mean = sum(confidences) / len(confidences) if confidences else 0
        lines.append(f"OCR:        {len(ocr_pages)} page(s), mean confidence {mean:.0f}")
    chapters = agreement.chapters()
    lines.append(f"Structure:  {len(chapters)} chapters, {len(agreement.provisions)} provisions, "
                 f"{sum(len(p.footnotes) for p in agreement.provisions)} footnotes")
    report = agreement.structure_report
    if report.heading_lines:
        lines.append(f"Headings:   {report.articles} articles from {report.heading_lines} heading-like lines"
                     + ("; table of contents skipped" if report.contents_skipped else ""))
    lines += [f"WARNING:    {w}" for w in report.warnings]
    lines.append("")
    current = object()
    for p in agreement.provisions:
        container = p.annex or p.chapter
        if container != current:
            current = container
            if container is not None:
                lines.append(container.label())
        where = _pages(p.page_start, p.page_end)
        name = f"Article {p.number}" if p.number else p.kind.replace("-", " ").capitalize()
        title = f" {p.title}" if p.title and p.number else (f" ({p.title})" if p.title else "")
        notes = f" [{len(p.footnotes)} fn]" if p.footnotes else ""
        lines.append(f"  {name}{title}{'  ' + where if where else ''}{notes}")
    return "\n".join(lines) + "\n"
