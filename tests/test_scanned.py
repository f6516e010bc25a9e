"""Scanned agreements: real RCEP pages (Chapter 12, shipped as a fixture) rendered to images, with no text layer."""

from __future__ import annotations

import shutil

import pytest

from auditor.pipeline import parse_file
from tests.typeset import scanned_pdf

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed")


def test_scanned_pages_are_ocrd_and_flagged(tmp_path, rcep_chapter12):
    pdf = scanned_pdf(rcep_chapter12, [2, 3], tmp_path / "scanned.pdf")  # pages 12-3 and 12-4
    agreement = parse_file(pdf)
    assert [p.source for p in agreement.page_info] == ["ocr", "ocr"]
    assert all(p.ocr_confidence is not None and p.ocr_confidence > 70 for p in agreement.page_info)
    scope = next(p for p in agreement.provisions if p.number == "12.3")
    assert scope.title.startswith("Scope")
    assert "This Chapter shall apply to measures adopted or maintained by a" in scope.text.replace("\n", " ")
    cooperation = next(p for p in agreement.provisions if p.number == "12.4")
    assert cooperation.title == "Cooperation"
    assert agreement.language == "en"


def test_mixed_document_only_ocrs_pages_without_text(tmp_path, rcep_chapter12):
    import pypdfium2 as pdfium

    scanned = scanned_pdf(rcep_chapter12, [4], tmp_path / "one.pdf")
    mixed = pdfium.PdfDocument.new()
    source = pdfium.PdfDocument(str(rcep_chapter12))
    mixed.import_pages(source, [2])  # page 12-3 with its text layer
    mixed.import_pages(pdfium.PdfDocument(str(scanned)))
    out = tmp_path / "mixed.pdf"
    mixed.save(str(out))
    agreement = parse_file(out)
    assert [p.source for p in agreement.page_info] == ["text-layer", "ocr"]
    assert agreement.page_info[0].ocr_confidence is None


def test_a_scanned_page_in_the_half_a_helper_process_reads_is_still_ocrd(tmp_path, rcep_chapter12):
    """Long PDFs are read by two processes (the second half by a forked helper); a scanned page there is OCR'd."""
    import pypdfium2 as pdfium

    from auditor.pdfpages import PARALLEL_PAGES

    scanned = scanned_pdf(rcep_chapter12, [4], tmp_path / "one.pdf")
    long = pdfium.PdfDocument.new()
    source = pdfium.PdfDocument(str(rcep_chapter12))
    while len(long) < PARALLEL_PAGES + 10:
        long.import_pages(source)  # the chapter's 12 pages with their text layer, again and again
    long.import_pages(pdfium.PdfDocument(str(scanned)))
    out = tmp_path / "long.pdf"
    long.save(str(out))
    agreement = parse_file(out)
    sources = [p.source for p in agreement.page_info]
    assert len(sources) == len(long) and [p.number for p in agreement.page_info] == list(range(1, len(long) + 1))
    assert sources[-1] == "ocr" and sources.count("ocr") == 1
    assert "Location of Computing Facilities" in agreement.text


def test_the_audit_says_which_pages_were_ocrd_and_how_sure(tmp_path, rcep_chapter12):
    from auditor.pipeline import audit_agreement
    from auditor.report.audit import audit_markdown

    audit = audit_agreement(parse_file(scanned_pdf(rcep_chapter12, [2], tmp_path / "s.pdf")), with_precedents=False)
    assert audit.agreement.ocr_pages == 1 and audit.agreement.ocr_confidence > 70
    assert "1 page read by OCR from scanned images (mean word confidence" in audit_markdown(audit)


def test_the_audit_reports_its_stages_and_each_ocr_page(tmp_path, rcep_chapter12):
    """What the service's waiting page shows: reading, each scanned page with the page count, then the stages."""
    from auditor.pipeline import audit_file

    pdf = scanned_pdf(rcep_chapter12, [2, 3], tmp_path / "scanned.pdf")
    heard = []
    audit_file(pdf, progress=lambda stage, done=0, total=0: heard.append((stage, done, total)))
    assert heard == [("reading", 0, 0), ("ocr", 1, 2), ("ocr", 2, 2), ("structuring", 0, 0), ("classifying", 0, 0),
                     ("assessing", 0, 0)]
