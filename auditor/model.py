"""The typed records that flow between pipeline stages.

ingest -> ``IngestedDocument`` (clean pages, or a pre-segmented outline for ToTA)
structure -> ``Agreement`` (divisions and ``Provision`` objects with offsets)

Pydantic models so that the JSON written by ``auditor parse`` and the JSON
Schema checked in under ``schemas/`` come from one definition.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Language = Literal["en", "fr", "es"]
PageSource = Literal["text-layer", "ocr", "markup", "plain-text"]
DivisionKind = Literal["part", "chapter", "section", "annex", "protocol", "preamble", "final"]


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
    annex: DivisionRef | None = None
    text: str
    paragraphs: list[Paragraph] = Field(default_factory=list)
    footnotes: list[Footnote] = Field(default_factory=list)
    page_start: int | None = None
    page_end: int | None = None
    start: int = Field(0, description="Offset of the provision text in Agreement.text.")
    end: int = 0

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


class StructureReport(BaseModel):
    """How confidently the text was read into articles: what a reader checks before trusting the audit."""

    heading_lines: int = Field(0, description="Lines that look like article headings (word and number at a line start).")
    articles: int = Field(0, description="Numbered articles made.")
    numbering_gaps: list[str] = Field(default_factory=list, description="Article numbers missing from a sequence.")
    duplicates: list[str] = Field(default_factory=list, description="Article numbers used twice outside annexes.")
    contents_skipped: bool = Field(False, description="A table of contents was recognised and kept out.")
    divisions: int = 0
    warnings: list[str] = Field(default_factory=list)

    @property
    def weak(self) -> bool:
        return bool(self.warnings)


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
    structure_report: StructureReport = Field(default_factory=StructureReport)
    divisions: list[DivisionRef] = Field(default_factory=list)
    provisions: list[Provision] = Field(default_factory=list)
    text: str = Field("", exclude=True, description="Whole clean text; provision offsets point here.")

    def chapters(self) -> list[DivisionRef]:
        return [d for d in self.divisions if d.kind == "chapter"]

    def provisions_in_chapter(self, number: str) -> list[Provision]:
        return [p for p in self.provisions if p.chapter and p.chapter.number == number and p.annex is None]
