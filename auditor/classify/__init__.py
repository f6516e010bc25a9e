"""Classify: provisions -> codebook labels with scores and evidence spans.

``classify_provisions`` is the stage function the pipeline, the CLI and the
API call; ``gold`` holds training and evaluation over the hand-coded data.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from auditor.classify.model import Classification, ProvisionClassifier, ProvisionInput
from auditor.classify.rules import LABELS

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


@lru_cache(maxsize=4)
def load_classifier(directory: Path = MODELS_DIR) -> ProvisionClassifier:
    return ProvisionClassifier.load(directory)


def classify_provisions(items: list[ProvisionInput], classifier: ProvisionClassifier | None = None) -> list[Classification]:
    return (classifier or load_classifier()).predict(items)


__all__ = ["LABELS", "Classification", "ProvisionInput", "ProvisionClassifier", "classify_provisions", "load_classifier"]
