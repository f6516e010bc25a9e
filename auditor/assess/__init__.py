"""Assess: labelled provisions -> coverage, exception reach, commitments and what reaches them, the scorecard.

The statuses are decided as the codebook says ("How each status is decided"), in this order:

1. coverage (``coverage``): a weak reading or a missing protocol, annex, schedule or incorporated
   agreement makes the statuses that depend on it *incomplete*; absence is never asserted from an
   incomplete text;
2. cultural exceptions, judged on what they carve out and scoped from their operative paragraph,
   resolved against the divisions the parse found;
3. digital commitments in all their phrasings (``commitments``), each tested for what reaches it
   (``reach``) and graded by cultural bite;
4. the guidelines (``guidelines``), each status naming the test that decided it.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from auditor import textscan
from auditor.assess.commitments import find_commitments
from auditor.assess.coverage import check_coverage, schedules_in_text
from auditor.assess.guidelines import assess_guidelines
from auditor.assess.model import (
    AgreementSummary,
    Audit,
    CommitmentReach,
    ExceptionReach,
    LabelledProvision,
    Tension,
)
from auditor.assess.parties import detect_parties, development_status, source_note
from auditor.assess.reach import CHAPTER_LIST, CULTURAL, chapter_key, chapters_named, commitment_reach, paragraphs
from auditor.classify.attributes import SCOPE_PHRASES, ExceptionScope

DATA = Path(__file__).resolve().parents[1] / "data"
_SCOPE_OPENER = textscan.compile(r"scope|objective|coverage|application|ámbito|alcance|objetivo|champ|objectif", re.IGNORECASE)
_TESTIMONIUM = textscan.compile(r"^\s*(IN WITNESS WHEREOF|EN FE DE LO CUAL|EN FOI DE QUOI|DONE at|Done at|HECHO en|FAIT à)")
# An understanding of what a services sector covers (CPC 84 "computer services") excludes content from the
# sector; it shields nothing.
_SECTOR_UNDERSTANDING = textscan.compile(r"understanding\s+on\s+computer\s+services|\bCPC\s*84\b|computer\s+and\s+related"
                                          r"\s+services", re.IGNORECASE)
_PRODUCT_LIST = textscan.compile(r"rules? of origin|originating|working or processing|product-specific|tariff schedule"
                                  r"|harmoni[sz]ed system|reglas de origen|règles d'origine", re.IGNORECASE)
_CARVE = textscan.compile(r"not\s+apply|exception|except|exclu|nothing\s+in|shall\s+not\s+be\s+construed|preserve|exempt"
                           r"|no\s+se\s+aplic|excepto|exclu|nada\s+de\s+lo|ne\s+s['’]appliqu|aucune\s+disposition", re.IGNORECASE)
_THIS_ARTICLE = textscan.compile(r"\bthis article\b|\beste artículo\b|\ble présent article\b|\bcet article\b", re.IGNORECASE)

@lru_cache(maxsize=1)
def instruments() -> dict[str, dict]:
    data = json.loads((DATA / "instruments.json").read_text(encoding="utf-8"))
    return {item["id"]: item for item in data["items"]}


# --------------------------------------------------------------------------- cultural exceptions


def _operative_scope(p: LabelledProvision) -> ExceptionScope | None:
    """Scope from the paragraph that carves culture out, not from the first "this Agreement" of the article."""
    body = p.text.split("\n[", 1)[0]  # footnotes glued to the provision carry no scope of their own
    operative = [x for x in paragraphs(body) if CULTURAL.search(x) and _CARVE.search(x)]
    for paragraph in operative:
        own = _THIS_ARTICLE.search(paragraph)
        if own and _CARVE.search(paragraph[own.end():own.end() + 60]):
            return ExceptionScope(kind="article", chapters=[p.chapter] if p.chapter else [], phrase=own.group(0))
        named = CHAPTER_LIST.search(paragraph)
        if named:
            return ExceptionScope(kind="chapter", chapters=sorted(chapters_named(named.group(1))), phrase=named.group(0))
        for kind in ("section", "part", "annex", "chapter", "agreement"):  # the narrowest division named first
            m = SCOPE_PHRASES[kind].search(paragraph)
            if m:
                chapters = [p.chapter or p.annex] if kind != "agreement" and (p.chapter or p.annex) else []
                return ExceptionScope(kind=kind, chapters=chapters, phrase=m.group(0))
    return None


def _judge(p: LabelledProvision) -> tuple[bool, ExceptionScope, str | None]:
    """(binding, scope, why not binding) of a provision labelled as a cultural exception."""
    scope = p.exception_scope or ExceptionScope(kind="unclear")
    if p.kind == "preamble" or scope.kind == "preamble":
        return False, ExceptionScope(kind="preamble", phrase="preamble recital"), (
            "a preamble recital: it guides interpretation but shields no commitment by force of law")
    if scope.kind == "definition":
        return False, scope, "a definition: it gives content to an exception elsewhere and shields nothing by itself"
    if _PRODUCT_LIST.search(f"{p.annex or ''} {p.chapter_title or ''} {p.title or ''}"):
        return False, ExceptionScope(kind="definition", chapters=scope.chapters, phrase="product list"), (
            "a rules-of-origin or tariff list that names cultural products (films, books, recordings): it carves "
            "nothing out of any commitment")
    if _SECTOR_UNDERSTANDING.search(f"{p.title or ''} {p.text}"):
        return False, ExceptionScope(kind="definition", chapters=scope.chapters, phrase="sector understanding"), (
            "an understanding of what a services sector covers: it keeps content out of the sector's definition but "
            "carves nothing out of any commitment, so it is not a cultural exception")
    return True, _operative_scope(p) or scope, None


_DIVISION_CARVE_OUT = textscan.compile(
    r"\b(?:this|the present)\s+(?:section|sub-?section|chapter|title|part|annex|agreement)\b[^.;:]{0,60}?(?:shall|does|do)"
    r"\s+not\s+apply|nothing\s+in\s+this\s+(?:section|chapter|title|part|agreement)\s+shall\s+be\s+construed\s+to"
    r"\s+apply|(?:esta\s+sección|este\s+capítulo|el\s+presente\s+capítulo)\s+no\s+se\s+aplicar"
    r"|(?:la\s+présente\s+section|le\s+présent\s+chapitre)\s+ne\s+s['’]applique", re.IGNORECASE)
_CARVE_WORDS = textscan.compile(r"not\s+apply|construed\s+to\s+apply|no\s+se\s+aplicar|ne\s+s['’]applique", re.IGNORECASE)
_SECTOR_NAMES = {"audiovisual": r"audio-?visual|audiovisuel", "broadcasting": r"broadcast|radiodifus|radiodiffus",
                 "cultural industries": r"cultural industr|industrias culturales|industries culturelles",
                 "publishing": r"publishing|édition|editorial", "film": r"\bfilms?\b|cinema"}


def _division_carve_out(p: LabelledProvision) -> list[str]:
    """The cultural sectors a division's own "does not apply to" paragraph names, if any."""
    body = p.text.split("\n[", 1)[0]
    if not _CARVE_WORDS.search(body):
        return []
    for paragraph in paragraphs(body):
        m = _DIVISION_CARVE_OUT.search(paragraph)
        if m:
            named = [name for name, pattern in _SECTOR_NAMES.items() if re.search(pattern, paragraph[m.end():], re.I)]
            if named:
                return named
    return []


def _signature_clause(p: LabelledProvision) -> bool:
    """The testimonium ("IN WITNESS WHEREOF ...") with the treaty's footnotes glued to it carries no scope."""
    return bool(_TESTIMONIUM.match(p.text)) or (p.kind == "final" and not p.number)


def _where(exc: LabelledProvision, scope: ExceptionScope, sections_read: bool) -> str:
    steps = (exc.path or "").split(" › ")
    if scope.kind == "agreement":
        return "the whole agreement"
    if scope.kind == "section":
        if sections_read and exc.section:
            where = " › ".join(steps[:-1]) if len(steps) > 1 else f"Section {exc.section}"
            return f"{where} ({exc.section_title})" if exc.section_title else where
        return (f"its own section of Chapter {exc.chapter}" if exc.chapter else "its own section") + (
            " (inferred: the text read has no section headings)")
    if scope.kind == "annex":
        return exc.annex_name if exc.annex else "its annex"
    if scope.kind == "article":
        return "its own article"
    if scope.kind == "unclear":
        return "not stated, so it is not taken to reach any commitment"
    if scope.kind == "part":
        return exc.part or (f"Chapter {exc.chapter}" if exc.chapter else "its part")
    chapters = scope.chapters or ([exc.chapter] if exc.chapter else [])
    titled = f" ({exc.chapter_title})" if exc.chapter_title and chapters == [exc.chapter] else ""
    return ("Chapter " + ", ".join(sorted(c for c in chapters if c)) + titled) if chapters else "its chapter"


def _section_run(provisions: list[LabelledProvision], index: int) -> set[str]:
    """Provisions a section-scoped clause governs when the source has no section headings (ToTA): from the
    clause to the next scope or objective article of the same chapter."""
    home = provisions[index]
    run = {home.id}
    for p in provisions[index + 1:]:
        if chapter_key(p) != chapter_key(home) or (p.title and _SCOPE_OPENER.search(p.title)):
            break
        run.add(p.id)
    return run


def exception_reach(provisions: list[LabelledProvision], commitment_ids: list[str]) -> list[ExceptionReach]:
    by_id = {p.id: p for p in provisions}
    commitments = [by_id[i] for i in dict.fromkeys(commitment_ids)]
    sections_read = any(p.section for p in provisions)
    out = []
    for index, exc in enumerate(provisions):
        if _signature_clause(exc):
            continue
        if "cultural_exception" not in exc.labels:
            sectors = _division_carve_out(exc)
            if not sectors:
                continue
            # The classifier missed a division's own carve-out ("This Section shall not apply to: (a) audio-visual
            # services"): the audit reads it all the same.
            exc = exc.model_copy(update={"sectors": sectors, "exception_scope": None})
        binding, scope, why_not = _judge(exc)
        if binding and exc.annex and scope.kind == "agreement":
            # A reservation in a schedule annex ("Annex I › Colombia") reaches the obligations it lists, not the
            # whole agreement: its words "this Agreement" describe what it derogates from.
            scope = ExceptionScope(kind="annex", chapters=scope.chapters, phrase=scope.phrase)
        reached: list[str] = []
        if binding:
            if scope.kind == "agreement":
                reached = [c.id for c in commitments]
            elif scope.kind == "section":
                if sections_read and exc.section:
                    reached = [c.id for c in commitments if chapter_key(c) == chapter_key(exc) and c.section == exc.section]
                else:
                    run = _section_run(provisions, index)
                    reached = [c.id for c in commitments if c.id in run]
            elif scope.kind == "annex":
                reached = [c.id for c in commitments if c.annex and c.annex == exc.annex]
            elif scope.kind == "part" and exc.part:
                reached = [c.id for c in commitments if c.part == exc.part]
            elif scope.kind == "article":
                reached = [exc.id] if exc.id in {c.id for c in commitments} else []
            elif scope.kind == "unclear":
                reached = []  # a clause that states no scope is not taken to reach anything
            else:  # chapter, or a part when the parse found no parts: its chapter or the chapters it names
                if scope.chapters and scope.phrase and scope.phrase.lower().startswith("chapter"):
                    reached = [c.id for c in commitments if c.chapter in scope.chapters and not c.annex]
                else:
                    reached = [c.id for c in commitments if chapter_key(c) == chapter_key(exc)]
        if not binding:
            explanation = f"{exc.citation} is {why_not}."
        else:
            sectors = ", ".join(exc.sectors) or "culture"
            phrase = f' ("{scope.phrase}")' if scope.phrase and scope.phrase not in ("definition",) else ""
            explanation = (f"{exc.citation} carves out {sectors}; its scope is {_where(exc, scope, sections_read)}"
                           f"{phrase}. " + (f"It reaches {len(reached)} of the {len(commitments)} digital commitments."
                                            if commitments else "The agreement has no digital commitments for it to "
                                                                "reach."))
        out.append(ExceptionReach(exception=exc.id, scope=scope, binding=binding, reaches=reached,
                                  explanation=explanation))
    return out


# --------------------------------------------------------------------------- tensions


def tensions_from(reaches: list[CommitmentReach], exceptions: list[ExceptionReach],
                  by_id: dict[str, LabelledProvision], recognised: bool) -> list[Tension]:
    """Enforceable commitments nothing reaches: high-bite ones always, the moratorium where no cultural clause exists."""
    out = []
    considered = [r.exception for r in exceptions]
    names = "; ".join(f"{by_id[r.exception].citation} ({r.scope.kind})" for r in exceptions if r.binding)
    for r in reaches:
        if r.outcome != "exposed" or (r.bite == "low" and recognised):
            continue
        tested = "; ".join(f"{t.test}: {'found' if t.found else 'none'}" for t in r.tests)
        why = (f"The cultural clauses found ({names}) do not extend to it." if names else
               "The agreement contains no binding cultural clause.")
        out.append(Tension(commitment=r.commitment, kind=r.kind, bite=r.bite, exceptions_considered=considered,
                           explanation=f"{r.citation} commits the Parties ({r.kind}, {r.bite} cultural bite): "
                                       f"\u201c{r.words[:240]}\u201d. Nothing reaches it ({tested}). {why}"))
    return out


# --------------------------------------------------------------------------- the audit

_COMMITMENT_LABEL = {"customs duties on electronic transmissions": "digital_products",
                     "non-discrimination of digital products": "digital_products",
                     "non-discrimination extended to taxation": "digital_products",
                     "data flows": "ecommerce", "localisation": "ecommerce", "source code": "ecommerce"}


def _label_commitments(labelled: list[LabelledProvision], commitments) -> list[LabelledProvision]:
    """The codebook's labels cover every commitment whatever its wording: a commitment the classifier did not label
    gets its label here, with the commitment's sentence as the justifying words."""
    from auditor.assess.model import EvidenceSpan

    missing: dict[str, dict[str, str]] = {}
    for c in commitments:
        label = _COMMITMENT_LABEL[c.kind]
        missing.setdefault(c.provision, {}).setdefault(label, c.words)
    out = []
    for p in labelled:
        add = {label: words for label, words in missing.get(p.id, {}).items() if label not in p.labels}
        if add:
            evidence = dict(p.evidence)
            for label, words in add.items():
                start = max(p.text.find(words[:60]), 0)
                evidence[label] = [EvidenceSpan(start=start, end=start + len(words), text=words)]
            p = p.model_copy(update={"labels": p.labels + sorted(add), "evidence": evidence})
        out.append(p)
    return out

MAX_AMENDMENTS_LISTED = 40
_TREATY_WORDS = textscan.compile(r"\b(?:agreement|treaty|protocol|convention|parties|contracting|acuerdo|tratado|partes"
                                  r"|accord|traité|parties contractantes)\b", re.IGNORECASE)


def _not_a_treaty(agreement) -> str | None:
    """A memo, a letter or a news item audited by mistake: no articles, no Parties, no treaty language."""
    if agreement.format == "tota-xml":
        return None
    numbered = sum(1 for p in agreement.provisions if p.number)
    treaty_words = len(_TREATY_WORDS.findall(agreement.text[:20000]))
    if numbered >= 3 or (agreement.parties and treaty_words >= 3) or treaty_words >= 10:
        return None
    return (f"This document does not read like a treaty: {numbered} numbered articles, "
            f"{'no Parties named' if not agreement.parties else 'Parties named'}, {treaty_words} treaty words in its "
            "opening." + NOT_A_TREATY_ADVICE)


NOT_A_TREATY_ADVICE = " The scorecard below assumes it is one; check that the right file was uploaded."


def _amendments(agreement) -> list[str]:
    """What an amending text changes, one line each, so the audit says which agreement and which articles."""
    out = []
    for a in agreement.amendments[:MAX_AMENDMENTS_LISTED]:
        line = f"{a.target}{' of the ' + a.agreement if a.agreement else ''} ({a.action})"
        if line not in out:
            out.append(line)
    return out


def assess(agreement, labelled: list[LabelledProvision], precedent_index=None, *, max_precedents: int = 3,
           parties: list[str] | None = None) -> Audit:
    coverage = check_coverage(agreement, labelled)
    commitments = find_commitments(labelled)
    labelled = _label_commitments(labelled, commitments)
    by_id = {p.id: p for p in labelled}
    exceptions = exception_reach(labelled, [c.provision for c in commitments])
    reaches = commitment_reach(commitments, labelled, exceptions, schedules_present=schedules_in_text(agreement))
    recognised = any(r.binding for r in exceptions)
    tensions = tensions_from(reaches, exceptions, by_id, recognised)
    parties = parties or agreement.parties or detect_parties(agreement.title, agreement.text)
    development = development_status(parties)
    assessments = assess_guidelines(labelled, exceptions, reaches, coverage, development)
    # The inventory holds every provision the audit rests on: labelled ones, the commitments, the carve-outs, and the
    # clauses a reach test found (RCEP 12.3.4's schedule link, 12.17's dispute-settlement exclusion).
    inventory_ids = {p.id for p in labelled if p.labels} | {r.commitment for r in reaches} | {
        r.exception for r in exceptions} | {t.provision for r in reaches for t in r.tests if t.found and t.provision}
    inventory = [p for p in labelled if p.id in inventory_ids]
    party_status = (f"{development.describe()} (source: {source_note()})" if development.known else
                    "The Parties could not be read from the text; set them to decide guideline 18.2.")
    ocr = [p.ocr_confidence for p in agreement.page_info if p.source == "ocr" and p.ocr_confidence is not None]
    audit = Audit(
        agreement=AgreementSummary(title=agreement.title, parties=parties, language=agreement.language,
                                   pages=agreement.pages, date_signed=agreement.date_signed, format=agreement.format,
                                   source=agreement.source, provisions=len(agreement.provisions),
                                   structure_warnings=agreement.structure_report.warnings, party_status=party_status,
                                   incorporates=list(agreement.incorporates), read_with=list(agreement.read_with),
                                   amends=_amendments(agreement), ocr_pages=len(ocr),
                                   ocr_confidence=round(sum(ocr) / len(ocr), 1) if ocr else None,
                                   document_warning=_not_a_treaty(agreement)),
        provisions=inventory, assessments=assessments, exceptions=exceptions, tensions=tensions,
        commitments=reaches, coverage=coverage,
    )
    if precedent_index is not None:
        audit.precedents = precedent_index.for_audit(audit, per_gap=max_precedents)
    return audit


__all__ = ["assess", "exception_reach", "assess_guidelines", "instruments", "NOT_A_TREATY_ADVICE"]
