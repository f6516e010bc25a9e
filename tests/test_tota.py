"""ToTA XML: every file parses; a sample matches its XML article by article."""

from __future__ import annotations

from collections import Counter

import pytest
from lxml import etree

from auditor.pipeline import parse_file
from tests.conftest import TOTA, shared_file, tota


@pytest.mark.parametrize("treaty", [146, 145, 338, 86, 88, 450, 1, 233])
def test_sample_matches_xml(treaty):
    path = tota(treaty)
    root = etree.parse(str(path)).getroot()
    xml_articles = [a for a in root.iter("article") if "".join(a.itertext()).strip()]
    agreement = parse_file(path)
    assert len(agreement.provisions) == len(xml_articles)
    for provision, element in zip(agreement.provisions, xml_articles):
        assert provision.id == f"tota:{treaty}:{element.get('article_identifier')}"
        assert provision.text == "".join(element.itertext()).strip()
        assert provision.title == ((element.get("name") or "").strip() or None)
        assert agreement.text[provision.start:provision.end] == provision.text
    assert agreement.title == root.findtext("meta/name").strip()
    assert agreement.language == root.findtext("meta/language")
    assert agreement.parties == [p.text.strip() for p in root.findall("meta/parties/partyisocode") if p.text]


def test_canada_korea_structure():
    agreement = parse_file(tota(146))
    assert agreement.provisions[0].kind == "preamble"
    article = next(p for p in agreement.provisions if p.number == "1.6")
    assert article.title == "Cultural Cooperation"
    assert article.chapter.number == "1"  # "CHAPTER ONE" normalised


def test_all_450_parse_with_languages():
    shared_file(TOTA)
    languages: Counter[str] = Counter()
    provisions = 0
    files = sorted(TOTA.glob("pta_*.xml"))
    assert len(files) == 450
    for path in files:
        agreement = parse_file(path)
        assert agreement.provisions, path.name
        languages[agreement.language] += 1
        provisions += len(agreement.provisions)
    assert languages == {"en": 424, "es": 24, "fr": 2}
    assert provisions > 40_000
