"""Cue phrases found over lower-cased word tokens: what the rule layer needs of a tokenizer, in microseconds.

The rules ask one question of a text: where does each cue phrase of each group occur, as whole
words ("agricultural" never matches "cultural", "film" never matches "filming")? spaCy's
``PhraseMatcher`` over a blank pipeline answered it, at the price of importing spaCy (half a second
to a second per process) and building a pipeline per language. Here a token is a run of word
characters or one other non-space character, the same split spaCy's rules make on treaty prose
(suffix and infix punctuation, hyphens between letters, elisions), and phrases are tuples of such
tokens looked up from their first token, so every occurrence is found, nested and overlapping ones
included, in the order spaCy reports them (by start, then end). ``tests/test_phrases.py`` checks
the spans against spaCy's on the whole ToTA corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate

_TOKEN = re.compile(r"\w+|[^\w\s]|\s*[^\S ]\s*| {2,}")  # words, punctuation, line breaks
# The same cut, with the single spaces between tokens as pieces too: the pieces tile the text, so
# offsets are running sums of their lengths (no match object per token).
_PIECE = re.compile(r"\w+|[^\w\s]|\s*[^\S ]\s*| {2,}| ")
# Words read as two ("cannot be subject to" holds the cue "not be subject to"), as spaCy's English exceptions do.
_SPLIT = {"cannot": 3}


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    """One occurrence of a cue phrase: token positions (for nesting) and character offsets (for evidence)."""

    label: str
    start: int  # first token
    end: int  # one past the last token
    start_char: int
    end_char: int
    text: str


def token_spans(text: str) -> list[tuple[int, int]]:
    """Where each token of ``text`` starts and ends."""
    return [(s, s + len(t)) for t, s in zip(*_tokens(text.lower()))]


def _tokens(lowered: str) -> tuple[list[str], list[int]]:
    """Tokens of a lower-cased text and their start offsets."""
    pieces = _PIECE.findall(lowered)
    offsets = list(accumulate(map(len, pieces), initial=0))
    keep = [i for i, piece in enumerate(pieces) if piece != " "]
    tokens = [pieces[i] for i in keep]
    starts = [offsets[i] for i in keep]
    if "cannot" in lowered:  # rare: split the words read as two
        split_tokens: list[str] = []
        split_starts: list[int] = []
        for token, start in zip(tokens, starts):
            cut = _SPLIT.get(token)
            if cut:
                split_tokens += [token[:cut], token[cut:]]
                split_starts += [start, start + cut]
            else:
                split_tokens.append(token)
                split_starts.append(start)
        tokens, starts = split_tokens, split_starts
    return tokens, starts


class PhraseIndex:
    """Cue phrases grouped by label, indexed by their first lower-cased token."""

    def __init__(self, groups: dict[str, list[str]]) -> None:
        self._by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for label, phrases in groups.items():
            for phrase in phrases:
                tokens = tuple(_TOKEN.findall(phrase.lower()))
                if tokens:
                    self._by_first.setdefault(tokens[0], []).append((tokens, label))
        for entries in self._by_first.values():
            entries.sort(key=lambda e: len(e[0]))  # shorter first: spaCy's order for one start

    def find(self, text: str) -> list[PhraseMatch]:
        lowered = text.lower()
        if len(lowered) != len(text):  # a few letters grow when lower-cased ("İ"): keep offsets true
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        tokens, starts = _tokens(lowered)
        by_first = self._by_first
        out: list[PhraseMatch] = []
        n = len(tokens)
        for i, token in enumerate(tokens):
            entries = by_first.get(token)
            if entries is None:
                continue
            for phrase, label in entries:
                end = i + len(phrase)
                if end <= n and (len(phrase) == 1 or tuple(tokens[i:end]) == phrase):
                    s, e = starts[i], starts[end - 1] + len(tokens[end - 1])
                    out.append(PhraseMatch(label, i, end, s, e, text[s:e]))
        return out
