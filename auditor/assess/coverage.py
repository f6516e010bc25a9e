"""Coverage before any status: is the text read enough to assert that something is absent?

A weak reading (the structure report's warnings), a cultural protocol or annex the text declares part of
the agreement but does not contain, schedules of reservations it relies on, or another agreement it
incorporates by reference, make the statuses that depend on them *incomplete* (codebook, "Coverage
first"). The user can add the missing document and get the statuses re-decided.
"""

from __future__ import annotations

import re

from auditor import textscan
from auditor.assess.model import Coverage, LabelledProvision, MissingDocument

# Every guideline the text can decide (19.2 is about the negotiation): a missing cultural protocol or an
# incorporated agreement can change any of them.
ALL = ["18.1", "18.2", "19.1", "19.3", "19.4", "19.5", "3.1", "3.4"]
SCHEDULES = ["19.4", "19.5", "3.1", "3.4"]

_PROTOCOL = textscan.compile(r"\b(Protocol|Annex|Protocolo|Anexo|Protocole|Annexe)\s+(?:[IVX\d]+[A-Z]?\s+)?(?:\(?(on|concerning|"
                              r"relating to|sobre|relativo a|relatif à)\s+)([A-Z][\w’'-]*(?:\s+(?:of|on|and|the|to|for|in|de|la|"
                              r"y|et)?\s*[A-Z][\w’'-]*){0,6})")
_CULTURAL_NAME = textscan.compile(r"cultur|audio-?visual|audiovisuel|broadcast|film|cinema", re.IGNORECASE)
_SCHEDULE_REFERENCE = textscan.compile(
    r"schedules?\s+(?:of|to)\s+(?:specific\s+)?(?:commitments|non-?conforming\s+measures|reservations|annex\s+I{1,2}\b)"
    r"|(?:its|their|the\s+Party['’]s)\s+schedule\s+to\s+annex\s+I{1,2}\b|annex\s+I{1,2}\s*\((?:[^)]{0,40})"
    r"(?:non-?conforming|reservations)|list\s+of\s+commitments|listas?\s+de\s+compromisos|reservations?\s+(?:for|to)\s+"
    r"(?:existing|future)\s+measures", re.IGNORECASE)
_SCHEDULE_DIVISION = textscan.compile(r"reservations|non-?conforming|specific\s+commitments|commitments\s+on\s+(?:establishment"
                                       r"|services|cross-border)|list\s+of\s+commitments|schedules?\s+of\s+(?:specific\s+"
                                       r"commitments|reservations|non-?conforming)|reservas|medidas\s+disconformes"
                                       r"|compromisos\s+específicos|mesures\s+non\s+conformes|engagements\s+spécifiques",
                                       re.IGNORECASE)
SCHEDULE_CHARS = 5000  # a division that holds schedules holds pages of entries, not a line


def _quote(text: str, at: int, width: int = 160, before: int = 120) -> str:
    """The words around a reference: from the sentence start (at most ``before`` characters back) on."""
    start = max(0, text.rfind(".", 0, at) + 1, at - before)
    if start > 0 and text[start - 1] not in ".\n" and " " in text[start:at]:
        start = text.index(" ", start) + 1  # begin on a word
    quoted = re.sub(r"\s+", " ", text[start:at + width]).strip()
    return ("… " if start > 0 and text[start - 1] not in ".\n" else "") + quoted + " …"


def schedules_in_text(agreement) -> bool:
    """The text read contains schedules of commitments or reservations (not just a reference to them)."""
    size: dict[str, int] = {}
    for p in agreement.provisions:
        if p.annex is not None:
            name = f"{p.annex.number or ''} {p.annex.title or ''}"
            if _SCHEDULE_DIVISION.search(name):
                size[name] = size.get(name, 0) + len(p.text)
    return any(chars >= SCHEDULE_CHARS for chars in size.values())


def _named_in(name: str, supplied: list[str]) -> bool:
    words = {w for w in re.findall(r"[A-Za-z]{4,}", name.lower())} - {"agreement", "between", "partnership", "trade"}
    return any(words & set(re.findall(r"[a-z]{4,}", s.lower())) for s in supplied)


def check_coverage(agreement, labelled: list[LabelledProvision]) -> Coverage:
    missing: list[MissingDocument] = []
    supplied = list(getattr(agreement, "read_with", []) or [])
    present = " ".join([f"{d.number or ''} {d.title or ''}" for d in agreement.divisions
                        if d.kind in ("annex", "protocol", "part")] + supplied).lower()
    seen: set[str] = set()
    for p in labelled:
        for m in _PROTOCOL.finditer(p.text):
            name = re.sub(r"\s+", " ", m.group(0)).strip(" (")
            topic = m.group(3).lower()
            if not _CULTURAL_NAME.search(topic) or topic in seen:
                continue
            seen.add(topic)
            if topic in present:
                continue
            missing.append(MissingDocument(name=name, kind="protocol" if m.group(1).lower().startswith("proto") else
                                           "annex", cited_in=p.id, words=_quote(p.text, m.start()),
                                           affects=ALL))
    if not schedules_in_text(agreement):
        for p in labelled:
            m = _SCHEDULE_REFERENCE.search(p.text)
            if m and ("ecommerce" in p.labels or "digital_products" in p.labels or p.kind != "preamble"):
                missing.append(MissingDocument(name="the Parties' schedules of commitments and reservations",
                                               kind="schedules", cited_in=p.id, words=_quote(p.text, m.start()),
                                               affects=SCHEDULES))
                break
    incorporated = list(getattr(agreement, "incorporates", []) or [])
    for name in incorporated:
        if len(supplied) >= len(incorporated) or _named_in(name, supplied):
            continue  # the user supplied it: it is read with this text
        missing.append(MissingDocument(name=name, kind="incorporated agreement", cited_in=None,
                                       words=f"This agreement incorporates {name} by reference.", affects=ALL))
    warnings = agreement.structure_report.warnings if agreement.structure_report else []
    weak = " ".join(warnings) if warnings else None
    blocking = [m for m in missing if m.kind != "schedules"]
    return Coverage(complete=not weak and not blocking, weak_reading=weak, missing=missing)


__all__ = ["check_coverage", "schedules_in_text"]
