"""Agreement-level facts of modern agreements (2008-2021), written from reading the texts, checked against the audit.

For each agreement: the e-commerce chapter, the customs-duty moratorium (its article, and whether it binds),
non-discrimination of digital products, the cultural carve-outs that reach them and how, the 2005 Convention,
incorporation by reference, and the 19.4 status those facts imply (a moratorium or a high-bite commitment that
nothing reaches is in tension where no cultural clause exists; one that a carve-out reaches is not).
The expectations come from the treaty texts, quoted in the comments, never from the engine's output.
"""

from __future__ import annotations

import pytest

from auditor.pipeline import audit_agreement, audit_file, parse_file
from tests.conftest import CORPUS, TOTA, shared_file, tota

pytestmark = pytest.mark.shared
WILD = CORPUS / "wild"


def _audit(path):
    return audit_agreement(parse_file(path), with_precedents=False)


def _commitments(audit) -> dict[str, tuple[str, bool, str]]:
    """kind -> (article number, binding, outcome)."""
    return {r.kind: (audit.provision(r.commitment).number, r.binding, r.outcome) for r in audit.commitments}


def _status(audit, gid):
    return next(g for g in audit.assessments if g.id == gid).status


def _chapter_of(audit, kind):
    r = next(r for r in audit.commitments if r.kind == kind)
    return audit.provision(r.commitment).chapter


def _test(audit, kind, name):
    r = next(r for r in audit.commitments if r.kind == kind)
    return next(t for t in r.tests if t.test == name)


MORATORIUM = "customs duties on electronic transmissions"
NON_DISCRIMINATION = "non-discrimination of digital products"


def test_australia_japan_2014():
    audit = _audit(shared_file(WILD / "AUS-JPN_NA__2014O.txt"))
    facts = _commitments(audit)
    # Chapter 13 (Electronic Commerce); 13.3 "Each Party shall maintain its practice of not imposing customs duties on
    # electronic transmissions"; 13.4 "Neither Party may accord less favourable treatment to some digital products".
    assert _chapter_of(audit, MORATORIUM) == "13"
    assert facts[MORATORIUM][:2] == ("13.3", True) and facts[NON_DISCRIMINATION][:2] == ("13.4", True)
    # 13.4.4: "paragraphs 1 and 2 do not prevent a Party from adopting or maintaining measures, including measures in
    # the audio-visual and broadcasting sectors, in accordance with Article 9.7 ... or 14.10".
    assert _test(audit, NON_DISCRIMINATION, "same article").effect == "depends on schedules"
    assert _status(audit, "19.1") == "not addressed" and audit.agreement.parties == ["JPN", "AUS"]
    assert _status(audit, "19.4") == "depends on schedules"


def test_switzerland_japan_2009():
    audit = _audit(shared_file(WILD / "CHE-JPN_NA__2009O.txt"))
    facts = _commitments(audit)
    # Chapter 8 (Electronic Commerce). Article 76: the Parties "shall cooperate to make this practice binding" and
    # "confirm their current practice of not imposing customs duties": no binding moratorium.
    assert _chapter_of(audit, MORATORIUM) == "8"
    assert facts[MORATORIUM][:2] == ("76", False)
    # Article 73: "Unless otherwise specified in its List of Reservations ..., each Party shall: (a) not adopt measures
    # that accord less favourable treatment to digital products of the other Party".
    assert facts[NON_DISCRIMINATION] == ("73", True, "depends on schedules")
    assert _status(audit, "19.4") == "depends on schedules"


def test_colombia_panama_2013():
    audit = _audit(shared_file(WILD / "COL-PAN_NA__2013O.txt"))
    facts = _commitments(audit)
    # Chapter 19 (Electronic Commerce); 19.3 "No Party shall apply customs duties, tariffs, fees or charges on digital
    # products delivered electronically"; 19.1.3 "the Parties' non-conforming measures, as set forth in their Schedule
    # of Annexes I, II ..., apply to electronic commerce". No non-discrimination of digital products.
    assert _chapter_of(audit, MORATORIUM) == "19"
    assert facts[MORATORIUM] == ("19.3", True, "depends on schedules")
    assert NON_DISCRIMINATION not in facts
    assert _status(audit, "19.1") == "not addressed"
    assert _status(audit, "19.4") != "in tension"


def test_singapore_turkey_2015():
    audit = _audit(shared_file(WILD / "SGP-TUR_NA__2015O.txt"))
    facts = _commitments(audit)
    # Chapter 9: 9.3 "No Party may impose customs duties on electronic transmissions"; 9.4 non-discrimination, whose
    # paragraph 3 reads "This Article does not apply to any measure affecting broadcasting".
    assert _chapter_of(audit, MORATORIUM) == "9"
    assert facts[MORATORIUM][:2] == ("9.3", True)
    assert facts[NON_DISCRIMINATION] == ("9.4", True, "shielded")
    assert "broadcasting" in _test(audit, NON_DISCRIMINATION, "same article").words
    assert _status(audit, "19.4") in ("addressed", "partly addressed")


def test_korea_peru_2011():
    audit = _audit(shared_file(WILD / "KOR-PER_KOR__2011O.txt"))
    facts = _commitments(audit)
    # Chapter Fourteen: 14.4 "Neither Party shall apply customs duties, fees, or charges on ... digital products by
    # electronic means"; no non-discrimination rule. The only cultural carve-out, 13.1 (broadcast or cable
    # distribution), is confined to the telecommunications chapter.
    assert _chapter_of(audit, MORATORIUM) == "14"
    assert facts[MORATORIUM] == ("14.4", True, "exposed")
    assert NON_DISCRIMINATION not in facts
    assert all(not e.reaches for e in audit.exceptions)
    assert _status(audit, "19.4") == "partly addressed"  # binding clauses exist, none reaches Chapter 14


def test_tpp_2016_as_another_collection_extracted_it():
    audit = _audit(shared_file(WILD / "TRNSPP_2016O.txt"))
    facts = _commitments(audit)
    # Chapter 14: 14.3 moratorium, 14.4 non-discrimination ("4. This Article shall not apply to broadcasting"),
    # 14.11 data flows, 14.13 localisation, 14.17 source code; 29.4 extends 14.4 to taxation measures.
    assert facts[MORATORIUM][0] == "14.3" and facts[NON_DISCRIMINATION] == ("14.4", True, "shielded")
    assert facts["data flows"][0] == "14.11" and facts["localisation"][0] == "14.13"
    assert facts["source code"] == ("14.17", True, "exposed")
    assert facts["non-discrimination extended to taxation"][0] == "29.4"
    assert _status(audit, "19.4") == "in tension"


def test_australia_malaysia_2012():
    audit = _audit(shared_file(WILD / "AUS-MYS_NA__2012O.txt"))
    facts = _commitments(audit)
    # Chapter 15: 15.4 "Neither Party shall impose customs duties on electronic transmissions"; 18.1.2 incorporates
    # GATS XIV "for the purposes of ... Chapter 15 (Electronic Commerce)".
    assert facts[MORATORIUM][:2] == ("15.4", True)
    general = _test(audit, MORATORIUM, "general exception")
    assert general.found and general.effect == "policy space" and "Chapter 15" in general.words
    assert NON_DISCRIMINATION not in facts


def test_eu_colombia_peru_2012():
    audit = _audit(tota(395))
    # Article 162.3 (Chapter 6, Electronic Commerce): "a delivery by electronic means shall be considered as a provision
    # of services, within the meaning of Chapter 3 (Cross-border Supply of Services), and shall not be subject to
    # customs duties"; Article 118(a) excludes audiovisual services from Chapter 3.
    assert _commitments(audit)[MORATORIUM] == ("162", True, "shielded")
    assert audit.provision(_test(audit, MORATORIUM, "deemed service").provision).number == "118"
    assert _status(audit, "19.1") == "not addressed"


def test_canada_korea_2014():
    audit = _audit(tota(146))
    # 13.3 "A Party shall not apply customs duties, fees, or charges on ... digital products delivered electronically";
    # 22.6 exempts cultural industries from the whole agreement.
    assert _commitments(audit)[MORATORIUM] == ("13.3", True, "shielded")
    assert audit.provision(_test(audit, MORATORIUM, "division exception").provision).number == "22.6"
    assert _status(audit, "19.4") == "addressed"


def test_eu_korea_2010():
    audit = _audit(tota(145))
    # 7.48 (Section F, Electronic commerce): "The Parties agree not to impose customs duties on deliveries by electronic
    # means"; the audiovisual exclusions of 7.4 and 7.10 govern other sections; 15.10 names the 2005 Convention.
    assert _commitments(audit)[MORATORIUM] == ("7.48", True, "exposed")
    audiovisual = [e for e in audit.exceptions if audit.provision(e.exception).number in ("7.4", "7.10")]
    assert len(audiovisual) == 2 and all(e.scope.kind == "section" and not e.reaches for e in audiovisual)
    assert _status(audit, "19.1") == "addressed"
    assert _status(audit, "19.4") == "addressed"  # a low-bite moratorium beside binding cultural clauses


@pytest.mark.parametrize("name, incorporated", [("GBR-SGP_NA__2020O.txt", "EU-Singapore FTA"),
                                                ("CAN-GBR_NA__2020O.txt", "CETA"),
                                                ("CNTRAU_2019O.txt", "EU-Central America Agreement")])
def test_uk_continuity_agreements_incorporate_the_eu_texts(name, incorporated):
    audit = _audit(shared_file(WILD / name))
    assert any(m.kind == "incorporated agreement" and m.name == incorporated for m in audit.coverage.missing)
    for gid in ("18.1", "19.1", "19.4", "3.4"):
        g = next(g for g in audit.assessments if g.id == gid)
        assert g.status == "incomplete" and f"Not assessable from this text alone (it incorporates {incorporated})" \
            in g.rationale


def test_uk_central_america_read_with_the_eu_agreement():
    audit = audit_file(shared_file(WILD / "CNTRAU_2019O.txt"), read_with=[shared_file(TOTA / "pta_388.xml")],
                       with_precedents=False)
    # The EU-Central America Agreement's Article 74 names the 2005 Convention; once read with it, 19.1 is decided.
    assert _status(audit, "19.1") == "addressed"
    assert not any(m.kind == "incorporated agreement" for m in audit.coverage.missing)
    assert MORATORIUM in _commitments(audit)
