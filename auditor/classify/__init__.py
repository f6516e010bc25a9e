"""Classify: provisions -> codebook labels with scores and evidence spans.

``classify_provisions`` is the stage function the pipeline, the CLI and the
API call; ``gold`` holds training and evaluation over the hand-coded data.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from auditor import MODELS_DIR
from auditor.classify.model import Classification, ProvisionClassifier, ProvisionInput
from auditor.classify.rules import LABELS


@lru_cache(maxsize=4)
def load_classifier(directory: Path = MODELS_DIR) -> ProvisionClassifier:
    return ProvisionClassifier.load(directory)


def classify_provisions(items: list[ProvisionInput], classifier: ProvisionClassifier | None = None) -> list[Classification]:
    return (classifier or load_classifier()).predict(items)


__all__ = ["LABELS", "Classification", "ProvisionInput", "ProvisionClassifier", "classify_provisions", "label_agreement",
           "load_classifier"]


def label_agreement(agreement, classifier: ProvisionClassifier | None = None):
    """Classify every provision of an ``Agreement``; return ``LabelledProvision`` records with audit attributes.

    Footnotes are classified with their provision (RCEP defers e-commerce articles for
    least-developed Parties in footnotes), so the labelled text is the body plus its notes.
    """
    from auditor.assess.model import EvidenceSpan, LabelledProvision
    from auditor.classify.attributes import digital_kind, ecommerce_topics, exception_scope, exception_sectors

    texts = []
    for p in agreement.provisions:
        notes = "".join(f"\n[{f.number}] {f.text}" for f in p.footnotes)
        texts.append(p.text + notes)
    language = agreement.language or "en"
    items = [ProvisionInput(p.id, text, p.chapter.title if p.chapter else (p.annex.title if p.annex else None), language)
             for p, text in zip(agreement.provisions, texts)]
    results = classify_provisions(items, classifier)
    paged = agreement.format == "pdf"
    out = []
    for p, text, result in zip(agreement.provisions, texts, results):
        record = LabelledProvision(
            id=p.id, kind=p.kind, number=p.number, title=p.title,
            chapter=p.chapter.number if p.chapter else None, chapter_title=p.chapter.title if p.chapter else None,
            section=(p.section.number or p.section.title) if p.section else None,
            section_title=p.section.title if p.section else None,
            part=p.part.short() if p.part else None,
            annex=(p.annex.number or p.annex.title) if p.annex else None,
            path=p.path,
            # Only a PDF has pages a reader can open; a text, XML, HTML or Word upload cites articles, not "p. 1".
            page_start=p.page_start if paged else None, page_end=p.page_end if paged else None, text=text,
            labels=result.labels, scores=result.scores,
            evidence={k: [EvidenceSpan(**s) for s in v] for k, v in result.evidence.items()},
        )
        if "cultural_exception" in result.labels:
            evidence_text = " ".join(s["text"] for s in result.evidence["cultural_exception"])
            record.exception_scope = exception_scope(text, evidence_text, kind=p.kind, title=p.title,
                                                     chapter=record.chapter or record.annex)
            record.sectors = exception_sectors(evidence_text) or exception_sectors(text)
        if "digital_products" in result.labels:
            record.digital_kind = digital_kind(text, p.title)
        if "ecommerce" in result.labels:
            record.ecommerce_topics = ecommerce_topics(text, p.title)
        out.append(record)
    return out
