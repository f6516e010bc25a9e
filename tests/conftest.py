"""Shared fixtures. Tests read the real corpus from ../shared (never copied into the repo)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AUDITOR_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"
TOTA = CORPUS / "tota" / "xml"
PDFS = CORPUS / "pdf"
GOLD = SHARED / "gold"


def shared_file(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not available (the shared corpus sits beside the repo in development and CI)")
    return path


@pytest.fixture(scope="session")
def rcep_pdf() -> Path:
    return shared_file(PDFS / "rcep.pdf")


@pytest.fixture(scope="session")
def aanzfta_pdf() -> Path:
    return shared_file(PDFS / "aanzfta.pdf")


@pytest.fixture(scope="session")
def rcep(rcep_pdf):
    from auditor.pipeline import parse_file

    return parse_file(rcep_pdf)


@pytest.fixture(scope="session")
def aanzfta(aanzfta_pdf):
    from auditor.pipeline import ParseOptions, parse_file

    # Its three image-only pages (signatures) are OCR'd in test_scanned; keep this fixture fast.
    return parse_file(aanzfta_pdf, ParseOptions(ocr="never"))


def tota(n: int) -> Path:
    return shared_file(TOTA / f"pta_{n}.xml")
