"""Article and chapter numbers as treaties write them: digits, Roman numerals, words, compounds.

Shared by ingest (ToTA XML carries numbers as "Article 5" or "five") and structure (headings, the
numbering sequence), so neither stage imports the other.
"""

from __future__ import annotations

import re

_NUM_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "premier": 1, "première": 1, "primero": 1, "primera": 1, "único": 1, "unico": 1, "unique": 1, "1er": 1,
    "segundo": 2, "tercero": 3, "cuarto": 4, "quinto": 5,
}
_ROMAN = re.compile(r"^[IVXLC]+$")


def number_value(number: str | None) -> tuple[int, ...] | None:
    """Comparable value of an article or chapter number: '12.3' -> (12, 3), 'XIV' -> (14,), 'I-1' -> (1, 1),
    '8.61-F' -> (8, 61, 6): each part a number, a Roman numeral or a letter."""
    if not number:
        return None
    n = number.strip()
    low = n.lower()
    if low in _NUM_WORDS:
        return (_NUM_WORDS[low],)
    if _ROMAN.match(n):
        return (_roman_to_int(n),)
    if re.match(r"^(?:\d+|[IVXLC]+)(?:[.\-–](?:\d+|[A-Z]{1,2}))+$", n):
        return tuple(_part_value(part) for part in re.split(r"[.\-–]", n))
    m = re.match(r"^(\d+(?:\.\d+)*)", n)
    if m:
        return tuple(int(x) for x in m.group(1).split("."))
    if len(n) == 1 and n.isalpha():
        return (ord(n.upper()) - 64,)
    return None


def _part_value(part: str) -> int:
    if part.isdigit():
        return int(part)
    if _ROMAN.match(part):
        return _roman_to_int(part)
    return sum((ord(c) - 64) * 26 ** i for i, c in enumerate(reversed(part)))


def _roman_to_int(s: str) -> int:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    total = 0
    for a, b in zip(s, s[1:] + " "):
        v = values[a]
        total += -v if b != " " and values.get(b, 0) > v else v
    return total


_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}


def _compound_number(low: str) -> int | None:
    """'twenty-two', 'twentytwo', 'twenty two' -> 22 (ToTA spells chapter numbers out)."""
    for word, tens in _TENS.items():
        if low.startswith(word):
            rest = low[len(word):].strip(" -")
            if not rest:
                return tens
            if rest in _NUM_WORDS and _NUM_WORDS[rest] < 10:
                return tens + _NUM_WORDS[rest]
    return None


def normalise_number(number: str | None) -> str | None:
    if number is None:
        return None
    low = number.lower().strip()
    if low in _NUM_WORDS:
        return str(_NUM_WORDS[low])
    compound = _compound_number(low)
    if compound is not None:
        return str(compound)
    return re.sub(r"\s+", "", number)
