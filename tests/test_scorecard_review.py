"""The scorecard against the December 2026 review by a trade-and-culture lawyer (shared/reviews/scorecard-2026-12).

One test per agreement of the review; each assertion is a row of the review, with the status the review argues
for, checked against the treaty text. Where this engine holds a different status than the review, the test says
why. The statuses are decided as the codebook says ("How each status is decided").
"""

from __future__ import annotations

import pytest

from auditor.pipeline import audit_agreement, parse_file
from tests.conftest import CORPUS, shared_file, tota

pytestmark = pytest.mark.shared


def _audit(path):
    return audit_agreement(parse_file(path), with_precedents=False)


def _row(audit, gid):
    return next(g for g in audit.assessments if g.id == gid)


def _reach(audit, number):
    return next(r for r in audit.commitments if audit.provision(r.commitment).number == number)


def _test(reach, name):
    return next(t for t in reach.tests if t.test == name)


@pytest.fixture(scope="module")
def rcep_audit(rcep):
    return audit_agreement(rcep, with_precedents=False)


def test_rcep(rcep_audit):
    audit = rcep_audit
    # 18.2: the deferrals for Cambodia, Laos, Myanmar, Viet Nam and Brunei favour no cultural goods or services.
    assert _row(audit, "18.2").status == "not addressed" and "context" in _row(audit, "18.2").rationale
    # 19.4 / 3.4: 12.3.4 takes 12.14 and 12.15 out for scheduled non-conforming measures; 12.17.3 bars dispute
    # settlement; no digital-products non-discrimination rule. "Fair: low exposure, depends on schedules."
    g194 = _row(audit, "19.4")
    assert (g194.status, g194.exposure) == ("depends on schedules", "low")
    assert audit.tensions == []
    location = _reach(audit, "12.14")
    assert _test(location, "non-conforming measures").provision == "art-12.3"
    assert _test(location, "dispute settlement").provision == "art-12.17"
    assert (_row(audit, "3.4").status, _row(audit, "3.4").exposure) == ("not addressed", "low")
    # 19.5: 17.12 applies GATT XX and GATS XIV to Chapter 12; SPS (5.9) and MFN (8.6) are never evidence.
    assert _test(location, "general exception").found
    evidence = {audit.provision(i).number for i in _row(audit, "19.5").evidence if audit.provision(i)}
    assert not evidence & {"2.11", "5.9", "8.6"}
    # 3.1: the inventory, with what is missing (the schedules of non-conforming measures are separate volumes).
    assert _row(audit, "3.1").status == "incomplete" and "schedules" in _row(audit, "3.1").rationale


def test_aanzfta(aanzfta):
    audit = audit_agreement(aanzfta, with_precedents=False)
    # 18.2: Chapter 10 Article 9(e) is e-commerce legal assistance, not a cultural preference.
    assert _row(audit, "18.2").status == "not addressed"
    # Chapter 15 Article 1: the creative-arts paragraph (4) operates for Chapters 8 and 11, not the whole agreement.
    general = next(e for e in audit.exceptions if audit.provision(e.exception).title == "General Exceptions")
    assert general.scope.kind == "chapter" and set(general.scope.chapters) == {"8", "11"}
    # 19.4: nothing reaches Chapter 10 (E-commerce). "Fair status: partly."
    assert _row(audit, "19.4").status == "partly addressed"
    assert "none of which reaches the e-commerce rules" in _row(audit, "19.4").rationale
    # 3.4: low exposure is not a cultural clause.
    assert _row(audit, "3.4").status == "not addressed"


def test_canada_korea():
    audit = _audit(tota(146))
    # 19.3: 1.6.3 names the Department of Canadian Heritage and the Ministry of Culture, Sports and Tourism.
    assert _row(audit, "19.3").status == "addressed"
    assert any(audit.provision(i).number == "1.6" for i in _row(audit, "19.3").evidence)
    # 18.2: both Parties are developed.
    assert _row(audit, "18.2").status == "not applicable"
    # 19.4 stands: the agreement-wide cultural-industries exemption (22.6) reaches the customs-duty commitment.
    assert _row(audit, "19.4").status == "addressed"
    assert _reach(audit, "13.3").outcome == "shielded"
    # 19.5: the SPS Committee (5.5) is no policy space.
    assert not any(audit.provision(i).number == "5.5" for i in _row(audit, "19.5").evidence if audit.provision(i))


def test_eu_korea():
    audit = _audit(tota(145))
    # 18.1: the Protocol on Cultural Cooperation is an integral part but not in the text read: flag it, assert nothing.
    missing = [m.name for m in audit.coverage.missing]
    assert "Protocol on Cultural Cooperation" in missing
    assert _row(audit, "18.1").status == "incomplete" and "Protocol on Cultural Cooperation" in _row(audit, "18.1").rationale
    # 19.3: fn 88 gives the Committee on Cultural Cooperation the Trade Committee's functions for the Protocol.
    assert _row(audit, "19.3").status == "addressed"
    # 19.4: the 7.48 moratorium is low-bite; the review's fair status is "addressed or partly".
    assert _reach(audit, "7.48").bite == "low"
    assert _row(audit, "19.4").status == "addressed" and _row(audit, "19.4").exposure == "low"
    # 19.5: 15.10.3 names the Convention and the Chapter 7 exclusions keep policy space: addressed.
    assert _row(audit, "19.5").status == "addressed"
    assert _row(audit, "3.1").status == "incomplete"


def test_tpp():
    audit = _audit(tota(449))
    # 18.1 / 19.3: 21.2.2(b) only says cooperation "may include ... culture": noted, not counted; no culture body.
    assert _row(audit, "18.1").status == "not addressed" and "noted, not counted" in _row(audit, "18.1").rationale
    assert _row(audit, "19.3").status == "not addressed"
    # 18.2: the 14.18 grace period and the 14.8/14.14 footnotes are not cultural.
    assert _row(audit, "18.2").status == "not addressed"
    # 14.4's own carve-outs (14.4.4 broadcasting) and 14.2.6's link to the Annex I/II reservations are read.
    digital_products = _reach(audit, "14.4")
    assert _test(digital_products, "same article").effect == "shields"
    assert "broadcasting" in _test(digital_products, "same article").words
    assert _test(digital_products, "non-conforming measures").found
    assert _test(_reach(audit, "14.11"), "non-conforming measures").provision == \
        _test(digital_products, "non-conforming measures").provision
    # 29.8 is "subject to each Party's international obligations" and reaches nothing.
    tk = next(e for e in audit.exceptions if audit.provision(e.exception).number == "29.8")
    assert tk.reaches == []
    # The real tension the audit missed: 29.4.6(b) applies 14.4 to taxation measures (streaming levies).
    taxation = _reach(audit, "29.4")
    assert taxation.kind == "non-discrimination extended to taxation" and taxation.outcome == "exposed"
    assert any(t.commitment == taxation.commitment for t in audit.tensions)
    assert _row(audit, "19.4").status == "in tension" and _row(audit, "19.4").exposure == "high"
    # 19.5: 29.1.3 applies GATS XIV to Chapter 14 (policy space without a cultural ground); the Convention is unnamed.
    assert _test(digital_products, "general exception").found
    assert _row(audit, "19.5").status == "partly addressed"


def test_eu_colombia_peru():
    audit = _audit(tota(395))
    # The testimonium with the footnotes glued to it is no cultural exception of agreement-wide scope.
    assert not any(audit.provision(e.exception).text.lstrip().startswith("IN WITNESS") for e in audit.exceptions)
    assert not any(e.scope.kind == "agreement" and e.binding for e in audit.exceptions)
    # 162.3 deems a delivery by electronic means a service under Chapter 3, whose Article 118(a) excludes
    # audiovisual services.
    moratorium = _reach(audit, "162")
    deemed = _test(moratorium, "deemed service")
    assert deemed.found and deemed.effect == "shields" and audit.provision(deemed.provision).number == "118"
    # 19.4: "Fair status: partly" — binding audiovisual exclusions, none with a scope over the e-commerce rules.
    assert _row(audit, "19.4").status == "partly addressed"
    # 3.4: the engine holds "addressed" where the review says partly: the only digital commitment (162.3) is reached
    # by the audiovisual exclusion through the deemed-service link, which is what activity 3.4 asks for.
    assert _row(audit, "3.4").status == "addressed"
    # 18.x: Colombia and Peru are developing, so the gap is real.
    assert _row(audit, "18.2").status == "not addressed" and "COL" in _row(audit, "18.2").rationale


def test_australia_japan_plain_text():
    audit = _audit(shared_file(CORPUS / "wild" / "AUS-JPN_NA__2014O.txt"))
    assert audit.agreement.provisions > 200 and not audit.agreement.structure_warnings
    # 3.1 / 3.4: Chapter 13 has 13.3 (customs duties) and 13.4 (non-discrimination of digital products).
    kinds = {audit.provision(r.commitment).number: r.kind for r in audit.commitments}
    assert kinds == {"13.3": "customs duties on electronic transmissions",
                     "13.4": "non-discrimination of digital products"}
    # 19.4: 13.4.4 preserves "measures in the audio-visual and broadcasting sectors" through the reservations.
    digital_products = _reach(audit, "13.4")
    assert _test(digital_products, "same article").effect == "depends on schedules"
    assert "audio-visual and broadcasting" in _test(digital_products, "same article").words
    assert _row(audit, "19.4").status == "depends on schedules"
    # 19.5: 1.9 applies GATT XX and GATS XIV to Chapter 13; the carve-out above keeps cultural policy space.
    assert _test(digital_products, "general exception").found
    assert _row(audit, "19.5").status == "partly addressed"
    # 18.2: Japan and Australia are developed.
    assert _row(audit, "18.2").status == "not applicable"
