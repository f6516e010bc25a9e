"""The text layer of a PDF's pages through PDFium, and the forked helper that reads a long PDF's later pages.

Kept apart from ``auditor.ingest`` (which loads the data models) so that a command can start
reading before the rest of the engine is imported: ``prefetch`` forks the helper on the file a
command was given, and ``read_pdf`` takes it up when the same bytes arrive. On a 500-page
agreement the helper then reads while the interpreter imports pydantic and the pipeline, instead
of after.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from auditor import parallel
from auditor.errors import CorruptDocument, DocumentTooLarge, EmptyDocument, EncryptedDocument

# A page whose text layer has fewer letters than this, and that carries an image, is treated as scanned.
MIN_TEXT_LETTERS = 40
PARALLEL_PAGES = 150  # from this many pages on, a forked helper reads the later pages while this process reads the first
# The share of pages the helper reads: more than half, since this process also cleans the pages and
# loads the models meanwhile; more still when it starts before the engine is imported.
HELPER_SHARE = 0.6
PREFETCH_SHARE = 0.8


def open_pdf(data: bytes):
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
    return len(open_pdf(data))


_LETTER = re.compile(r"[^\W\d_]")


def letters(text: str, enough: int = MIN_TEXT_LETTERS) -> int:
    """Count letters, stopping once there are enough to call the text layer usable."""
    count = 0
    for _ in _LETTER.finditer(text):
        count += 1
        if count >= enough:
            break
    return count


def has_image(page) -> bool:
    import pypdfium2.raw as pdfium_c

    return any(obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE for obj in page.get_objects(max_depth=2))


def looks_scanned(text: str, page) -> bool:
    return letters(text) < MIN_TEXT_LETTERS and has_image(page)


def pdfium_pages(data: bytes, max_pages: int | None = None, *, start: int = 0,
                 stop: int | None = None) -> Iterator[tuple[int, str, object]]:
    import pypdfium2 as pdfium

    pdf = open_pdf(data)
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


def _scan(data: bytes, first: int, max_pages: int | None) -> list[tuple[int, str, bool]]:
    """(page number, text, looks scanned) of the pages from ``first`` on."""
    return [(number, text, looks_scanned(text, page)) for number, text, page in pdfium_pages(data, max_pages, start=first)]


@dataclass
class PageHelper:
    """The text layer of pages ``first`` onwards, read by a forked child (``auditor.parallel``) while the caller
    reads the others. PDFium is not thread-safe, so the second core is used by a process: forked, it shares the
    loaded library and the PDF bytes, and sends back each page's text and whether it looks scanned."""

    data: bytes
    first: int
    child: parallel.Forked[list[tuple[int, str, bool]]]

    def scanned(self) -> list[tuple[int, str, bool]]:
        """The helper's pages; read here if it failed."""
        return self.child.result()

    def stop(self) -> None:
        self.child.stop()


def start_helper(data: bytes, max_pages: int | None, share: float = HELPER_SHARE) -> PageHelper | None:
    """A helper for a long PDF where a second core is spare."""
    # The child only reads pages through PDFium, loaded before the fork: safe beside the model-loading thread.
    if not parallel.spare_core(threads_ok=True):
        return None
    count = page_count(data)
    if count < PARALLEL_PAGES or (max_pages is not None and count > max_pages):
        return None
    first = int(count * (1 - share))
    child = parallel.start(lambda: _scan(data, first, max_pages), threads_ok=True)
    return PageHelper(data, first, child) if child is not None else None


_prefetched: dict[bytes, PageHelper] = {}


def _key(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def prefetch(path: str | os.PathLike[str], max_bytes: int = 200 * 2**20) -> None:
    """Start reading a long PDF's later pages now, for the ``read_pdf`` that follows (the command line).

    Anything unusual (not a regular file, too big, not a PDF, unreadable) is left to the reading
    proper, which reports it; here it only means no head start.
    """
    try:
        file = Path(path)
        if not file.is_file() or file.stat().st_size > max_bytes:
            return
        data = file.read_bytes()
        if not data.startswith(b"%PDF") or _key(data) in _prefetched:
            return
        helper = start_helper(data, None, share=PREFETCH_SHARE)
    except Exception:  # noqa: BLE001 - the reading proper will say what is wrong
        return
    if helper is not None:
        _prefetched[_key(data)] = helper


def take_prefetched(data: bytes) -> PageHelper | None:
    """The helper ``prefetch`` started on these bytes, if any; helpers started on other bytes are stopped."""
    if not _prefetched:
        return None
    helper = _prefetched.pop(_key(data), None)
    stop_prefetched()
    return helper


def stop_prefetched() -> None:
    for helper in _prefetched.values():
        helper.stop()
    _prefetched.clear()
