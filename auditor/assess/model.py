"""Typed records of an audit: what ``auditor audit`` writes and the API serves."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from auditor.classify.attributes import ExceptionScope

Status = Literal["addressed", "partly addressed", "not addressed", "in tension", "depends on schedules", "incomplete",
                 "not applicable", "complete", "not assessable from the text"]


class EvidenceSpan(BaseModel):
    start: int
    end: int
    text: str


class LabelledProvision(BaseModel):
    """A provision with its codebook labels, their scores and justifying words, and the audit attributes."""

    id: str
    kind: str
    number: str | None = None
    title: str | None = None
    chapter: str | None = Field(None, description="Chapter number.")
    chapter_title: str | None = None
    section: str | None = None
    section_title: str | None = None
    part: str | None = Field(None, description='Part or Title, as the agreement names it: "Title IV".')
    annex: str | None = None
    path: str | None = Field(None, description='Where it sits: "Chapter 8 › Section F › Article 8.72".')
    page_start: int | None = None
    page_end: int | None = None
    text: str
    labels: list[str] = Field(default_factory=list)
    scores: dict[str, float] = Field(default_factory=dict)
    evidence: dict[str, list[EvidenceSpan]] = Field(default_factory=dict)
    exception_scope: ExceptionScope | None = None
    sectors: list[str] = Field(default_factory=list)
    digital_kind: str | None = None
    ecommerce_topics: list[str] = Field(default_factory=list)

    @property
    def citation(self) -> str:
        """The provision as a lawyer cites it: its full path where the parse found divisions, with its title."""
        if self.path and self.kind != "preamble" and ("›" in self.path or self.annex):
            title = f" ({self.title})" if self.title and self.number else ""
            return self.path + title
        if self.number:
            head = f"Article {self.number}"
            if self.annex:
                head = f"{self.annex_name}, {head}"
            elif self.chapter and "." not in self.number:
                head = f"Chapter {self.chapter}, {head}"
        elif self.kind == "preamble":
            head = "Preamble"
        elif self.annex:
            head = self.annex_name
            if self.title and self.title.lower() == self.annex.lower():
                return head
        else:
            head = self.kind.replace("-", " ").capitalize()
        return f"{head} ({self.title})" if self.title and self.kind != "preamble" else head

    @property
    def annex_name(self) -> str:
        """'Annex 8B', or 'Annex on Financial Services' for annexes known by their title."""
        name = self.annex or ""
        return f"Annex {name[0].lower()}{name[1:]}" if name[:3].lower() == "on " else f"Annex {name}"

    @property
    def pages(self) -> str:
        if self.page_start is None:
            return ""
        return f"p. {self.page_start}" if self.page_start == self.page_end else f"pp. {self.page_start}-{self.page_end}"


class ReachTest(BaseModel):
    """One test of what reaches a digital commitment, and what it found."""

    test: Literal["same article", "non-conforming measures", "general exception", "dispute settlement",
                  "deemed service", "division exception"]
    found: bool
    effect: Literal["shields", "policy space", "depends on schedules", "not enforceable", "none"] = "none"
    provision: str | None = None
    citation: str | None = None
    words: str | None = Field(None, description="The treaty's words that decided the test.")
    note: str


class CommitmentReach(BaseModel):
    """A digital commitment, its cultural bite, and every test of what reaches it."""

    commitment: str = Field(description="Provision id.")
    citation: str
    kind: str
    bite: Literal["high", "low"]
    binding: bool
    words: str
    outcome: Literal["shielded", "not enforceable", "depends on schedules", "exposed", "not binding"]
    tests: list[ReachTest] = Field(default_factory=list)


class MissingDocument(BaseModel):
    """A protocol, annex or schedule the text refers to but does not contain."""

    name: str
    kind: Literal["protocol", "annex", "schedules", "incorporated agreement"]
    cited_in: str | None = Field(None, description="Provision id of the reference.")
    words: str
    affects: list[str] = Field(default_factory=list, description="Guideline ids whose status depends on it.")


class Coverage(BaseModel):
    """Whether the text read is enough to assert absences: checked before any status is decided."""

    complete: bool
    weak_reading: str | None = Field(None, description="Why the structure of the text is doubtful.")
    missing: list[MissingDocument] = Field(default_factory=list)

    def missing_for(self, guideline: str) -> list[MissingDocument]:
        return [m for m in self.missing if guideline in m.affects]


class ExceptionReach(BaseModel):
    exception: str = Field(description="Provision id of the cultural exception.")
    scope: ExceptionScope
    binding: bool = Field(description="False for preamble recitals and definitions: they shield nothing by force of law.")
    reaches: list[str] = Field(default_factory=list, description="Provision ids of commitments it shields.")
    explanation: str


class Tension(BaseModel):
    commitment: str = Field(description="Provision id of the e-commerce or digital-products commitment.")
    kind: str = Field(description="customs duties on electronic transmissions | non-discrimination of digital products |"
                                  " non-discrimination extended to taxation | data flows | localisation | source code")
    bite: Literal["high", "low"] = "high"
    exceptions_considered: list[str] = Field(default_factory=list)
    explanation: str


class GuidelineAssessment(BaseModel):
    id: str
    instrument: str
    text: str = Field(description="The guideline's or activity's own words.")
    status: Status
    rationale: str
    evidence: list[str] = Field(default_factory=list, description="Provision ids.")
    decided_by: str = Field("", description="The codebook test that decided the status, so a reader can disagree "
                                            "precisely.")
    exposure: Literal["high", "low", "none"] | None = Field(None, description="19.4 and 3.4: the cultural bite of the "
                                                                              "digital commitments nothing reaches.")


class Precedent(BaseModel):
    gap: str = Field(description="The assessment id or tension commitment it answers.")
    agreement: str
    year: int | None = None
    article: str
    title: str | None = None
    labels: list[str] = Field(default_factory=list)
    text: str
    relevance: float
    source: str


class AgreementSummary(BaseModel):
    title: str | None = None
    parties: list[str] = Field(default_factory=list)
    language: str | None = None
    pages: int = 0
    date_signed: str | None = None
    format: str | None = None
    source: str | None = None
    provisions: int = 0
    structure_warnings: list[str] = Field(default_factory=list, description="Why the reading of the text may be "
                                          "incomplete; the audit's absences are then doubtful.")
    party_status: str | None = Field(None, description="The Parties by development status, and the list's source.")
    incorporates: list[str] = Field(default_factory=list, description="Agreements the text incorporates by reference.")
    amends: list[str] = Field(default_factory=list, description='What the text amends, as it says: "Article 8.57 '
                              'of the EU-Singapore FTA (replaced)".')
    read_with: list[str] = Field(default_factory=list, description="Documents supplied to be read with the text.")
    ocr_pages: int = Field(0, description="Pages read by OCR (scanned), not from a text layer.")
    ocr_confidence: float | None = Field(None, description="Mean OCR word confidence over those pages, 0-100.")
    document_warning: str | None = Field(None, description="Why the document may not be a treaty at all.")
    edited: dict[str, str] = Field(default_factory=dict, description="Fields a reader corrected, with the value "
                                   "that was read.")


class Audit(BaseModel):
    agreement: AgreementSummary
    provisions: list[LabelledProvision] = Field(description="Provisions with at least one label (the roadmap 3.1 inventory).")
    assessments: list[GuidelineAssessment]
    exceptions: list[ExceptionReach] = Field(default_factory=list)
    tensions: list[Tension] = Field(default_factory=list)
    commitments: list[CommitmentReach] = Field(default_factory=list, description="Every digital commitment and what "
                                               "reaches it.")
    coverage: Coverage | None = None
    precedents: list[Precedent] = Field(default_factory=list)
    engine: dict = Field(default_factory=dict)

    def provision(self, pid: str) -> LabelledProvision | None:
        return next((p for p in self.provisions if p.id == pid), None)
