"""The classifier artefact: plain arrays read without pickle, refused with the fix when it is not what it claims."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from auditor.classify import LABELS, ProvisionClassifier, ProvisionInput
from auditor.classify.model import ARRAYS_FILE, CONFIG_FILE
from auditor.errors import ModelNotAvailable
from tests.conftest import REPO


@pytest.fixture
def model_copy(tmp_path):
    for name in (ARRAYS_FILE, CONFIG_FILE):
        shutil.copy(REPO / "models" / name, tmp_path / name)
    return tmp_path


def _rewrite(directory, **changes):
    with np.load(directory / ARRAYS_FILE, allow_pickle=False) as arrays:
        content = {k: arrays[k] for k in arrays.files}
    content.update(changes)
    np.savez(directory / ARRAYS_FILE, **content)


def test_shipped_model_is_arrays_and_json_only():
    with np.load(REPO / "models" / ARRAYS_FILE, allow_pickle=False) as arrays:
        assert all(arrays[k].dtype != object for k in arrays.files)
        assert arrays["coef"].shape[0] == len(LABELS)
    assert not list((REPO / "models").glob("*.skops")) and not list((REPO / "models").glob("*.pkl"))


def test_a_pickled_array_is_refused(model_copy):
    with np.load(model_copy / ARRAYS_FILE, allow_pickle=False) as arrays:
        content = {k: arrays[k] for k in arrays.files}
    content["intercept"] = np.array([object()] * len(LABELS), dtype=object)
    np.savez(model_copy / ARRAYS_FILE, **content)  # numpy pickles object arrays
    with pytest.raises(ModelNotAvailable, match="cannot be read.*auditor train"):
        ProvisionClassifier.load(model_copy)


def test_a_truncated_file_is_refused(model_copy):
    data = (model_copy / ARRAYS_FILE).read_bytes()
    (model_copy / ARRAYS_FILE).write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelNotAvailable, match="cannot be read"):
        ProvisionClassifier.load(model_copy)


def test_coefficients_that_do_not_fit_the_vocabulary_are_refused(model_copy):
    with np.load(model_copy / ARRAYS_FILE, allow_pickle=False) as arrays:
        coef = arrays["coef"]
    _rewrite(model_copy, coef=coef[:, :-5])
    with pytest.raises(ModelNotAvailable, match="inconsistent"):
        ProvisionClassifier.load(model_copy)


def test_a_model_for_other_labels_is_refused(model_copy):
    config = json.loads((model_copy / CONFIG_FILE).read_text())
    config["labels"] = config["labels"][:-1]
    (model_copy / CONFIG_FILE).write_text(json.dumps(config))
    with pytest.raises(ModelNotAvailable, match="other labels"):
        ProvisionClassifier.load(model_copy)


def test_save_and_load_round_trip(tmp_path):
    model = ProvisionClassifier.load(REPO / "models")
    model.save(tmp_path / "again", {"trained_on": {}})
    again = ProvisionClassifier.load(tmp_path / "again")
    items = [ProvisionInput("a", "No Party shall impose customs duties on electronic transmissions.", None, "en"),
             ProvisionInput("b", "Nothing in this Agreement shall apply to measures with respect to cultural "
                                 "industries.", "Exceptions", "en")]
    assert [r.scores for r in again.predict(items)] == [r.scores for r in model.predict(items)]
