"""The Parties and their development status, for the guidelines that turn on developing countries (18.1, 18.2).

ToTA gives the Parties as ISO codes; for a PDF, a Word file or a text they are read off the title and the
preamble (the first pages name them), or set by the user. The list of developed and least-developed
countries ships with the engine (``auditor/data/development_status.json``) with its sources and dates.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from auditor import textscan

DATA = Path(__file__).resolve().parents[1] / "data" / "development_status.json"
PREAMBLE_CHARS = 6000  # the title page and the preamble name the Parties


@lru_cache(maxsize=1)
def development_data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def country_names() -> tuple[re.Pattern, dict[str, str]]:
    """Every country and group name as one pattern (built once: hundreds of alternatives), with their codes."""
    import pycountry

    data = development_data()
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value and len(value) > 3:
                names[value.lower()] = country.alpha_3
    for code, aliases in data["aliases"].items():
        for alias in aliases:
            names[alias.lower()] = code
    for group, aliases in data["groups"].items():
        for alias in aliases:
            names[alias.lower()] = group
    ordered = sorted(names, key=len, reverse=True)  # "Republic of Korea" before "Korea"
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in ordered) + r")(?![\w-])", re.IGNORECASE)
    return pattern, names


# The Parties are named before the operative text begins.
_AGREED = textscan.compile(r"have agreed as follows|agree as follows|han acordado|acuerdan lo siguiente|sont convenu|conviennent de ce",
                            re.IGNORECASE)


def detect_parties(title: str | None, text: str) -> list[str]:
    """ISO 3166 alpha-3 codes (and EUR for the European Union) of the countries the title and preamble name."""
    pattern, names = country_names()
    head = text[:PREAMBLE_CHARS]
    end = _AGREED.search(head)
    head = head[:end.start()] if end else head
    # The opening words list the Parties ("The Governments of ..., hereinafter referred to as 'the Parties'");
    # later recitals name other countries ("... Australia, China, India, Japan ... at Phnom Penh").
    named = _HEREINAFTER.search(head)
    if named:
        opening = _codes(pattern, names, head[:named.end()])
        if len(opening) >= 2:
            return opening
    preamble = _codes(pattern, names, f"{title or ''}\n{head}")
    if len(preamble) >= 2:
        return preamble
    # A preamble that names no one ("The Parties to this Agreement, resolving to: ..."): the signature blocks
    # name the signatories ("For Brunei Darussalam:", "For the Government of Japan").
    signatories = _codes(pattern, names, "\n".join(_SIGNATURE.findall(text[-SIGNATURE_CHARS:])))
    return signatories if len(signatories) >= 2 else preamble


_HEREINAFTER = textscan.compile(r"(?:hereinafter|collectively referred to|referred to as|en adelante|ci-après)[^.;]{0,40}"
                                 r"\b(?:Parties|Partes|Parties contractantes|Contracting Parties)", re.IGNORECASE)
_SIGNATURE = textscan.compile(r"(?:^|\n|\s)(?:FOR|For|POR|Por|POUR|Pour)\s+(?:THE|the|EL|el|LA|la|LE|le)?\s*([^\n:]{3,90}?)\s*:",
                               re.MULTILINE)
SIGNATURE_CHARS = 8000


def _codes(pattern: re.Pattern, names: dict[str, str], head: str) -> list[str]:
    groups = development_data()["group_members"]
    found: list[str] = []
    for m in pattern.finditer(head):
        name = m.group(1)
        if name.isupper() and len(name) <= 3 and name not in ("EU",):
            continue  # "UK" aside, capitals of three letters are rarely a country named in full
        code = names[name.lower()]
        for member in groups.get(code, [code]):
            if member not in found:
                found.append(member)
    return found


@dataclass
class DevelopmentStatus:
    """The Parties sorted by development status, and whether the guideline on developing countries applies."""

    developed: list[str] = field(default_factory=list)
    developing: list[str] = field(default_factory=list)
    least_developed: list[str] = field(default_factory=list)

    @property
    def known(self) -> bool:
        return bool(self.developed or self.developing or self.least_developed)

    @property
    def any_developing(self) -> bool:
        return bool(self.developing or self.least_developed)

    def describe(self) -> str:
        parts = []
        if self.least_developed:
            parts.append(f"least developed: {', '.join(self.least_developed)}")
        if self.developing:
            parts.append(f"developing: {', '.join(self.developing)}")
        if self.developed:
            parts.append(f"developed: {', '.join(self.developed)}")
        return "; ".join(parts)


def development_status(parties: list[str]) -> DevelopmentStatus:
    data = development_data()
    developed, ldc = set(data["developed"]), set(data["least_developed"])
    status = DevelopmentStatus()
    for code in parties:
        code = code.upper()
        bucket = status.developed if code in developed else status.least_developed if code in ldc else status.developing
        if code not in bucket:
            bucket.append(code)
    return status


def source_note() -> str:
    return "; ".join(f"{s['name']}" for s in development_data()["sources"])
