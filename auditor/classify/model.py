"""The provision classifier: TF-IDF + rule features -> one logistic model per label, with evidence.

Rules alone over-fire (a keyword is not a commitment) and miss paraphrase; a
linear model over word n-grams, the chapter title and the rule hits learns
the codebook's conventions from the gold data. Per-label thresholds are
tuned on out-of-fold predictions grouped by agreement, so they reflect
agreements the model has not seen. Every predicted label gets evidence: the
rule's spans, or else the sentence that contributes most to the label's score.
"""

from __future__ import annotations

import json
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from auditor import parallel
from auditor.classify.cues import GATE_STEMS
from auditor.classify.rules import (
    LABELS,
    POLICY_SPACE,
    SIGNAL_LABEL,
    SIGNALS,
    CueRules,
    Evidence,
    RuleResult,
    passes_gate,
)
from auditor.errors import ModelNotAvailable
from auditor.tfidf import SparseRows, TermWeights

# Labels too rare in the gold data to learn (seven and eight examples): the codebook's definition,
# written as a rule, decides alone. The Convention is named by its title or a short name; a preference
# needs a developing beneficiary, an instrument of preference or aid, and culture or digital trade.
# Out of fold on the training data the rules alone beat rule-or-model (0.80 against 0.71 F1 for
# preferences, 1.00 against 0.86 for the Convention). The model's score is still reported.
RULE_ONLY = {"convention_reference", "preferential_treatment"}
FORMAT_VERSION = 3  # 3: arrays in classifier.npz (2: scikit-learn objects in classifier.skops)
ARRAYS_FILE = "classifier.npz"
CONFIG_FILE = "classifier.json"
VECTORIZERS = ("text", "chapter", "window")
TOKEN_PATTERN = r"(?u)\b[^\W\d_][\w\-]+\b"


@dataclass
class ProvisionInput:
    id: str
    text: str
    chapter: str | None = None
    language: str = "en"


@dataclass
class Classification:
    id: str
    labels: list[str]
    scores: dict[str, float]
    evidence: dict[str, list[dict]]


THRESHOLD_REPEATS = 3
# No label on worse than even odds: the gold pool over-represents positives, so a low threshold
# that pays there floods whole agreements with false positives.
THRESHOLD_FLOOR = 0.5
# Classified on two cores above this many characters of gated text (a long agreement; RCEP has 750,000):
# below it the fork costs more than it saves.
PARALLEL_CHARS = 200_000
# Codebook: these labels are about culture, so a provision that names no culture cannot carry them,
# whatever its other words ("with the exception of air services") make the model think.
NEEDS_CULTURE = {"cultural_exception", "cultural_diversity", "cultural_cooperation"}


def culture_named(rules: RuleResult) -> bool:
    """A cultural word that survived the traps (heritage only, passing lists, product names in goods text)."""
    return bool(rules.culture_words)


def permitted(label: str, rules: RuleResult) -> bool:
    """The codebook's preconditions for a label, whatever the model's score.

    Cultural labels need culture named. ``right_to_regulate`` needs a frame that keeps policy space:
    the gold data has almost only exceptions that quote "prudential reasons" or "human, animal or
    plant life or health", so the model learns the quote; on whole agreements the same words sit in
    SPS objectives and licensing rules that keep no space for anything.
    """
    if label in NEEDS_CULTURE:
        return culture_named(rules)
    if label == "right_to_regulate":
        return rules.policy_space
    return True


def _f1(pred: np.ndarray, gold: np.ndarray) -> float:
    denominator = pred.sum() + gold.sum()
    return 2 * float((pred & gold).sum()) / denominator if denominator else 0.0


def _alternation_by_first_letter(stems: list[str]) -> re.Pattern:
    """The stems as one alternation, grouped under their first character: the same matches as the plain
    alternation (stems sharing a first character keep their order), about twice as fast."""
    groups: dict[str, list[str]] = {}
    for stem in stems:
        groups.setdefault(stem[0], []).append(re.escape(stem[1:]))
    return re.compile("|".join(f"{re.escape(first)}(?:{'|'.join(rest)})" for first, rest in groups.items()))


_CUE_STEM = _alternation_by_first_letter(GATE_STEMS)
_SPACE = re.compile(r"\s+")


def cue_windows(text: str, width: int) -> str:
    """The words around each cue stem, overlapping windows merged.

    A long provision's vector is dominated by what it is mostly about; the few words next to
    "cultural" or "developing" ("competition culture", "culture, education and sport") are what
    decide the label, so they get a vocabulary of their own.
    """
    low = _SPACE.sub(" ", text.lower())
    spans: list[list[int]] = []
    for m in _CUE_STEM.finditer(low):
        start, end = max(0, m.start() - width), m.end() + width
        if spans and start <= spans[-1][1]:
            spans[-1][1] = end
        else:
            spans.append([start, end])
    return " | ".join(low[s:e] for s, e in spans)


def _rule_features(results: list[RuleResult]) -> SparseRows:
    rows = []
    for r in results:
        fired = [1.0 if r.fired[label] else 0.0 for label in LABELS]
        signals = [1.0 if r.signals[name] else 0.0 for name in SIGNALS]
        counts = [np.log1p(v) for v in r.counts.values()]
        rows.append(fired + signals + counts)
    width = len(LABELS) + len(SIGNALS) + len(RuleResult().counts)
    return SparseRows.from_dense(np.array(rows, dtype=np.float64).reshape(len(results), width))


def _word_tfidf(**kwargs):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, lowercase=True, token_pattern=TOKEN_PATTERN,
                           dtype=np.float32, **kwargs)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


class ProvisionClassifier:
    """scikit-learn style: parameters stored as given, learned state ends in ``_``.

    Learned state is arrays only (``TermWeights`` per text view, one coefficient row and intercept
    per label), so a saved model loads in milliseconds and predicting needs neither scikit-learn nor
    scipy; training fits scikit-learn's vectorisers and logistic models and keeps their arrays.
    """

    def __init__(self, C: float = 4.0, max_features: int = 60000, rule_weight: float = 3.0, window: int = 80,
                 window_weight: float = 2.0) -> None:
        self.C = C
        self.max_features = max_features
        self.rule_weight = rule_weight
        self.window = window
        self.window_weight = window_weight
        self._rules: CueRules | None = None

    @property
    def rules(self) -> CueRules:
        """Built on first use: a provision that passes no gate never needs the spaCy pipelines."""
        if self._rules is None:
            self._rules = CueRules()
        return self._rules

    @rules.setter
    def rules(self, value: CueRules) -> None:
        self._rules = value

    def _params(self) -> dict:
        return {"C": self.C, "max_features": self.max_features, "rule_weight": self.rule_weight,
                "window": self.window, "window_weight": self.window_weight}

    # -- features

    def _featurise(self, items: list[ProvisionInput], rule_results: list[RuleResult], fit: bool = False) -> SparseRows:
        views = {"text": [i.text for i in items], "chapter": [i.chapter or "" for i in items],
                 "window": [cue_windows(i.text, self.window) for i in items]}
        if fit:
            fitted = {"text": _word_tfidf(min_df=2, max_features=self.max_features), "chapter": _word_tfidf(min_df=1),
                      "window": _word_tfidf(min_df=2, max_features=self.max_features)}
            self.terms_ = {}
            for name, vectorizer in fitted.items():
                vectorizer.fit(views[name])
                self.terms_[name] = TermWeights.from_sklearn(vectorizer)
        x = {name: self.terms_[name].transform(texts) for name, texts in views.items()}
        return SparseRows.hstack([(x["text"], 1.0), (x["chapter"], 0.5), (_rule_features(rule_results), self.rule_weight),
                                  (x["window"], self.window_weight)])

    def _analyse(self, items: list[ProvisionInput], gated: bool = False) -> list[RuleResult]:
        return self.rules.analyse_many([i.text for i in items], [i.language for i in items], [i.chapter for i in items],
                                       gated=gated)

    # -- training

    def fit(self, items: list[ProvisionInput], labels: list[list[str]], groups: list[str]) -> "ProvisionClassifier":
        rule_results = self._analyse(items)
        y = np.array([[1 if label in ls else 0 for label in LABELS] for ls in labels])
        self.thresholds_ = self._tune_thresholds(items, rule_results, y, np.array(groups))
        x = self._featurise(items, rule_results, fit=True).to_scipy()
        models = [self._fit_one(x, y[:, k]) for k in range(len(LABELS))]
        self.coef_ = np.vstack([m.coef_[0] for m in models]).astype(np.float64)
        self.intercept_ = np.array([m.intercept_[0] for m in models], dtype=np.float64)
        return self

    def _fit_one(self, x, y):
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000, solver="liblinear")
        if y.sum() == 0:
            y = y.copy()
            y[0] = 1  # degenerate fold: keep the shape, the threshold will ignore it
        return model.fit(x, y)

    def _tune_thresholds(self, items, rule_results, y, groups) -> dict[str, float | None]:
        """Per-label thresholds that maximise F1 on out-of-fold predictions, averaged over
        ``THRESHOLD_REPEATS`` shufflings of the agreements into folds: with 20 positives, one split's
        threshold is mostly noise. Labels the rules settle are left out: the easy positives they
        cover would let a fold's threshold jump to whatever fits its few hard ones."""
        oofs = [self._out_of_fold(items, rule_results, y, groups, seed) for seed in range(THRESHOLD_REPEATS)]
        thresholds: dict[str, float | None] = {}
        for k, label in enumerate(LABELS):
            if label in RULE_ONLY:
                thresholds[label] = None  # the rule decides; the score is information only
                continue
            allowed = np.array([permitted(label, r) for r in rule_results])
            best, best_f1 = 0.5, -1.0
            for t in np.arange(THRESHOLD_FLOOR, 0.91, 0.025):
                f1 = float(np.mean([_f1((oof[:, k] >= t) & allowed, y[:, k] == 1) for oof in oofs]))
                if f1 > best_f1 + 1e-9:
                    best, best_f1 = float(t), f1
            thresholds[label] = round(best, 3)
        return thresholds

    def _out_of_fold(self, items, rule_results, y, groups, seed: int) -> np.ndarray:
        from sklearn.model_selection import GroupKFold

        oof = np.zeros(y.shape, dtype=np.float64)
        folds = GroupKFold(n_splits=5, shuffle=True, random_state=seed)
        for train_idx, test_idx in folds.split(items, y, groups):
            sub = type(self)(**self._params())
            sub.rules = self.rules
            x_train = sub._featurise([items[i] for i in train_idx], [rule_results[i] for i in train_idx],
                                     fit=True).to_scipy()
            x_test = sub._featurise([items[i] for i in test_idx], [rule_results[i] for i in test_idx]).to_scipy()
            for k in range(len(LABELS)):
                model = sub._fit_one(x_train, y[train_idx, k])
                oof[test_idx, k] = model.predict_proba(x_test)[:, 1]
        return oof

    # -- prediction

    def predict(self, items: list[ProvisionInput]) -> list[Classification]:
        if not hasattr(self, "coef_"):
            raise ModelNotAvailable("The classifier is not trained.", "Run `auditor train`.")
        out: list[Classification | None] = [None] * len(items)
        gated = [i for i, item in enumerate(items) if passes_gate(item.text)]
        gated_set = set(gated)
        for i, item in enumerate(items):
            if i not in gated_set:
                out[i] = Classification(item.id, [], {label: 0.0 for label in LABELS}, {})
        if gated:
            sub = [items[i] for i in gated]
            decided = parallel.split_map(self._predict_gated, sub, [len(item.text) for item in sub],
                                         min_weight=PARALLEL_CHARS)
            for i, classification in zip(gated, decided):
                out[i] = classification
        return out  # type: ignore[return-value]

    def _predict_gated(self, items: list[ProvisionInput]) -> list[Classification]:
        """Items that passed the gate: one independent decision each, so halves can go to two cores."""
        rule_results = self._analyse(items, gated=True)
        probs = _sigmoid(self._featurise(items, rule_results).dot(self.coef_.T) + self.intercept_)
        return [self._decide(item, probs[row], rules) for row, (item, rules) in enumerate(zip(items, rule_results))]

    def _decide(self, item: ProvisionInput, probs, rules: RuleResult) -> Classification:
        scores = {label: round(float(p), 4) for label, p in zip(LABELS, probs)}
        labels = []
        for label in LABELS:
            on = rules.fired[label] if label in RULE_ONLY else scores[label] >= self.thresholds_[label]
            on = on or label in rules.settled
            if on and permitted(label, rules):
                labels.append(label)
        if "digital_products" in labels and "ecommerce" not in labels:
            labels.insert(0, "ecommerce")  # codebook: every digital_products provision is also ecommerce
        evidence: dict[str, list[dict]] = {}
        for label in labels:
            spans = rules.evidence[label] or (rules.evidence["digital_products"] if label == "ecommerce" else [])
            if not spans:
                spans = [e for name, evs in rules.signals.items() if SIGNAL_LABEL[name] == label for e in evs][:2]
            if not spans:
                spans = [self._best_sentence(item, label, rules)]
            evidence[label] = [e.as_dict() for e in spans]
        return Classification(item.id, labels, scores, evidence)

    def _best_sentence(self, item: ProvisionInput, label: str, rules: RuleResult) -> Evidence:
        """The sentence whose words weigh most for the label in the linear model, among those that
        meet the label's precondition: a cultural label's evidence names culture, a right to
        regulate's keeps policy space ("(a) intra-regional trade" is no evidence of cultural cooperation)."""
        sentences = rules.sentences or [(0, len(item.text))]
        if label in NEEDS_CULTURE:
            eligible = [(s, e) for s, e in sentences if any(s <= w.start < e for w in rules.culture_words)]
        elif label == "right_to_regulate":
            eligible = [(s, e) for s, e in sentences if POLICY_SPACE.search(item.text[s:e].lower())]
        else:
            eligible = []
        sentences = eligible or sentences
        chunks = [item.text[s:e] for s, e in sentences]
        text_terms = self.terms_["text"]
        weights = text_terms.transform(chunks).dot(self.coef_[LABELS.index(label), :text_terms.width])
        k = int(np.argmax(weights))
        s, e = sentences[k]
        while s < e and item.text[s].isspace():
            s += 1
        while e > s and item.text[e - 1].isspace():
            e -= 1
        return Evidence(s, e, item.text[s:e])

    # -- persistence: arrays in one .npz (read with allow_pickle=False), settings in JSON

    def save(self, directory: Path, metadata: dict | None = None) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {"coef": self.coef_, "intercept": self.intercept_}
        for name in VECTORIZERS:
            arrays |= self.terms_[name].to_arrays(name)
        tmp = directory / (ARRAYS_FILE + ".tmp")
        with open(tmp, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        tmp.replace(directory / ARRAYS_FILE)
        config = {"format_version": FORMAT_VERSION, "labels": LABELS, "thresholds": self.thresholds_,
                  "params": self._params(), "vectorizers": {n: self.terms_[n].settings() for n in VECTORIZERS},
                  **(metadata or {})}
        (directory / CONFIG_FILE).write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "ProvisionClassifier":
        path = directory / ARRAYS_FILE
        config_path = directory / CONFIG_FILE
        if not config_path.exists():
            raise ModelNotAvailable(f"No trained classifier in {directory}.", "Run `auditor train` to build it.")
        config = json.loads(config_path.read_text(encoding="utf-8"))
        if config.get("format_version") != FORMAT_VERSION or not path.exists():
            raise ModelNotAvailable(
                f"The classifier in {directory} has format {config.get('format_version')}; this engine reads "
                f"format {FORMAT_VERSION} ({ARRAYS_FILE}).", "Run `auditor train` to rebuild it.")
        if config.get("labels") != LABELS:
            raise ModelNotAvailable(f"The classifier in {directory} was trained for other labels: {config.get('labels')}.",
                                    "Run `auditor train` to rebuild it.")
        model = cls(**config["params"])
        try:
            with np.load(path, allow_pickle=False) as arrays:
                model.terms_ = {n: TermWeights.from_arrays(arrays, n, config["vectorizers"][n]) for n in VECTORIZERS}
                model.coef_ = np.asarray(arrays["coef"], dtype=np.float64)
                model.intercept_ = np.asarray(arrays["intercept"], dtype=np.float64)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile) as exc:
            raise ModelNotAvailable(f"The classifier in {directory} cannot be read: {exc}.",
                                    "Run `auditor train` to rebuild it.") from exc
        expected = sum(model.terms_[n].width for n in VECTORIZERS) + _rule_features([]).width
        if model.coef_.shape != (len(LABELS), expected) or model.intercept_.shape != (len(LABELS),):
            raise ModelNotAvailable(f"The classifier in {directory} is inconsistent: coefficients {model.coef_.shape}, "
                                    f"features {expected}.", "Run `auditor train` to rebuild it.")
        model.thresholds_ = config["thresholds"]
        return model
