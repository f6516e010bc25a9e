"""Commitments in all their phrasings, and reach resolved against the divisions the parse found.

These run on what the repository ships: the sentences are quoted from real agreements (named in each case),
and the section fixture is laid out as digital-trade chapters are (Chapter 8 › Section F › Article 8.57).
"""

from __future__ import annotations

import pytest

from auditor.assess.commitments import provision_commitments
from auditor.assess.model import LabelledProvision
from auditor.pipeline import audit_file
from tests.conftest import FIXTURES


def _provision(text: str, title: str = "Customs Duties") -> LabelledProvision:
    return LabelledProvision(id="x", kind="article", number="1", title=title, text=text)


@pytest.mark.parametrize("text, binding", [
    # Canada-Korea 13.3
    ("1. A Party shall not apply customs duties, fees, or charges on or in connection with digital products delivered "
     "electronically.", True),
    # EU-Korea 7.48.3
    ("3. The Parties agree not to impose customs duties on deliveries by electronic means.", True),
    # EU-Colombia and Peru 162.3: the transmission is a service that cannot bear customs duties
    ("3. The Parties agree that a delivery by electronic means shall be considered as a provision of services, within "
     "the meaning of Chapter 3 (Cross-border Supply of Services), and shall not be subject to customs duties.", True),
    # TPP 14.3.1
    ("1. No Party shall impose customs duties on electronic transmissions, including content transmitted "
     "electronically, between a person of one Party and a person of another Party.", True),
    # a digital economy agreement's amended article
    ("1. A Party shall not impose a customs duty, fee, or charge on a delivery transmitted by electronic means.", True),
    # Korea-Peru 14.4.1
    ("1. Neither Party shall apply customs duties, fees, or charges on, or in connection with, the importation or "
     "exportation of digital products by electronic means.", True),
    # Spanish, from ToTA's Spanish-language agreements
    ("Ninguna Parte impondrá derechos aduaneros a las transmisiones electrónicas, incluyendo el contenido transmitido "
     "electrónicamente, entre una persona de una Parte y una persona de otra Parte.", True),
    ("Ninguna Parte podrá aplicar derechos aduaneros, tasas o cargos a la importación o exportación por medios "
     "electrónicos de productos digitales.", True),
    # French, as CETA 16.3 reads
    ("Une Partie n'impose pas de droits de douane, de redevances ou d'autres impositions sur les livraisons "
     "transmises par voie électronique.", True),
    # Switzerland-Japan 76: no binding moratorium
    ("2. In the context of paragraph 1, the Parties confirm their current practice of not imposing customs duties on "
     "electronic transmissions under paragraph 46 of the Hong Kong Ministerial Declaration of December 2005.", False),
])
def test_customs_duty_commitments_in_their_phrasings(text, binding):
    found = provision_commitments(_provision(text))
    assert [(c.kind, c.binding) for c in found] == [("customs duties on electronic transmissions", binding)]
    assert found[0].bite == "low"


def test_a_list_item_is_bound_by_its_lead_in():
    """Switzerland-Japan 73.1: "... each Party shall: (a) not adopt measures that accord less favourable treatment"."""
    text = ("1. Unless otherwise specified in its List of Reservations referred to in Articles 57 and 90, which shall "
            "apply mutatis mutandis, each Party shall:\n(a) not adopt measures that accord less favourable treatment "
            "to digital products of the other Party than it accords to its own like digital products.")
    found = provision_commitments(_provision(text, "Non-Discriminatory Treatment of Digital Products"))
    assert [(c.kind, c.binding, c.bite) for c in found] == [("non-discrimination of digital products", True, "high")]


def test_a_definition_or_an_aim_is_no_commitment():
    assert provision_commitments(_provision('"digital products" means computer programs, text, video, images and sound '
                                            'recordings that are digitally encoded', "Definitions")) == []
    aim = provision_commitments(_provision("The Parties shall endeavour to allow the cross-border transfer of "
                                           "information by electronic means."))
    assert [c.binding for c in aim] == [False]


def test_a_section_carve_out_reaches_the_commitments_of_its_own_section():
    """Chapter 8 › Section F: "This Section shall not apply to: (a) audio-visual services" shields the moratorium of
    Section F; Section B's identical exclusion does not reach it. The report names the division."""
    audit = audit_file(FIXTURES / "section-carve-out.txt", with_precedents=False)
    moratorium = next(r for r in audit.commitments)
    assert moratorium.citation == "Chapter 8 › Section F › Article 8.58 (Customs Duties)"
    assert moratorium.outcome == "shielded"
    division = next(t for t in moratorium.tests if t.test == "division exception")
    assert division.provision == "art-8.57" and "Chapter 8 › Section F (Electronic Commerce)" in division.note
    section_b = next(e for e in audit.exceptions if e.exception == "art-8.5")
    assert section_b.binding and section_b.reaches == []
    assert audit.provision("art-8.57") is not None  # cited carve-outs are in the inventory, so links resolve
    g194 = next(g for g in audit.assessments if g.id == "19.4")
    assert g194.status == "addressed" and g194.exposure == "none"


def test_a_commitment_the_classifier_missed_is_labelled_all_the_same():
    """The codebook's digital_products label covers the duty commitments whatever their wording."""
    from auditor.assess import assess
    from auditor.model import Agreement

    text = "1. A Party shall not impose a customs duty, fee, or charge on a delivery transmitted by electronic means."
    provision = LabelledProvision(id="art-8.58", kind="article", number="8.58", title="Customs Duties", text=text)
    audit = assess(Agreement(format="text", text=text), [provision])
    labelled = audit.provision("art-8.58")
    assert labelled.labels == ["digital_products"]
    span = labelled.evidence["digital_products"][0]
    assert span.text.startswith("A Party shall not impose a customs duty") and text[span.start:span.end] == span.text


@pytest.mark.parametrize("words, kind", [
    ("Ce chapitre ne s'applique pas aux mesures relatives aux industries culturelles.", "chapter"),
    ("La présente partie ne s'applique pas aux services audiovisuels.", "part"),
    ("Nothing in this Agreement shall apply to measures affecting cultural industries.", "agreement"),
    ("Esta sección no se aplicará a las industrias culturales.", "section"),
])
def test_the_reach_of_a_carve_out_is_read_in_each_language(words, kind):
    """The classifier's scope and the assessment's operative scope read the same phrases (one definition)."""
    from auditor.assess import exception_reach
    from auditor.classify.attributes import exception_scope

    exception = LabelledProvision(id="art-9", kind="article", number="9", chapter="9", text=words,
                                  labels=["cultural_exception"],
                                  exception_scope=exception_scope(words, words, kind="article", chapter="9", title=None))
    assert exception.exception_scope.kind == kind
    from auditor.assess import _operative_scope

    assert _operative_scope(exception).kind == kind  # the paragraph that carves culture out names the division
    (reach,) = exception_reach([exception], [])
    assert reach.scope.kind == kind
