"""The date an agreement was signed, where its text says it: a "Date of signing" line, or the testimonium.

Texts from other collections have no metadata, but the agreement dates itself where the Parties
sign ("DONE at Tirana, this 22nd day of December 2006", "Done in the City of Ashgabat, on
October 3, 1995", "Hecho en Lima, el 4 de julio de 1994", "Fait à Bruxelles, le 12 juin 2006",
"the fifth day of April in the year one thousand nine hundred and ninety-four"). The testimonium is
told from a mention of another instrument ("the WTO Agreement, done at Marrakesh on 15 April 1994")
by where it stands: it opens a line or a sentence with a capital, or is written in capitals.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

MONTHS = {
    "en": ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
}
_MONTH_NUMBER = {name: n + 1 for names in MONTHS.values() for n, name in enumerate(names)}
_MONTH_NUMBER["setiembre"] = 9
_MONTH = "(?P<month>" + "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True)) + ")"
_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh",
             "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth",
             "twentieth", "twenty[- ]?first", "twenty[- ]?second", "twenty[- ]?third", "twenty[- ]?fourth",
             "twenty[- ]?fifth", "twenty[- ]?sixth", "twenty[- ]?seventh", "twenty[- ]?eighth", "twenty[- ]?ninth",
             "thirtieth", "thirty[- ]?first"]
_DAY = r"(?P<day>\d{1,2}|" + "|".join(_ORDINALS) + r")(?:\s?(?:st|nd|rd|th)\b|er\b|º|°)?"
_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
# Years in words, as older testimonia write them: "one thousand nine hundred and ninety-four", "Two Thousand and Nine".
_YEAR_WORDS = (r"(?P<century>one\s+thousand\s+nine\s+hundred|nineteen\s+hundred|two\s+thousand)"
               r"(?:\s+and)?(?:\s+(?P<tens>" + "|".join(_TENS) + r")(?:[\s-]+(?P<unit>" + "|".join(_UNITS) + r"))?"
               r"|\s+(?P<small>" + "|".join(_TEENS + _UNITS) + r"))?\b")
_YEAR = r"(?:(?P<year>(?:1[89]|20)\d{2})|" + _YEAR_WORDS + ")"
_DATE_FORMS = [
    re.compile(_DAY + r"\s+(?:day\s+)?(?:of\s+|de\s+)?" + _MONTH + r"\s*,?\s+(?:(?:in\s+)?the\s+year\s+|de(?:l)?\s+|of\s+)?"
               + _YEAR, re.IGNORECASE),
    re.compile(_MONTH + r"\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?\s*,\s*" + _YEAR, re.IGNORECASE),
]
# Where the Parties sign: a line or sentence that opens with these words.
_TESTIMONIUM = re.compile(r"(?:(?:^|(?<=[.;:]\s))\s*(?:Done|Signed|Hecho|Suscrito|Firmado|Fait)|\b(?:DONE|SIGNED|HECHO"
                          r"|SUSCRITO|FIRMADO|FAIT))\b(?=\s+(?:in|at|on|this|en|el|à|le|a|,|\w+\s+(?:at|in|à|en)\b))")
_SIGNING_LINE = re.compile(r"^\s*(?:Date\s+of\s+signing|Date\s+of\s+signature|Signed\s+on|Fecha\s+de\s+(?:firma|suscripción)"
                           r"|Date\s+de\s+signature)\s*[:\-–]?\s*", re.IGNORECASE)
_PLACEHOLDER = re.compile(r"_{3,}|\.{5,}")
_OPENING_WORDS = ("Done", "DONE", "Signed", "SIGNED", "Hecho", "HECHO", "Suscrito", "SUSCRITO", "Firmado", "FIRMADO",
                  "Fait", "FAIT")


def _lines_with(lines: Sequence[str], words: Sequence[str]) -> list[int]:
    """Indexes of the lines holding any of ``words``, in order: one substring search over the text per word,
    where a pattern tried on every line of a 500-page agreement costs tens of milliseconds."""
    text = "\n".join(lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    found = set()
    for word in words:
        at = text.find(word)
        while at != -1:
            found.add(bisect.bisect_right(starts, at) - 1)
            at = text.find(word, at + 1)
    return sorted(found)
WINDOW = 260  # characters after the opening words in which the date must stand


def parse_date(text: str) -> str | None:
    """The first date written out in ``text`` ("22nd day of December 2006", "October 3, 1995"), as YYYY-MM-DD."""
    found = []
    for form in _DATE_FORMS:
        m = form.search(text)
        if m:
            found.append(m)
    if not found:
        return None
    m = min(found, key=lambda match: match.start())
    groups = m.groupdict()
    raw_day = groups.get("day") or groups.get("day2")
    day = int(raw_day) if raw_day.isdigit() else _ordinal_value(raw_day)
    month = _MONTH_NUMBER[m.group("month").lower()]
    year = int(m.group("year")) if m.group("year") else _year_value(groups)
    if not 1 <= day <= 31 or not year:
        return None
    return f"{year}-{month:02d}-{day:02d}"


def _year_value(groups: dict) -> int:
    if not groups.get("century"):
        return 0
    year = 2000 if groups["century"].lower().startswith("two") else 1900
    if groups.get("tens"):
        year += 10 * (_TENS.index(groups["tens"].lower()) + 2)
        if groups.get("unit"):
            year += _UNITS.index(groups["unit"].lower()) + 1
    elif groups.get("small"):
        small = groups["small"].lower()
        year += (_TEENS.index(small) + 10) if small in _TEENS else (_UNITS.index(small) + 1)
    return year


def _ordinal_value(word: str) -> int:
    plain = re.sub(r"[- ]", "", word.lower())
    for n, pattern in enumerate(_ORDINALS, start=1):
        if re.fullmatch(pattern.replace("[- ]?", ""), plain):
            return n
    return 0


def date_signed(lines: Sequence[str]) -> str | None:
    """The signing date a text gives: a "Date of signing" line near the top, else its first dated testimonium."""
    for line in lines[:40]:
        m = _SIGNING_LINE.match(line)
        if m:
            date = parse_date(line[m.end():])
            if date:
                return date
    for i in _lines_with(lines, _OPENING_WORDS):
        line = lines[i]
        for m in _TESTIMONIUM.finditer(line):
            window = (line[m.start():] + " " + " ".join(lines[i + 1:i + 3]))[:WINDOW]
            if _PLACEHOLDER.search(window[:120]):
                continue  # a blank form: "Done at ______ this ____ day of ______ 2003"
            date = parse_date(window)
            if date:
                return date
    return None
