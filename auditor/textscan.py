"""Regular expressions that skip, with one substring test, the texts they cannot match.

The assessment asks some fifty questions of every provision ("does it name a cultural sector?",
"does it say *shall not apply*?"), each a case-insensitive alternation. Python's ``re`` tries every
alternative at every position, about 40 ms per question over RCEP's 750,000 characters, while
``str.__contains__`` finds a literal in well under a millisecond. So each pattern is parsed once
for the literal words any match must start with ("audio", "broadcast", "cultur", ...); a text
holding none of them is answered "no match" without running the pattern. This is the literal
prefilter of RE2 and Hyperscan, reduced to what ``re`` can tell us about itself. Where a pattern
has no such words (it starts with a class or a repeat), it runs as it is.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

try:  # the parser ``re`` compiles with; its trees are stable across 3.11-3.13
    from re import _parser as _sre_parse
    from re._constants import (
        ASSERT,
        ASSERT_NOT,
        AT,
        BRANCH,
        LITERAL,
        MAX_REPEAT,
        MIN_REPEAT,
        SUBPATTERN,
    )
except ImportError:  # pragma: no cover - another Python: every pattern runs ungated
    _sre_parse = None

MIN_LITERAL = 3  # shorter literals ("do", "a") are in nearly every text: no gate is cheaper
MAX_LITERALS = 64  # an alternation of more literals is tested by the pattern itself
# Characters that ``re.IGNORECASE`` matches to another letter although ``str.lower`` keeps them
# apart (dotted capital I, dotless i, long s, micro sign, Greek final and symbol forms): folded first.
_FOLDS = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "µ": "μ", "ς": "σ", "ϐ": "β", "ϑ": "θ", "ϕ": "φ", "ϖ": "π",
                        "ϰ": "κ", "ϱ": "ρ", "ϵ": "ε", "ẛ": "ṡ", "ͅ": "ι", "ι": "ι", "ﬅ": "ﬆ"})
_FOLD_CHARS = tuple(chr(c) for c in _FOLDS)


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two sets of required literals: longer shortest member, then fewer members."""
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b, key=lambda s: (min(map(len, s)), -len(s)))


def _required(items) -> frozenset[str] | None:
    """Literals of which every match of ``items`` holds one; None where nothing can be said.

    Candidates are each run of literal characters and each element that must occur (a group, an
    alternation, a repeat of at least one); the most selective candidate is kept.
    """
    best: frozenset[str] | None = None
    run: list[str] = []
    for op, av in list(items) + [(None, None)]:
        if op is LITERAL:
            run.append(chr(av))
            continue
        if run:
            best = _better(best, frozenset({"".join(run)}))
            run = []
        if op in (AT, ASSERT, ASSERT_NOT):  # zero-width: breaks no run of text, adds nothing
            continue
        if op is BRANCH:
            options: set[str] = set()
            for alternative in av[1]:
                found = _required(alternative)
                if found is None:
                    options = set()
                    break
                options |= found
            if options and len(options) <= MAX_LITERALS:
                best = _better(best, frozenset(options))
        elif op is SUBPATTERN and not av[1] & ~re.IGNORECASE and not av[2]:  # a group, or a (?i:...) one
            best = _better(best, _required(av[3]))
        elif op in (MAX_REPEAT, MIN_REPEAT) and av[0] >= 1:
            best = _better(best, _required(av[2]))
    return best


def required_literals(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """Literals one of which is in every match (lower-cased for a case-insensitive pattern), or None."""
    if _sre_parse is None:
        return None
    try:
        tree = _sre_parse.parse(pattern, flags)
    except re.error:
        return None
    if tree.state.flags & re.VERBOSE:
        return None
    literals = _required(tree.data)
    if not literals or min(map(len, literals)) < MIN_LITERAL:
        return None
    if folds_case(pattern, flags):
        literals = frozenset(p.translate(_FOLDS).lower() for p in literals)
    # A literal that holds another is implied by it: test the shorter only.
    kept = sorted(literals, key=len)
    return tuple(p for i, p in enumerate(kept) if not any(q in p for q in kept[:i]))


_LOWERED: dict[str, str] = {}
_LOWERED_CHARS = [0]
MAX_LOWERED_CHARS = 4_000_000  # the lowered texts kept for the next pattern: a few agreements' worth


def _lowered(text: str) -> str:
    """``text`` folded and lower-cased, kept for the other patterns asked of the same text."""
    low = _LOWERED.get(text)
    if low is None:
        if not text.isascii() and any(c in text for c in _FOLD_CHARS):
            text_folded = text.translate(_FOLDS)
        else:
            text_folded = text
        low = text_folded.lower()
        if _LOWERED_CHARS[0] + len(text) > MAX_LOWERED_CHARS:
            _LOWERED.clear()
            _LOWERED_CHARS[0] = 0
        _LOWERED[text] = low
        _LOWERED_CHARS[0] += len(text)
    return low


def folds_case(pattern: str, flags: int = 0) -> bool:
    """Whether the gate compares lower-cased: the pattern, or any group in it, ignores case. (Lower-casing both
    sides only ever lets more texts through, so a partly case-sensitive pattern is gated safely this way.)"""
    return bool(flags & re.IGNORECASE) or "(?i" in pattern


MIN_ALTERNATIVES = 4  # a shorter alternation is searched whole


def top_level_alternatives(pattern: str) -> list[str]:
    """The branches of ``a|b|c`` at depth zero (outside groups and classes), as source text."""
    parts, depth, start, i, in_class, class_start = [], 0, 0, 0, False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]" or i == class_start
        elif char == "[":
            in_class, class_start = True, i + 1
            if pattern[i + 1:i + 2] == "^":
                class_start += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


class GatedPattern:
    """A compiled pattern whose searches first check, on the whole text, for a literal any match needs.

    The gate only ever says "cannot match"; where it lets a text through, ``re`` decides. A long
    alternation without groups is also searched branch by branch, each behind its own gate: the
    leftmost match, and at that position the first branch, is what the whole pattern would find,
    and ``re`` scans for one branch's literal start far faster than for forty at once.
    """

    __slots__ = ("regex", "literals", "ignore_case", "branches")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.regex = re.compile(pattern, flags)
        self.literals = required_literals(pattern, flags)
        self.ignore_case = folds_case(pattern, self.regex.flags)
        self.branches: list[GatedPattern] | None = None
        if self.regex.groups == 0 and not pattern.startswith("(?") and not flags & re.VERBOSE:
            parts = top_level_alternatives(pattern)
            if len(parts) >= MIN_ALTERNATIVES and all(parts):
                self.branches = [GatedPattern(part, flags) for part in parts]

    def could_match(self, text: str) -> bool:
        if self.literals is None:
            return True
        haystack = _lowered(text) if self.ignore_case else text
        return any(p in haystack for p in self.literals)

    @property
    def pattern(self) -> str:
        return self.regex.pattern

    @property
    def flags(self) -> int:
        return self.regex.flags

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        if not self.could_match(text):
            return None
        if self.branches is None:
            return self.regex.search(text, pos, endpos)
        best = None
        for branch in self.branches:
            found = branch.search(text, pos, endpos)
            if found is not None and (best is None or found.start() < best.start()):
                best = found
        return best

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        return self.regex.match(text, pos, endpos) if self.could_match(text) else None

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match | None:
        return self.regex.fullmatch(text, pos, endpos) if self.could_match(text) else None

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match]:
        return self.regex.finditer(text, pos, endpos) if self.could_match(text) else iter(())

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list:
        return self.regex.findall(text, pos, endpos) if self.could_match(text) else []

    def sub(self, repl, text: str, count: int = 0) -> str:
        return self.regex.sub(repl, text, count) if self.could_match(text) else text

    def split(self, text: str, maxsplit: int = 0) -> list[str]:
        return self.regex.split(text, maxsplit) if self.could_match(text) else [text]

    def __getattr__(self, name: str):  # groups, groupindex, scanner: the pattern's own, ungated
        if name in GatedPattern.__slots__:
            raise AttributeError(name)
        return getattr(self.regex, name)

    def __repr__(self) -> str:
        return f"GatedPattern({self.regex.pattern!r}, literals={self.literals!r})"


def compile(pattern: str, flags: int = 0) -> GatedPattern:  # noqa: A001 - the name ``re`` users expect
    return GatedPattern(pattern, flags)
