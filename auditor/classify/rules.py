"""Rule layer: finds the codebook's cues and the words that justify a label.

Cue phrases are found over lower-cased word tokens (``phrases.PhraseIndex``,
one index per language); sentences come from one regex pass made for
numbered legal paragraphs.
Labels are decided per sentence from which cue groups co-occur, with the
codebook's traps handled explicitly (heritage-only exceptions, customs
"electronic" procedures, "film" in rules of origin, "agricultural").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from auditor import textscan
from auditor.classify.cues import CUES, CUSTOMS_DUTIES, GATE_STEMS, POLICY_SPACE_FRAMES
from auditor.classify.phrases import PhraseIndex
from auditor.classify.phrases import PhraseMatch as Span

LABELS = [
    "ecommerce",
    "digital_products",
    "cultural_exception",
    "convention_reference",
    "cultural_diversity",
    "cultural_cooperation",
    "preferential_treatment",
    "right_to_regulate",
]
GROUPS = list(CUES)
SIGNALS = ["cooperation_list", "culture_support", "diversity_passing", "development_culture"]
# Which label a signal speaks for, when the rules found no stricter evidence.
SIGNAL_LABEL = {"cooperation_list": "cultural_cooperation", "culture_support": "cultural_cooperation",
                "diversity_passing": "cultural_diversity", "development_culture": "preferential_treatment"}
_GATE_STEMS = tuple(GATE_STEMS)
_GOODS_WORDS = textscan.compile(r"\b(?:yarns?|fib(?:er|re)s?|filaments?|subheadings?|tariff (?:item|classification)"
                                 r"|harmoni[sz]ed system|hilados?|fibras?|subpartidas?)\b", re.IGNORECASE)
_GOODS_CHAPTER = textscan.compile(r"origin|origen|origine|customs|aduan|douan|tariff|arancel|goods|mercanc|marchandises",
                                   re.IGNORECASE)
# In goods, customs and rules-of-origin text these words name products (HS lines), not the cultural sector.
_SECTOR_IN_GOODS = {"film", "films", "cinematographic", "video", "music", "books", "newspapers", "magazines",
                    "sound recordings", "radio", "television", "publication", "películas", "libros", "música",
                    "culture", "cultural", "media", "arts", "programming", "publishing", "cine", "cinema", "artists",
                    "heritage", "broadcast", "broadcasting", "cultura", "culturales"}
# A sentence about the provision it sits in: "shall not be obliged to apply this paragraph".
_SELF_REFERENCE = textscan.compile(r"\b(?:this|the present) (?:article|paragraph|subparagraph|chapter|section)\b"
                                    r"|\best[ea] (?:artículo|párrafo|capítulo|sección)\b"
                                    r"|\bce(?:t|tte)? (?:article|paragraphe|chapitre|section)\b", re.IGNORECASE)
_PATENTS = textscan.compile(r"patentab|brevetab")
_CUSTOMS_DUTIES = textscan.compile(CUSTOMS_DUTIES)
# One pattern for the three languages: a frame is a precondition, never evidence, so a stray
# match in another language only leaves the decision to the model.
POLICY_SPACE = textscan.compile("|".join(f for frames in POLICY_SPACE_FRAMES.values() for f in frames))
CARVE_WINDOW = 300  # characters between a cultural-sector word and a carve-out cue
# Sector words too ambiguous to tell what a preference is about ("programming cooperation").
_WEAK_DOMAIN = {"programming", "media", "heritage", "radio"}
PREFERENCE_WINDOW = 200  # characters between a developing beneficiary and the aid and the domain it concerns
LIST_WINDOW = 1200  # how far the items of a list run below its lead-in


@dataclass
class Evidence:
    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class RuleResult:
    fired: dict[str, bool] = field(default_factory=lambda: {label: False for label in LABELS})
    evidence: dict[str, list[Evidence]] = field(default_factory=lambda: {label: [] for label in LABELS})
    counts: dict[str, int] = field(default_factory=lambda: {group: 0 for group in GROUPS})
    # Softer co-occurrences: model features, and fallback evidence, never labels by themselves.
    signals: dict[str, list[Evidence]] = field(default_factory=lambda: {name: [] for name in SIGNALS})
    sentences: list[tuple[int, int]] = field(default_factory=list)
    # The provision keeps policy space somewhere (an exception, "nothing in ... shall prevent").
    policy_space: bool = False
    # Cultural words that survived the traps: where a cultural label's evidence must be.
    culture_words: list[Evidence] = field(default_factory=list)
    # Labels the rules settle alone: the codebook's unmistakable cases, which a model trained on few
    # Spanish or French examples may score low.
    settled: set[str] = field(default_factory=set)


def passes_gate(text: str) -> bool:
    """Literal stem tests on a lower-cased copy: far cheaper than a case-insensitive alternation."""
    low = text.lower()
    return any(stem in low for stem in _GATE_STEMS)


_BOUNDARY = re.compile(r"\n+|(?<=[.;:!?])\s+(?=[A-ZÀ-Ý(“\"¿¡0-9])")
_ABBREV_END = re.compile(r"(?:\b(?:art|arts|no|nos|para|paras|e\.g|i\.e|etc|vol|cf|pp?|inc|ltd|co|núm)|\b[A-Za-z]|\d)\.$",
                         re.IGNORECASE)
# A line that opens a list item or a numbered paragraph: "(a)", "1.", "ii)", "-", "•".
_ITEM_START = re.compile(r"\s*(?:\(?[0-9]{1,3}[.)]|\(?[a-zA-Z]{1,2}\)|\(?[ivxIVX]{1,5}\)|\([a-z0-9]{1,4}\)|[-–—•*·])")
WRAP_MIN_LINE = 40  # a shorter line that ends without punctuation is a heading, not a wrapped sentence


def _soft_wrap(text: str, line_start: int, newline: int, next_line: int) -> bool:
    """A single line break inside a sentence: hard-wrapped text (ToTA keeps the printed lines)."""
    line = text[line_start:newline].strip()
    if len(line) < WRAP_MIN_LINE or line[-1] in ".;:!?" or line.isupper():
        return False
    return next_line < len(text) and not _ITEM_START.match(text, next_line)


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Sentences of treaty text: line breaks, and stops not in abbreviations ("Art. 5", "1.", "(a).").

    Run it on normalised text, where lines that only wrap a sentence are already joined.
    """
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        if "\n" not in m.group(0) and _ABBREV_END.search(text[max(start, m.start() - 8):m.start()]):
            continue
        if m.start() > start:
            bounds.append((start, m.start()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return bounds or [(0, len(text))]


class CueRules:
    """One phrase index per language (its own cues and the English ones), built on first use."""

    def __init__(self) -> None:
        self._indexes: dict[str, PhraseIndex] = {}

    def _index(self, lang: str) -> PhraseIndex:
        lang = lang if lang in ("en", "fr", "es") else "en"
        if lang not in self._indexes:
            self._indexes[lang] = PhraseIndex({group: sorted(set(by_lang.get(lang, [])) | set(by_lang.get("en", [])))
                                               for group, by_lang in CUES.items()})
        return self._indexes[lang]

    def analyse_many(self, texts: list[str], languages: list[str], chapters: list[str | None],
                     gated: bool = False) -> list[RuleResult]:
        """Evidence offsets in the results point into the texts as given. ``gated``: texts already passed the gate."""
        out: list[RuleResult] = [RuleResult() for _ in texts]
        by_lang: dict[str, list[int]] = {}
        for i, (text, lang) in enumerate(zip(texts, languages)):
            if gated or passes_gate(text):
                by_lang.setdefault(lang if lang in ("en", "fr", "es") else "en", []).append(i)
        for lang, indices in by_lang.items():
            index = self._index(lang)
            for i in indices:
                text, mapping = normalise_whitespace(texts[i])
                out[i] = _map_back(self._decide(index.find(text), text, chapters[i]), mapping, texts[i])
        return out

    def analyse(self, text: str, language: str = "en", chapter: str | None = None) -> RuleResult:
        return self.analyse_many([text], [language], [chapter])[0]

    # -- label logic

    def _decide(self, spans: list[Span], text: str, chapter: str | None) -> RuleResult:
        """``spans``: the cue phrases found in ``text`` (whitespace-normalised)."""
        result = RuleResult()
        by_sentence: dict[int, dict[str, list[Span]]] = {}
        bounds = sentence_bounds(text)
        result.sentences = bounds
        starts = [b[0] for b in bounds]
        goods_chapter = bool(chapter and _GOODS_CHAPTER.search(chapter))
        for span in spans:
            group = span.label
            result.counts[group] += 1
            k = _sentence_index(starts, span.start_char)
            by_sentence.setdefault(k, {}).setdefault(group, []).append(span)
        text_lower = text.lower()
        patent_rules = bool(_PATENTS.search(text_lower))
        result.policy_space = bool(POLICY_SPACE.search(text_lower))

        def add(label: str, sentence: tuple[int, int], cue: Span) -> None:
            result.fired[label] = True
            ev = result.evidence[label]
            if len(ev) < 6:
                ev.append(Evidence(cue.start_char, cue.end_char, cue.text))
                if not any((e.start, e.end) == sentence for e in ev):
                    ev.append(Evidence(sentence[0], sentence[1], text[sentence[0]:sentence[1]]))

        cooperation_cues = [span.start_char for g in by_sentence.values() for span in g.get("COOP", [])]
        domain_spans: list[Span] = []  # digital trade or culture, after the traps: what a preference must be about
        digital_provision = any(g.get("EC_CORE") or g.get("DP_CORE") for g in by_sentence.values())
        result.counts["CULT_SECTOR"] = 0  # recounted below: only words that survive the traps speak for culture
        for k, groups in sorted(by_sentence.items()):
            sentence = bounds[k]
            heritage = groups.get("HERITAGE_ONLY", []) + groups.get("PASSING", [])
            # Origin rules glued into other chapters: "extrusion of filaments, strips, film, or sheet".
            goods_sentence = bool(groups.get("CULT_SECTOR")) and bool(_GOODS_WORDS.search(text, *sentence))
            sector = [s for s in groups.get("CULT_SECTOR", []) if not _inside(s, heritage)
                      and not ((goods_chapter or goods_sentence) and s.text.lower() in _SECTOR_IN_GOODS)]
            result.counts["CULT_SECTOR"] += len(sector)
            result.culture_words.extend(Evidence(w.start_char, w.end_char, w.text) for w in sector + groups.get(
                "CDIV", []) + groups.get("COPRODUCTION", []) + groups.get("CONVENTION", []))
            domain = [s for s in sector if s.text.lower() not in _WEAK_DOMAIN] + groups.get("EC_CORE", []) \
                + groups.get("DP_CORE", [])
            domain_spans.extend(domain)
            # A list of cooperation fields: the cue sits in the lead-in, the culture item lines below it.
            near_cooperation = any(s.start_char - 600 <= c <= s.end_char + 200 for s in sector for c in cooperation_cues)

            def signal(name: str, cue: Span) -> None:
                if len(result.signals[name]) < 4:
                    result.signals[name].append(Evidence(sentence[0], sentence[1], text[sentence[0]:sentence[1]]))

            if sector and near_cooperation and not groups.get("COOP"):
                signal("cooperation_list", sector[0])
            if sector and groups.get("SUPPORT"):
                signal("culture_support", sector[0])
            culture_words = groups.get("CULT_SECTOR", [])
            if culture_words and not sector and groups.get("PASSING"):
                signal("diversity_passing", culture_words[0])
            if groups.get("DEV") and sector:
                signal("development_culture", groups["DEV"][0])
            if groups.get("EC_CORE"):
                add("ecommerce", sentence, groups["EC_CORE"][0])
            if groups.get("DP_CORE"):
                add("digital_products", sentence, groups["DP_CORE"][0])
                add("ecommerce", sentence, groups["DP_CORE"][0])
                # "No Party shall impose customs duties on electronic transmissions": the moratorium.
                if _CUSTOMS_DUTIES.search(text_lower, *sentence):
                    result.settled.update({"digital_products", "ecommerce"})
            carve = [(s, c) for s in sector for c in groups.get("CARVE", [])
                     if abs(s.start_char - c.start_char) <= CARVE_WINDOW]
            if carve:
                add("cultural_exception", sentence, carve[0][0])
            if groups.get("CONVENTION"):
                cue = groups["CONVENTION"][0]
                if "2005 convention" not in cue.text.lower() or re.search(r"unesco|cultural", text_lower):
                    add("convention_reference", sentence, cue)
            if groups.get("CDIV"):
                add("cultural_diversity", sentence, groups["CDIV"][0])
            if groups.get("COPRODUCTION") or (sector and groups.get("COOP")):
                add("cultural_cooperation", sentence, (groups.get("COPRODUCTION") or sector)[0])
            # TRIPS-style exclusions from patentability echo GATT XX's words but are IP rules.
            if groups.get("R2R") and not patent_rules and result.policy_space:
                add("right_to_regulate", sentence, groups["R2R"][0])
            if groups.get("UNESCO_CONV") and re.search(r"diversity|diversidad|diversité|2005", text_lower):
                add("convention_reference", sentence, groups["UNESCO_CONV"][0])
            if groups.get("CONVENTION") and result.fired["convention_reference"]:
                # Codebook: a provision that names the Convention usually also recognises cultural diversity.
                add("cultural_diversity", sentence, groups["CONVENTION"][0])
            # Preferences: a developing Party and a preference in one sentence, about digital trade or
            # culture named there too, or about "this Article" of a provision that names them (the
            # footnote deferring an e-commerce article for least-developed Parties).
            beneficiaries = _beneficiaries(groups)
            if beneficiaries and groups.get("PREF") and (
                domain or (digital_provision and _SELF_REFERENCE.search(text, *sentence))
            ):
                add("preferential_treatment", sentence, beneficiaries[0])
        if not result.fired["preferential_treatment"]:
            self._preference_nearby(by_sentence, bounds, domain_spans, text, add)
        return result

    @staticmethod
    def _preference_nearby(by_sentence, bounds, domain_spans, text, add) -> None:
        """Codebook: assistance or preferences *to developing Parties* *for culture or digital trade*.

        The three parts often sit in different items of one list ("assistance to the developing
        Parties in implementing an electronic commerce legal framework"), so they are sought within
        a window around the beneficiary rather than in one sentence; a list's lead-in ("The
        Community shall support the OCTs ... to:") governs the items below it.
        """
        beneficiaries = [(k, s) for k, groups in by_sentence.items() for s in _beneficiaries(groups)]
        instruments = [s.start_char for groups in by_sentence.values() for g in ("PREF", "AID")
                       for s in groups.get(g, [])]
        domains = [s.start_char for s in domain_spans]
        for k, ben in beneficiaries:
            near_instrument = any(abs(c - ben.start_char) <= PREFERENCE_WINDOW for c in instruments)
            lead_in = text[bounds[k][0]:bounds[k][1]].rstrip().endswith(":")
            after = LIST_WINDOW if lead_in else PREFERENCE_WINDOW
            near_domain = any(-PREFERENCE_WINDOW <= c - ben.start_char <= after for c in domains)
            if near_instrument and near_domain:
                add("preferential_treatment", bounds[k], ben)
                return


# Only runs that change: two or more blanks, odd blanks (tab, NBSP), or blanks around a line break.
_WS = re.compile(r"[ \t\xa0\u2000-\u200b\u3000]*\n\s*|[ \t\xa0\u2000-\u200b\u3000]{2,}|[\t\xa0\u2000-\u200b\u3000]")


@dataclass
class OffsetMap:
    """Maps offsets in whitespace-normalised text back to the original: breakpoints, not a per-character table."""

    norm_starts: list[int]
    shifts: list[int]

    def __call__(self, offset: int) -> int:
        k = bisect.bisect_right(self.norm_starts, offset) - 1
        return offset + (self.shifts[k] if k >= 0 else 0)


def normalise_whitespace(text: str) -> tuple[str, OffsetMap]:
    """Collapse runs of spaces (ToTA pads with non-breaking spaces), join lines that only wrap a
    sentence (so cue phrases match across printed lines), and keep a map to original offsets."""
    parts: list[str] = []
    norm_starts: list[int] = []
    shifts: list[int] = []
    pos = 0
    norm = 0
    line_start = 0
    for m in _WS.finditer(text):
        parts.append(text[pos:m.start()])
        norm += m.start() - pos
        breaks = m.group(0).count("\n")
        if breaks:
            wrapped = breaks == 1 and _soft_wrap(text, line_start, m.start(), m.end())
            line_start = m.end()
            replacement = " " if wrapped else "\n"
        else:
            replacement = " "
        parts.append(replacement)
        norm += 1
        # Normalised offsets from here on lie (len(match) - 1) further on in the original.
        norm_starts.append(norm)
        shifts.append(m.end() - norm)
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts), OffsetMap(norm_starts, shifts)


def _map_back(result: RuleResult, mapping: OffsetMap, original: str) -> RuleResult:
    def conv(start: int, end: int) -> tuple[int, int]:
        s = mapping(start)
        e = mapping(end - 1) + 1 if end > start else s
        return s, e

    def remap(evidence: list[Evidence]) -> list[Evidence]:
        out = []
        for ev in evidence:
            s, e = conv(ev.start, ev.end)
            out.append(Evidence(s, e, original[s:e]))
        return out

    result.evidence = {label: remap(ev) for label, ev in result.evidence.items()}
    result.signals = {name: remap(ev) for name, ev in result.signals.items()}
    result.culture_words = remap(result.culture_words)
    result.sentences = [conv(s, e) for s, e in result.sentences]
    return result


def _sentence_index(starts: list[int], token_index: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= token_index:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _beneficiaries(groups: dict[str, list[Span]]) -> list[Span]:
    """Developing Parties named in a sentence; "developing" alone is as often a verb ("developing
    capacities") as a beneficiary."""
    return [s for s in groups.get("DEV", []) if s.text.lower() != "developing"]


def _inside(span: Span, containers: list[Span]) -> bool:
    return any(c.start <= span.start and span.end <= c.end for c in containers)
