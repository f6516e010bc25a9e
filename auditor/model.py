"""The typed records that flow between pipeline stages.

ingest -> ``IngestedDocument`` (clean pages, or a pre-segmented outline for ToTA)
structure -> ``Agreement`` (divisions and ``Provision`` objects with offsets)

Pydantic models so that the JSON written by ``auditor parse`` and the JSON
Schema checked in under ``schemas/`` come from one definition.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, computed_field

Language = Literal["en", "fr", "es"]
PageSource = Literal["text-layer", "ocr", "markup", "plain-text"]
DivisionKind = Literal["part", "title", "chapter", "section", "subsection", "annex", "protocol", "preamble", "final"]


class Footnote(BaseModel):
    number: str
    text: str
    page: int | None = None


class SourcePage(BaseModel):
    """One page after running headers, footers and page numbers are removed.

    ``footnote_anchors`` maps a footnote number to the index of the body line
    whose marker was stripped, so structure can attach the note to the
    provision that line ends up in.
    """

    number: int
    source: PageSource
    ocr_confidence: float | None = None
    lines: list[str] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    footnote_anchors: dict[str, int] = Field(default_factory=dict)


class OutlineArticle(BaseModel):
    """An article already segmented by the publisher (ToTA XML)."""

    identifier: str
    chapter_number: str | None = None
    chapter_title: str | None = None
    number: str | None = None
    title: str | None = None
    text: str


class DocumentMetadata(BaseModel):
    title: str | None = None
    parties: list[str] = Field(default_factory=list)
    date_signed: str | None = None
    date_into_force: str | None = None
    language: Language | None = None
    source: str | None = None
    format: Literal["pdf", "tota-xml", "html", "text", "rtf", "docx"]
    treaty_identifier: str | None = None
    engine: str | None = None
    # How a text file was decoded (detected; a byte-order mark or strict UTF-8 first, see ingest.markup).
    encoding: str | None = None


class IngestedDocument(BaseModel):
    metadata: DocumentMetadata
    pages: list[SourcePage] = Field(default_factory=list)
    outline: list[OutlineArticle] | None = None


class DivisionRef(BaseModel):
    kind: DivisionKind
    number: str | None = None
    title: str | None = None

    def short(self) -> str:
        """ "Chapter 8", or the title where a division has no number ("Annex on Mutual Recognition")."""
        if self.number:
            return f"{self.kind.capitalize()} {self.number}"
        return self.title or self.kind.capitalize()

    def label(self) -> str:
        parts = [self.kind.capitalize()]
        if self.number:
            parts.append(self.number)
        head = " ".join(parts)
        return f"{head}: {self.title}" if self.title else head


class Paragraph(BaseModel):
    number: str | None = None
    text: str
    start: int = Field(description="Offset of the paragraph in the provision text.")
    end: int


class Provision(BaseModel):
    """One article (or the preamble, or a final clause): the unit the codebook labels."""

    id: str
    kind: Literal["preamble", "article", "annex-article", "final"] = "article"
    number: str | None = None
    title: str | None = None
    part: DivisionRef | None = None
    chapter: DivisionRef | None = None
    section: DivisionRef | None = None
    subsection: DivisionRef | None = None
    annex: DivisionRef | None = None
    text: str
    paragraphs: list[Paragraph] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    page_start: int | None = None
    page_end: int | None = None
    start: int = Field(0, description="Offset of the provision text in Agreement.text.")
    end: int = 0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def path(self) -> str:
        """Where the provision sits: "Part II › Chapter 8 › Section F › Article 8.72", or "Protocol 3 › Title II ›
        Article 2"."""
        divisions = [self.annex, self.section, self.subsection] if self.annex else [self.part, self.chapter,
                                                                                   self.section, self.subsection]
        steps = [d.short() for d in divisions if d is not None]
        tail = f"Article {self.number}" if self.number else (self.title or self.kind.capitalize())
        if not steps or tail.lower() != steps[-1].lower():  # an annex's opening text is the annex itself
            steps.append(tail)
        return " › ".join(steps)

    @property
    def citation(self) -> str:
        head = f"Article {self.number}" if self.number else self.kind.capitalize()
        if self.chapter and self.chapter.number and self.number and "." not in self.number:
            head = f"Chapter {self.chapter.number}, {head}"
        return f"{head} ({self.title})" if self.title else head


class PageInfo(BaseModel):
    number: int
    source: PageSource
    ocr_confidence: float | None = None


class Amendment(BaseModel):
    """One change an amending text makes to the agreement it amends."""

    target: str = Field(description='What is changed, as the text names it: "Article 8(10)", "Annex 5-A".')
    action: Literal["replaced", "deleted", "inserted", "amended"]
    agreement: str | None = Field(None, description="The agreement changed: named in the statement, or the one "
                                  "this text incorporates.")


class StructureReport(BaseModel):
    """How confidently the text was read into articles: what a reader checks before trusting the audit."""

    heading_lines: int = Field(0, description="Lines that look like article headings (word and number at a line start).")
    articles: int = Field(0, description="Numbered articles made.")
    numbering_gaps: list[str] = Field(default_factory=list, description="Article numbers missing from a sequence.")
    duplicates: list[str] = Field(default_factory=list, description="Article numbers used twice outside annexes.")
    contents_skipped: bool = Field(False, description="A table of contents was recognised and kept out.")
    divisions: int = 0
    warnings: list[str] = Field(default_factory=list)


class Agreement(BaseModel):
    title: str | None = None
    parties: list[str] = Field(default_factory=list)
    date_signed: str | None = None
    date_into_force: str | None = None
    language: Language | None = None
    source: str | None = None
    format: str
    treaty_identifier: str | None = None
    pages: int = 0
    page_info: list[PageInfo] = Field(default_factory=list)
    encoding: str | None = None
    incorporates: list[str] = Field(default_factory=list, description="Agreements this text makes part of itself "
                                    "by reference (mutatis mutandis): its audit needs their text as well.")
    amendments: list[Amendment] = Field(default_factory=list, description="Changes this text makes to an "
                                        "agreement it amends or incorporates.")
    read_with: list[str] = Field(default_factory=list, description="Documents the user supplied to be read with this "
                                 "text (an incorporated agreement, a missing protocol or schedule).")
    structure_report: StructureReport = Field(default_factory=StructureReport)
    divisions: list[DivisionRef] = Field(default_factory=list)
    provisions: list[Provision] = Field(default_factory=list)
    text: str = Field("", exclude=True, description="Whole clean text; provision offsets point here.")

    def chapters(self) -> list[DivisionRef]:
        return [d for d in self.divisions if d.kind == "chapter"]

    def provisions_in_chapter(self, number: str) -> list[Provision]:
        return [p for p in self.provisions if p.chapter and p.chapter.number == number and p.annex is None]
