"""The scorecard: guidelines 18.1-19.5 and roadmap activities 3.1 and 3.4, decided in the guidelines' own words.

Each rule below is the codebook's "How each status is decided", and each status records the test that
decided it (``decided_by``) and the provisions it rests on, so that a reader can disagree precisely.
Coverage is applied last: where the text read is incomplete, a status that would assert an absence
becomes *incomplete* and names what is missing.
"""

from __future__ import annotations

import re

from auditor import textscan
from auditor.assess.model import (
    CommitmentReach,
    Coverage,
    ExceptionReach,
    GuidelineAssessment,
    LabelledProvision,
)
from auditor.assess.parties import DevelopmentStatus

_COPRODUCTION = textscan.compile(r"co-?product|co-?distribut|coproducc|coproduct|(?:artistic|cultural)\s+(?:and\s+\w+\s+)?"
                                  r"(?:collaborat|cooperation\s+between)|collaborat\w*\s+(?:between|among)\s+(?:artists|cultural)"
                                  r"|exchanges?\s+of\s+artists|\bartists\b|artistas|artistes|colaboración\s+artística",
                                  re.IGNORECASE)
_DIGITAL = textscan.compile(r"digital|electronic|online|on-line|internet|numérique|electrónic|électronique|new technologies",
                             re.IGNORECASE)
_DEVELOPING = textscan.compile(r"developing|least[- ]developed|en desarrollo|menos adelantad|en développement|moins avancés",
                                re.IGNORECASE)
_CULTURE = textscan.compile(r"(?<![a-z])(?<!agri-)(?<!agri- )cultur|artist|audio-?visual|creative|\bfilms?\b|music|publishing|broadcast|cinema", re.IGNORECASE)
# Culture named as one area in a list of possible cooperation ("cooperation may include ... culture, ...").
_LIST_LEAD = textscan.compile(r"may include|such as|including|in (?:the )?(?:fields|areas) of|areas? (?:of cooperation )?"
                               r"(?:including|such as)|podrá incluir|tales como|pourra inclure|notamment", re.IGNORECASE)
# Bodies in which culture authorities take part (19.3, addressed).
_CULTURE_BODY = textscan.compile(
    r"committee on cultural cooperation|cultural cooperation committee|comité de cooperación cultural"
    r"|comité de coopération culturelle|(?:ministry|department|minister|ministère|ministerio)\s+(?:of\s+|for\s+|de\s+"
    r"(?:la\s+)?)?(?:[\w,]+\s+){0,4}?(?:culture|cultural|heritage|cultura|patrimoine)|canadian heritage"
    r"|contact points?[^.;]{0,80}cultur|advisory groups?[^.;]{0,80}cultur", re.IGNORECASE)
_CULTURE_WORD = textscan.compile(r"cultur|heritage|patrimoine", re.IGNORECASE)
_GENERAL_BODY = textscan.compile(r"committee|comité|council|consejo|conseil|sub-?committee|working group|grupo de trabajo",
                                  re.IGNORECASE)
_EXISTING_ONLY = textscan.compile(r"existing\s+(?:non-?conforming\s+)?measures|measures\s+(?:in\s+force|existing)\s+on\s+the"
                                   r"\s+date|maintained\s+on\s+the\s+date", re.IGNORECASE)
_SENTENCE = textscan.compile(r"(?<=[.;])\s+")


def enforceable(r: CommitmentReach) -> bool:
    """Disputes about it can be brought: no dispute-settlement exclusion reaches it."""
    return not any(t.found and t.effect == "not enforceable" for t in r.tests)


def exposure_of(r: CommitmentReach) -> str:
    """What a commitment nothing shields can do to cultural policy: its bite, if it can be enforced."""
    if not r.binding or r.outcome == "shielded":
        return "none"
    if r.bite == "high" and enforceable(r) and r.outcome in ("exposed", "depends on schedules"):
        return "high"
    return "low"


def _sentences(text: str) -> list[str]:
    return [re.sub(r"\s+", " ", s) for s in _SENTENCE.split(text)]


def _cite(by_id: dict[str, LabelledProvision], ids: list[str], limit: int = 4) -> str:
    ids = list(dict.fromkeys(ids))
    names = [by_id[i].citation for i in ids[:limit] if i in by_id]
    more = f" and {len(ids) - limit} more" if len(ids) > limit else ""
    return ", ".join(names) + more


def _listed_only(p: LabelledProvision) -> bool:
    """Culture is one item of a list of possible cooperation areas, with no co-production or collaboration."""
    if _COPRODUCTION.search(p.text):
        return False
    hits = [s for s in _sentences(p.text) if _CULTURE.search(s)]
    lead = bool(_LIST_LEAD.search(p.text))
    return bool(hits) and all((_LIST_LEAD.search(s) and s.count(",") + s.count(";") >= 3)
                              or (lead and len(s) <= 160 and re.match(r"\s*\(?[a-z]{1,3}\)", s)) for s in hits)


class _Scorecard:
    def __init__(self, provisions, exceptions, reaches, coverage, development) -> None:
        from auditor.assess import instruments

        self.texts = instruments()
        self.by_id = {p.id: p for p in provisions}
        self.provisions = provisions
        self.exceptions = exceptions
        self.reaches = reaches
        self.coverage = coverage
        self.development = development
        self.out: list[GuidelineAssessment] = []

    def digital_ids(self) -> list[str]:
        return [p.id for p in self.provisions if {"ecommerce", "digital_products"} & set(p.labels)] + [
            r.commitment for r in self.reaches]

    def ids(self, label: str) -> list[str]:
        return [p.id for p in self.provisions if label in p.labels]

    def add(self, gid: str, status: str, rationale: str, evidence: list[str], decided_by: str,
            exposure: str | None = None) -> None:
        item = self.texts[gid]
        self.out.append(GuidelineAssessment(id=gid, instrument=item["instrument"], text=item["text"], status=status,
                                            rationale=rationale, evidence=list(dict.fromkeys(evidence)),
                                            decided_by=decided_by, exposure=exposure))

    def cite(self, ids: list[str]) -> str:
        return _cite(self.by_id, ids)

    # -- 18.1 co-production, co-distribution, collaboration benefiting developing Parties, reaching digital distribution
    def g18_1(self) -> None:
        coop = self.ids("cultural_cooperation")
        listed = [i for i in coop if _listed_only(self.by_id[i])]
        counted = [i for i in coop if i not in listed]
        strong = [i for i in counted if _COPRODUCTION.search(self.by_id[i].text)]
        developing = self.development.any_developing or any(_DEVELOPING.search(self.by_id[i].text) for i in strong)
        digital = [i for i in strong if _DIGITAL.search(self.by_id[i].text)]
        note = (f" Culture is also named in a list of cooperation areas ({self.cite(listed)}): noted, not counted."
                if listed else "")
        if strong and developing and digital:
            self.add("18.1", "addressed", f"Co-production, co-distribution or artistic collaboration "
                     f"({self.cite(strong)}) that benefits a developing Party and reaches distribution in the digital "
                     f"environment ({self.cite(digital)}).{note}", strong,
                     "co-production or collaboration + developing Party + digital element")
        elif strong:
            missing = [x for x, ok in (("a developing Party to benefit", developing), ("a digital element",
                                                                                       bool(digital))) if not ok]
            self.add("18.1", "partly addressed", f"Co-production, co-distribution or artistic collaboration is agreed "
                     f"({self.cite(strong)}), without {' or '.join(missing)}.{note}", strong,
                     "co-production or collaboration without the developing-country or digital element")
        elif counted:
            self.add("18.1", "not addressed", f"Cultural cooperation is agreed ({self.cite(counted)}) but names no "
                     f"co-production, co-distribution or artistic collaboration.{note}", counted,
                     "no co-production, co-distribution or collaboration clause")
        else:
            self.add("18.1", "not addressed", "No provision commits the Parties to co-production, co-distribution or "
                     f"artistic collaboration.{note}", listed, "no co-production, co-distribution or collaboration clause")

    # -- 18.2 preferential treatment for developing countries' cultural goods, services and artists
    def g18_2(self) -> None:
        dev = self.development
        pref = self.ids("preferential_treatment")
        cultural = [i for i in pref if _CULTURE.search(self.by_id[i].text)]
        context = [i for i in pref if i not in cultural]
        context_note = (f" Special treatment of developing Parties in other matters ({self.cite(context)}, such as "
                        "transition periods or capacity building in e-commerce) is context: it favours no cultural "
                        "goods or services." if context else "")
        if dev.known and not dev.any_developing:
            self.add("18.2", "not applicable", f"No Party is a developing country ({dev.describe()}).{context_note}",
                     [], "no developing Party (shipped list of developed and least-developed countries)")
            return
        if cultural:
            digital = [i for i in cultural if _DIGITAL.search(self.by_id[i].text)]
            self.add("18.2", "addressed" if digital else "partly addressed",
                     f"Preferential treatment for cultural goods, services or artists of developing Parties "
                     f"({self.cite(cultural)})" + (f", reaching the digital environment ({self.cite(digital)})."
                                                   if digital else ", without a digital element.") + context_note,
                     cultural, "cultural preference for developing Parties" + (" + digital" if digital else ""))
            return
        parties = f" Developing Parties: {', '.join(dev.developing + dev.least_developed)}." if dev.any_developing else (
            " The Parties could not be read from the text; set them to know whether this guideline applies.")
        self.add("18.2", "not addressed", "No provision grants preferential treatment to cultural goods, services or "
                 f"artists of developing Parties.{parties}{context_note}", context,
                 "no cultural preference for developing Parties")

    # -- 19.1 the Convention named
    def g19_1(self) -> None:
        conv, div = self.ids("convention_reference"), self.ids("cultural_diversity")
        if conv:
            self.add("19.1", "addressed", f"The agreement names the 2005 Convention ({self.cite(conv)}).", conv + div,
                     "the Convention named")
        elif div:
            self.add("19.1", "partly addressed", f"Cultural diversity is recognised ({self.cite(div)}) without naming "
                     "the 2005 Convention.", div, "cultural diversity recognised, Convention not named")
        else:
            self.add("19.1", "not addressed", "Neither the 2005 Convention nor the diversity of cultural expressions "
                     "is mentioned.", [], "no mention")

    def g19_2(self) -> None:
        self.add("19.2", "not assessable from the text", "Guideline 19.2 concerns how the agreement was negotiated "
                 "(transparency towards the public and cultural stakeholders); the text of an agreement does not show "
                 "it. Check the negotiating record.", [], "a matter of process, not of the text")

    # -- 19.3 coordination of culture and trade authorities
    def g19_3(self) -> None:
        bodies, general = [], []
        for p in self.provisions:
            # Cheap tests first: most provisions name no culture body and are not about cultural cooperation.
            if _CULTURE_WORD.search(p.text) and _CULTURE_BODY.search(p.text):
                bodies.append(p.id)
            elif "cultural_cooperation" in p.labels and any(
                    _GENERAL_BODY.search(s) and _CULTURE.search(s) and not _LIST_LEAD.search(s)
                    for s in _sentences(p.text)):
                general.append(p.id)
        if bodies:
            self.add("19.3", "addressed", f"The text names a body or contact points in which culture authorities "
                     f"take part ({self.cite(bodies)}).", bodies, "culture body, culture ministry or contact point named")
        elif general:
            self.add("19.3", "partly addressed", f"A general committee's remit includes culture ({self.cite(general)});"
                     " no body of culture authorities is named.", general, "general committee with a cultural remit")
        else:
            self.add("19.3", "not addressed", "Not addressed in the text: it names no body or contact point of culture "
                     "authorities. National coordination of culture and trade authorities mostly happens outside "
                     "treaties, so this is rarely a gap in the agreement itself.", [], "no culture body named")

    # -- 19.4 recognition and exposure
    def g19_4(self) -> None:
        binding = [r.exception for r in self.exceptions if r.binding]
        recitals = [r.exception for r in self.exceptions if r.scope.kind == "preamble"] + self.ids("cultural_diversity")
        digital_chapters = {(self.by_id[i].chapter, self.by_id[i].chapter_title) for i in self.digital_ids()}
        covering = [r.exception for r in self.exceptions if r.binding and (r.reaches or r.scope.kind == "agreement" or (
            self.by_id[r.exception].chapter, self.by_id[r.exception].chapter_title) in digital_chapters)]
        if binding and (covering or not digital_chapters):
            recognition, rec_words = "addressed", f"binding cultural clauses ({self.cite(covering or binding)})"
        elif binding:
            recognition, rec_words = "partly addressed", (f"binding cultural clauses ({self.cite(binding)}), none of "
                                                          "which reaches the e-commerce rules")
        elif recitals:
            recognition, rec_words = "partly addressed", f"culture recognised only in recitals ({self.cite(recitals)})"
        else:
            recognition, rec_words = "not addressed", "no cultural clause"
        binding_commitments = [r for r in self.reaches if r.binding]
        high_exposed = [r for r in binding_commitments if exposure_of(r) == "high" and r.outcome == "exposed"]
        high_schedules = [r for r in binding_commitments if r.bite == "high" and r.outcome == "depends on schedules"]
        low_exposed = [r for r in binding_commitments if r.outcome == "exposed" and exposure_of(r) == "low"]
        lines = [f"{r.citation}: {r.kind} ({r.bite} bite) — {r.outcome}" for r in self.reaches]
        exposure_text = ("Digital commitments: " + "; ".join(lines) + ".") if lines else (
            "The agreement makes no digital commitments (customs duties on electronic transmissions, non-discrimination"
            " of digital products, data flows, localisation, source code); the status rests on recognition alone.")
        evidence = binding + [r.commitment for r in self.reaches]
        grades = {exposure_of(r) for r in binding_commitments}
        exposure = "high" if "high" in grades else ("low" if "low" in grades else "none")
        if high_exposed:
            self.add("19.4", "in tension", f"Recognition: {rec_words}. Exposure: {len(high_exposed)} enforceable "
                     f"high-bite commitment(s) that nothing reaches ({', '.join(r.citation for r in high_exposed)}). "
                     + exposure_text, [r.commitment for r in high_exposed] + evidence,
                     "an enforceable high-bite commitment that no carve-out, schedule link, exception or "
                     "dispute-settlement exclusion reaches", exposure)
        elif high_schedules:
            self.add("19.4", "depends on schedules", f"Recognition: {rec_words}. Exposure: the reach of "
                     f"{', '.join(r.citation for r in high_schedules)} hinges on the Parties' scheduled non-conforming "
                     "measures" + ("" if self.coverage.missing_for("19.4") == [] else ", which are not in the text read")
                     + ". " + exposure_text, [r.commitment for r in high_schedules] + evidence,
                     "high-bite commitments subject to non-conforming measures and schedules", exposure)
        elif low_exposed and recognition == "not addressed":
            self.add("19.4", "in tension", f"Recognition: none. Exposure: low — the customs-duty moratorium "
                     f"({', '.join(r.citation for r in low_exposed)}) binds the Parties and no cultural clause exists "
                     "anywhere in the agreement. " + exposure_text, [r.commitment for r in low_exposed] + evidence,
                     "an enforceable commitment and no cultural clause at all", exposure)
        else:
            self.add("19.4", recognition, f"Recognition: {rec_words}. " + (
                f"Exposure: low — {', '.join(r.citation for r in low_exposed)} (customs-duty moratorium) is not "
                "reached, but rarely bites on cultural policy. " if low_exposed else "") + exposure_text,
                evidence + recitals, "recognition (binding cultural clause / recital / none); no high-bite commitment "
                                     "left unreached", exposure)

    # -- 19.5 Convention named and culture-relevant policy space that reaches the digital commitments
    def g19_5(self) -> None:
        conv = self.ids("convention_reference")
        binding = [r for r in self.exceptions if r.binding]
        cultural_r2r = [i for i in self.ids("right_to_regulate") if _CULTURE.search(self.by_id[i].text)
                        and self.by_id[i].kind != "preamble"]
        cultural_general = [t.provision for r in self.reaches for t in r.tests
                            if t.test == "general exception" and t.effect == "shields" and t.provision]
        space = [r.exception for r in binding] + cultural_r2r + cultural_general
        future = [i for i in space if not _EXISTING_ONLY.search(self.by_id[i].text)]
        binding_commitments = [r for r in self.reaches if r.binding]
        unreached = [r for r in binding_commitments if exposure_of(r) == "high"]
        # Culture-relevant space must exist for new measures, and every digital commitment must meet some policy space
        # (a carve-out, a schedule link, a general exception or right to regulate over its chapter).
        reached = all(any(t.found and t.effect != "none" for t in r.tests) for r in binding_commitments)
        cultural_reach = {t.provision for r in binding_commitments for t in r.tests if t.found and (
            t.effect == "shields" or (t.test == "same article" and t.effect == "depends on schedules"))}
        reaches_digital = bool(future) and (reached or bool(cultural_reach & set(future)))
        if conv and reaches_digital and reached and not unreached:
            self.add("19.5", "addressed", f"The agreement names the Convention ({self.cite(conv)}) and keeps "
                     f"culture-relevant policy space for new measures that reaches its digital commitments "
                     f"({self.cite(future)}).", conv + future, "Convention named + culture-relevant policy space "
                                                                   "reaching the digital commitments")
        elif conv or reaches_digital:
            if not conv:
                missing = "the Convention is not named"
            elif not future:
                missing = ("no culture-relevant policy space covers future measures" if space else
                           "no culture-relevant policy space (cultural exception, or right to regulate or general "
                           "exception covering culture)")
            else:
                missing = (f"the policy space found ({self.cite(future)}) does not reach "
                           f"{', '.join(r.citation for r in unreached) or 'the digital commitments'}")
            if not conv and unreached:
                missing += f", and {', '.join(r.citation for r in unreached)} is reached by nothing cultural"
            self.add("19.5", "partly addressed", f"Found: {self.cite(conv + future) or 'nothing'}; but {missing}.",
                     conv + future, "one of: Convention named / culture-relevant policy space reaching the digital "
                                    "commitments")
        else:
            self.add("19.5", "not addressed", "The Convention is not named and no culture-relevant policy space for new"
                     " measures reaches the digital commitments" + (f" (found, but not reaching them: "
                                                                   f"{self.cite(space)})" if space else "") + ".",
                     space, "neither element")

    # -- 3.1 the inventory itself
    def g3_1(self) -> None:
        labelled = [p.id for p in self.provisions if p.labels]
        digital = [p.id for p in self.provisions if {"ecommerce", "digital_products"} & set(p.labels)]
        counts = (f"This audit inventories {len(labelled)} provisions affecting the cultural and creative sectors in "
                  f"the digital environment: {len(digital)} on e-commerce or digital products "
                  f"({len(self.reaches)} digital commitments), {len(self.ids('cultural_exception'))} cultural "
                  f"exceptions, {len(self.ids('cultural_cooperation'))} on cultural cooperation, "
                  f"{len(self.ids('cultural_diversity'))} recognising cultural diversity, "
                  f"{len(self.ids('right_to_regulate'))} preserving the right to regulate.")
        gaps = self.coverage.missing_for("3.1")
        if self.coverage.weak_reading or gaps:
            what = "; ".join([m.name for m in gaps] + (["a doubtful reading of the text"] if self.coverage.weak_reading
                                                       else []))
            self.add("3.1", "incomplete", f"{counts} The inventory is incomplete: {what}.", labelled,
                     "coverage check: the text read lacks documents it refers to, or was read doubtfully")
        else:
            self.add("3.1", "complete", counts, labelled, "coverage check passed")

    # -- 3.4 cultural clauses in agreements dealing with e-commerce
    def g3_4(self) -> None:
        digital = self.digital_ids()
        if not digital:
            self.add("3.4", "not applicable", "The agreement has no e-commerce or digital-products provisions; "
                     "activity 3.4 concerns agreements that do.", [], "no e-commerce provisions")
            return
        binding_commitments = [r for r in self.reaches if r.binding]
        shielded = [r for r in binding_commitments if r.outcome == "shielded"]
        reaching = [t.provision for r in shielded for t in r.tests if t.found and t.effect == "shields" and t.provision]
        chapters = {(self.by_id[i].chapter, self.by_id[i].chapter_title) for i in digital}
        chapter_wide = [r.exception for r in self.exceptions if r.binding and (
            r.scope.kind == "agreement" or (self.by_id[r.exception].chapter, self.by_id[r.exception].chapter_title)
            in chapters)]
        unreached = [r for r in binding_commitments if r.outcome != "shielded"]
        if binding_commitments and not unreached:
            self.add("3.4", "addressed", f"Cultural clauses ({self.cite(reaching)}) cover every digital commitment "
                     f"({', '.join(r.citation for r in shielded)}).", reaching + [r.commitment for r in shielded],
                     "a cultural clause covers every e-commerce commitment")
        elif not binding_commitments and chapter_wide:
            self.add("3.4", "addressed", f"The e-commerce rules make no binding digital commitments, and a cultural "
                     f"clause covers them ({self.cite(chapter_wide)}).", chapter_wide,
                     "a cultural clause covers the e-commerce rules")
        else:
            high = [r for r in unreached if exposure_of(r) == "high"]
            exposure = "high" if high else ("low" if unreached else "none")
            target = high or unreached
            # In tension where a high-bite commitment is exposed outright; where its reach hinges on schedules, the
            # gap is graded but not called a tension (19.4 says "depends on schedules").
            status = "in tension" if any(r.outcome == "exposed" for r in high) else "not addressed"
            what = (f"{', '.join(r.citation for r in target)} ({exposure} exposure)" if target else
                    "the e-commerce provisions")
            self.add("3.4", status, f"The agreement deals with e-commerce ({len(set(digital))} provisions) and no "
                     f"cultural clause covers {what}: a cultural clause covering them is the gap to negotiate. "
                     "See the precedents.", [r.commitment for r in target] or digital,
                     "no cultural clause covers the e-commerce rules; gap graded by exposure", exposure)

    # -- coverage, last
    def apply_coverage(self) -> None:
        for i, g in enumerate(self.out):
            if g.id in ("19.2", "3.1"):
                continue
            blocking = [m for m in self.coverage.missing_for(g.id) if m.kind != "schedules"]
            if not blocking and not self.coverage.weak_reading:
                continue
            incorporated = [m.name for m in blocking if m.kind == "incorporated agreement"]
            # Reach and exposure depend on commitments an incorporated agreement holds: even a positive finding on the
            # few pages read is no answer for the whole.
            whole_needed = bool(incorporated) and g.id in ("19.4", "19.5", "3.4")
            if g.status not in ("not addressed", "partly addressed", "not applicable") and not whole_needed:
                continue
            reasons = [f"{m.name} (referred to in {self.by_id[m.cited_in].citation})" if m.cited_in in self.by_id else
                       m.name for m in blocking]
            if self.coverage.weak_reading:
                reasons.append("the structure of the text was not fully recognised")
            head = (f"Not assessable from this text alone (it incorporates {', '.join(incorporated)}). "
                    if incorporated else "")
            self.out[i] = g.model_copy(update={
                "status": "incomplete",
                "rationale": f"{head}Incomplete: the status could depend on what the text read does not contain — "
                             f"{'; '.join(reasons)}. On the text read: {g.status}. {g.rationale}",
                "decided_by": f"coverage check ({g.decided_by})",
            })


def assess_guidelines(provisions: list[LabelledProvision], exceptions: list[ExceptionReach],
                      reaches: list[CommitmentReach], coverage: Coverage,
                      development: DevelopmentStatus) -> list[GuidelineAssessment]:
    card = _Scorecard(provisions, exceptions, reaches, coverage, development)
    for rule in (card.g18_1, card.g18_2, card.g19_1, card.g19_2, card.g19_3, card.g19_4, card.g19_5, card.g3_1,
                 card.g3_4):
        rule()
    card.apply_coverage()
    return card.out


__all__ = ["assess_guidelines"]
