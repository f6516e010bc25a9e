"""Compare two agreements; corpus trends with tables and plots."""

from __future__ import annotations

import csv
import subprocess
import sys

from auditor.pipeline import audit_agreement, parse_file
from auditor.report.compare import compare_audits, compare_text
from auditor.report.trends import AgreementSummaryRow, write_trends
from tests.conftest import REPO, tota


def test_compare_marks_differences():
    a = audit_agreement(parse_file(tota(146)), with_precedents=False)
    b = audit_agreement(parse_file(tota(449)), with_precedents=False)  # TPP
    comparison = compare_audits(a, b)
    rows = {r.id: r for r in comparison.scorecard}
    assert rows["19.4"].first == "addressed" and rows["19.4"].second == "in tension" and rows["19.4"].differs
    assert not rows["19.2"].differs
    text = compare_text(comparison)
    assert "19.4" in text and "<- differs" in text


def test_compare_cli(tmp_path):
    out = tmp_path / "cmp.md"
    proc = subprocess.run([sys.executable, "-m", "auditor", "compare", "agreements/canada-korea-2014.tota.xml",
                           "agreements/chile-colombia-2006.tota.xml", "-f", "md", "-o", str(out)],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert out.read_text().startswith("| | Canada - Rep. of Korea | Chile - Colombia |")


def test_trends_tables_and_plots(tmp_path):
    rows = [AgreementSummaryRow.from_audit(audit_agreement(parse_file(tota(n)), with_precedents=False))
            for n in (146, 145, 1, 86, 338)]
    written = write_trends(rows, tmp_path)
    names = {p.name for p in written}
    assert {"trends_by_decade.csv", "status_counts.csv", "trends_by_decade.md", "trends_by_decade.png",
            "trends_by_decade.svg"} <= names
    table = list(csv.DictReader((tmp_path / "trends_by_decade.csv").open()))
    by_decade = {r["decade"]: r for r in table}
    assert by_decade["2010s"]["agreements"] == "2"  # Canada-Korea 2014, EU-Korea 2010
    assert by_decade["2010s"]["cultural_exception"] == "2"
    assert (tmp_path / "trends_by_decade.png").read_bytes()[:4] == b"\x89PNG"
    assert b"<svg" in (tmp_path / "trends_by_decade.svg").read_bytes()[:500]
