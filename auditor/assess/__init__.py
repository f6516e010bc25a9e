"""Assess: labelled provisions -> exception reach, tensions, and the guideline scorecard.

The scorecard follows the table at the end of the codebook: each guideline
reads particular labels. Reach is worked out from each cultural exception's
scope (agreement, chapter, part, section, annex, preamble) and where each
e-commerce or digital-products commitment sits; a commitment no binding
cultural exception reaches is a tension.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from auditor.assess.model import (
    AgreementSummary,
    Audit,
    ExceptionReach,
    GuidelineAssessment,
    LabelledProvision,
    Tension,
)

DATA = Path(__file__).resolve().parents[1] / "data"
COMMITMENT_KINDS = ("customs duties", "non-discrimination", "data flows", "localisation")
_SCOPE_OPENER = re.compile(r"scope|objective|coverage|application|ámbito|alcance|objetivo|champ|objectif", re.IGNORECASE)
_COPRODUCTION = re.compile(r"co-?product|co-?distribut|coproducc|coproduct|collaborat|artists|artistas|artistes", re.IGNORECASE)
_DIGITAL = re.compile(r"digital|electronic|online|internet|numérique|electrónic|électronique|new technologies", re.IGNORECASE)
_COORDINATION = re.compile(r"committee|sub-?committee|contact point|dialogue|consult|working group|comité|diálogo|punto de contacto",
                           re.IGNORECASE)


@lru_cache(maxsize=1)
def instruments() -> dict[str, dict]:
    data = json.loads((DATA / "instruments.json").read_text(encoding="utf-8"))
    return {item["id"]: item for item in data["items"]}


def commitment_kinds(p: LabelledProvision) -> list[str]:
    kinds = []
    if p.digital_kind in ("customs duties", "non-discrimination"):
        kinds.append(p.digital_kind)
    kinds += [t for t in p.ecommerce_topics if t in ("data flows", "localisation")]
    return kinds


def _container(p: LabelledProvision) -> str | None:
    return f"annex {p.annex}" if p.annex else (p.chapter or p.chapter_title)


def _section_run(provisions: list[LabelledProvision], index: int) -> set[str]:
    """Provisions governed by a section-scoped clause when the source has no section headings:
    from the clause to the next scope or objective article of the same chapter."""
    home = provisions[index]
    if home.section:
        return {p.id for p in provisions if p.section == home.section and _container(p) == _container(home)}
    run = {home.id}
    for p in provisions[index + 1:]:
        if _container(p) != _container(home) or (p.title and _SCOPE_OPENER.search(p.title)):
            break
        run.add(p.id)
    return run


def exception_reach(provisions: list[LabelledProvision]) -> list[ExceptionReach]:
    commitments = [p for p in provisions if commitment_kinds(p)]
    out = []
    for index, exc in enumerate(provisions):
        if "cultural_exception" not in exc.labels or exc.exception_scope is None:
            continue
        scope = exc.exception_scope
        binding = scope.kind not in ("preamble", "definition")
        if scope.kind == "agreement":
            reached = [c.id for c in commitments]
            where = "the whole agreement"
        elif scope.kind == "section":
            run = _section_run(provisions, index)
            reached = [c.id for c in commitments if c.id in run]
            where = f"its own section of {'chapter ' + exc.chapter if exc.chapter else 'its chapter'}"
        elif scope.kind == "annex":
            reached = [c.id for c in commitments if c.annex and c.annex == exc.annex]
            where = f"annex {exc.annex}" if exc.annex else "its annex"
        elif scope.kind in ("chapter", "part", "unclear"):
            chapters = set(scope.chapters) or {exc.chapter}
            reached = [c.id for c in commitments if c.chapter in chapters and not c.annex] if not exc.annex else \
                [c.id for c in commitments if c.annex == exc.annex]
            where = ("chapter " + ", ".join(sorted(x for x in chapters if x))) if any(chapters) else "its chapter"
        else:
            reached = []
            where = "nothing by force of law"
        if not binding:
            reached = []
            why = ("a preamble recital: it guides interpretation but shields no commitment by force of law"
                   if scope.kind == "preamble" else "a definition: it gives content to an exception elsewhere and "
                                                     "shields nothing by itself")
            explanation = f"{exc.citation} is {why}."
        else:
            sectors = ", ".join(exc.sectors) or "culture"
            phrase = f' ("{scope.phrase}")' if scope.phrase and scope.phrase not in ("definition",) else ""
            explanation = (f"{exc.citation} carves out {sectors}; its scope is {where}{phrase}. "
                           + (f"It reaches {len(reached)} of the {len(commitments)} e-commerce and digital-products "
                              f"commitments." if commitments else "The agreement has no e-commerce or digital-products "
                                                                 "commitments for it to reach."))
        out.append(ExceptionReach(exception=exc.id, scope=scope, binding=binding, reaches=reached, explanation=explanation))
    return out


def find_tensions(provisions: list[LabelledProvision], reach: list[ExceptionReach]) -> list[Tension]:
    by_id = {p.id: p for p in provisions}
    reached = {pid for r in reach if r.binding for pid in r.reaches}
    out = []
    for p in provisions:
        kinds = commitment_kinds(p)
        if not kinds or p.id in reached:
            continue
        considered = [r.exception for r in reach]
        if considered:
            names = "; ".join(f"{by_id[r.exception].citation} ({r.scope.kind})" for r in reach)
            why = f"The cultural clauses found ({names}) do not extend to it."
        else:
            why = "The agreement contains no cultural exception."
        out.append(Tension(
            commitment=p.id, kind=kinds[0], exceptions_considered=considered,
            explanation=f"{p.citation} commits the Parties on {', '.join(kinds)} in the digital environment, "
                        f"and no cultural exception reaches it. {why} Measures for cultural diversity affecting "
                        f"digital cultural content are therefore subject to this commitment.",
        ))
    return out


def _ids(provisions: list[LabelledProvision], label: str) -> list[str]:
    return [p.id for p in provisions if label in p.labels]


def _cite(provisions: list[LabelledProvision], ids: list[str], limit: int = 4) -> str:
    by_id = {p.id: p for p in provisions}
    names = [by_id[i].citation for i in ids[:limit]]
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return ", ".join(names) + more


def assess_guidelines(provisions: list[LabelledProvision], reach: list[ExceptionReach],
                      tensions: list[Tension]) -> list[GuidelineAssessment]:
    texts = instruments()
    by_id = {p.id: p for p in provisions}
    coop = _ids(provisions, "cultural_cooperation")
    pref = _ids(provisions, "preferential_treatment")
    conv = _ids(provisions, "convention_reference")
    div = _ids(provisions, "cultural_diversity")
    exc = _ids(provisions, "cultural_exception")
    r2r = _ids(provisions, "right_to_regulate")
    digital = [p.id for p in provisions if {"ecommerce", "digital_products"} & set(p.labels)]
    commitments = [p.id for p in provisions if commitment_kinds(p)]
    binding_exc = [r.exception for r in reach if r.binding]
    preamble_exc = [r.exception for r in reach if r.scope.kind == "preamble"]
    out: list[GuidelineAssessment] = []

    def add(gid: str, status: str, rationale: str, evidence: list[str]) -> None:
        item = texts[gid]
        out.append(GuidelineAssessment(id=gid, instrument=item["instrument"], text=item["text"], status=status,
                                       rationale=rationale, evidence=evidence))

    # 18.1 co-production, co-distribution, collaboration
    strong = [i for i in coop if _COPRODUCTION.search(by_id[i].text)]
    digital_coop = [i for i in coop if _DIGITAL.search(by_id[i].text)]
    if strong and digital_coop:
        add("18.1", "addressed", f"Cultural cooperation including co-production, co-distribution or artistic collaboration "
            f"({_cite(provisions, strong)}), with a digital dimension in {_cite(provisions, digital_coop)}.", strong + digital_coop)
    elif coop:
        add("18.1", "partly addressed", f"The agreement commits the Parties to cultural cooperation ({_cite(provisions, coop)})"
            + ("" if strong else ", but names no co-production, co-distribution or artistic collaboration")
            + ("" if digital_coop else ", and says nothing of distribution in the digital environment") + ".", coop)
    else:
        add("18.1", "not addressed", "No provision commits the Parties to cultural cooperation, co-production or "
            "co-distribution.", [])

    # 18.2 preferential treatment for developing countries' cultural goods and services in the digital environment
    cultural_pref = [i for i in pref if re.search(r"cultur|artist|entertainment|audiovisual", by_id[i].text, re.I)]
    if cultural_pref:
        add("18.2", "addressed" if any(_DIGITAL.search(by_id[i].text) for i in cultural_pref) else "partly addressed",
            f"Preferential treatment for developing Parties in respect of culture: {_cite(provisions, cultural_pref)}.", pref)
    elif pref:
        add("18.2", "partly addressed", f"Developing Parties receive special treatment in digital trade "
            f"({_cite(provisions, pref)}), but not for their cultural goods and services.", pref)
    else:
        add("18.2", "not addressed", "No provision grants preferential treatment to developing Parties for cultural goods "
            "and services or digital trade.", [])

    # 19.1 coherence with instruments on the diversity of cultural expressions
    if conv:
        add("19.1", "addressed", f"The agreement names the 2005 Convention ({_cite(provisions, conv)})"
            + (f" and recognises cultural diversity ({_cite(provisions, div)})." if div else "."), conv + div)
    elif div:
        add("19.1", "partly addressed", f"Cultural diversity is recognised ({_cite(provisions, div)}), but no provision "
            "links the agreement to the 2005 Convention or other instruments on the diversity of cultural expressions.", div)
    else:
        add("19.1", "not addressed", "Neither the 2005 Convention nor the diversity of cultural expressions is mentioned.", [])

    # 19.2 transparency of negotiations: a matter of process
    add("19.2", "not assessable from the text", "Guideline 19.2 concerns how the agreement was negotiated (transparency "
        "towards the public and cultural stakeholders); the text of an agreement does not show it. Check the "
        "negotiating record.", [])

    # 19.3 coordination of culture and trade authorities
    coordinating = [i for i in coop if _COORDINATION.search(by_id[i].text)]
    if coordinating:
        add("19.3", "addressed", f"Cultural cooperation is given institutions (committee, contact points or dialogue): "
            f"{_cite(provisions, coordinating)}.", coordinating)
    elif coop:
        add("19.3", "partly addressed", f"Cultural cooperation is agreed ({_cite(provisions, coop)}) but no committee, "
            "contact point or dialogue brings culture and trade authorities together.", coop)
    else:
        add("19.3", "not addressed", "No provision sets up coordination on culture between the Parties' authorities.", [])

    # 19.4 cultural clauses; e-commerce that recognises the specificity of cultural goods and services
    if commitments and tensions:
        reached = sorted({pid for r in reach if r.binding for pid in r.reaches})
        add("19.4", "in tension", f"{len(tensions)} of {len(commitments)} e-commerce and digital-products commitments "
            f"({_cite(provisions, [t.commitment for t in tensions])}) are reached by no cultural exception"
            + (f"; the cultural clauses found ({_cite(provisions, exc)}) do not extend to them" if exc else "")
            + (f". {len(reached)} are reached." if reached else ".") + " The e-commerce rules do not recognise the "
            "specificity of cultural goods and services.", [t.commitment for t in tensions] + exc)
    elif commitments and binding_exc:
        reaching = [r.exception for r in reach if r.binding and r.reaches]
        add("19.4", "addressed", f"Every e-commerce and digital-products commitment is reached by a cultural exception "
            f"({_cite(provisions, reaching)}).", reaching + commitments)
    elif binding_exc:
        add("19.4", "addressed", f"The agreement contains binding cultural clauses ({_cite(provisions, binding_exc)}); it "
            "makes no e-commerce or digital-products commitments for them to reach.", binding_exc)
    elif div or preamble_exc:
        add("19.4", "partly addressed", "Culture is recognised only in recitals or objectives "
            f"({_cite(provisions, preamble_exc + div)}), which shield no commitment by force of law.", preamble_exc + div)
    else:
        add("19.4", "not addressed", "The agreement contains no cultural clause.", [])

    # 19.5 explicit reference to the Convention; preserved capacity to design new policies
    capacity = binding_exc + r2r
    if conv and capacity and not tensions:
        add("19.5", "addressed", f"The agreement refers to the Convention ({_cite(provisions, conv)}) and preserves policy "
            f"space ({_cite(provisions, capacity)}).", conv + capacity)
    elif conv or capacity:
        missing = "no reference to the Convention" if not conv else "no clause preserving policy space"
        if tensions and capacity:
            missing = "policy space that does not extend to the digital commitments in tension"
        add("19.5", "partly addressed", f"Found: {_cite(provisions, conv + capacity)}; but {missing}.", conv + capacity)
    else:
        add("19.5", "not addressed", "No reference to the Convention and no clause preserving the capacity to design new "
            "public policies.", [])

    # Roadmap 3.1: the inventory itself
    labelled = [p.id for p in provisions if p.labels]
    add("3.1", "addressed" if labelled else "not addressed",
        f"This audit inventories {len(labelled)} provisions affecting the cultural and creative sectors in the digital "
        f"environment: {len(digital)} on e-commerce or digital products, {len(exc)} cultural exceptions, "
        f"{len(coop)} on cultural cooperation, {len(div)} recognising cultural diversity, {len(r2r)} preserving the right "
        "to regulate." if labelled else "No provision of the agreement affects the cultural and creative sectors in the "
        "digital environment.", labelled)

    # Roadmap 3.4: cultural clauses in agreements dealing with e-commerce and digital products
    if not digital:
        add("3.4", "not assessable from the text", "The agreement has no e-commerce or digital-products provisions; "
            "activity 3.4 concerns agreements that do.", [])
    elif tensions:
        add("3.4", "in tension", f"The agreement deals with e-commerce ({len(digital)} provisions) and "
            f"{len(tensions)} commitments are not reached by any cultural clause: a cultural clause covering them is "
            "the gap to negotiate. See the precedents.", [t.commitment for t in tensions])
    elif binding_exc and commitments:
        reaching = [r.exception for r in reach if r.binding and r.reaches]
        add("3.4", "addressed", f"The agreement deals with e-commerce and its cultural clauses "
            f"({_cite(provisions, reaching)}) reach its digital commitments.", reaching)
    elif binding_exc:
        add("3.4", "addressed", f"The agreement deals with e-commerce without binding commitments on customs duties, "
            f"non-discrimination, data flows or localisation, and has cultural clauses ({_cite(provisions, binding_exc)}).",
            binding_exc)
    else:
        add("3.4", "partly addressed" if (div or preamble_exc) else "not addressed",
            "The agreement deals with e-commerce but contains no binding cultural clause"
            + (" (culture appears only in recitals or objectives)." if (div or preamble_exc) else "."), digital)
    return out


def assess(agreement, labelled: list[LabelledProvision], precedent_index=None, *, max_precedents: int = 3) -> Audit:
    reach = exception_reach(labelled)
    tensions = find_tensions(labelled, reach)
    assessments = assess_guidelines(labelled, reach, tensions)
    inventory = [p for p in labelled if p.labels]
    audit = Audit(
        agreement=AgreementSummary(title=agreement.title, parties=agreement.parties, language=agreement.language,
                                   pages=agreement.pages, date_signed=agreement.date_signed, format=agreement.format,
                                   source=agreement.source, provisions=len(agreement.provisions),
                                   structure_warnings=agreement.structure_report.warnings),
        provisions=inventory, assessments=assessments, exceptions=reach, tensions=tensions,
    )
    if precedent_index is not None:
        audit.precedents = precedent_index.for_audit(audit, per_gap=max_precedents)
    return audit


__all__ = ["assess", "exception_reach", "find_tensions", "assess_guidelines", "commitment_kinds", "instruments"]
