"""Agreements built on other agreements: what a text incorporates by reference, and what it amends.

The UK's continuity agreements are a few pages that make another agreement part of themselves
("The provisions of CETA are incorporated by reference into and made part of this Agreement, mutatis
mutandis") and then change it article by article ("Article 8(10) shall be replaced with: ..."). Read
alone, such a text lacks most of what it contains; the parse records both, so that an audit can say
its conclusions need the incorporated text.
"""

from __future__ import annotations

import re

from auditor import textscan
from auditor.model import Amendment

_NAME = r"(?P<name>[A-Z][\w.\-–’' ]{1,80}?)"
INCORPORATION = [
    # "The provisions of the EU-Central America Agreement at the time of signature of this Agreement (whether or not
    # the provisions are in force) are incorporated by reference into ...": a qualifier may stand between.
    textscan.compile(r"(?i:provisions of (?:the )?)" + _NAME + r"(?:(?:,|\s+(?=(?i:at|as|in|which|whether)\b|\())[^.;]{0,300}?)?"
               r"\s+(?i:(?:are|is|shall be)\s+(?:hereby\s+)?"
               r"incorporated\s+(?:by reference\s+)?into)"),
    textscan.compile(r"(?i:Incorporated Agreement[”\"]?\s+means\s+the\s+(?:[\w\-]+\s+)?provisions of (?:the )?)" + _NAME
               + r"\s+(?i:as\s+incorporated)"),
    # '"Incorporated Agreements" means the EU-Israel Trade Agreements to the extent incorporated'; the article
    # heading "Incorporation of the EU-Jordan Agreements".
    textscan.compile(r"(?i:Incorporated Agreements?[”\"]?\s+means\s+(?:the\s+provisions\s+of\s+)?(?:the\s+)?)" + _NAME
               + r"\s+(?i:(?:to the extent|as)\s+incorporated)"),
    textscan.compile(r"(?i:\bincorporation of (?:the )?)(?P<name>[A-Z][\w.\-–’' ]{1,60}?(?:Agreements?|FTA|EPA|EPPCCA|CETA))"
               r"(?=\s+(?:The|1\.|\(|ARTICLE|Article)\b|\s*$)", re.MULTILINE),
]
# Multilateral texts whose articles agreements routinely incorporate ("Article III of the GATT 1994 ... is
# incorporated into and made part of this Agreement"): that is a rule borrowed, not an agreement built on another.
_BORROWED_RULE = re.compile(r"\b(GATT|WTO|GATS|TRIPS|TBT|SPS|Article|Articles|paragraph|Customs Valuation|Understanding"
                            r"|Marrakesh)\b", re.IGNORECASE)
_TARGET = re.compile(r"(?:Article|Articles|Annex|Appendix|Paragraph|Paragraphs)\s+[\w.\-]+(?:\([\w.]+\))*",
                     re.IGNORECASE)
_ACTION = textscan.compile(r"\b(?:(?:is|are|shall be)\s+(?P<verb>replaced|substituted|deleted|amended|inserted)|(?P<sub>substitute))\b",
                     re.IGNORECASE)
MAX_AMENDMENTS = 500


def incorporated_agreements(text: str) -> list[str]:
    """The agreements a text makes part of itself, by the names it gives them, first mention first."""
    names: list[str] = []
    for pattern in INCORPORATION:
        for m in pattern.finditer(text):
            name = re.sub(r"\s*([-–])\s*", r"\1", re.sub(r"\s+", " ", m.group("name"))).strip(" ,.")
            name = re.sub(r"^(?:the|this)\s+", "", name, flags=re.IGNORECASE)
            if name and name.lower() not in ("this agreement", "agreement") and not _BORROWED_RULE.search(name) \
                    and len(name.split()) <= 8 and name not in names:
                names.append(name)
    return names


_OF_AGREEMENT = re.compile(r"\bof (?:the )?(?P<name>[A-Z](?:(?!\bof\b)[\w.\-–’' ]){0,60}?"
                           r"(?:Agreement|FTA|Treaty|EPA|EPPCCA|CETA))\b")


def amendments(text: str, default_agreement: str | None = None) -> list[Amendment]:
    """Each statement that replaces, deletes, inserts or amends a named article, annex or paragraph: the
    action words first (rare), then the first article named before them in the same sentence. The
    agreement changed is the one the statement names ("Article 1 of Annex 5-A of the EU-Singapore FTA"),
    else ``default_agreement`` (the one the text incorporates)."""
    out: list[Amendment] = []
    for m in _ACTION.finditer(text):
        window = text[max(0, m.start() - 200):m.start()]
        window = re.split(r"[.;:](?:\s|$)", window)[-1]
        targets = list(_TARGET.finditer(window))
        if not targets:
            continue
        action = (m.group("verb") or "replaced").lower()
        action = "replaced" if action == "substituted" else action
        named = _OF_AGREEMENT.search(window, targets[0].end())
        agreement = named.group("name").strip() if named and named.group("name").lower() != "this agreement" else None
        # The target with the divisions it is in: "Paragraphs 4 to 7 of Appendix 2-A-1 (...) of Annex 2.A".
        end = named.start() if named else len(window)
        target = re.sub(r"\s+", " ", window[targets[0].start():end]).strip(" ,")
        target = re.sub(r"\s+(?:shall|is|are|for the words?|for)$", "", target)[:160]
        out.append(Amendment(target=target, action=action, agreement=agreement or default_agreement))
        if len(out) == MAX_AMENDMENTS:
            break
    return out
