"""Ingest speed on RCEP (510 pages): `auditor parse` against the raw pypdfium2 text layer and pdfplumber.

Each engine runs in its own fresh process (best of N runs) so peak memory is per engine.
Target: parse within 2x of raw pypdfium2; peak memory under 300 MB.
Usage: python benchmarks/ingest.py [--runs 3]
"""

from __future__ import annotations

import argparse

from _common import CORPUS, run_measured

RAW = """
import pypdfium2 as pdfium
path = {path!r}
best = None
for _ in range({runs}):
    t = time.perf_counter()
    pdf = pdfium.PdfDocument(path)
    texts = []
    for i in range(len(pdf)):
        tp = pdf[i].get_textpage(); texts.append(tp.get_text_range()); tp.close()
    n = len(pdf); pdf.close()
    best = min(best or 1e9, time.perf_counter() - t)
result = {{'pages': n, 'seconds': best}}
"""

PARSE = """
from auditor.pipeline import parse_file
path = {path!r}
best = None
for _ in range({runs}):
    t = time.perf_counter()
    agreement = parse_file(path)
    best = min(best or 1e9, time.perf_counter() - t)
result = {{'pages': agreement.pages, 'seconds': best, 'provisions': len(agreement.provisions)}}
"""

PLUMBER = """
import pdfplumber
path = {path!r}
t = time.perf_counter()
with pdfplumber.open(path) as pdf:
    pages = pdf.pages[:50]
    texts = [p.extract_text() for p in pages]
result = {{'pages': len(texts), 'seconds': time.perf_counter() - t}}
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = str(CORPUS / "pdf" / "rcep.pdf")
    raw = run_measured(RAW.format(path=path, runs=args.runs))
    parse = run_measured(PARSE.format(path=path, runs=args.runs))
    plumber = run_measured(PLUMBER.format(path=path))
    rows = [("raw pypdfium2 text layer", raw), ("auditor parse", parse), ("pdfplumber (first 50 pages)", plumber)]
    print(f"RCEP: {raw['pages']} pages; {parse['provisions']} provisions parsed")
    print(f"{'engine':32} {'pages':>6} {'seconds':>8} {'pages/s':>9} {'peak MB':>8}")
    for name, r in rows:
        print(f"{name:32} {r['pages']:>6} {r['seconds']:>8.3f} {r['pages'] / r['seconds']:>9.1f} {r['peak_rss_mb']:>8.0f}")
    ratio = parse["seconds"] / raw["seconds"]
    plumber_rate = plumber["pages"] / plumber["seconds"]
    parse_rate = parse["pages"] / parse["seconds"]
    print(f"parse / raw pypdfium2 time: {ratio:.2f}x (target <= 2x) {'OK' if ratio <= 2 else 'MISSED'}")
    print(f"parse pages/s vs pdfplumber pages/s: {parse_rate / plumber_rate:.0f}x faster")
    print(f"parse peak memory: {parse['peak_rss_mb']:.0f} MB (target < 300 MB) "
          f"{'OK' if parse['peak_rss_mb'] < 300 else 'MISSED'}")


if __name__ == "__main__":
    main()
