"""Parse all 450 ToTA agreements: agreement count, provision count, languages, time."""

from __future__ import annotations

import time
from collections import Counter

from _common import CORPUS

from auditor.pipeline import parse_file


def main() -> None:
    files = sorted((CORPUS / "tota" / "xml").glob("pta_*.xml"))
    t = time.perf_counter()
    languages: Counter[str] = Counter()
    provisions = 0
    failures = []
    for path in files:
        try:
            agreement = parse_file(path)
        except Exception as exc:  # report, keep going
            failures.append((path.name, str(exc)))
            continue
        languages[agreement.language or "?"] += 1
        provisions += len(agreement.provisions)
    elapsed = time.perf_counter() - t
    print(f"agreements parsed: {len(files) - len(failures)} / {len(files)}  failures: {len(failures)}")
    print(f"provisions: {provisions}")
    print("languages: " + ", ".join(f"{k} {v}" for k, v in sorted(languages.items())))
    print(f"time: {elapsed:.2f} s ({len(files) / elapsed:.0f} agreements/s)")
    for name, err in failures:
        print(f"  FAILED {name}: {err}")


if __name__ == "__main__":
    main()
