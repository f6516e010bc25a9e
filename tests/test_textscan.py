"""The gated patterns answer exactly as ``re`` does: same match, same span, on real agreements."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

import auditor
from auditor import textscan
from auditor.pipeline import parse_file
from tests.conftest import REPO, TOTA


def _gated_patterns() -> list[tuple[str, textscan.GatedPattern]]:
    out = []
    for info in pkgutil.walk_packages(auditor.__path__, "auditor."):
        if info.name.startswith(("auditor.cli", "auditor.__main__")):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, textscan.GatedPattern):
                out.append((f"{info.name}.{name}", value))
            elif isinstance(value, (list, tuple)):  # a family of patterns tried in turn
                out += [(f"{info.name}.{name}[{i}]", v) for i, v in enumerate(value) if isinstance(v, textscan.GatedPattern)]
    return out


def _texts() -> list[str]:
    paths = sorted((REPO / "agreements").glob("*.xml"))
    if TOTA.exists():
        paths += sorted(TOTA.glob("pta_*.xml"))[::90]  # five more, of every era and language
    texts = []
    for path in paths:
        agreement = parse_file(path)
        texts += [provision.text for provision in agreement.provisions]
    # Letters that re.IGNORECASE folds but str.lower keeps apart.
    texts += ["The provisions of the EU-Korea FTA are incorporated by reference into this Agreement, mutatis mutandis.",
              '"Incorporated Agreement" means the provisions of the CETA as incorporated by Article 2.',
              "NOTHİNG İN THİS AGREEMENT SHALL APPLY to CULTURAL İNDUSTRİES", "the ſcope of this Chapter",
              "nothıng ın this Agreement shall be construed"]
    return texts


def _same(a: re.Match | None, b: re.Match | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a.span() == b.span()
                                         and a.group(0) == b.group(0))


def test_every_gated_pattern_finds_what_re_finds():
    patterns = _gated_patterns()
    assert len(patterns) > 40
    texts = _texts()
    gated_out = 0
    for name, gated in patterns:
        plain = re.compile(gated.pattern, gated.flags)
        for text in texts:
            expected = plain.search(text)
            assert _same(gated.search(text), expected), (name, text[:200])
            assert [m.span() for m in gated.finditer(text)] == [m.span() for m in plain.finditer(text)], name
            gated_out += expected is None and not gated.could_match(text)
    assert gated_out > 1000  # the gate does spare work: it is not always open


@pytest.mark.parametrize("pattern, flags, literals", [
    (r"audio-?visual|broadcast|\bfilms?\b", re.IGNORECASE, {"visual", "broadcast", "film"}),
    (r"(?:shall|does|do)\s+not\s+apply", re.IGNORECASE, {"apply"}),
    (r"no\s+se\s+aplicar[áa]n?", 0, {"aplicar"}),
    (r"\w+ing", 0, {"ing"}),
])
def test_required_literals(pattern, flags, literals):
    assert set(textscan.required_literals(pattern, flags)) == literals


@pytest.mark.parametrize("pattern", [r"\d+", r"[a-z]{2,}", r"(?i)x|y", r"a|b", r"(?x) foo | bar "])
def test_patterns_with_no_literal_to_require_always_run(pattern):
    gated = textscan.compile(pattern)
    assert gated.could_match("anything at all")
    assert _same(gated.search("foo 12 bar"), re.search(pattern, "foo 12 bar"))


def test_leftmost_match_then_first_branch_as_re_orders_them():
    pattern = r"nothing\s+in|nothing|thing\s+in|in\s+this|this\s+agreement"
    gated = textscan.compile(pattern, re.IGNORECASE)
    assert gated.branches is not None
    for text in ["Nothing in this Agreement", "and nothing else in this agreement", "THIS AGREEMENT only"]:
        assert _same(gated.search(text), re.search(pattern, text, re.IGNORECASE))
        assert _same(gated.search(text, 3, 20), re.compile(pattern, re.IGNORECASE).search(text, 3, 20))


def test_alternatives_are_split_outside_groups_classes_and_escapes():
    assert textscan.top_level_alternatives(r"a|b(c|d)|[|]|\||[]|]|e") == ["a", "b(c|d)", "[|]", r"\|", "[]|]", "e"]

