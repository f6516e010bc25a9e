"""TF-IDF term weights as plain arrays: what the classifier and the precedent index apply at run time.

scikit-learn's ``TfidfVectorizer`` is the reference (training still fits one), but importing
scikit-learn and unpacking its objects cost seconds per process; applying a fitted vocabulary and
idf needs only a regex and numpy. ``TermWeights`` reproduces sklearn's word analyser, sublinear tf,
smooth idf and l2 norm exactly (the tests compare the two), and saves to arrays that ``np.load``
reads without pickle.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

# scikit-learn's default token pattern, and the classifier's (words of 2+ characters starting with a letter).
DEFAULT_TOKEN_PATTERN = r"(?u)\b\w\w+\b"

# scikit-learn's ENGLISH_STOP_WORDS (tests check the two stay equal), so the precedent index needs no sklearn.
ENGLISH_STOP_WORDS = frozenset("""
a about above across after afterwards again against all almost alone along already also although always am
among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around as at back
be became because become becomes becoming been before beforehand behind being below beside besides between
beyond bill both bottom but by call can cannot cant co con could couldnt cry de describe detail do done down
due during each eg eight either eleven else elsewhere empty enough etc even ever every everyone everything
everywhere except few fifteen fifty fill find fire first five for former formerly forty found four from front
full further get give go had has hasnt have he hence her here hereafter hereby herein hereupon hers herself
him himself his how however hundred i ie if in inc indeed interest into is it its itself keep last latter
latterly least less ltd made many may me meanwhile might mill mine more moreover most mostly move much must my
myself name namely neither never nevertheless next nine no nobody none noone nor not nothing now nowhere of
off often on once one only onto or other others otherwise our ours ourselves out over own part per perhaps
please put rather re same see seem seemed seeming seems serious several she should show side since sincere six
sixty so some somehow someone something sometime sometimes somewhere still such system take ten than that the
their them themselves then thence there thereafter thereby therefore therein thereupon these they thick thin
third this those though three through throughout thru thus to together too top toward towards twelve twenty
two un under until up upon us very via was we well were what whatever when whence whenever where whereafter
whereas whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why will
with within without would yet you your yours yourself yourselves
""".split())


@dataclass
class SparseRows:
    """Rows of a sparse matrix in CSR form: enough to score a linear model without scipy."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    width: int

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    @classmethod
    def from_dense(cls, dense: np.ndarray) -> "SparseRows":
        rows, cols = np.nonzero(dense)
        indptr = np.zeros(dense.shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(rows, minlength=dense.shape[0]), out=indptr[1:])
        return cls(indptr, cols.astype(np.int64), dense[rows, cols].astype(np.float64), dense.shape[1])

    @classmethod
    def hstack(cls, blocks: list[tuple["SparseRows", float]]) -> "SparseRows":
        """Side-by-side blocks, each scaled by its weight (the classifier's feature layout)."""
        n = blocks[0][0].n_rows
        per_row = sum(np.diff(b.indptr) for b, _ in blocks)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(per_row, out=indptr[1:])
        indices = np.empty(indptr[-1], dtype=np.int64)
        data = np.empty(indptr[-1], dtype=np.float64)
        fill = indptr[:-1].copy()
        offset = 0
        for block, weight in blocks:
            counts = np.diff(block.indptr)
            rows = np.repeat(np.arange(n), counts)
            within = np.arange(len(block.indices)) - np.repeat(block.indptr[:-1], counts)
            target = fill[rows] + within
            indices[target] = block.indices + offset
            data[target] = block.data * weight
            fill += counts
            offset += block.width
        return cls(indptr, indices, data, offset)

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """``self @ weights`` for a dense (width,) or (width, k) array."""
        rows = np.repeat(np.arange(self.n_rows), np.diff(self.indptr))
        if weights.ndim == 1:
            return np.bincount(rows, weights=self.data * weights[self.indices], minlength=self.n_rows)
        gathered = weights[self.indices] * self.data[:, None]
        return np.column_stack([np.bincount(rows, weights=gathered[:, j], minlength=self.n_rows)
                                for j in range(weights.shape[1])])

    def to_scipy(self):
        """For training, where scikit-learn wants a scipy matrix."""
        from scipy import sparse

        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=(self.n_rows, self.width))


@dataclass
class TermWeights:
    """A fitted word n-gram TF-IDF: vocabulary, idf, and the analyser settings that produced them."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    ngram_range: tuple[int, int] = (1, 2)
    token_pattern: str = DEFAULT_TOKEN_PATTERN
    stop_words: frozenset[str] = field(default_factory=frozenset)
    sublinear_tf: bool = True
    _token_re: re.Pattern = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._token_re = re.compile(self.token_pattern)

    @property
    def width(self) -> int:
        return len(self.idf)

    def analyse(self, text: str) -> list[str]:
        """scikit-learn's word analyser: lower-case, tokens, stop words out, then n-grams."""
        tokens = self._token_re.findall(text.lower())
        if self.stop_words:
            tokens = [t for t in tokens if t not in self.stop_words]
        low, high = self.ngram_range
        grams = list(tokens) if low == 1 else []
        if low <= 2 <= high:
            grams += [a + " " + b for a, b in zip(tokens, tokens[1:])]
        for n in range(max(low, 3), high + 1):
            grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
        return grams

    def transform(self, texts: list[str]) -> SparseRows:
        """Counts per text, then sublinear tf x idf, l2-normalised per row: numpy over all texts at once."""
        return self._weigh([self.analyse(text) for text in texts])

    def _weigh(self, analysed: list[list[str]]) -> SparseRows:
        lookup = self.vocabulary.get
        ids: list[int] = []
        rows: list[int] = []
        for row, grams in enumerate(analysed):
            found = [j for j in map(lookup, grams) if j is not None]
            ids += found
            rows += [row] * len(found)
        n = len(analysed)
        if not ids:
            return SparseRows(np.zeros(n + 1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0), self.width)
        keys, counts = np.unique(np.array(rows, dtype=np.int64) * self.width + np.array(ids, dtype=np.int64),
                                 return_counts=True)  # sorted by row, then term
        row_of, term = np.divmod(keys, self.width)
        tf = (1.0 + np.log(counts)) if self.sublinear_tf else counts.astype(np.float64)
        weights = tf * self.idf[term]
        norms = np.sqrt(np.bincount(row_of, weights=weights * weights, minlength=n))
        weights /= np.where(norms > 0, norms, 1.0)[row_of]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(row_of, minlength=n), out=indptr[1:])
        return SparseRows(indptr, term, weights, self.width)

    @classmethod
    def fit(cls, texts: list[str], *, ngram_range: tuple[int, int] = (1, 2), token_pattern: str = DEFAULT_TOKEN_PATTERN,
            stop_words: frozenset[str] = frozenset(), sublinear_tf: bool = True) -> "TermWeights":
        """Every term seen (min_df=1), smooth idf: what the precedent index needs, as sklearn computes it."""
        return cls.fit_transform(texts, ngram_range=ngram_range, token_pattern=token_pattern, stop_words=stop_words,
                                 sublinear_tf=sublinear_tf)[0]

    @classmethod
    def fit_transform(cls, texts: list[str], *, ngram_range: tuple[int, int] = (1, 2),
                      token_pattern: str = DEFAULT_TOKEN_PATTERN, stop_words: frozenset[str] = frozenset(),
                      sublinear_tf: bool = True) -> tuple["TermWeights", SparseRows]:
        """``fit`` and ``transform`` of the same texts, each analysed once (the precedent index, at every load)."""
        probe = cls({}, np.zeros(0), ngram_range, token_pattern, stop_words, sublinear_tf)
        analysed = [probe.analyse(text) for text in texts]
        df: Counter[str] = Counter()
        for grams in analysed:
            df.update(set(grams))
        terms = sorted(df)
        n = len(texts)
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in terms], dtype=np.float64)
        fitted = cls({t: i for i, t in enumerate(terms)}, idf, ngram_range, token_pattern, stop_words, sublinear_tf)
        return fitted, fitted._weigh(analysed)

    @classmethod
    def from_sklearn(cls, vectorizer) -> "TermWeights":
        stop = vectorizer.get_stop_words() or frozenset()
        return cls(dict(vectorizer.vocabulary_), np.asarray(vectorizer.idf_, dtype=np.float64),
                   tuple(vectorizer.ngram_range), vectorizer.token_pattern, frozenset(stop),
                   bool(vectorizer.sublinear_tf))

    # -- persistence: plain arrays, no pickle

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        if any("\n" in t for t in terms):
            raise ValueError("a term contains a line break; it cannot be stored one per line")
        blob = "\n".join(terms).encode("utf-8")
        return {f"{prefix}_terms": np.frombuffer(blob, dtype=np.uint8), f"{prefix}_idf": self.idf}

    def settings(self) -> dict:
        return {"ngram_range": list(self.ngram_range), "token_pattern": self.token_pattern,
                "stop_words": sorted(self.stop_words), "sublinear_tf": self.sublinear_tf}

    @classmethod
    def from_arrays(cls, arrays, prefix: str, settings: dict) -> "TermWeights":
        blob = arrays[f"{prefix}_terms"].tobytes().decode("utf-8")
        terms = blob.split("\n") if blob else []
        idf = np.asarray(arrays[f"{prefix}_idf"], dtype=np.float64)
        if len(terms) != len(idf):
            raise ValueError(f"{prefix}: {len(terms)} terms but {len(idf)} idf weights")
        return cls(dict(zip(terms, range(len(terms)))), idf, tuple(settings["ngram_range"]),
                   settings["token_pattern"], frozenset(settings["stop_words"]), settings["sublinear_tf"])
