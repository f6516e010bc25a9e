"""End-to-end audit of RCEP (parse, classify, assess, precedents) against the raw pypdfium2 text layer.

Both are measured in this process, interleaved, N runs each; medians are compared.
Target: audit <= 3 s median and <= 3x the raw extraction.
Usage: python benchmarks/audit.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import pypdfium2 as pdfium
from _common import CORPUS

from auditor.classify import load_classifier
from auditor.pipeline import audit_file, default_precedents


def raw_text(path: str) -> int:
    pdf = pdfium.PdfDocument(path)
    n = 0
    for i in range(len(pdf)):
        tp = pdf[i].get_textpage()
        n += len(tp.get_text_range())
        tp.close()
    pdf.close()
    return n


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    path = str(CORPUS / "pdf" / "rcep.pdf")
    load_classifier()
    default_precedents()  # models load once per process, as in the service and batch workers
    audit_file(path)  # warm-up
    raw_times, audit_times = [], []
    for _ in range(args.runs):
        t = time.perf_counter()
        raw_text(path)
        raw_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        audit = audit_file(path)
        audit_times.append(time.perf_counter() - t)
    raw, full = statistics.median(raw_times), statistics.median(audit_times)
    print(f"RCEP ({audit.agreement.pages} pages): {len(audit.provisions)} labelled provisions, "
          f"{len(audit.tensions)} tensions, {len(audit.precedents)} precedents")
    print(f"raw pypdfium2 text layer: median {raw:.3f} s over {args.runs} runs")
    print(f"auditor audit (end to end): median {full:.3f} s over {args.runs} runs "
          f"(target <= 3 s) {'OK' if full <= 3 else 'MISSED'}")
    print(f"ratio audit / raw: {full / raw:.2f}x (target <= 3x) {'OK' if full / raw <= 3 else 'MISSED'}")


if __name__ == "__main__":
    main()
