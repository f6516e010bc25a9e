"""Gold data: loading, training the shipped model, and scoring (per label P/R/F1, macro-F1)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from auditor.classify.model import ProvisionClassifier, ProvisionInput
from auditor.classify.rules import LABELS
from auditor.errors import AuditError, InputNotFound


@dataclass
class GoldProvision:
    item: ProvisionInput
    labels: list[str]
    treaty: str


def load_gold(path: Path) -> list[GoldProvision]:
    """Hand-coded provisions; a line without ``language`` gets the one detected from its text, as in ``classify``."""
    from auditor.ingest.language import detect_language

    if not path.exists():
        raise InputNotFound(f"No such gold file: {path}")
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append(GoldProvision(
                item=ProvisionInput(id=row["id"], text=row["text"], chapter=row.get("chapter"),
                                    language=row.get("language") or detect_language(row["text"])),
                labels=list(row.get("labels", [])),
                treaty=str(row.get("treaty", row["id"])),
            ))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise AuditError(f"{path}:{n}: not a gold provision ({exc}).") from exc
    return out


def train(gold_files: list[Path], out_dir: Path, **params) -> tuple[ProvisionClassifier, dict]:
    rows = [g for path in gold_files for g in load_gold(path)]
    model = ProvisionClassifier(**params).fit([g.item for g in rows], [g.labels for g in rows], [g.treaty for g in rows])
    meta = {"trained_on": {p.name: sum(1 for _ in load_gold(p)) for p in gold_files}}
    model.save(out_dir, meta)
    return model, meta


@dataclass
class LabelScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int
    tp: int
    fp: int
    fn: int


def score(gold: list[list[str]], predicted: list[list[str]]) -> list[LabelScore]:
    out = []
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, predicted) if label in g and label in p)
        fp = sum(1 for g, p in zip(gold, predicted) if label not in g and label in p)
        fn = sum(1 for g, p in zip(gold, predicted) if label in g and label not in p)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out.append(LabelScore(label, precision, recall, f1, tp + fn, tp, fp, fn))
    return out


def macro_f1(scores: list[LabelScore]) -> float:
    return sum(s.f1 for s in scores) / len(scores)


# The codebook's key phrases as plain regular expressions: the reference a classifier must beat.
KEYWORD_BASELINE = {
    "ecommerce": r"electronic commerce|e-commerce|digital trade|electronic transmission|digital product|paperless"
                 r"|electronic authentication|electronic signature|comercio electr",
    "digital_products": r"digital product|electronic transmission|carrier medium|productos digitales|transmisiones electr",
    "cultural_exception": r"cultural industr|audiovisual|audio-visual|broadcasting|cultural exception|industrias culturales",
    "convention_reference": r"diversity of cultural expressions|unesco",
    "cultural_diversity": r"cultural diversity|cultural identity|diversidad cultural",
    "cultural_cooperation": r"cultural cooperation|cultural co-operation|co-production|coproduction|cultural exchange"
                            r"|cooperación cultural",
    "preferential_treatment": r"special and differential|least.developed|developing countr",
    "right_to_regulate": r"right to regulate|general exceptions|article xx|article xiv|legitimate public policy",
}


def keyword_baseline(text: str) -> list[str]:
    low = text.lower()
    return [label for label, pattern in KEYWORD_BASELINE.items() if re.search(pattern, low)]


@dataclass
class CrossValidation:
    """Out-of-fold labels for every gold provision, once per shuffling of the agreements into folds."""

    rows: list[GoldProvision]
    predictions: list[list[list[str]]]  # [shuffle][row] -> labels

    def scores(self, language: str | None = None) -> list[list[LabelScore]]:
        keep = [i for i, g in enumerate(self.rows) if language is None or g.item.language == language]
        return [score([self.rows[i].labels for i in keep], [run[i] for i in keep]) for run in self.predictions]


def cross_validate(rows: list[GoldProvision], folds: int = 5, shuffles: int = 3, **params) -> CrossValidation:
    """Nested cross-validation by agreement: each training fold tunes its own thresholds, so the
    held-out agreements see nothing of themselves. Several shufflings, because with twenty positives
    for some labels one split's score moves by a few points."""
    from sklearn.model_selection import GroupKFold

    groups = [g.treaty for g in rows]
    if len(set(groups)) < folds:
        raise AuditError(f"Cross-validation needs at least {folds} agreements; the gold data has {len(set(groups))}.",
                         "Use fewer --folds or more gold data.")
    runs = []
    for seed in range(shuffles):
        predicted: list[list[str]] = [[] for _ in rows]
        splitter = GroupKFold(n_splits=folds, shuffle=True, random_state=seed)
        for train_idx, test_idx in splitter.split(rows, groups=groups):
            model = ProvisionClassifier(**params).fit([rows[i].item for i in train_idx],
                                                      [rows[i].labels for i in train_idx],
                                                      [groups[i] for i in train_idx])
            for i, result in zip(test_idx, model.predict([rows[i].item for i in test_idx])):
                predicted[i] = result.labels
        runs.append(predicted)
    return CrossValidation(rows, runs)


def mean_scores(runs: list[list[LabelScore]]) -> list[LabelScore]:
    """Per-label precision, recall and F1 averaged over runs (counts are the runs' means, rounded)."""
    def mean(k: int, attr: str) -> float:
        return sum(getattr(run[k], attr) for run in runs) / len(runs)

    return [LabelScore(first.label, mean(k, "precision"), mean(k, "recall"), mean(k, "f1"), first.support,
                       round(mean(k, "tp")), round(mean(k, "fp")), round(mean(k, "fn")))
            for k, first in enumerate(runs[0])]


def format_table(scores: list[LabelScore], title: str) -> str:
    lines = [title, f"{'label':24} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}"]
    for s in scores:
        lines.append(f"{s.label:24} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:8d}")
    lines.append(f"{'macro-F1':24} {'':>6} {'':>6} {macro_f1(scores):6.3f}")
    return "\n".join(lines)
