"""The command line as a user runs it: real subprocesses, real files, bad inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

ZERO_PAGE_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
                 b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "auditor", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=300)


def _encrypted_pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(72, 720, "Article 1 Confidential draft")
    c.save()
    return path


def _bad_inputs(tmp: Path, rcep_pdf: Path) -> dict[str, tuple[Path, str]]:
    (tmp / "notes.pdf").write_bytes(b"\x00\x01\x02binary junk\xff" * 50)
    (tmp / "report.pdf").write_bytes(b"PK\x03\x04" + b"\x14\x00" * 200)  # a .docx renamed
    (tmp / "truncated.pdf").write_bytes(rcep_pdf.read_bytes()[:200_000])
    (tmp / "empty.pdf").write_bytes(b"")
    (tmp / "zero.pdf").write_bytes(ZERO_PAGE_PDF)
    (tmp / "folder").mkdir()
    (tmp / "broken.xml").write_bytes(b"<?xml version='1.0'?><treaty><meta><name>x</name></meta><body><chapter>")
    (tmp / "other.xml").write_bytes(b"<?xml version='1.0'?><invoice><total>3</total></invoice>")
    return {
        "not a pdf": (tmp / "notes.pdf", "binary data"),
        "renamed docx": (tmp / "report.pdf", "ZIP archive"),
        "encrypted": (_encrypted_pdf(tmp / "locked.pdf"), "encrypted"),
        "truncated": (tmp / "truncated.pdf", "could not be read"),
        "empty": (tmp / "empty.pdf", "empty"),
        "zero pages": (tmp / "zero.pdf", "could not be read"),
        "directory": (tmp / "folder", "is a directory"),
        "missing": (tmp / "nope.pdf", "No such file"),
        "broken xml": (tmp / "broken.xml", "not well-formed"),
        "foreign xml": (tmp / "other.xml", "not a ToTA"),
    }


CASES = ["not a pdf", "renamed docx", "encrypted", "truncated", "empty", "zero pages", "directory", "missing",
         "broken xml", "foreign xml"]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_gives_one_clear_line(tmp_path, rcep_pdf, case):
    path, expected = _bad_inputs(tmp_path, rcep_pdf)[case]
    result = run("parse", str(path))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert expected in lines[0]
    assert result.stdout == ""


def test_parse_json_to_file_follows_contract(tmp_path):
    out = tmp_path / "out" / "ck.json"
    result = run("parse", "agreements/canada-korea-2014.tota.xml", "--format", "json", "-o", str(out))
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text())
    assert {"title", "language", "pages", "provisions"} <= data.keys()
    item = data["provisions"][1]
    assert {"id", "number", "title", "chapter", "page_start", "page_end", "text"} <= item.keys()
    assert {"number", "title"} <= item["chapter"].keys()


def test_parse_text_summary_of_sample():
    result = run("parse", "agreements/chile-colombia-2006.tota.xml")
    assert result.returncode == 0
    assert "Language:   es" in result.stdout
    assert "Chile - Colombia" in result.stdout
