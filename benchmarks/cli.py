"""Whole-process command-line costs, as a user runs them, next to a bare pypdfium2 read of RCEP.

Each command runs as a fresh process (cold imports, model loading included), best of ``--repeat``
runs, all in one run of this script so the reference shares the machine's mood. Peak RSS is the
process's own (``wait4``), not this script's.

Targets (issue 16): RCEP audit <= 2x the pypdfium2 process; small ToTA XML audit <= 1x it;
no-op batch re-run <= 1x it; peak RSS of the RCEP audit <= 200 MB.
Usage: python benchmarks/cli.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import CORPUS, REPO

AUDITOR = [sys.executable, "-m", "auditor"]
RCEP = CORPUS / "pdf" / "rcep.pdf"
SMALL_XML = CORPUS / "tota" / "xml" / "pta_4.xml"  # 8 KB
BATCH_XML = [CORPUS / "tota" / "xml" / f"pta_{n}.xml" for n in (4, 86, 196, 310, 324)]
PYPDFIUM_READ = (
    "import sys, pypdfium2 as pdfium\n"
    "doc = pdfium.PdfDocument(sys.argv[1])\n"
    "n = 0\n"
    "for page in doc:\n"
    "    n += len(page.get_textpage().get_text_range())\n"
    "print(n)\n"
)


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process."""
    t = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{stderr}")
    return elapsed, usage.ru_maxrss / 1024


def best_of(argv: list[str], repeat: int) -> tuple[float, float]:
    runs = [timed(argv) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="auditor-cli-bench-"))
    try:
        batch_out = work / "batch"
        subprocess.run([*AUDITOR, "batch", *map(str, BATCH_XML), "-o", str(batch_out), "--no-progress"],
                       cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        rows = [
            ("pypdfium2 text of RCEP (bare script)", [sys.executable, "-c", PYPDFIUM_READ, str(RCEP)], None),
            ("auditor --help", [*AUDITOR, "--help"], None),
            ("auditor parse rcep.pdf", [*AUDITOR, "parse", str(RCEP), "-o", str(work / "p.json")], None),
            ("auditor audit small ToTA XML", [*AUDITOR, "audit", str(SMALL_XML), "-o", str(work / "s.json")], 1.0),
            ("auditor audit rcep.pdf", [*AUDITOR, "audit", str(RCEP), "-o", str(work / "r.json")], 2.0),
            ("auditor batch re-run, all done", [*AUDITOR, "batch", *map(str, BATCH_XML), "-o", str(batch_out),
                                                "--no-progress"], 1.0),
        ]
        results = []
        for name, argv, target in rows:
            wall, rss = best_of(argv, args.repeat)
            results.append((name, wall, rss, target))
        reference = results[0][1]
        print(f"{'command':<40} {'wall s':>7} {'x ref':>6} {'peak MB':>8}  target")
        for name, wall, rss, target in results:
            verdict = "" if target is None else f"<= {target:g}x {'OK' if wall <= target * reference else 'MISSED'}"
            if name == "auditor audit rcep.pdf":
                verdict += f"; RSS <= 200 MB {'OK' if rss <= 200 else 'MISSED'}"
            print(f"{name:<40} {wall:7.2f} {wall / reference:6.2f} {rss:8.0f}  {verdict}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
