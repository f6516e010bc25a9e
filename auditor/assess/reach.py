"""What reaches each digital commitment: the treaty's own links, read before any tension is reported.

For every commitment the report lists what was tested and what was found, with the words of each
(codebook, 19.4): a carve-out inside the same article; a clause that makes the commitment subject to
non-conforming measures or schedules; general exceptions applied to its chapter; exclusion from dispute
settlement; a deemed-service link to a chapter that excludes audiovisual services; a section-, chapter-,
title- or agreement-scope cultural exception, resolved against the divisions the parse found.
"""

from __future__ import annotations

import re

from auditor import textscan
from auditor.assess.commitments import DigitalCommitment, sentences
from auditor.assess.model import CommitmentReach, ExceptionReach, LabelledProvision, ReachTest
from auditor.classify.attributes import SCOPE_PHRASES

CULTURAL = textscan.compile(r"audio-?visual|audiovisuel|broadcast|radiodifus|radiodiffus|(?<![a-z])(?<!agri-)(?<!agri- )cultur"
                             r"|creative arts|\bfilms?\b|cinemat|music|sound recordings|publishing|books|creative on-?line content",
                             re.IGNORECASE)
_SUBSIDIES = textscan.compile(r"subsid|grants?\b|subvenc|subventions?", re.IGNORECASE)
_NOT_APPLY = textscan.compile(r"(?:shall|does|do|will)\s+not\s+apply(?:\s+to)?|no\s+se\s+aplicar[áa]n?\s+a|ne\s+s['’]applique(?:nt)?"
                               r"\s+pas\s+(?:à|aux)", re.IGNORECASE)
_SELF = textscan.compile(r"\b(?:this\s+article|this\s+paragraph|paragraphs?\s+\d|subparagraph|este\s+artículo|el\s+presente"
                          r"\s+artículo|le\s+présent\s+article|cet\s+article)", re.IGNORECASE)
_NON_CONFORMING = textscan.compile(r"non-?conform|do(?:es)?\s+not\s+conform|reservations?|schedules?\s+(?:of|to)|annex\s+I{1,2}\b"
                                    r"|medidas\s+disconformes|reservas|mesures\s+non\s+conformes", re.IGNORECASE)
_SUBJECT_TO_SCHEDULE = textscan.compile(r"subject\s+to[^.;]{0,80}(?:schedule|reservation|annex\s+I{1,2}\b|non-?conforming)"
                                         r"|unless\s+otherwise\s+specified\s+in\s+its\s+(?:list\s+of\s+)?reservations"
                                         r"|except\s+as\s+(?:provided|set\s+out)\s+in\s+its\s+schedule", re.IGNORECASE)
# A chapter-wide link: "the Parties' non-conforming measures, as set forth in their Schedule of Annexes I, II ...,
# apply to electronic commerce".
_CHAPTER_SCHEDULES = textscan.compile(r"non-?conforming\s+measures[^.;]{0,160}\s+appl(?:y|ies)\s+to\s+(?:electronic\s+commerce"
                                       r"|this\s+chapter)", re.IGNORECASE)
_GENERAL_EXCEPTION = textscan.compile(r"article\s+xx\b|article\s+xiv\b|general\s+exceptions?|gatt\s+1994[^.;]{0,40}xx"
                                       r"|excepciones\s+generales|exceptions\s+générales", re.IGNORECASE)
_DISPUTE_EXCLUSION = textscan.compile(
    r"(?:no\s+party\s+shall\s+have\s+recourse\s+to|shall\s+not\s+(?:be\s+subject\s+to|have\s+recourse\s+to)"
    r"|not\s+be\s+subject\s+to)[^.;]{0,120}dispute\s+settlement"
    r"|dispute\s+settlement[^.;]{0,120}shall\s+not\s+apply|ninguna\s+parte\s+podrá\s+recurrir[^.;]{0,120}solución"
    r"\s+de\s+controversias|aucune\s+partie\s+ne\s+peut\s+recourir[^.;]{0,120}règlement\s+des\s+différends",
    re.IGNORECASE)
_DEEMED_SERVICE = textscan.compile(r"(?:considered|deemed|treated|regarded)\s+as\s+(?:a\s+|the\s+)?(?:provision|supply)\s+of\s+"
                                    r"services?,?\s+(?:within\s+the\s+meaning\s+of|under)\s+(?P<kind>Chapter|Title|Section)\s+"
                                    r"(?P<number>[\dIVXLC]+[A-Z]?)(?:\s*\((?P<title>[^)]+)\))?", re.IGNORECASE)
CHAPTER_LIST = textscan.compile(r"\bchapters?\s+((?:\d+[A-Z]?|[IVXL]+)(?:\s*\([^)]*\))?(?:\s*(?:,|and|or|to|through|y|et)\s*"
                                  r"(?:chapters?\s+)?(?:\d+[A-Z]?|[IVXL]+)(?:\s*\([^)]*\))?)*)", re.IGNORECASE)
_ARTICLE_LIST = textscan.compile(r"\b(?:articles?|artículos?)\s+((?:\d+(?:\.\d+)*)(?:\s*\([^)]*\))?(?:\s*(?:,|and|or|y|et)\s*"
                                  r"(?:articles?\s+)?\d+(?:\.\d+)*(?:\s*\([^)]*\))?)*)", re.IGNORECASE)
_THIS_CHAPTER = SCOPE_PHRASES["chapter"]
_AGREEMENT = SCOPE_PHRASES["agreement"]
# Numbered paragraphs start a line, or follow the end of the previous one on the same line (ToTA).
_PARAGRAPH = textscan.compile(r"\n\s*(?=\(?\d{1,2}[.)]\s)|(?<=[.;:])\s+(?=\d{1,2}\.\s+[A-Z])")


def chapter_key(p: LabelledProvision) -> tuple[str | None, str | None, str | None]:
    """Which chapter a provision sits in. ToTA restarts chapter numbers in every Title, so the title counts."""
    return (p.annex, p.chapter, p.chapter_title) if p.annex else (None, p.chapter, p.chapter_title)


def _numbers(listing: str) -> set[str]:
    return set(re.findall(r"\d+(?:\.\d+)*", re.sub(r"\([^)]*\)", " ", listing)))


def chapters_named(listing: str) -> set[str]:
    """Chapter numbers named in a list, ranges expanded: "Chapters 2 to 6" -> {2, 3, 4, 5, 6}."""
    plain = re.sub(r"\([^)]*\)", " ", listing)
    out = set(re.findall(r"\d+[A-Z]?|\b[IVXL]+\b", plain))
    for a, b in re.findall(r"(\d+)\s*(?:to|through|-|–)\s*(\d+)", plain):
        if int(b) - int(a) < 40:
            out |= {str(n) for n in range(int(a), int(b) + 1)}
    return out


def paragraphs(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", chunk).strip() for chunk in _PARAGRAPH.split(text) if chunk.strip()]


def _quote(text: str, limit: int = 300) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


_CARVE_OUT = textscan.compile(r"(?:shall|does|do|will)\s+not\s+apply\s+to|(?:shall|does|do)\s+not\s+prevent|nothing\s+in\s+this"
                               r"\s+article|no\s+se\s+aplicar[áa]n?\s+a|ne\s+s['’]applique(?:nt)?\s+pas", re.IGNORECASE)


def _same_article(c: DigitalCommitment, p: LabelledProvision) -> ReachTest:
    subsidies = None
    for paragraph in paragraphs(p.text.split("\n[", 1)[0]):
        m = _CARVE_OUT.search(paragraph)
        if not m or not (_SELF.search(paragraph[:m.start() + 1]) or m.group(0).lower().startswith("nothing")):
            continue
        what = paragraph[m.end():]
        cultural = CULTURAL.search(what)
        if cultural and _NON_CONFORMING.search(what):
            return ReachTest(test="same article", found=True, effect="depends on schedules", provision=p.id,
                             citation=p.citation, words=_quote(paragraph, 400),
                             note="The article preserves measures in cultural sectors taken in accordance with the "
                                  "Parties' non-conforming measures: the reservations each Party scheduled decide.")
        if cultural:
            return ReachTest(test="same article", found=True, effect="shields", provision=p.id, citation=p.citation,
                             words=_quote(paragraph, 400), note="The article carves out a cultural sector itself; the "
                                                                "carve-out reaches only the sectors it names.")
        if _SUBSIDIES.search(what) and subsidies is None:
            subsidies = ReachTest(test="same article", found=True, effect="policy space", provision=p.id,
                                  citation=p.citation, words=_quote(paragraph, 400),
                                  note="The article does not apply to subsidies or grants: public funding of culture "
                                       "stays possible, other cultural measures are not carved out.")
    return subsidies or ReachTest(test="same article", found=False, note="No carve-out inside the article.")


def _non_conforming(c: DigitalCommitment, p: LabelledProvision, chapter: list[LabelledProvision],
                    schedules_present: bool) -> ReachTest:
    for sentence in sentences(p.text):
        if _SUBJECT_TO_SCHEDULE.search(sentence):
            return _schedule_test(p, sentence, schedules_present)
    for paragraph in paragraphs(p.text.split("\n[", 1)[0]):
        m = _NOT_APPLY.search(paragraph)
        if m and _SELF.search(paragraph[:m.start() + 1]) and re.search(r"non-?conforming|reservations?", paragraph[m.end():],
                                                                       re.IGNORECASE):
            return _schedule_test(p, paragraph, schedules_present)
    for other in chapter:
        for sentence in paragraphs(other.text.split("\n[", 1)[0]):
            if _CHAPTER_SCHEDULES.search(sentence):
                return _schedule_test(other, sentence, schedules_present)
            m = _NOT_APPLY.search(sentence)
            if not m or not _NON_CONFORMING.search(sentence[m.end():m.end() + 400]):
                continue
            head = sentence[:m.start()]
            listed = set().union(*(_numbers(x.group(1)) for x in _ARTICLE_LIST.finditer(head))) if \
                _ARTICLE_LIST.search(head) else set()
            if (p.number and p.number in listed) or (not listed and _THIS_CHAPTER.search(head)):
                return _schedule_test(other, sentence, schedules_present)
    return ReachTest(test="non-conforming measures", found=False,
                     note="No clause subjects the commitment to non-conforming measures or schedules.")


def _schedule_test(p: LabelledProvision, sentence: str, schedules_present: bool) -> ReachTest:
    note = ("The commitment yields to the Parties' scheduled non-conforming measures; whether a cultural reservation "
            "is scheduled decides the reach" + (", and the schedules are in the text read." if schedules_present else
                                                ": the schedules are not in the text read."))
    return ReachTest(test="non-conforming measures", found=True, effect="depends on schedules", provision=p.id,
                     citation=p.citation, words=_quote(sentence, 600), note=note)


def general_exception_provisions(provisions: list[LabelledProvision]) -> list[LabelledProvision]:
    """The provisions that can apply general exceptions (found once per audit, tested per commitment)."""
    return [q for q in provisions if _GENERAL_EXCEPTION.search(q.title or "") or _GENERAL_EXCEPTION.search(q.text)]


def _general_exception(c: DigitalCommitment, p: LabelledProvision, provisions: list[LabelledProvision]) -> ReachTest:
    best: ReachTest | None = None
    for other in provisions:
        for paragraph in paragraphs(other.text):
            if not (_GENERAL_EXCEPTION.search(paragraph) or CULTURAL.search(paragraph)):
                continue
            named = set().union(*(chapters_named(m.group(1)) for m in CHAPTER_LIST.finditer(paragraph)))
            same_chapter = chapter_key(other) == chapter_key(p) and _THIS_CHAPTER.search(paragraph)
            applies = (p.chapter in named) if named else bool(same_chapter or (_AGREEMENT.search(paragraph)
                                                                               and _GENERAL_EXCEPTION.search(paragraph)))
            if not applies:
                continue
            cultural = bool(re.search(r"creative arts|(?<![a-z])(?<!agri-)(?<!agri- )cultur|national treasures of artistic", paragraph,
                                      re.IGNORECASE))
            where = f"Chapter {p.chapter}" if named else ("its chapter" if same_chapter else "the whole agreement")
            test = ReachTest(test="general exception", found=True, effect="shields" if cultural else "policy space",
                             provision=other.id, citation=other.citation, words=_quote(paragraph),
                             note=(f"A general exception applied to {where} names culture." if cultural else
                                   f"General exceptions (GATT XX, GATS XIV) apply to {where}; they name no cultural "
                                   "ground, so they keep policy space without carving culture out."))
            if cultural:
                return test
            best = best or test
    return best or ReachTest(test="general exception", found=False,
                             note="No general exception is applied to the commitment's chapter.")


def _dispute_settlement(c: DigitalCommitment, p: LabelledProvision, chapter: list[LabelledProvision]) -> ReachTest:
    for other in [p, *chapter]:
        for sentence in sentences(other.text):
            if _DISPUTE_EXCLUSION.search(sentence) and (_THIS_CHAPTER.search(sentence) or other.id == p.id
                                                        or re.search(r"this\s+article", sentence, re.IGNORECASE)):
                return ReachTest(test="dispute settlement", found=True, effect="not enforceable", provision=other.id,
                                 citation=other.citation, words=_quote(sentence),
                                 note="The chapter is excluded from dispute settlement: the commitment cannot be "
                                      "enforced against a cultural measure.")
    return ReachTest(test="dispute settlement", found=False, note="The commitment is subject to dispute settlement.")


def _deemed_service(c: DigitalCommitment, p: LabelledProvision, provisions: list[LabelledProvision],
                    exceptions: list[LabelledProvision]) -> ReachTest:
    m = _DEEMED_SERVICE.search(re.sub(r"\s+", " ", p.text))
    if not m:
        return ReachTest(test="deemed service", found=False, note="The commitment is not linked to a services chapter.")
    number, title = m.group("number"), (m.group("title") or "").lower()
    # ToTA restarts chapter numbers in every Title: the chapter meant is the one of that number (and title) nearest
    # before the commitment.
    position = {q.id: i for i, q in enumerate(provisions)}
    candidates = [q for q in provisions if q.chapter == number and (not title or (q.chapter_title or "").lower()
                                                                    .startswith(title[:12]))]
    before = [q for q in candidates if position[q.id] < position[p.id]] or candidates
    target = chapter_key(before[-1]) if before else None
    for exc in exceptions:
        if target and chapter_key(exc) == target and {"audiovisual", "broadcasting", "cultural industries"} & set(exc.sectors):
            return ReachTest(test="deemed service", found=True, effect="shields", provision=exc.id,
                             citation=exc.citation, words=_quote(m.group(0) + " … " + _cultural_sentence(exc.text)),
                             note=f"Electronic deliveries are services under {m.group('kind')} {number}, which "
                                  f"excludes audiovisual services ({exc.citation}).")
    return ReachTest(test="deemed service", found=True, effect="none", provision=p.id, citation=p.citation,
                     words=_quote(m.group(0)), note=f"Electronic deliveries are services under {m.group('kind')} "
                                                     f"{number}, which carves out no cultural sector.")


def _cultural_sentence(text: str) -> str:
    """The paragraph that names culture: a carve-out's lead-in and its list stay together."""
    return next((x for x in paragraphs(text.split("\n[", 1)[0]) if CULTURAL.search(x)), text[:200])


def _division_exception(c: DigitalCommitment, reach: list[ExceptionReach],
                        by_id: dict[str, LabelledProvision]) -> ReachTest:
    for r in reach:
        if r.binding and c.provision in r.reaches:
            exc = by_id[r.exception]
            return ReachTest(test="division exception", found=True, effect="shields", provision=exc.id,
                             citation=exc.citation, words=_quote(_cultural_sentence(exc.text)), note=r.explanation)
    return ReachTest(test="division exception", found=False,
                     note="No cultural exception's scope (section, chapter, title, annex or agreement) contains it.")


OUTCOME_ORDER = ("shields", "depends on schedules", "not enforceable")
RECOGNISING = ("shields", "depends on schedules")  # effects of a clause that names culture


def commitment_reach(commitments: list[DigitalCommitment], provisions: list[LabelledProvision],
                     reach: list[ExceptionReach], *, schedules_present: bool) -> list[CommitmentReach]:
    by_id = {p.id: p for p in provisions}
    exceptions = [by_id[r.exception] for r in reach if r.binding]
    general = general_exception_provisions(provisions) if commitments else []
    out = []
    for c in commitments:
        p = by_id[c.provision]
        chapter = [q for q in provisions if chapter_key(q) == chapter_key(p) and q.id != p.id]
        tests = [
            _same_article(c, p),
            _non_conforming(c, p, chapter, schedules_present),
            _general_exception(c, p, general),
            _dispute_settlement(c, p, chapter),
            _deemed_service(c, p, provisions, exceptions),
            _division_exception(c, reach, by_id),
        ]
        effects = {t.effect for t in tests if t.found}
        if not c.binding:
            outcome = "not binding"
        else:
            outcome = next(({"shields": "shielded", "not enforceable": "not enforceable",
                             "depends on schedules": "depends on schedules"}[e] for e in OUTCOME_ORDER if e in effects),
                           "exposed")
        out.append(CommitmentReach(commitment=c.provision, citation=p.citation, kind=c.kind, bite=c.bite,
                                   binding=c.binding, words=c.words, outcome=outcome, tests=tests))
    return out


__all__ = ["commitment_reach", "chapter_key", "chapters_named", "paragraphs", "CHAPTER_LIST", "CULTURAL"]
