"""Structure of the real published PDFs: RCEP and AANZFTA."""

from __future__ import annotations

import re

RCEP_CH12_TITLES = {
    "12.1": "Definitions",
    "12.2": "Principles and Objectives",
    "12.3": "Scope",
    "12.4": "Cooperation",
    "12.5": "Paperless Trading",
    "12.6": "Electronic Authentication and Electronic Signature",
    "12.7": "Online Consumer Protection",
    "12.8": "Online Personal Information Protection",
    "12.9": "Unsolicited Commercial Electronic Messages",
    "12.10": "Domestic Regulatory Framework",
    "12.11": "Customs Duties",
    "12.12": "Transparency",
    "12.13": "Cyber Security",
    "12.14": "Location of Computing Facilities",
    "12.15": "Cross-border Transfer of Information by Electronic Means",
    "12.16": "Dialogue on Electronic Commerce",
    "12.17": "Settlement of Disputes",
}
RUNNING_HEADER = re.compile(r"(?m)^\s*\d{1,2}-\d{1,3}\s*$")


def test_rcep_has_twenty_chapters_in_order(rcep):
    chapters = rcep.chapters()
    assert [c.number for c in chapters] == [str(n) for n in range(1, 21)]
    assert chapters[11].title == "Electronic Commerce"
    assert rcep.pages == 510
    assert rcep.language == "en"
    assert rcep.title.startswith("Regional Comprehensive Economic Partnership")


def test_rcep_chapter_12_articles_titles_and_pages(rcep):
    articles = rcep.provisions_in_chapter("12")
    assert [p.number for p in articles] == list(RCEP_CH12_TITLES)
    assert {p.number: p.title for p in articles} == RCEP_CH12_TITLES
    by_number = {p.number: p for p in articles}
    # Printed pages 12-1 .. 12-12 are PDF pages 421-432.
    assert (by_number["12.1"].page_start, by_number["12.1"].page_end) == (421, 422)
    assert (by_number["12.3"].page_start, by_number["12.3"].page_end) == (422, 423)
    assert by_number["12.11"].page_start == 428
    assert by_number["12.17"].page_end == 432
    assert by_number["12.11"].text.startswith("1. Each Party shall maintain its current practice of not imposing customs duties")


def test_rcep_footnotes_are_attached_and_markers_stripped(rcep):
    by_number = {p.number: p for p in rcep.provisions_in_chapter("12")}
    scope = by_number["12.3"]
    assert scope.title == "Scope"  # "Scope3" in the text layer
    assert [f.number for f in scope.footnotes] == ["3"]
    assert scope.footnotes[0].text.startswith("For greater certainty, the Parties affirm that the obligations")
    assert "For greater certainty, the Parties affirm" not in scope.text
    definitions = by_number["12.1"]
    assert [f.number for f in definitions.footnotes] == ["1"]
    assert "financial service supplier; or" in definitions.text.replace("\n", " ")


def test_rcep_no_running_headers_inside_provisions(rcep):
    offenders = [p.id for p in rcep.provisions if RUNNING_HEADER.search(p.text)]
    assert offenders == []
    for p in rcep.provisions_in_chapter("12"):
        assert "CHAPTER 12" not in p.text
        assert not re.search(r"\b12-\d{1,2}\b", p.text), p.id


def test_rcep_offsets_point_into_document_text(rcep):
    for p in rcep.provisions_in_chapter("12"):
        assert rcep.text[p.start:p.end] == p.text
        for para in p.paragraphs:
            assert p.text[para.start:para.end] == para.text


def test_rcep_preamble_and_final_provisions(rcep):
    assert rcep.provisions[0].kind == "preamble"
    assert "RECALLING the Joint Declaration" in rcep.provisions[0].text
    final_chapter = rcep.provisions_in_chapter("20")
    assert final_chapter and all(p.kind == "final" for p in final_chapter)


def test_aanzfta_electronic_commerce_chapter(aanzfta):
    chapter = next(c for c in aanzfta.chapters() if c.title == "Electronic Commerce")
    assert chapter.number == "10"
    articles = aanzfta.provisions_in_chapter("10")
    assert [(p.number, p.title) for p in articles] == [
        ("1", "Objectives"),
        ("2", "Definitions"),
        ("3", "Transparency"),
        ("4", "Domestic Regulatory Frameworks"),
        ("5", "Electronic Authentication and Digital Certificates"),
        ("6", "Online Consumer Protection"),
        ("7", "Online Data Protection"),
        ("8", "Paperless Trading"),
        ("9", "Co-operation on Electronic Commerce"),
        ("10", "Non-Application of Chapter 17 (Consultations and Dispute Settlement)"),
    ]
    assert articles[0].page_start == 142
    assert (articles[8].page_start, articles[8].page_end) == (146, 147)
    # Article numbers restart in each chapter, so ids are chapter-qualified and unique.
    assert articles[0].id == "ch10-art-1"
    assert len({p.id for p in aanzfta.provisions}) == len(aanzfta.provisions)


def test_aanzfta_chapters_and_wrapped_titles(aanzfta):
    assert len(aanzfta.chapters()) == 18
    first = aanzfta.provisions_in_chapter("1")
    assert first[1].title == "Establishment of the ASEAN-Australia-New Zealand Free Trade Area"
    assert aanzfta.provisions[0].kind == "preamble"
    assert "TABLE OF CONTENTS" not in aanzfta.provisions[0].text
