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


def _bad_inputs(tmp: Path, published_pdf: Path) -> dict[str, tuple[Path, str]]:
    (tmp / "notes.pdf").write_bytes(b"\x00\x01\x02binary junk\xff" * 50)
    (tmp / "report.pdf").write_bytes(b"PK\x03\x04" + b"\x14\x00" * 200)  # a .docx renamed
    (tmp / "truncated.pdf").write_bytes(published_pdf.read_bytes()[:60_000])
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
def test_bad_input_gives_one_clear_line(tmp_path, rcep_chapter12, case):
    path, expected = _bad_inputs(tmp_path, rcep_chapter12)[case]
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


@pytest.mark.parametrize(("command", "name", "check"), [
    ("parse", "ck.json", lambda text: json.loads(text)["provisions"]),
    ("audit", "ck.html", lambda text: text.lstrip().lower().startswith("<!doctype html")),
    ("audit", "ck.md", lambda text: text.startswith("#")),
    ("audit", "ck.csv", lambda text: text.splitlines()[0].count(",") > 3),
])
def test_output_format_follows_the_extension(tmp_path, command, name, check):
    out = tmp_path / name
    result = run(command, "agreements/canada-korea-2014.tota.xml", "-o", str(out), *(
        ["--no-precedents"] if command == "audit" else []))
    assert result.returncode == 0, result.stderr
    assert check(out.read_text())


def test_an_explicit_format_wins_over_the_extension(tmp_path):
    out = tmp_path / "summary.json"
    result = run("parse", "agreements/canada-korea-2014.tota.xml", "--format", "text", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_text().startswith("Title:")


@pytest.mark.parametrize("command", [[], ["parse"], ["audit"], ["batch"], ["classify"], ["compare"], ["keys", "create"]])
def test_help_shows_no_type_placeholders(command):
    result = run(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "<bool>" not in result.stdout
    assert "Usage:" in result.stdout


def test_compare_text_shows_both_titles_in_full(tmp_path):
    result = run("compare", "agreements/canada-korea-2014.tota.xml", "agreements/cemac-1994.tota.xml")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "A: Canada - Rep. of Korea"
    assert lines[1] == "B: Economic and Monetary Community of Central Africa (CEMAC)"


@pytest.mark.parametrize("args", [["keys", "create", "--tenant", "x"], ["keys", "list"], ["serve"]])
def test_service_commands_without_the_service_extra_say_which_extra(monkeypatch, args):
    """As on an install without ``[service]``: one line naming the extra, no traceback."""
    import importlib.util

    from typer.testing import CliRunner

    from auditor.cli import app

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "fastapi" else real(name, *a))
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "needs the 'service' extra" in result.output
    assert "pip install 'treaty-audit[service]'" in result.output


def test_classify_finds_the_shipped_model_from_any_folder(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "No Party shall impose customs duties on electronic "
                                                    "transmissions."}) + "\n")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "auditor", "classify", str(source), "-o", str(out)],
                          capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert proc.returncode == 0, proc.stderr
    row = json.loads(out.read_text())
    assert row["language"] == "en"
    assert "digital_products" in row["labels"]


def _spanish_lines(tmp_path: Path, with_language: bool) -> Path:
    """Provisions of the shipped Spanish sample agreement, fed as a researcher would: id, text, chapter."""
    from auditor.pipeline import parse_file

    agreement = parse_file(REPO / "agreements" / "chile-colombia-2006.tota.xml")
    path = tmp_path / f"es-{with_language}.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for p in agreement.provisions:
            row = {"id": p.id, "text": p.text, "chapter": p.chapter.title if p.chapter else None}
            if with_language:
                row["language"] = "es"
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def test_classify_detects_the_language_of_each_line(tmp_path):
    results = {}
    for with_language in (False, True):
        out = tmp_path / f"out-{with_language}.jsonl"
        proc = run("classify", str(_spanish_lines(tmp_path, with_language)), "-o", str(out))
        assert proc.returncode == 0, proc.stderr
        results[with_language] = [json.loads(line) for line in out.read_text().splitlines()]
    detected, told = results[False], results[True]
    assert [r["language"] for r in detected].count("es") >= 0.95 * len(detected)
    assert sum(bool(r["labels"]) for r in told) >= 5  # the comparison below means something
    agree = sum(a["labels"] == b["labels"] for a, b in zip(detected, told))
    assert agree >= 0.97 * len(told)


def test_classify_refuses_an_unknown_language_on_its_line(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "Electronic commerce.", "language": "de"}) + "\n"
                      + json.dumps({"id": "b", "text": "Electronic commerce."}) + "\n")
    out = tmp_path / "out.jsonl"
    proc = run("classify", str(source), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "in.jsonl:1: skipped (language 'de' is not one of en, fr, es" in proc.stderr
    assert [json.loads(line)["id"] for line in out.read_text().splitlines()] == ["b"]


def test_cli_refuses_pipes_devices_and_links_out_of_the_input_folder(tmp_path):
    """A FIFO would block, /dev/zero never ends, a link to /etc/passwd would be audited into the outputs."""
    import os

    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "treaty.xml").write_bytes((REPO / "agreements" / "cemac-1994.tota.xml").read_bytes())
    os.mkfifo(folder / "fifo.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "self").symlink_to(folder)
    (folder / "sub" / "loop").symlink_to(folder)
    (folder / "dangling.txt").symlink_to(tmp_path / "nowhere")
    for path, expected in ((folder / "fifo.txt", "not a regular file"), (folder / "zero.txt", "not a regular file")):
        result = run("audit", str(path))
        assert result.returncode == 2 and expected in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "auditor", "batch", str(folder), "-o", str(out), "--no-progress",
                             "--workers", "1"], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "1 documents: 1 audited" in result.stdout
    for name, reason in (("fifo.txt", "not a regular file"), ("passwd.txt", "leads out of"), ("self", "not followed"),
                         ("loop", "not followed"), ("dangling.txt", "broken link")):
        assert any(name in line and reason in line for line in result.stderr.splitlines()), (name, result.stderr)
    assert "root:" not in (out / "inventory.csv").read_text()
    globbed = subprocess.run([sys.executable, "-m", "auditor", "batch", f"{folder}/**/*.xml", "-o", str(out),
                              "--no-progress"], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert globbed.returncode == 0 and "1 documents" in globbed.stdout, globbed.stderr  # no loop through the links


def test_cli_caps_what_it_reads_from_one_file(tmp_path):
    from auditor.errors import DocumentTooLarge
    from auditor.ingest import read_input

    path = tmp_path / "big.txt"
    path.write_bytes(b"Article 1\n" + b"a" * 5000)
    with pytest.raises(DocumentTooLarge, match="over the 1,000-byte limit"):
        read_input(path, max_bytes=1000)


@pytest.mark.shared
def test_audit_reads_an_incorporating_agreement_with_the_one_it_incorporates(tmp_path):
    """UK-Central America 2019 alone: statuses 'not assessable from this text alone'; with --incorporates, decided."""
    from tests.conftest import CORPUS, TOTA, shared_file

    uk = shared_file(CORPUS / "wild" / "CNTRAU_2019O.txt")
    alone = subprocess.run([sys.executable, "-m", "auditor", "audit", str(uk), "--no-precedents", "-f", "json"],
                           capture_output=True, text=True, cwd=REPO, timeout=300)
    together = subprocess.run([sys.executable, "-m", "auditor", "audit", str(uk), "--no-precedents", "-f", "json",
                               "--incorporates", str(shared_file(TOTA / "pta_388.xml")), "--party", "GBR",
                               "--party", "CRI"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert alone.returncode == 0 and together.returncode == 0, alone.stderr + together.stderr
    first, second = json.loads(alone.stdout), json.loads(together.stdout)
    g = {x["id"]: x for x in first["assessments"]}
    assert g["19.4"]["status"] == "incomplete" and "incorporates EU-Central America Agreement" in g["19.4"]["rationale"]
    g = {x["id"]: x for x in second["assessments"]}
    assert g["19.1"]["status"] == "addressed"
    assert second["agreement"]["parties"] == ["GBR", "CRI"]
    cited = [p["path"] for p in second["provisions"] if p["path"]]
    assert any(path.startswith("EU - Central America › ") for path in cited)  # the incorporated text, cited as such


def test_a_party_code_that_is_no_country_is_refused():
    proc = subprocess.run([sys.executable, "-m", "auditor", "audit", "agreements/canada-korea-2014.tota.xml",
                           "--party", "XXQ", "--no-precedents"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode != 0
    assert "XXQ" in proc.stderr and "ISO 3166" in proc.stderr and "Traceback" not in proc.stderr


def test_a_memo_is_audited_with_a_warning_that_it_is_no_treaty(tmp_path):
    memo = tmp_path / "memo.txt"
    memo.write_text("Memo to the Minister\n\nPlease find attached the briefing on next week's visit. The delegation "
                    "arrives on Tuesday.\nWe suggest a dinner on Wednesday.\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "auditor", "audit", str(memo), "--no-precedents", "-f", "md"],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# Audit: Memo to the Minister\n")  # the title stops where the prose begins
    assert "**Not a treaty?** This document does not read like a treaty" in proc.stdout
    assert "p. 1" not in proc.stdout and "1 pages" not in proc.stdout


def test_a_spreadsheet_is_not_written_to_the_terminal():
    proc = subprocess.run([sys.executable, "-m", "auditor", "audit", "agreements/canada-korea-2014.tota.xml",
                           "--no-precedents", "-f", "xlsx"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode != 0 and proc.stdout == ""
    assert "A spreadsheet cannot be written to the terminal. Name a file with -o audit.xlsx." in proc.stderr


def test_audit_ends_quickly_yet_writes_everything_and_keeps_its_exit_code(tmp_path):
    """After `audit` the process skips the interpreter's teardown (os._exit): the output file is complete,
    a closed pipe is no error, and a failure keeps its exit code and message."""
    sample = REPO / "agreements" / "cemac-1994.tota.xml"
    out = tmp_path / "a.json"
    done = subprocess.run([sys.executable, "-m", "auditor", "audit", str(sample), "-o", str(out)],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["assessments"]
    piped = subprocess.run(f"{sys.executable} -m auditor audit {sample} -f md | head -c 20", shell=True,
                           capture_output=True, text=True, cwd=REPO, timeout=300)
    assert piped.stdout.startswith("# ") and "Traceback" not in piped.stderr
    missing = subprocess.run([sys.executable, "-m", "auditor", "audit", str(tmp_path / "none.pdf")],
                             capture_output=True, text=True, cwd=REPO, timeout=300)
    assert missing.returncode == 2 and missing.stderr.startswith("error: No such file")


def test_require_treaty_refuses_a_memo_and_passes_an_agreement(tmp_path):
    memo = tmp_path / "memo.txt"
    memo.write_text("Memo to the minister\n\nPlease find attached the briefing for Tuesday's meeting on the digital "
                    "economy.\nRegards,\nThe Secretary\n", encoding="utf-8")
    refused = subprocess.run([sys.executable, "-m", "auditor", "audit", str(memo), "--require-treaty",
                              "-o", str(tmp_path / "m.json")], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert refused.returncode == 2
    assert refused.stderr.startswith("error: Refused: This document does not read like a treaty")
    assert not (tmp_path / "m.json").exists()
    warned = subprocess.run([sys.executable, "-m", "auditor", "audit", str(memo), "-o", str(tmp_path / "w.json")],
                            capture_output=True, text=True, cwd=REPO, timeout=300)
    assert warned.returncode == 0
    assert json.loads((tmp_path / "w.json").read_text())["agreement"]["document_warning"]
    treaty = subprocess.run([sys.executable, "-m", "auditor", "audit", "agreements/cemac-1994.tota.xml",
                             "--require-treaty", "-o", str(tmp_path / "t.json")], capture_output=True, text=True,
                            cwd=REPO, timeout=300)
    assert treaty.returncode == 0, treaty.stderr


def test_audit_reports_in_the_readers_language(tmp_path):
    spanish = subprocess.run([sys.executable, "-m", "auditor", "audit", "agreements/cemac-1994.tota.xml", "-f", "md",
                              "--lang", "es"], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert spanish.returncode == 0, spanish.stderr
    assert spanish.stdout.startswith("# Auditoría: ") and "## En resumen" in spanish.stdout
    unknown = subprocess.run([sys.executable, "-m", "auditor", "audit", "agreements/cemac-1994.tota.xml", "--lang", "de"],
                             capture_output=True, text=True, cwd=REPO, timeout=300)
    assert unknown.returncode == 2 and "de" in unknown.stderr
