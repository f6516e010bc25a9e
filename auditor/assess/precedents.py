"""Precedent clauses (roadmap 3.4): language other agreements used to fill a gap.

The index is built once from the ToTA corpus by ``auditor precedents build``
and ships in the package (``auditor/data/precedents.jsonl.gz``, with the ToTA
attribution), because a user's machine has no corpus. Ranking blends TF-IDF
similarity to the gap with what makes a clause useful to a negotiator: a
binding scope that would reach digital commitments, explicit digital wording,
and recency.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from auditor import textscan
from auditor.assess.model import Audit, Precedent
from auditor.tfidf import ENGLISH_STOP_WORDS, TermWeights

INDEX_PATH = Path(__file__).resolve().parents[1] / "data" / "precedents.jsonl.gz"
ATTRIBUTION = ("Precedents from Texts of Trade Agreements (ToTA) by W. Alschner, J. Seiermann and D. Skougarevskiy, "
               "CC BY-NC 4.0")
KEEP = {"cultural_exception", "convention_reference", "cultural_diversity", "cultural_cooperation",
        "preferential_treatment"}
MAX_TEXT = 2500
_DIGITAL = textscan.compile(r"digital|electronic|e-commerce|online|internet|numérique|electrónic", re.IGNORECASE)

# What each gap asks for: the labels a precedent must carry, and words describing the remedy.
GAP_QUERIES = {
    "18.1": ({"cultural_cooperation"}, "audiovisual co-production co-distribution agreements cultural cooperation artists "
                                       "digital distribution"),
    "18.2": ({"preferential_treatment"}, "preferential treatment developing countries cultural goods services artists "
                                         "technical assistance electronic commerce"),
    "19.1": ({"convention_reference", "cultural_diversity"}, "UNESCO Convention protection promotion diversity of "
                                                             "cultural expressions"),
    "19.3": ({"cultural_cooperation"}, "committee on cultural cooperation contact points dialogue culture authorities"),
    "19.4": ({"cultural_exception"}, "cultural industries exception measures nothing in this agreement digital products "
                                     "electronic commerce audiovisual"),
    "19.5": ({"convention_reference"}, "reference UNESCO Convention 2005 right to regulate cultural policies"),
    "tension": ({"cultural_exception"}, "nothing in this agreement shall apply to measures cultural industries "
                                        "digital products electronic transmissions audiovisual services excluded"),
}


@dataclass
class IndexedClause:
    agreement: str
    year: int | None
    article: str
    title: str | None
    chapter: str | None
    labels: list[str]
    scope: str | None
    text: str
    source: str


def fingerprint(text: str) -> str:
    """The first words of a clause, letters and digits only: the same clause in two extractions matches."""
    return re.sub(r"[^a-z0-9]+", "", text.lower())[:160]


class PrecedentIndex:
    def __init__(self, clauses: list[IndexedClause]) -> None:
        self.clauses = clauses
        self.terms, self.matrix = (TermWeights.fit_transform([c.text for c in clauses], stop_words=ENGLISH_STOP_WORDS)
                                   if clauses else (None, None))
        self.fingerprints = [fingerprint(c.text) for c in clauses]

    # -- persistence

    @classmethod
    def load(cls, path: Path = INDEX_PATH) -> "PrecedentIndex":
        if not path.exists():
            return cls([])
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip() and not line.startswith('{"_meta"')]
        return cls([IndexedClause(**row) for row in rows])

    def save(self, path: Path = INDEX_PATH) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with gzip.GzipFile(tmp, "wb", mtime=0) as raw:
            raw.write((json.dumps({"_meta": {"attribution": ATTRIBUTION, "clauses": len(self.clauses)}}) + "\n").encode())
            for c in self.clauses:
                raw.write((json.dumps(c.__dict__, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
        tmp.replace(path)

    # -- search

    def search(self, query: str, labels: set[str], *, exclude_agreement: str | None = None, limit: int = 3,
               prefer_digital: bool = False, exclude_texts: frozenset[str] = frozenset()) -> list[tuple[IndexedClause, float]]:
        if self.matrix is None:
            return []
        query_vector = self.terms.transform([query])
        dense_query = np.zeros(self.terms.width)
        dense_query[query_vector.indices] = query_vector.data
        sims = self.matrix.dot(dense_query)
        scored = []
        for i, clause in enumerate(self.clauses):
            if not labels & set(clause.labels) or clause.agreement == exclude_agreement:
                continue
            if exclude_texts and self.fingerprints[i] in exclude_texts:
                continue  # the audited agreement's own clause, indexed under another title
            score = 0.6 * sims[i]
            if clause.scope in ("agreement", "chapter"):
                score += 0.15
            if prefer_digital and _DIGITAL.search(clause.text):
                score += 0.2
            if clause.year:
                score += 0.05 * min(max(clause.year - 1990, 0), 30) / 30
            scored.append((score, i))
        scored.sort(key=lambda t: (-t[0], self.clauses[t[1]].agreement, self.clauses[t[1]].article))
        out, seen = [], set()
        for score, i in scored:
            clause = self.clauses[i]
            if clause.agreement in seen:  # one clause per agreement: show the range of language
                continue
            seen.add(clause.agreement)
            out.append((clause, round(float(score), 3)))
            if len(out) == limit:
                break
        return out

    def for_audit(self, audit: Audit, per_gap: int = 3) -> list[Precedent]:
        title = audit.agreement.title
        own = frozenset(fingerprint(p.text) for p in audit.provisions)
        out: list[Precedent] = []

        def add(gap: str, key: str, extra: str = "") -> None:
            labels, words = GAP_QUERIES[key]
            for clause, score in self.search(f"{words} {extra}", labels, exclude_agreement=title, limit=per_gap,
                                             prefer_digital=key in ("tension", "19.4", "18.1", "18.2"),
                                             exclude_texts=own):
                out.append(Precedent(gap=gap, agreement=clause.agreement, year=clause.year, article=clause.article,
                                     title=clause.title, labels=clause.labels, text=clause.text, relevance=score,
                                     source=clause.source))

        # Every binding digital commitment that no cultural clause shields is a gap a precedent can fill.
        for reach in audit.commitments:
            if reach.binding and reach.outcome != "shielded":
                commitment = audit.provision(reach.commitment)
                add(reach.commitment, "tension", f"{reach.kind} {commitment.text[:600] if commitment else ''}")
        for assessment in audit.assessments:
            if assessment.status in ("not addressed", "partly addressed") and assessment.id in GAP_QUERIES:
                add(assessment.id, assessment.id)
        return out


def clauses_from_audit(audit: Audit, source: str) -> list[IndexedClause]:
    """Cultural clauses of an audited agreement, as precedents for later audits."""
    date = audit.agreement.date_signed or ""
    year = int(date[:4]) if date[:4].isdigit() else None
    out = []
    for p in audit.provisions:
        labels = sorted(set(p.labels) & KEEP)
        scope = p.exception_scope.kind if p.exception_scope else None
        if not labels or (labels == ["cultural_exception"] and scope == "definition"):
            continue
        text = re.sub(r"[ \t\xa0]+", " ", p.text).strip()
        out.append(IndexedClause(
            agreement=audit.agreement.title or source, year=year,
            article=f"Article {p.number}" if p.number else p.kind.capitalize(), title=p.title,
            chapter=p.chapter_title, labels=labels, scope=scope,
            text=text if len(text) <= MAX_TEXT else text[:MAX_TEXT].rsplit(" ", 1)[0] + " …", source=source))
    return out


def build_index(paths: list[Path], classifier=None, progress=None) -> PrecedentIndex:
    """Classify every provision of the given agreements and keep the cultural clauses."""
    from auditor.classify import label_agreement
    from auditor.pipeline import parse_file

    clauses: list[IndexedClause] = []
    for path in paths:
        agreement = parse_file(path)
        year = int(agreement.date_signed[:4]) if agreement.date_signed and agreement.date_signed[:4].isdigit() else None
        for p in label_agreement(agreement, classifier):
            labels = sorted(set(p.labels) & KEEP)
            if not labels:
                continue
            scope = p.exception_scope.kind if p.exception_scope else None
            if labels == ["cultural_exception"] and scope in ("definition",):
                continue
            text = re.sub(r"[ \t\xa0]+", " ", p.text).strip()
            clauses.append(IndexedClause(
                agreement=agreement.title or path.stem, year=year,
                article=f"Article {p.number}" if p.number else p.kind.capitalize(), title=p.title,
                chapter=p.chapter_title, labels=labels, scope=scope,
                text=text if len(text) <= MAX_TEXT else text[:MAX_TEXT].rsplit(" ", 1)[0] + " …",
                source=f"ToTA {path.stem}",
            ))
        if progress:
            progress(path)
    return PrecedentIndex(clauses)
