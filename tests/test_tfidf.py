"""TermWeights against scikit-learn, its reference, on real treaty text; the array format refuses what it cannot trust."""

from __future__ import annotations

import numpy as np
import pytest

from auditor.pipeline import parse_file
from auditor.tfidf import ENGLISH_STOP_WORDS, SparseRows, TermWeights
from tests.conftest import REPO

sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
scipy_sparse = pytest.importorskip("scipy.sparse")


@pytest.fixture(scope="module")
def paragraphs() -> list[str]:
    """Provisions of the three shipped sample agreements: English, Spanish and French treaty prose."""
    out: list[str] = []
    for name in ("canada-korea-2014.tota.xml", "chile-colombia-2006.tota.xml", "cemac-1994.tota.xml"):
        out += [p.text for p in parse_file(REPO / "agreements" / name).provisions][:150]
    return out


def _dense(rows: SparseRows) -> np.ndarray:
    return rows.to_scipy().toarray()


def test_transform_matches_a_fitted_sklearn_vectorizer(paragraphs):
    vectorizer = sklearn_text.TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, max_features=3000,
                                              token_pattern=r"(?u)\b[^\W\d_][\w\-]+\b")
    reference = vectorizer.fit_transform(paragraphs[::2]).toarray()
    weights = TermWeights.from_sklearn(vectorizer)
    assert np.allclose(_dense(weights.transform(paragraphs[::2])), reference, atol=1e-9)
    unseen = paragraphs[1::2]  # words the vocabulary lacks are ignored the same way
    assert np.allclose(_dense(weights.transform(unseen)), vectorizer.transform(unseen).toarray(), atol=1e-9)


def test_fit_matches_sklearn_with_english_stop_words(paragraphs):
    vectorizer = sklearn_text.TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True, stop_words="english")
    reference = vectorizer.fit_transform(paragraphs)
    weights = TermWeights.fit(paragraphs, stop_words=ENGLISH_STOP_WORDS)
    assert weights.vocabulary == vectorizer.vocabulary_
    assert np.allclose(weights.idf, vectorizer.idf_)
    assert np.allclose(_dense(weights.transform(paragraphs[:50])), reference[:50].toarray(), atol=1e-9)


def test_stop_words_are_sklearns():
    assert ENGLISH_STOP_WORDS == sklearn_text.ENGLISH_STOP_WORDS


def test_hstack_and_dot_match_scipy():
    rng = np.random.default_rng(7)
    blocks = []
    for width in (5, 1, 8):
        dense = rng.random((6, width)) * (rng.random((6, width)) > 0.6)
        blocks.append(dense)
    blocks[1][:] = 0  # a block with no entries at all
    stacked = SparseRows.hstack([(SparseRows.from_dense(b), w) for b, w in zip(blocks, (1.0, 0.5, 2.0))])
    expected = np.hstack([blocks[0], blocks[1] * 0.5, blocks[2] * 2.0])
    assert np.allclose(_dense(stacked), expected)
    weights = rng.random((14, 3))
    assert np.allclose(stacked.dot(weights), expected @ weights)
    assert np.allclose(stacked.dot(weights[:, 0]), expected @ weights[:, 0])


def test_arrays_round_trip_without_pickle(tmp_path, paragraphs):
    weights = TermWeights.fit(paragraphs[:100])
    path = tmp_path / "w.npz"
    np.savez(path, **weights.to_arrays("text"))
    with np.load(path, allow_pickle=False) as arrays:
        back = TermWeights.from_arrays(arrays, "text", weights.settings())
    assert back.vocabulary == weights.vocabulary
    assert np.array_equal(back.idf, weights.idf)


def test_a_term_with_a_line_break_cannot_be_stored():
    weights = TermWeights({"a\nb": 0}, np.ones(1))
    with pytest.raises(ValueError, match="line break"):
        weights.to_arrays("text")
