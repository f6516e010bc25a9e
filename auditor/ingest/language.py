"""Language identification for treaty text (en / fr / es).

Stop-word profiles are enough: treaties are long, formal and monolingual per
file, and a bundled profile needs no model download.
"""

from __future__ import annotations

import re

from auditor.model import Language

_STOPWORDS: dict[Language, frozenset[str]] = {
    "en": frozenset(
        "the of and to in shall be or any a by for with this that party parties as on such other is its"
        " which from under not may agreement article".split()
    ),
    "fr": frozenset(
        "le la les de des du et en un une dans pour par sur au aux est sont qui que ne pas ou "
        "partie parties accord présent présente cette ces".split()
    ),
    "es": frozenset(
        "el la los las de del y en un una por para con que se su sus no o al es lo como "
        "parte partes acuerdo presente este esta".split()
    ),
}

_WORD = re.compile(r"[a-záéíóúñüàâçèêëîïôûœ]+", re.IGNORECASE)


def detect_language(text: str, default: Language = "en") -> Language:
    words = _WORD.findall(text[:200_000].lower())
    if not words:
        return default
    scores = {lang: sum(1 for w in words if w in stop) for lang, stop in _STOPWORDS.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else default
