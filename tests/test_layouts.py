"""PDFs in layouts the parser has never seen, typeset from real ToTA texts and parsed back."""

from __future__ import annotations

import re

import pytest

from auditor.pipeline import parse_file
from tests.conftest import tota
from tests.typeset import LAYOUTS, load_articles, typeset

AGREEMENTS = {146: "Canada - Korea (en)", 145: "EU - Korea (en)", 410: "Colombia - Northern Triangle (es)", 1: "Japan - Thailand (en)"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda l: l.name)
@pytest.mark.parametrize("treaty", list(AGREEMENTS), ids=lambda n: f"pta_{n}")
def test_typeset_layout_round_trips(tmp_path, layout, treaty):
    chapters = load_articles(tota(treaty))
    pdf = typeset(chapters, layout, tmp_path / "agreement.pdf", title="Free Trade Agreement",
                  preamble="The Parties, resolved to strengthen the special bonds of friendship, have agreed as follows:")
    agreement = parse_file(pdf)
    articles = [p for p in agreement.provisions if p.kind != "preamble"]

    expected = [(c.number, a.number, a.title.rstrip(".").lower()) for c in chapters for a in c.articles]
    got = [(p.chapter.number if p.chapter else None, p.number, (p.title or "").lower()) for p in articles]
    assert got == expected

    for source, parsed in zip((a for c in chapters for a in c.articles), articles):
        assert _norm(parsed.text) == _norm(source.text), parsed.number
    header_bits = [layout.header] if layout.header else []
    for p in agreement.provisions:
        for bit in header_bits:
            assert bit not in p.text
        assert not re.search(r"Page \d+ of 99|- \d+ -", p.text)
    assert agreement.provisions[0].kind == "preamble"


@pytest.mark.parametrize("layout", [lay for lay in LAYOUTS if lay.columns == 2], ids=lambda l: l.name)
@pytest.mark.parametrize("treaty", [146, 145], ids=lambda n: f"pta_{n}")
def test_a_long_two_column_agreement_loses_no_article(tmp_path, layout, treaty):
    """Hundreds of articles over twenty chapters in two columns: every article, in order, in its chapter. At
    this length the text holds what short samples do not: a cross-reference to "Chapter Twenty-One (...)"
    wrapped to a line start, and a list's "and" alone on the line before a heading."""
    chapters = load_articles(tota(treaty), chapters=20, per_chapter=30, max_chars=1500)
    assert sum(len(c.articles) for c in chapters) > 200
    pdf = typeset(chapters, layout, tmp_path / "agreement.pdf", title="Free Trade Agreement",
                  preamble="The Parties have agreed as follows:")
    articles = [p for p in parse_file(pdf).provisions if p.kind != "preamble"]
    expected = [(c.number, a.number) for c in chapters for a in c.articles]
    assert [(p.chapter.number if p.chapter else None, p.number) for p in articles] == expected
    # Titles: a short title followed by a short capitalised line of the text ("Relation to Other Agreements")
    # can still be read as one title; nearly all are exact.
    titles = [a.title.rstrip(".").lower() for c in chapters for a in c.articles]
    exact = sum((p.title or "").lower() == t for p, t in zip(articles, titles))
    assert exact >= 0.97 * len(titles), f"{exact} of {len(titles)} titles exact"
