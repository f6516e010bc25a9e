"""PDF text: pypdfium2's text layer by default, pdfplumber on request, Tesseract where a page is scanned.

pypdfium2 reads RCEP's 510 pages in under a second; pdfplumber's layout
analysis is ~80x slower but recovers reading order better on complex
multi-column layouts, so it stays available as ``engine="pdfplumber"``.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

from auditor.errors import AuditError, CorruptDocument, DocumentTooLarge, EmptyDocument, EncryptedDocument
from auditor.ingest.clean import RawPage

Engine = Literal["pypdfium2", "pdfplumber"]
OcrMode = Literal["auto", "always", "never"]

# A page whose text layer has fewer letters than this, and that carries an
# image, is treated as scanned.
MIN_TEXT_LETTERS = 40
OCR_DPI = 300
# The largest page image OCR renders, in pixels: an A4 page at 300 dpi is 8.7 million. A page declared
# larger (a 700-byte PDF can declare a 5-metre page) is rendered at a lower resolution instead.
MAX_RENDER_PIXELS = 60_000_000


def _open_pdfium(data: bytes):
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise EncryptedDocument(
                "The PDF is encrypted and needs a password.",
                "Remove the password (for example with qpdf --decrypt) and try again.",
            ) from exc
        raise CorruptDocument(
            f"The PDF could not be read ({exc}).",
            "The file may be truncated or damaged; download or export it again.",
        ) from exc
    if len(pdf) == 0:
        raise EmptyDocument("The PDF has no pages.", "Check that the right file was given.")
    return pdf


def page_count(data: bytes) -> int:
    return len(_open_pdfium(data))


_LETTER = re.compile(r"[^\W\d_]")


def _letters(text: str, enough: int = MIN_TEXT_LETTERS) -> int:
    """Count letters, stopping once there are enough to call the text layer usable."""
    count = 0
    for _ in _LETTER.finditer(text):
        count += 1
        if count >= enough:
            break
    return count


def _has_image(page) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


def _pdfium_pages(data: bytes, max_pages: int | None = None, *, start: int = 0,
                  stop: int | None = None) -> Iterator[tuple[int, str, object]]:
    import pypdfium2 as pdfium

    pdf = _open_pdfium(data)
    if max_pages is not None and len(pdf) > max_pages:
        raise DocumentTooLarge(f"The PDF has {len(pdf):,} pages, over the {max_pages:,}-page ceiling.",
                               "Upload the agreement without its schedules, or raise AUDITOR_MAX_PAGES.")
    try:
        for i in range(start, len(pdf) if stop is None else min(stop, len(pdf))):
            try:
                page = pdf[i]
            except pdfium.PdfiumError as exc:
                raise CorruptDocument(f"Page {i + 1} of the PDF could not be read ({exc}).",
                                      "The page tree may be damaged; export or download the PDF again.") from exc
            textpage = page.get_textpage()
            text = textpage.get_text_range()
            textpage.close()
            yield i + 1, text, page
    finally:
        pdf.close()


PARALLEL_PAGES = 150  # a long PDF's second half is read by a forked helper while this process reads the first


class _Helper:
    """A forked process reading the text layer of pages ``first`` onwards, while the caller reads the others.

    PDFium is not thread-safe, so the second core is used by a process: forked, it shares the loaded
    library and the PDF bytes, and sends back each page's text and whether it looks scanned.
    """

    def __init__(self, data: bytes, first: int, max_pages: int | None) -> None:
        import multiprocessing

        self.data, self.first, self.max_pages = data, first, max_pages
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=self._run, args=(send,), daemon=True)
        self.process.start()
        send.close()

    def _scan(self) -> list[tuple[int, str, bool]]:
        """(page number, text, looks scanned) of the pages from ``first`` on."""
        return [(number, text, _letters(text) < MIN_TEXT_LETTERS and _has_image(page))
                for number, text, page in _pdfium_pages(self.data, self.max_pages, start=self.first)]

    def _run(self, send) -> None:
        try:
            send.send(("ok", self._scan()))
        except Exception as exc:  # noqa: BLE001 - the parent reads these pages itself
            send.send(("error", repr(exc)))
        finally:
            send.close()

    def pages(self, ocr: OcrMode, languages: str, max_pixels: int,
              on_ocr_page: Callable[[int, int], None] | None = None) -> list[RawPage]:
        try:
            status, result = self.receive.recv()
        except EOFError:
            status, result = "error", "the helper process ended"
        self.process.join(timeout=5)
        if status != "ok":  # read them here, as without a helper
            result = self._scan()
        out = []
        scanned = [number for number, _, looks_scanned in result if looks_scanned and ocr == "auto"]
        ocr_pages = dict(_ocr_pages(self.data, scanned, languages, max_pixels, on_ocr_page)) if scanned else {}
        for number, text, _ in result:
            if number in ocr_pages:
                ocr_text, confidence = ocr_pages[number]
                out.append(RawPage(number=number, source="ocr", text=ocr_text, ocr_confidence=confidence))
            else:
                out.append(RawPage(number=number, source="text-layer", text=text))
        return out


def _ocr_pages(data: bytes, numbers: list[int], languages: str, max_pixels: int,
               on_ocr_page: Callable[[int, int], None] | None = None) -> Iterator[tuple[int, tuple]]:
    pdf = _open_pdfium(data)
    try:
        for number in numbers:
            if on_ocr_page is not None:
                on_ocr_page(number, len(pdf))
            yield number, _ocr_page(pdf[number - 1], languages, max_pixels)
    finally:
        pdf.close()


def _start_helper(data: bytes, max_pages: int | None) -> _Helper | None:
    """A helper for long PDFs where a second core is spare (``auditor.parallel``)."""
    from auditor import parallel

    # The child only reads pages through PDFium, loaded before the fork: safe beside the model-loading thread.
    if not parallel.spare_core(threads_ok=True):
        return None
    count = page_count(data)
    if count < PARALLEL_PAGES or (max_pages is not None and count > max_pages):
        return None
    try:
        return _Helper(data, count * 2 // 5, max_pages)
    except (OSError, AssertionError, ValueError):  # no process to spare: read the pages here
        return None


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
    helper = _start_helper(data, max_pages) if engine == "pypdfium2" and ocr != "always" else None
    count = None
    for number, text, page in _pdfium_pages(data, max_pages, stop=helper.first if helper else None):
        if plumber_texts is not None:
            text = plumber_texts[number - 1]
        scanned = ocr == "always" or (
            ocr == "auto" and _letters(text) < MIN_TEXT_LETTERS and _has_image(page)
        )
        if scanned:
            if on_ocr_page is not None:
                count = count or page_count(data)
                on_ocr_page(number, count)
            ocr_text, confidence = _ocr_page(page, ocr_languages, max_render_pixels)
            pages.append(RawPage(number=number, source="ocr", text=ocr_text, ocr_confidence=confidence))
        else:
            pages.append(RawPage(number=number, source="text-layer", text=text))
    if helper is not None:
        pages += helper.pages(ocr, ocr_languages, max_render_pixels, on_ocr_page)
    if not any(p.text.strip() for p in pages) and any(p.source == "ocr" for p in pages):
        raise EmptyDocument("The PDF's pages are images in which OCR found no text.",
                            "Check that the scan is of the agreement and legible.")
    if not any(p.text.strip() for p in pages):
        raise EmptyDocument(
            "The PDF has no readable text on any page.",
            "If it is scanned, install Tesseract (tesseract-ocr) so pages can be OCR'd.",
        )
    return pages
