"""PDF text: pypdfium2's text layer by default, pdfplumber on request, Tesseract where a page is scanned.

pypdfium2 reads RCEP's 510 pages in under a second; pdfplumber's layout
analysis is ~80x slower but recovers reading order better on complex
multi-column layouts, so it stays available as ``engine="pdfplumber"``.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

from auditor.errors import AuditError, CorruptDocument, EmptyDocument
from auditor.ingest.clean import RawPage
from auditor.pdfpages import (
    PageHelper,
    looks_scanned,
    open_pdf,
    page_count,
    pdfium_pages,
    start_helper,
    take_prefetched,
)

Engine = Literal["pypdfium2", "pdfplumber"]
OcrMode = Literal["auto", "always", "never"]

OCR_DPI = 300
# The largest page image OCR renders, in pixels: an A4 page at 300 dpi is 8.7 million. A page declared
# larger (a 700-byte PDF can declare a 5-metre page) is rendered at a lower resolution instead.
MAX_RENDER_PIXELS = 60_000_000


def _helper_pages(helper: PageHelper, ocr: OcrMode, languages: str, max_pixels: int,
                  on_ocr_page: Callable[[int, int], None] | None = None) -> list[RawPage]:
    """The helper's pages as RawPage records; its scanned pages are OCR'd here (Tesseract is a process of its own)."""
    result = helper.scanned()
    scanned = [number for number, _, looks in result if looks and ocr == "auto"]
    ocr_pages = dict(_ocr_pages(helper.data, scanned, languages, max_pixels, on_ocr_page)) if scanned else {}
    out = []
    for number, text, _ in result:
        if number in ocr_pages:
            ocr_text, confidence = ocr_pages[number]
            out.append(RawPage(number=number, source="ocr", text=ocr_text, ocr_confidence=confidence))
        else:
            out.append(RawPage(number=number, source="text-layer", text=text))
    return out


def _ocr_pages(data: bytes, numbers: list[int], languages: str, max_pixels: int,
               on_ocr_page: Callable[[int, int], None] | None = None) -> Iterator[tuple[int, tuple]]:
    pdf = open_pdf(data)
    try:
        for number in numbers:
            if on_ocr_page is not None:
                on_ocr_page(number, len(pdf))
            yield number, _ocr_page(pdf[number - 1], languages, max_pixels)
    finally:
        pdf.close()


def _pdfplumber_texts(data: bytes) -> list[str]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return [page.extract_text() or "" for page in pdf.pages]
    except PDFSyntaxError as exc:
        raise CorruptDocument(f"pdfplumber could not parse the PDF ({exc}).") from exc


def tesseract_available() -> bool:
    return shutil.which("tesseract") is not None


def ocr_image(png_path: Path, languages: str = "eng+fra+spa") -> tuple[str, float]:
    """Run Tesseract on one page image; return its text and mean word confidence (0-100)."""
    if not tesseract_available():
        raise AuditError(
            "This PDF has scanned pages that need OCR, but Tesseract is not installed.",
            "Install Debian's tesseract-ocr with tesseract-ocr-eng, -fra and -spa, or use a PDF with a text layer.",
        )
    proc = subprocess.run(
        ["tesseract", str(png_path), "stdout", "-l", languages, "--psm", "3", "tsv"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if proc.returncode != 0:
        raise CorruptDocument(f"Tesseract failed on a page: {proc.stderr.strip()[:200]}")
    lines: dict[tuple[str, str, str], list[str]] = {}
    confidences: list[float] = []
    block_order: list[tuple[str, str, str]] = []
    for row in csv.DictReader(io.StringIO(proc.stdout), delimiter="\t", quoting=csv.QUOTE_NONE):
        word = (row.get("text") or "").strip()
        if not word:
            continue
        key = (row["block_num"], row["par_num"], row["line_num"])
        if key not in lines:
            lines[key] = []
            block_order.append(key)
        lines[key].append(word)
        conf = float(row["conf"])
        if conf >= 0:
            confidences.append(conf)
    out: list[str] = []
    previous_par = None
    for key in block_order:
        if previous_par is not None and key[:2] != previous_par:
            out.append("")
        out.append(" ".join(lines[key]))
        previous_par = key[:2]
    mean = sum(confidences) / len(confidences) if confidences else 0.0
    return "\n".join(out), round(mean, 1)


def render_scale(width_pt: float, height_pt: float, max_pixels: int = MAX_RENDER_PIXELS) -> float:
    """OCR_DPI, or less where the page would render to more than ``max_pixels``."""
    scale = OCR_DPI / 72
    area = max(width_pt, 1.0) * max(height_pt, 1.0)
    if area * scale * scale > max_pixels:
        scale = (max_pixels / area) ** 0.5
    return scale


def _ocr_page(page, languages: str, max_pixels: int = MAX_RENDER_PIXELS) -> tuple[str, float]:
    width, height = page.get_size()
    bitmap = page.render(scale=render_scale(width, height, max_pixels), grayscale=True)
    image = bitmap.to_pil()
    with tempfile.TemporaryDirectory(prefix="auditor-ocr-") as tmp:
        path = Path(tmp) / "page.png"
        image.save(path)
        return ocr_image(path, languages)


def read_pdf(
    data: bytes,
    *,
    engine: Engine = "pypdfium2",
    ocr: OcrMode = "auto",
    ocr_languages: str = "eng+fra+spa",
    max_pages: int | None = None,
    max_render_pixels: int = MAX_RENDER_PIXELS,
    on_ocr_page: Callable[[int, int], None] | None = None,
) -> list[RawPage]:
    """The text of each page. Over ``max_pages`` pages the PDF is refused, not cut. ``on_ocr_page`` hears
    (page number, page count) before each page goes to OCR, the slow part a reader waits for."""
    pages: list[RawPage] = []
    plumber_texts = _pdfplumber_texts(data) if engine == "pdfplumber" else None
    prefetched = take_prefetched(data)  # started by the command before the engine loaded
    if engine == "pypdfium2" and ocr != "always":
        helper = prefetched or start_helper(data, max_pages)
    else:
        helper = None
        if prefetched is not None:
            prefetched.stop()
    count = None
    for number, text, page in pdfium_pages(data, max_pages, stop=helper.first if helper else None):
        if plumber_texts is not None:
            text = plumber_texts[number - 1]
        scanned = ocr == "always" or (ocr == "auto" and looks_scanned(text, page))
        if scanned:
            if on_ocr_page is not None:
                count = count or page_count(data)
                on_ocr_page(number, count)
            ocr_text, confidence = _ocr_page(page, ocr_languages, max_render_pixels)
            pages.append(RawPage(number=number, source="ocr", text=ocr_text, ocr_confidence=confidence))
        else:
            pages.append(RawPage(number=number, source="text-layer", text=text))
    if helper is not None:
        pages += _helper_pages(helper, ocr, ocr_languages, max_render_pixels, on_ocr_page)
    if not any(p.text.strip() for p in pages) and any(p.source == "ocr" for p in pages):
        raise EmptyDocument("The PDF's pages are images in which OCR found no text.",
                            "Check that the scan is of the agreement and legible.")
    if not any(p.text.strip() for p in pages):
        raise EmptyDocument(
            "The PDF has no readable text on any page.",
            "If it is scanned, install Tesseract (tesseract-ocr) so pages can be OCR'd.",
        )
    return pages
