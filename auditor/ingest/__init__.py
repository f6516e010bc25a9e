"""Ingest: any published agreement -> ``IngestedDocument`` (clean pages or a ToTA outline).

The format is decided from the bytes, never from the file name: negotiators
rename files, and a ``.pdf`` that is really a Word file must get a clear error.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from auditor.errors import DocumentTooLarge, EmptyDocument, InputNotFound, UnsupportedInput
from auditor.ingest.clean import clean_pages
from auditor.ingest.language import detect_language
from auditor.ingest.markup import decode_text, read_html, read_text, read_tota
from auditor.ingest.pdf import Engine, OcrMode, read_pdf
from auditor.model import DocumentMetadata, IngestedDocument

Format = Literal["pdf", "tota-xml", "html", "text"]

_BINARY_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive (perhaps a Word .docx or an .xlsx file)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file (.doc or .xls)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"{\\rtf": "an RTF document",
    b"\x1f\x8b": "a gzip archive",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
}


def sniff_format(data: bytes) -> Format:
    """Tell the format from content. Raises ``UnsupportedInput`` for anything unreadable."""
    if not data.strip():
        raise EmptyDocument("The file is empty.", "Check that the right file was given.")
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    for signature, what in _BINARY_SIGNATURES.items():
        if head.startswith(signature):
            raise UnsupportedInput(
                f"The file is {what}, not an agreement the engine can read.",
                "Supply a PDF, ToTA XML, HTML or plain-text file (export Word files to PDF).",
            )
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnsupportedInput(
            "The file is binary data of an unknown kind.",
            "Supply a PDF, ToTA XML, HTML or plain-text file.",
        )
    text_head = decode_text(head).lstrip().lower()
    if text_head.startswith("<?xml") or text_head.startswith("<treaty"):
        if "<html" in text_head:
            return "html"
        return "tota-xml"
    if text_head.startswith(("<!doctype html", "<html")) or "<body" in text_head or "<p>" in text_head:
        return "html"
    return "text"


def ingest_bytes(
    data: bytes,
    *,
    source: str | None = None,
    engine: Engine = "pypdfium2",
    ocr: OcrMode = "auto",
    max_pages: int | None = None,
) -> IngestedDocument:
    fmt = sniff_format(data)
    if fmt == "tota-xml":
        metadata, outline = read_tota(data, source=source)
        if metadata.language is None:
            metadata.language = detect_language(" ".join(a.text for a in outline[:50]))
        return IngestedDocument(metadata=metadata, outline=outline)

    title = None
    if fmt == "pdf":
        raw = read_pdf(data, engine=engine, ocr=ocr, max_pages=max_pages)
    elif fmt == "html":
        title, raw = read_html(data)
    else:
        raw = read_text(data)
    pages = clean_pages(raw)
    sample = "\n".join(line for page in pages[:40] for line in page.lines)
    metadata = DocumentMetadata(
        title=title,
        language=detect_language(sample),
        source=source,
        format=fmt,
        engine=engine if fmt == "pdf" else None,
    )
    return IngestedDocument(metadata=metadata, pages=pages)


def read_input(path: str | os.PathLike[str], max_bytes: int | None = None) -> bytes:
    p = Path(path)
    if not p.exists():
        raise InputNotFound(f"No such file: {p}", "Check the path and try again.")
    if p.is_dir():
        raise UnsupportedInput(f"{p} is a directory, not a file.", "Give one agreement file (use `auditor batch` for folders).")
    size = p.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise DocumentTooLarge(f"{p} is {size:,} bytes, over the {max_bytes:,}-byte limit.")
    try:
        return p.read_bytes()
    except PermissionError as exc:
        raise InputNotFound(f"Cannot read {p}: permission denied.", "Check the file's permissions.") from exc


def ingest(
    path: str | os.PathLike[str],
    *,
    engine: Engine = "pypdfium2",
    ocr: OcrMode = "auto",
    max_pages: int | None = None,
) -> IngestedDocument:
    data = read_input(path)
    return ingest_bytes(data, source=str(path), engine=engine, ocr=ocr, max_pages=max_pages)


__all__ = ["ingest", "ingest_bytes", "sniff_format", "read_input", "Engine", "OcrMode"]
