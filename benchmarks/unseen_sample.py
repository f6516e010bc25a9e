"""Draw predicted positives from ToTA agreements that are in no gold split, for a person to judge.

The gold pool over-represents positives, so its precision overstates what an analyst sees on a
whole agreement. This prints, per label, how many provisions of the unseen agreements carry it
and a seeded sample of them (text head and evidence) as Markdown; the judged result is in
models/README.md. Usage: python benchmarks/unseen_sample.py [--per-label 12] [--seed 7] > sample.md
"""

from __future__ import annotations

import argparse
import json
import random
import re

from _common import CORPUS, SHARED

from auditor.classify import LABELS, ProvisionInput, load_classifier
from auditor.pipeline import parse_file


def _squash(text: str, limit: int) -> str:
    return re.sub(r"\s+", " ", text)[:limit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-label", type=int, default=12)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    coded = {str(json.loads(line)["treaty"]) for name in ("train", "dev", "es")
             for line in (SHARED / "gold" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()}
    items: list[ProvisionInput] = []
    for path in sorted((CORPUS / "tota" / "xml").glob("pta_*.xml")):
        if path.stem.removeprefix("pta_") in coded:
            continue
        agreement = parse_file(path)
        items += [ProvisionInput(p.id, p.text, p.chapter.title if p.chapter else None, agreement.language or "en")
                  for p in agreement.provisions]
    results = load_classifier().predict(items)
    agreements = len({i.id.split(":")[1] for i in items})
    print(f"# Predicted positives in {agreements} ToTA agreements outside the gold splits ({len(items):,} provisions)\n")
    for label in LABELS:
        positives = [(i, r) for i, r in zip(items, results) if label in r.labels]
        print(f"## {label}: {len(positives)} provisions\n")
        rng = random.Random(f"{args.seed}:{label}")  # per label: one label's sample does not shift another's
        for item, result in rng.sample(positives, min(args.per_label, len(positives))):
            evidence = max(result.evidence[label], key=lambda e: e["end"] - e["start"])["text"]
            print(f"- **{item.id}** [{item.chapter}] labels: {', '.join(result.labels)}")
            print(f"  - text: {_squash(item.text, 500)}")
            print(f"  - evidence: {_squash(evidence, 300)}\n")


if __name__ == "__main__":
    main()
