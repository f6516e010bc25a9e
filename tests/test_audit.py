"""The audit on the agreements the issue names: Canada-Korea, EU-Korea, RCEP."""

from __future__ import annotations

import csv
import io
import json
import re

import jsonschema
import pytest

from auditor.pipeline import audit_agreement, parse_file
from auditor.report.audit import audit_csv, audit_json, audit_markdown
from auditor.report.schemas import schemas
from tests.conftest import tota


@pytest.fixture(scope="module")
def canada_korea():
    return audit_agreement(parse_file(tota(146)))


@pytest.fixture(scope="module")
def eu_korea():
    return audit_agreement(parse_file(tota(145)))


@pytest.fixture(scope="module")
def rcep_audit(rcep):
    return audit_agreement(rcep)


def _status(audit, gid):
    return next(g for g in audit.assessments if g.id == gid)


def test_every_guideline_assessed_with_its_own_words(canada_korea):
    ids = [g.id for g in canada_korea.assessments]
    assert ids == ["18.1", "18.2", "19.1", "19.2", "19.3", "19.4", "19.5", "3.1", "3.4"]
    assert _status(canada_korea, "19.2").status == "not assessable from the text"
    assert "co-production" in _status(canada_korea, "18.1").text
    assert _status(canada_korea, "3.4").text.startswith("Negotiate cultural clauses")


def test_canada_korea_cultural_industries_exemption_reaches_digital_commitments(canada_korea):
    exemption = next(e for e in canada_korea.exceptions if e.exception == "tota:146:13178")  # Article 22.6
    assert exemption.scope.kind == "agreement" and exemption.binding
    customs = canada_korea.provision("tota:146:13069")  # 13.3 Customs Duties
    assert customs.digital_kind == "customs duties"
    assert customs.id in exemption.reaches
    assert canada_korea.tensions == []
    assert _status(canada_korea, "19.4").status == "addressed"
    assert "Article 22.6" in _status(canada_korea, "19.4").rationale
    assert "cultural_cooperation" in canada_korea.provision("tota:146:12884").labels  # 1.6 Cultural Cooperation
    ecommerce = [p for p in canada_korea.provisions if "ecommerce" in p.labels]
    assert len(ecommerce) >= 6


def test_canada_korea_preamble_recital_shields_nothing(canada_korea):
    recital = next(e for e in canada_korea.exceptions if e.exception == "tota:146:12878")
    assert recital.scope.kind == "preamble"
    assert not recital.binding and recital.reaches == []
    assert "shields no commitment by force of law" in recital.explanation


def test_rcep_reach_is_read_from_the_treaty_links(rcep_audit):
    """RCEP, as the December review reads it: 12.3.4 subjects 12.14 and 12.15 to the scheduled non-conforming
    measures (pp. 422-3), 12.17.3 keeps Chapter 12 out of dispute settlement (p. 432), 17.12 applies GATT XX and GATS
    XIV to Chapter 12; the only cultural carve-out is broadcasting in the telecom annex. Low exposure, depends on
    schedules; no tension."""
    chapter12 = [p for p in rcep_audit.provisions if p.chapter == "12"]
    assert len(chapter12) >= 12
    customs = rcep_audit.provision("art-12.11")
    assert customs.title == "Customs Duties" and customs.digital_kind == "customs duties"
    assert customs.page_start == 428
    assert all(not e.reaches for e in rcep_audit.exceptions)
    assert all(e.scope.kind == "annex" for e in rcep_audit.exceptions if e.binding)
    reach = {r.commitment: r for r in rcep_audit.commitments}
    assert set(reach) == {"art-12.11", "art-12.14", "art-12.15"}
    assert reach["art-12.11"].bite == "low" and reach["art-12.14"].bite == "high"
    tests = {t.test: t for t in reach["art-12.14"].tests}
    assert tests["non-conforming measures"].found and tests["non-conforming measures"].provision == "art-12.3"
    assert "Article 8.8" in tests["non-conforming measures"].words
    assert tests["dispute settlement"].found and tests["dispute settlement"].provision == "art-12.17"
    assert "No Party shall have recourse to dispute settlement" in tests["dispute settlement"].words
    assert tests["general exception"].found and tests["general exception"].effect == "policy space"
    assert not {t.test: t for t in reach["art-12.11"].tests}["non-conforming measures"].found  # 12.3.4 names 12.14-15
    assert rcep_audit.tensions == []
    assert _status(rcep_audit, "19.4").status == "depends on schedules"
    assert _status(rcep_audit, "19.4").exposure == "low"
    assert _status(rcep_audit, "3.4").status == "not addressed" and _status(rcep_audit, "3.4").exposure == "low"


def test_rcep_precedents_from_other_agreements(rcep_audit):
    for_customs = [p for p in rcep_audit.precedents if p.gap == "art-12.11"]  # a commitment no cultural clause shields
    assert len(for_customs) == 3
    assert all("cultural_exception" in p.labels for p in for_customs)
    assert all(p.agreement != rcep_audit.agreement.title and p.year and p.article and p.text for p in for_customs)
    assert for_customs == sorted(for_customs, key=lambda p: -p.relevance)
    assert len({p.agreement for p in for_customs}) == 3
    # For each digital commitment no cultural clause reaches (12.11, 12.14, 12.15), the first precedent offered is a
    # cultural carve-out of another agreement that reaches digital trade: its words are about e-commerce or digital products.
    for gap in ("art-12.11", "art-12.14", "art-12.15"):
        first = next(p for p in rcep_audit.precedents if p.gap == gap)
        assert "cultural_exception" in first.labels and first.agreement != rcep_audit.agreement.title
        assert re.search(r"electronic commerce|e-commerce|digital product|electronic transmission", first.text, re.I), gap


def test_eu_korea_convention_and_audiovisual_exclusions(eu_korea):
    convention = [p for p in eu_korea.provisions if "convention_reference" in p.labels]
    assert [p.number for p in convention] == ["15.10"]
    g195 = _status(eu_korea, "19.5")
    assert convention[0].id in g195.evidence
    assert _status(eu_korea, "19.1").status == "addressed"
    audiovisual = [e for e in eu_korea.exceptions if "audiovisual" in eu_korea.provision(e.exception).sectors]
    assert {eu_korea.provision(e.exception).number for e in audiovisual} >= {"7.4", "7.10"}
    assert all(e.scope.kind == "section" for e in audiovisual)
    ecommerce = [p for p in eu_korea.provisions if "ecommerce" in p.labels and p.chapter == "7"]
    assert any(p.number == "7.48" for p in ecommerce)
    assert all(not set(e.reaches) & {p.id for p in ecommerce} for e in audiovisual)
    assert all("It reaches 0" in e.explanation for e in audiovisual)


def test_json_follows_schema_and_contract(rcep_audit):
    data = json.loads(audit_json(rcep_audit))
    jsonschema.validate(data, schemas()["audit.schema.json"])
    assert {"agreement", "provisions", "assessments", "tensions", "precedents"} <= data.keys()
    assert {"title", "parties", "language", "pages"} <= data["agreement"].keys()
    assert {"id", "status", "rationale", "evidence"} <= data["assessments"][0].keys()
    provision = data["provisions"][0]
    assert {"labels", "scores", "evidence"} <= provision.keys()


def test_csv_inventory_and_markdown(rcep_audit):
    rows = list(csv.DictReader(io.StringIO(audit_csv(rcep_audit))))
    assert len(rows) == len(rcep_audit.provisions)
    customs = next(r for r in rows if r["provision_id"] == "art-12.11")
    assert customs["labels"] == "ecommerce;digital_products" and customs["pages"] == "p. 428"
    assert "electronic transmissions" in customs["evidence"]
    md = audit_markdown(rcep_audit)
    assert "| 19.4 | depends on schedules |" in md and "## Precedents" in md


def test_an_agreement_is_never_its_own_precedent(aanzfta):
    """AANZFTA is in the precedent index (from ToTA, under another title); its own clauses are never offered back."""
    from auditor.assess.precedents import fingerprint

    audit = audit_agreement(aanzfta)
    own = {fingerprint(p.text) for p in audit.provisions}
    assert audit.precedents
    assert not [p for p in audit.precedents if fingerprint(p.text) in own]
    assert all(p.agreement != "ASEAN - Australia - New Zealand" for p in audit.precedents)  # its ToTA title
