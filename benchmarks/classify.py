"""Classify every provision of the 450 ToTA agreements; print provisions/s. Target: all in <= 30 s."""

from __future__ import annotations

import time
from collections import Counter

from _common import CORPUS

from auditor.classify import ProvisionInput, load_classifier
from auditor.pipeline import parse_file


def main() -> None:
    items: list[ProvisionInput] = []
    for path in sorted((CORPUS / "tota" / "xml").glob("pta_*.xml")):
        agreement = parse_file(path)
        for p in agreement.provisions:
            items.append(ProvisionInput(id=p.id, text=p.text, chapter=p.chapter.title if p.chapter else None,
                                        language=agreement.language or "en"))
    classifier = load_classifier()
    t = time.perf_counter()
    results = classifier.predict(items)
    elapsed = time.perf_counter() - t
    labels = Counter(label for r in results for label in r.labels)
    print(f"provisions: {len(items)}  time: {elapsed:.1f} s  rate: {len(items) / elapsed:,.0f} provisions/s "
          f"(target: all in <= 30 s) {'OK' if elapsed <= 30 else 'MISSED'}")
    print("labels predicted: " + ", ".join(f"{k} {v}" for k, v in labels.most_common()))


if __name__ == "__main__":
    main()
