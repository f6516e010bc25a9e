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
