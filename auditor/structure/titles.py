"""Titles of articles and divisions: on the heading line, on the lines below it, or run into the text.

A title ends where the text begins; the cues are the shape of the lines (capitals, title case, a
sentence opening, a wrapped connector), never a list of known titles.
"""

from __future__ import annotations

import re

from auditor.structure.headings import (
    ENUMERATOR,
    FINAL_CLAUSE,
    TOC,
    Heading,
    is_upper_line,
    looks_like_title_line,
    match_heading,
    tidy_title,
)
from auditor.structure.lines import Line

SENTENCE_END = re.compile(r"[.;:!?)\]”\"']\s*$")
# A wrapped title breaks after a connector ("... of the Parties and") or runs on in capitalised words.
CONNECTOR_END = re.compile(r"\b(of|and|the|for|on|in|to|between|with|by|or|under|from|at|than|including|upon|within"
                            r"|pursuant|see|de|del|y|et|des|du|en|la|le|los|las|conforme|según|selon|sous)\s*$",
                            re.IGNORECASE)

# Words a provision's first sentence opens with, and a title's wrapped second line does not.
_SENTENCE_OPENING = re.compile(r"^(The|A|An|Each|No|Nothing|This|These|Where|When|If|Unless|Notwithstanding|Subject"
                               r"|For the purposes|El|La|Los|Las|Cada|Ninguna|Nada|Le|Les|Chaque|Aucune|Aucun)\s")
_CONNECTOR_START = re.compile(r"^(and|of|for|on|in|to|between|with|by|or|y|et|de)\b", re.IGNORECASE)


def _all_capitalised(text: str) -> bool:
    words = [w for w in re.findall(r"[A-Za-zÀ-ÿ][\w\-’']*", text) if len(w) > 3]
    return bool(words) and all(w[0].isupper() for w in words)


class TitleReader:
    """Reads a heading's title from its own line or the lines after it, and knows where the title ends."""

    def __init__(self, lines: list[Line], acronyms: frozenset[str]) -> None:
        self.lines = lines
        self.acronyms = acronyms

    def take(self, i: int, heading: Heading, upper_only: bool) -> tuple[str, int]:
        """Title on the heading line, or on the lines after it. Returns (title, next index)."""
        if heading.body:  # a run-in article: its text follows on the heading line, no title lines below
            return tidy_title(heading.title, self.acronyms) if heading.title else "", i + 1
        parts = [heading.title] if heading.title else []
        j = i + 1
        while j < len(self.lines) and len(parts) < 4:
            text = self.lines[j].text
            if match_heading(text) or ENUMERATOR.match(text) or FINAL_CLAUSE.match(text):
                break
            current = " ".join(parts)
            unbalanced = current.count("(") > current.count(")")
            if unbalanced:
                parts.append(text)
            elif not parts:
                # Divisions take a title-case title only when a heading follows it.
                next_is_heading = j + 1 < len(self.lines) and bool(match_heading(self.lines[j + 1].text))
                if is_upper_line(text) or (looks_like_title_line(text) and (not upper_only or next_is_heading)):
                    parts.append(text)
                elif heading.kind == "article" and self._sentence_case_title(j):
                    parts.append(text)
                else:
                    break
            elif is_upper_line(text) and is_upper_line(current) and not SENTENCE_END.search(current):
                parts.append(text)
            elif _SENTENCE_OPENING.match(text) and not CONNECTOR_END.search(current):
                break  # "Customs Valuation Agreement" / "The Customs Valuation Agreement or any ...": the text begins
            elif ((not upper_only or heading.title) and not is_upper_line(current) and looks_like_title_line(text)
                  and not SENTENCE_END.search(current)
                  and (CONNECTOR_END.search(current) or _CONNECTOR_START.match(text)
                       or (len(text) <= 40 and _all_capitalised(text)))):
                parts.append(text)
            elif ((not upper_only or heading.title) and not is_upper_line(current) and not SENTENCE_END.search(current)
                  and len(text) <= 40 and _all_capitalised(text) and text.endswith(".")):
                parts.append(text)
            else:
                break
            j += 1
        return tidy_title(" ".join(parts), self.acronyms), j


    def _sentence_case_title(self, j: int) -> bool:
        """ "ARTICLE 2" / "General requirements" / "For the purpose of ...": a short line in sentence case between
        a bare heading and a new sentence is the title."""
        text = self.lines[j].text
        if (len(text) > 70 or len(text.split()) > 10 or not text[:1].isupper() or SENTENCE_END.search(text)
                or text.endswith(",") or _SENTENCE_OPENING.match(text) or CONNECTOR_END.search(text)):
            return False
        if j + 1 >= len(self.lines):
            return False
        after = self.lines[j + 1].text
        return bool(after[:1].isupper() or after[:1] in "(“\"" or ENUMERATOR.match(after) or match_heading(after))


def guess_title(lines: list[Line], acronyms: frozenset[str] = frozenset()) -> str | None:
    if not lines:
        return None
    first_page = lines[0].page
    head: list[str] = []
    for line in lines:
        text = line.text.strip()
        # A title page sets "FREE TRADE AGREEMENT / BETWEEN / THE REPUBLIC OF TURKEY / AND / ...": short capital
        # lines go on; anything else stops after four.
        long_enough = len(head) >= 8 or (len(head) >= 4 and not (is_upper_line(text) and len(text) <= 60))
        if line.page != first_page or long_enough or match_heading(text) or TOC.match(text):
            break
        if _BOILERPLATE.search(text):
            continue  # the publisher's licence notice on a cover page
        if head and (len(text) > 160 or (text.endswith(".") and len(text) > 60)):
            break  # prose: the title is over, the letter or preamble has begun
        if head and len(text) >= 10 and head[0].lower().startswith(text.lower()):
            break  # the title again, as a cover page and the first page both set it
        if head and (_TITLE_STOP.match(text) or (_PREAMBLE_OPENING.match(text) and not CONNECTOR_END.search(head[-1]))):
            break  # a rule, an editor's note, a date line, a page number, or the preamble naming the Parties
        head.append(text)
    title = _first_title(" ".join(head)) if head else None
    title = tidy_title(title, acronyms) if title else None
    if title:
        # Command-paper covers put an image's alt text and a series number first: "Crown logo Singapore No. 1 (2020)
        # Free Trade Agreement between ...". The title is the instrument's name.
        m = _COVER_PREFIX.match(title)
        if m:
            title = title[m.end():]
        title = _PLACE_AND_DATE.sub("", title).strip() or title
    if title and len(title) > MAX_TITLE:
        title = title[:MAX_TITLE].rsplit(" ", 1)[0].rstrip(",;:") + " …"  # never cut mid-word
    return title or None


MAX_TITLE = 240
# Lines that end a title block: rules, a collection's note, date lines, a bare page or note number.
_TITLE_STOP = re.compile(r"^(?:_{3,}|-{3,}|\*{3,}|=+$|\d{1,3}$|The following text|Date of (?:signing|signature|ratification"
                         r"|entry)|Entry into force|(?:Signed|Done|Adopted) (?:at|in|on)\b|PREAMBLE\b|Preamble$)",
                         re.IGNORECASE)
# The preamble opens by naming the Parties in sentence case: "The government of Georgia and ...", "The Slovak
# Republic and the Republic of Latvia, hereinafter ...". A title's own wrapped line ("... between / The
# Republic of X") follows a connector, which the caller checks.
_PREAMBLE_OPENING = re.compile(r"^(?:The|THE)\s+(?!(?:[A-Z]{2,}\b))[A-Za-z][a-z]")
# In a text flattened to one line, the title ends where a rule, the preamble heading, a date line or the
# preamble's sentence-case opening follows a title in capitals.
_FLAT_TITLE_END = re.compile(r"\s+(?:_{3,}|PREAMBLE\b|Preamble\b|Date of signing|The following text)"
                             r"|(?<=[A-Z)])\s+(?=The\s+[A-Z][a-z]+\s+(?:of|and)\b)")


def _first_title(text: str) -> str:
    """The title before whatever a flattened text runs on with (the title repeated after a rule, the preamble)."""
    m = _FLAT_TITLE_END.search(text)
    if m and m.start() >= 20 and text[:m.start()].strip():
        return text[:m.start()].strip()
    return text


def cover_date(lines: list[Line]) -> str | None:
    """The date a cover page gives with the place of signature ("Ottawa, 9 December 2020"), as YYYY-MM-DD."""
    for line in lines[:6]:
        m = _PLACE_AND_DATE.search(line.text)
        if m:
            month = _MONTHS.index(m.group("month").lower()) + 1
            return f"{m.group('year')}-{month:02d}-{int(m.group('day')):02d}"
    return None


_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]
_PLACE_AND_DATE = re.compile(r"(?:^|\s+)(?!(?:Agreement|Treaty|Protocol|Convention)\b)(?:[A-Z][\w'’-]+"
                             r"(?:\s(?!(?:Agreement|Treaty|Protocol|Convention)\b)[A-Z][\w'’-]+)?),\s+(?P<day>\d{1,2})\s+(?P<month>"
                             + "|".join(m.capitalize() for m in _MONTHS) + r")\s+(?P<year>(?:19|20)\d{2})\b.*$")
_BOILERPLATE = re.compile(r"open-government-licence|OGL_Logo|©\s*Crown copyright|nationalarchives\.gov\.uk"
                          r"|third party copyright|This publication is (?:licensed|available)|ISBN\b"
                          r"|enquiries regarding this publication|Printed (?:in the UK|on paper)|^CCS\d|Crown copyright"
                          r"|^\s*(?:Royal Crest|Crown logo|OGL_Logo)\s*$",
                          re.IGNORECASE)


_COVER_PREFIX = re.compile(r"^(?:MainText:\s*)?(?:Crown logo|Royal Crest|_?unlogo)?\s*(?:[A-Z][\w'’-]*\s+){0,4}No\.\s?\d+\s*\(\d{4}\)\s*"
                           r"|^(?:MainText:|Preamble:)?\s*(?:Crown logo|Royal Crest)\s*|^(?:MainText|Preamble):\s*",
                           re.IGNORECASE)
