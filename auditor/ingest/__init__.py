"""Ingest: any published agreement -> ``IngestedDocument`` (clean pages or a ToTA outline).

The format is decided from the bytes, never from the file name: negotiators
rename files, and a ``.pdf`` that is really a Word file must get a clear error.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from auditor.errors import DocumentTooLarge, EmptyDocument, InputNotFound, UnsupportedInput
from auditor.ingest.clean import clean_pages
from auditor.ingest.docx import is_docx, read_docx
from auditor.ingest.language import detect_language
from auditor.ingest.markup import decode_text, detect_encoding, read_html, read_rtf, read_text, read_tota
from auditor.ingest.pdf import MAX_RENDER_PIXELS, Engine, OcrMode, read_pdf
from auditor.model import DocumentMetadata, IngestedDocument

Format = Literal["pdf", "tota-xml", "html", "text", "rtf", "docx"]

_BINARY_SIGNATURES = {
    b"PK\x03\x04": "a ZIP archive (an .xlsx or other Office file; Word .docx files are read)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file (.doc or .xls)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
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
    if head.lstrip().startswith(b"{\\rtf"):
        return "rtf"
    if is_docx(data):
        return "docx"
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
    max_render_pixels: int = MAX_RENDER_PIXELS,
    max_chars: int | None = None,
    on_ocr_page: Callable[[int, int], None] | None = None,
) -> IngestedDocument:
    """``max_chars`` bounds the text a document may have (its articles, or its pages), so that what
    follows is bounded too; over it the document is refused with the reason, never cut. ``on_ocr_page``
    hears (page number, page count) as each scanned page goes to OCR."""
    fmt = sniff_format(data)
    if fmt == "tota-xml":
        metadata, outline = read_tota(data, source=source)
        _check_chars(sum(len(a.text) for a in outline), max_chars)
        if metadata.language is None:
            metadata.language = detect_language(" ".join(a.text for a in outline[:50]))
        return IngestedDocument(metadata=metadata, outline=outline)

    title = None
    encoding = None
    if fmt == "pdf":
        raw = read_pdf(data, engine=engine, ocr=ocr, max_pages=max_pages, max_render_pixels=max_render_pixels,
                       on_ocr_page=on_ocr_page)
    elif fmt == "html":
        title, raw = read_html(data)
    elif fmt == "rtf":
        raw = read_rtf(data)
    elif fmt == "docx":
        title, raw = read_docx(data)
    else:
        encoding = detect_encoding(data)
        raw = read_text(data, encoding)
    _check_chars(sum(len(p.text) for p in raw), max_chars)
    pages = clean_pages(raw)
    sample = "\n".join(line for page in pages[:40] for line in page.lines)
    metadata = DocumentMetadata(
        title=title,
        language=detect_language(sample),
        source=source,
        format=fmt,
        engine=engine if fmt == "pdf" else None,
        encoding=encoding,
    )
    return IngestedDocument(metadata=metadata, pages=pages)


def _check_chars(count: int, max_chars: int | None) -> None:
    if max_chars is not None and count > max_chars:
        raise DocumentTooLarge(f"The document has {count:,} characters of text, over the {max_chars:,} one audit "
                               "may read.", "Split it into its agreement and its schedules, or raise "
                               "AUDITOR_MAX_DOCUMENT_CHARS.")


DEFAULT_MAX_INPUT_BYTES = 512 * 1024 * 1024  # what one command reads from one path, whatever the file claims


def read_input(path: str | os.PathLike[str], max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file. FIFOs, devices and sockets are refused (a FIFO would block, /dev/zero
    never ends), and no more than ``max_bytes`` are read even from a file that grows."""
    p = Path(path)
    limit = DEFAULT_MAX_INPUT_BYTES if max_bytes is None else max_bytes
    try:
        info = p.stat()
    except FileNotFoundError:
        raise InputNotFound(f"No such file: {p}", "Check the path and try again.") from None
    except OSError as exc:
        raise InputNotFound(f"Cannot read {p}: {exc.strerror or exc}.", "Check the path.") from exc
    if stat.S_ISDIR(info.st_mode):
        raise UnsupportedInput(f"{p} is a directory, not a file.", "Give one agreement file (use `auditor batch` for folders).")
    if not stat.S_ISREG(info.st_mode):
        raise UnsupportedInput(f"{p} is not a regular file (a pipe, device or socket).", "Give an agreement file.")
    if info.st_size > limit:
        raise DocumentTooLarge(f"{p} is {info.st_size:,} bytes, over the {limit:,}-byte limit.")
    try:
        with p.open("rb") as fh:
            data = fh.read(limit + 1)
    except PermissionError as exc:
        raise InputNotFound(f"Cannot read {p}: permission denied.", "Check the file's permissions.") from exc
    if len(data) > limit:
        raise DocumentTooLarge(f"{p} holds more than the {limit:,}-byte limit.")
    return data


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
