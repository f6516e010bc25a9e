"""The numbering sequence: which heading-shaped lines open articles and chapters."""

from __future__ import annotations

import re

from auditor.model import DivisionRef
from auditor.numbering import number_value
from auditor.structure.headings import Heading, is_upper_line, looks_like_title_line, match_heading
from auditor.structure.lines import Line
from auditor.structure.titles import CONNECTOR_END, SENTENCE_END


class NumberingSequence:
    """Whether a heading-shaped line really opens an article or a chapter, given the numbering so far.

    RCEP's wrapped cross-references ("Article 10.8 (Reservations ...") and the HS chapters quoted in a
    rules-of-origin annex start lines too; a heading is accepted when its number follows the sequence, or
    when its line stands where a heading can (after the end of a sentence, in capitals).
    """

    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.last_article: tuple[int, ...] | None = None
        self.container_changed = True
        self.last_chapter: tuple[int, ...] | None = None
        self.chapter_style: tuple[bool, bool] | None = None
        # PARTs (or TITLEs) are the chapters unless the text has chapters of its own: two or more, that are not
        # cross-references wrapped to a line start ("Chapter Twenty-One (Dispute Settlement),").
        chapter_numbers = {h.number for ln in lines if (h := match_heading(ln.text)) is not None
                           and h.kind == "chapter" and "(" not in ln.text and not ln.text.rstrip().endswith(",")}
        self.parts_are_chapters = len(chapter_numbers) < 2

    def prev_ends_sentence(self, i: int) -> bool:
        if i == 0:
            return True
        line, prev = self.lines[i], self.lines[i - 1]
        if line.blank_before or line.page_start:
            return True
        return bool(SENTENCE_END.search(prev.text)) or is_upper_line(prev.text) or bool(match_heading(prev.text)) \
            or looks_like_title_line(prev.text)


    def dangling(self, i: int) -> bool:
        """The previous line breaks off mid-phrase ("... the requirements of"): a heading cannot follow."""
        line = self.lines[i]
        if i == 0 or line.blank_before:
            return False
        prev = self.lines[i - 1].text
        if is_upper_line(prev) or re.search(r";\s*(and|or|y|o|et|ou)\s*$", prev):
            return False  # "(a) ...; and" closes a list item
        if re.fullmatch(r"\s*(and|or|y|o|et|ou)\s*", prev) and i >= 2 and self.lines[i - 2].text.rstrip().endswith(";"):
            return False  # the same, with "and" wrapped onto a line of its own
        return prev.endswith(",") or bool(CONNECTOR_END.search(prev))


    def accept_article(self, i: int, heading: Heading, chapter: DivisionRef | None, annex: DivisionRef | None) -> bool:
        value = number_value(heading.number)
        if value is None:
            return False
        next_in_sequence = self.last_article is not None and value[:-1] == self.last_article[:-1] \
            and value[-1] == self.last_article[-1] + 1
        if self.dangling(i) and not (next_in_sequence and heading.sep.strip() == ":" and heading.title):
            return False  # a wrapped reference; the next number with a titled heading is not one
        chapter_value = number_value(chapter.number) if chapter and annex is None else None
        if len(value) > 1 and chapter_value and value[0] != chapter_value[0]:
            return False
        if self.last_article is None or value > self.last_article:
            return next_in_sequence or self.prev_ends_sentence(i) or heading.sep.strip() in (":", ".")
        if self.container_changed and value[-1] <= 1:
            return self.prev_ends_sentence(i)
        return False


    def accept_division(self, i: int, heading: Heading) -> bool:
        in_capitals = self.lines[i].text.strip().split()[0].isupper()
        if heading.kind == "subsection" and not (in_capitals or heading.title):
            return False  # "Sub-section C" alone, in running text, is more often a reference than a heading
        if heading.kind == "chapter" or (heading.kind == "part" and self.parts_are_chapters):
            value = number_value(heading.number)
            if value is None:
                return False
            next_in_sequence = self.last_chapter is not None and value == (self.last_chapter[0] + 1,)
            if not (in_capitals or next_in_sequence or self.prev_ends_sentence(i)):
                return False
            # Chapters are numbered in sequence and set in one style; HS chapters
            # quoted in a rules-of-origin annex ("Chapter 4 Dairy produce") are not.
            style = _heading_style(self.lines[i].text, heading)
            if self.chapter_style is not None and style != self.chapter_style:
                return False
            if self.last_chapter is not None and not (self.last_chapter < value <= (self.last_chapter[0] + 3,)):
                return False
            self.chapter_style = style
            return True
        return in_capitals or self.prev_ends_sentence(i)


def _heading_style(line: str, heading: Heading) -> tuple[bool, bool]:
    """(keyword in capitals, title on the heading line): constant within one agreement."""
    return line.strip().split()[0].isupper(), bool(heading.title)
