"""Digital commitments: what an agreement binds its Parties to in the digital environment, in all their phrasings.

Each commitment is found sentence by sentence with its own words as evidence, in English, Spanish and
French, and graded by its cultural bite (codebook, 19.4): non-discrimination of digital products (and its
extension to taxation), localisation, source code and data flows can each reach a cultural measure (a
quota on streaming catalogues, a levy, a local-content rule); the customs-duty moratorium on electronic
transmissions rarely does. A commitment phrased as an aim ("shall endeavour", "recognise") binds no one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from auditor import textscan
from auditor.assess.model import LabelledProvision

HIGH, LOW = "high", "low"

_ELECTRONIC = (r"electronic(?:ally)?\s+transmi|transmitted\s+electronically|transmitted\s+by\s+electronic\s+means"
               r"|delivered\s+electronically|deliver(?:y|ed)\s+(?:transmitted\s+)?by\s+electronic\s+means"
               r"|by\s+electronic\s+means|electronic\s+deliver|content\s+transmitted|digital\s+products?"
               r"|transmisi(?:ón|ones)\s+electrónica|medios\s+electrónicos|transmitid[oa]s?\s+electrónicamente"
               r"|productos\s+digitales|transmissions?\s+électroniques?|voie\s+électronique|moyens\s+électroniques"
               r"|produits\s+numériques")
_DUTY = (r"customs\s+dut|duty,\s+fee|duties,\s+fees|import\s+dut|derechos\s+aduaneros|aranceles|derechos\s+de\s+aduana"
         r"|droits\s+de\s+douane")
_NO_DUTY = (r"shall\s+not\s+(?:impose|apply|levy)|(?:no|neither)\s+party\s+(?:shall|may)\s+(?:impose|apply|levy)|not\s+to\s+impose|not\s+impose|shall\s+not\s+be\s+subject|cannot\s+be\s+subject"
            r"|may\s+not\s+be\s+subject|shall\s+be\s+exempt|practice\s+of\s+not\s+imposing|free\s+of\s+customs"
            r"|no\s+(?:impondrá|aplicará|impondrán|aplicarán)|ninguna\s+parte\s+(?:podrá\s+)?(?:impondrá|aplicará|aplicar|imponer)|no\s+(?:podrán?|estarán?)\s+(?:ser\s+)?sujet"
            r"|no\s+(?:podrán?|estarán?)\s+gravad|exent|n['’]impose|ne\s+(?:peuvent|peut)\s+(?:pas\s+)?être\s+soumis"
            r"|ne\s+sont\s+pas\s+soumis|ne\s+pas\s+imposer|n['’]imposent")
_LESS_FAVOURABLE = r"less\s+favou?rable\s+treatment|trato\s+menos\s+favorable|traitement\s+moins\s+favorable"
_DIGITAL_PRODUCTS = r"digital\s+products?|productos?\s+digitales?|produits?\s+numériques?"
_TAXATION = r"taxation\s+measures|medidas\s+tributarias|mesures\s+fiscales"
_NON_DISCRIMINATION_OF_DIGITAL = (r"non-?discriminatory\s+treatment\s+of\s+digital\s+products|trato\s+no\s+discriminatorio"
                                  r"\s+de\s+(?:los\s+)?productos\s+digitales")
_DATA_FLOWS = (r"(?:allow|permit)\s+the\s+cross-?border\s+transfer\s+of\s+information"
               r"|not\s+(?:prevent|prohibit|restrict)\s+(?:the\s+)?cross-?border\s+transfer\s+of\s+information|(?:allow|permit)\s+the\s+cross-?border\s+transfer\s+of\s+information|cross-?border\s+transfer\s+of"
               r"\s+information[^.;]{0,80}\b(?:shall\s+(?:allow|permit)|not\s+(?:prohibit|restrict))"
               r"|permitir[áa]n?\s+la\s+transferencia\s+transfronteriza\s+de\s+información"
               r"|autoris\w+\s+le\s+transfert\s+transfrontière")
_LOCALISATION = (r"(?:require|condition)[^.;]{0,120}(?:use\s+or\s+locate|locate)\s+computing\s+facilities"
                 r"|(?:exigir|condicionar)[^.;]{0,120}instalaciones\s+informáticas"
                 r"|(?:exiger|subordonner)[^.;]{0,120}installations\s+informatiques")
_SOURCE_CODE = (r"(?:require|condition)[^.;]{0,120}(?:transfer\s+of,?\s+or\s+access\s+to,?|access\s+to)[^.;]{0,60}"
                r"source\s+code|código\s+fuente[^.;]{0,80}(?:no\s+(?:podrá|exigirá))|(?:no\s+(?:podrá|exigirá))[^.;]{0,120}"
                r"código\s+fuente|code\s+source[^.;]{0,80}n['’]exige|n['’]exige[^.;]{0,120}code\s+source")
# An aim, not an obligation.
_SOFT = textscan.compile(r"\b(?:shall|will)\s+(?:endeavou?r|seek|strive|make\s+(?:every|best)\s+effort|cooperate|consider)"
                          r"|\bendeavou?r\s+to\b|\bconfirm\s+their\s+(?:current\s+)?practice|\bwith\s+a\s+view\s+to\s+considering"
                          r"|\bbest\s+endeavou?rs\b|\bshould\b|\b(?:recogni[sz]e|acknowledge)\b(?![^.;]{0,60}\bshall\b)"
                          r"|\bprocurarán\b|\bse\s+esforzarán\b|\bs['’]efforcent\b", re.IGNORECASE)
_SHALL = textscan.compile(r"\bshall\b|\bninguna\s+parte\b|\baucune\s+partie\b|\bagree\s+not\s+to\b|\bneither\s+party\s+may\b|\bwill\b|\bcannot\b|\bmay\s+not\b|\bno\s+party\b|\bmaintain\b|\bno\s+\w+rá[n]?\b"
                           r"|\bne\s+(?:peuvent|peut|sont)\b|\bn['’]\w+", re.IGNORECASE)
_DEFINITION = textscan.compile(r"[”\"’']\s*(?:means|significa|designa|désigne|s['’]entend)\b", re.IGNORECASE)
# Text from later paragraphs quoted in footnotes: "[12] For greater certainty ..." is a note, not the commitment.
# Sentences end at a full stop, semicolon or colon before a capital or a number, and at a paragraph break;
# a line break alone is a wrapped line (ToTA keeps the printed lines).
_SENTENCE = textscan.compile(r"(?<=[.;:])\s+(?=[A-Z(“\"¿¡\[]|\d+\.)|\n\s*\n+|\n(?=\s*\(?(?:[a-z]{1,3}|\d{1,2})[.)]\s)")

# Words every commitment sentence contains one of; a provision without any makes none.
_ANY_COMMITMENT = textscan.compile(r"electronic|digital|computing\s+facilities|source\s+code|electrónic|informátic"
                                    r"|código\s+fuente|électroni|numérique|informatiques|code\s+source", re.IGNORECASE)
_ITEM = textscan.compile(r"^\(?[a-z]{1,3}\)|^\(?[ivx]{1,5}\)")

KIND_BITE = {
    "non-discrimination of digital products": HIGH,
    "non-discrimination extended to taxation": HIGH,
    "data flows": HIGH,
    "localisation": HIGH,
    "source code": HIGH,
    "customs duties on electronic transmissions": LOW,
}


@dataclass(frozen=True)
class DigitalCommitment:
    """One commitment of one provision, with the sentence that makes it."""

    provision: str
    kind: str
    bite: str
    binding: bool
    words: str


def sentences(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", s).strip() for s in _SENTENCE.split(text) if s and s.strip()]


def _kinds(sentence: str) -> list[str]:
    low = sentence.lower()
    kinds = []
    if re.search(_DUTY, low) and re.search(_ELECTRONIC, low) and re.search(_NO_DUTY, low):
        kinds.append("customs duties on electronic transmissions")
    if re.search(_LESS_FAVOURABLE, low) and re.search(_DIGITAL_PRODUCTS, low):
        kinds.append("non-discrimination of digital products")
    if re.search(_NON_DISCRIMINATION_OF_DIGITAL, low) and re.search(_TAXATION, low) and re.search(r"\bappl", low):
        kinds.append("non-discrimination extended to taxation")
    if re.search(_DATA_FLOWS, low):
        kinds.append("data flows")
    if re.search(_LOCALISATION, low):
        kinds.append("localisation")
    if re.search(_SOURCE_CODE, low):
        kinds.append("source code")
    return kinds


def _binding(sentence: str) -> bool:
    return bool(_SHALL.search(sentence)) and not _SOFT.search(sentence)


def provision_commitments(p: LabelledProvision) -> list[DigitalCommitment]:
    """The commitments one provision makes. Definitions and preamble recitals make none."""
    if p.kind == "preamble" or (p.title and re.search(r"definition|definici|définition", p.title, re.IGNORECASE)):
        return []
    if not _ANY_COMMITMENT.search(p.text):
        return []  # most provisions: one cheap pass over the text rules them out
    found: dict[str, DigitalCommitment] = {}
    lead = ""
    for sentence in sentences(p.text):
        if sentence.startswith("[") or _DEFINITION.search(sentence[:200]) and "shall" not in sentence.lower():
            continue  # a footnote, or a definition
        # "(a) not adopt measures that accord less favourable treatment ...": the obligation is in the lead-in
        # ("... each Party shall:"), which binds every item of its list.
        item = bool(_ITEM.match(sentence))
        if not item:
            lead = sentence if sentence.rstrip().endswith(":") else ""
        for kind in _kinds(sentence):
            binding = _binding(f"{lead} {sentence}" if item and lead else sentence)
            current = found.get(kind)
            if current is None or (binding and not current.binding):
                found[kind] = DigitalCommitment(p.id, kind, KIND_BITE[kind], binding, sentence[:600])
    return list(found.values())


def find_commitments(provisions: list[LabelledProvision]) -> list[DigitalCommitment]:
    """Every digital commitment of the agreement, in text order."""
    return [c for p in provisions for c in provision_commitments(p)]


__all__ = ["DigitalCommitment", "find_commitments", "provision_commitments", "sentences", "HIGH", "LOW"]
