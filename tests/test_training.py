"""The shipped model is what `auditor train` builds from the gold data: deterministic and loadable without pickle."""

from __future__ import annotations

import json

from auditor.classify import ProvisionInput, ProvisionClassifier
from auditor.classify.gold import train
from tests.conftest import GOLD, REPO, shared_file


def test_training_reproduces_the_shipped_model(tmp_path):
    files = [shared_file(GOLD / "train.jsonl"), GOLD / "es.jsonl"]
    model, _ = train(files, tmp_path)
    shipped = json.loads((REPO / "models" / "classifier.json").read_text())
    assert model.thresholds_ == shipped["thresholds"]

    reloaded = ProvisionClassifier.load(tmp_path)
    original = ProvisionClassifier.load(REPO / "models")
    rows = [json.loads(line) for line in (GOLD / "dev.jsonl").read_text().splitlines()][:120]
    items = [ProvisionInput(r["id"], r["text"], r.get("chapter")) for r in rows]
    assert [r.scores for r in reloaded.predict(items)] == [r.scores for r in original.predict(items)]
