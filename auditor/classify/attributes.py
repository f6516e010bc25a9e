"""Attributes the audit reads off labelled provisions.

- a cultural exception's *scope* (what it shields: the whole agreement, a
  named or the enclosing chapter, part, section or annex, only the preamble)
  and the *sectors* it names;
- a digital-products provision's *kind* (customs duties on electronic
  transmissions, non-discrimination, definition, other);
- an e-commerce provision's *topics*.
Phrases in English, French and Spanish.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from auditor import textscan
from auditor.classify.cues import CUSTOMS_DUTIES

ScopeKind = Literal["agreement", "article", "chapter", "part", "section", "annex", "preamble", "definition", "unclear"]


class ExceptionScope(BaseModel):
    kind: ScopeKind
    chapters: list[str] = Field(default_factory=list, description="Chapter numbers named or enclosing.")
    phrase: str | None = Field(None, description="The words that set the scope.")


# The words that set a carve-out's reach ("this Agreement", "le présent chapitre"), one pattern per division:
# the classifier's scope and the assessment's operative scope read the same phrases.
SCOPE_PHRASES = {
    "agreement": textscan.compile(r"\b(this|the\s+present)\s+(agreement|treaty)\b|\bel\s+presente\s+(acuerdo|tratado)\b"
                                  r"|\beste\s+(acuerdo|tratado)\b|\ble\s+présent\s+(accord|traité)\b|\bcet\s+accord\b", re.IGNORECASE),
    "chapter": textscan.compile(r"\bthis\s+chapter\b|\beste\s+capítulo\b|\bel\s+presente\s+capítulo\b|\ble\s+présent\s+chapitre\b"
                                r"|\bce\s+chapitre\b", re.IGNORECASE),
    "section": textscan.compile(r"\bthis\s+(section|sub-section|subsection)\b|\besta\s+sección\b|\bla\s+présente\s+section\b",
                                re.IGNORECASE),
    "part": textscan.compile(r"\bthis\s+(title|part)\b|\beste\s+título\b|\besta\s+parte\b|\ble\s+présent\s+titre\b"
                             r"|\bla\s+présente\s+partie\b", re.IGNORECASE),
    "annex": textscan.compile(r"\bthis\s+(annex|protocol|appendix)\b|\beste\s+anexo\b|\bla\s+présente\s+annexe\b", re.IGNORECASE),
}
_NAMED_CHAPTERS = textscan.compile(r"\bchapters?\s+((?:\d+[A-Z]?|[IVXL]+)(?:\s*(?:\([^)]*\))?\s*(?:,|and|or|y|et)\s*(?:\d+[A-Z]?|[IVXL]+))*)",
                             re.IGNORECASE)
_SCOPE_TITLE = textscan.compile(r"scope|coverage|application|ámbito|alcance|champ", re.IGNORECASE)
_DEFINITION = textscan.compile(r"\b(means|include[s]?|significa|se entiende|désigne|s'entend)\b", re.IGNORECASE)


def exception_scope(text: str, evidence_text: str, *, kind: str, chapter: str | None, title: str | None) -> ExceptionScope:
    """Scope of a cultural exception from its own words; the evidence sentence weighs first."""
    if kind == "preamble":
        return ExceptionScope(kind="preamble", phrase="preamble recital")
    if title and re.search(r"definition|definici|définition", title, re.IGNORECASE) and not _SCOPE_TITLE.search(title):
        return ExceptionScope(kind="definition", chapters=[chapter] if chapter else [], phrase="definition")
    for source in (evidence_text, text):
        named = _NAMED_CHAPTERS.search(source)
        for scope in ("agreement", "part", "section", "annex", "chapter"):
            pattern = SCOPE_PHRASES[scope]
            m = pattern.search(source)
            if m:
                chapters = [chapter] if scope in ("chapter", "section", "annex", "part") and chapter else []
                return ExceptionScope(kind=scope, chapters=chapters, phrase=m.group(0))
        if named:
            numbers = re.findall(r"\d+[A-Z]?|[IVXL]+", named.group(1))
            return ExceptionScope(kind="chapter", chapters=numbers, phrase=named.group(0))
    if title and re.search(r"definition|definici|définition", title, re.IGNORECASE) or _DEFINITION.search(evidence_text):
        return ExceptionScope(kind="definition", chapters=[chapter] if chapter else [], phrase="definition")
    return ExceptionScope(kind="unclear", chapters=[chapter] if chapter else [])


_SECTORS = {
    "cultural industries": r"cultural industr|industrias culturales|industries culturelles",
    "audiovisual": r"audio-?visual|audiovisuel",
    "broadcasting": r"broadcast|radiodifus|radiodiffus|radio|television|televisión|télévision|programming",
    "publishing": r"publishing|books|magazines|newspapers|periodicals|editorial|édition|libros|livres",
    "music": r"music|sound recordings|música|musique",
    "film": r"\bfilms?\b|cinema|cinematograph|películas|cinéma",
    "cultural diversity": r"cultural diversity|diversity of cultural|diversidad cultural|diversité culturelle",
    "creative arts": r"creative arts|artists|artistas|artistes",
}


def exception_sectors(text: str) -> list[str]:
    low = text.lower()
    return [name for name, pattern in _SECTORS.items() if re.search(pattern, low)]


DigitalKind = Literal["customs duties", "non-discrimination", "definition", "other"]


def _subject(text: str, title: str | None, patterns) -> str:
    """What an article is about: its title when the title names a known subject, else its text."""
    if title and any(re.search(p, title.lower()) for p in patterns):
        return title.lower()
    return f"{title or ''} {text}".lower()


def digital_kind(text: str, title: str | None) -> DigitalKind:
    low = _subject(text, title, [r"customs dut|derechos aduaneros|aranceles|droits de douane", r"non-?discriminat|no discrimina",
                                 r"definition|definici|définition"])
    if re.search(CUSTOMS_DUTIES, low):
        return "customs duties"
    if re.search(r"non-?discriminat|less favou?rable treatment|no discrimina|trato menos favorable|traitement moins favorable",
                 low):
        return "non-discrimination"
    if re.search(r"definition|definici|définition|\bmeans\b|significa", low):
        return "definition"
    return "other"


ECOMMERCE_TOPICS: dict[str, str] = {
    "data flows": r"cross-border transfer of information|transfer of information by electronic|flows? of (information|data)"
                  r"|transferencia transfronteriza de información|transfert transfrontière",
    "localisation": r"location of computing facilities|locali[sz]ation|ubicación de las instalaciones|installations informatiques",
    "consumer protection": r"consumer|consumidor|consommateur",
    "personal data": r"personal (information|data)|privacy|datos personales|información personal|données personnelles",
    "authentication": r"authenticat|electronic signature|digital certificate|autenticación|firma electrónica|signature électronique",
    "paperless trading": r"paperless|trade administration documents|sin papel|sans papier",
    "spam": r"unsolicited|spam|no solicitados|non sollicités",
    "cooperation": r"cooperat|co-operat|cooperación|coopération|dialogue|diálogo",
    "source code": r"source code|código fuente|code source",
}


def ecommerce_topics(text: str, title: str | None) -> list[str]:
    low = _subject(text, title, list(ECOMMERCE_TOPICS.values()) + [r"scope|definition|objective|ámbito|definici|objetivo"])
    topics = [name for name, pattern in ECOMMERCE_TOPICS.items() if re.search(pattern, low)]
    return topics or ["other"]
