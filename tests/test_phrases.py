"""The cue-phrase index against spaCy's PhraseMatcher, its reference, on real treaty text in three languages.

Every span spaCy finds must be found. The index may find more only where spaCy's tokenizer cut the
text differently: a footnote number or bracket glued to a word ("reasons,1", "Trading(hereinafter"),
a hyphen left at a line end ("least- developed"), so that the cue was there but hidden from spaCy.
"""

from __future__ import annotations

import pytest

from auditor.classify.cues import CUES
from auditor.classify.phrases import PhraseIndex, token_spans
from auditor.classify.rules import normalise_whitespace, passes_gate
from auditor.pipeline import parse_file
from tests.conftest import REPO, TOTA

spacy = pytest.importorskip("spacy")
from spacy.matcher import PhraseMatcher  # noqa: E402

SAMPLES = ["canada-korea-2014.tota.xml", "chile-colombia-2006.tota.xml", "cemac-1994.tota.xml"]


def _groups(lang: str) -> dict[str, list[str]]:
    return {g: sorted(set(by.get(lang, [])) | set(by.get("en", []))) for g, by in CUES.items()}


@pytest.fixture(scope="module")
def matchers():
    out = {}
    for lang in ("en", "fr", "es"):
        nlp = spacy.blank(lang)
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for group, phrases in _groups(lang).items():
            matcher.add(group, [nlp.make_doc(p) for p in phrases])
        out[lang] = (nlp, matcher, PhraseIndex(_groups(lang)))
    return out


def _texts(paths) -> list[tuple[str, str]]:
    out = []
    for path in paths:
        agreement = parse_file(path)
        for p in agreement.provisions:
            text = p.text + "".join(f"\n[{f.number}] {f.text}" for f in p.footnotes)
            if passes_gate(text):
                out.append((normalise_whitespace(text)[0], agreement.language or "en"))
    return out


def _compare(matchers, texts) -> tuple[int, list[tuple[str, tuple]]]:
    spacy_only, unexplained = 0, []
    for text, lang in texts:
        nlp, matcher, index = matchers[lang]
        doc = nlp(text)
        theirs = {(nlp.vocab.strings[s.label], s.start_char, s.end_char) for s in matcher(doc, as_spans=True)}
        ours = [(m.label, m.start_char, m.end_char) for m in index.find(text)]
        assert len(ours) == len(set(ours)), "a span reported twice"
        spacy_only += len(theirs - set(ours))
        for span in set(ours) - theirs:
            _, start, end = span
            # spaCy cut that stretch of text into other tokens than ours ("reasons,1", "least-" + "developed").
            theirs_cut = {(t.idx, t.idx + len(t.text)) for t in doc if t.idx < end and t.idx + len(t.text) > start}
            ours_cut = {(s, e) for s, e in token_spans(text) if s < end and e > start}
            if theirs_cut == ours_cut:
                unexplained.append((text[max(0, start - 30):end + 30], span))
    return spacy_only, unexplained


def test_same_spans_as_spacy_on_the_sample_agreements(matchers):
    texts = _texts([REPO / "agreements" / name for name in SAMPLES])
    assert {lang for _, lang in texts} == {"en", "es", "fr"}
    spacy_only, unexplained = _compare(matchers, texts)
    assert spacy_only == 0
    assert unexplained == []


@pytest.mark.shared
@pytest.mark.slow
def test_same_spans_as_spacy_across_tota(matchers):
    paths = sorted(TOTA.glob("pta_*.xml"))[::3]
    if not paths:
        pytest.skip(f"the ToTA corpus is not at {TOTA}")
    texts = _texts(paths)
    assert len(texts) > 4000
    spacy_only, unexplained = _compare(matchers, texts)
    assert spacy_only == 0
    assert unexplained == []


def test_order_within_a_group_is_by_start_then_length():
    index = PhraseIndex({"CULT": ["audiovisual", "audiovisual services", "services"]})
    found = [(m.start_char, m.end_char) for m in index.find("Audiovisual services, and audiovisual.")]
    assert found == [(0, 11), (0, 20), (12, 20), (26, 37)]


def test_words_not_substrings_and_line_breaks_block_a_phrase():
    index = PhraseIndex({"CULT": ["cultural", "cultural industries"]})
    assert [m.text for m in index.find("Agricultural and cultural\nindustries")] == ["cultural"]
    assert [m.text for m in index.find("CULTURAL INDUSTRIES")] == ["CULTURAL", "CULTURAL INDUSTRIES"]


def test_offsets_hold_when_lower_casing_grows_a_letter():
    index = PhraseIndex({"CULT": ["culture"]})
    text = "İstanbul: culture"
    [match] = index.find(text)
    assert text[match.start_char:match.end_char] == "culture"
