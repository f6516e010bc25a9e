"""The classifier on real provisions: each label, each codebook trap, French and Spanish, the CLI contract."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from auditor.classify import LABELS, ProvisionInput, load_classifier
from auditor.classify.rules import CueRules
from auditor.pipeline import parse_file
from tests.conftest import GOLD, REPO, shared_file, tota


@pytest.fixture(scope="module")
def classifier():
    return load_classifier()


@pytest.fixture(scope="module")
def rules():
    return CueRules()


def _provisions(treaty: int) -> dict:
    agreement = parse_file(tota(treaty))
    return {p.id: (p, agreement.language) for p in agreement.provisions}


def _classify(classifier, provision, language="en"):
    chapter = provision.chapter.title if provision.chapter else None
    return classifier.predict([ProvisionInput(provision.id, provision.text, chapter, language)])[0]


@pytest.fixture(scope="module")
def canada_korea():
    return _provisions(146)


@pytest.fixture(scope="module")
def eu_korea():
    return _provisions(145)


@pytest.mark.parametrize(
    ("pid", "expected"),
    [
        ("tota:146:13069", {"ecommerce", "digital_products"}),  # 13.3 Customs Duties (electronic transmissions)
        ("tota:146:13075", {"ecommerce", "digital_products"}),  # 13.9 Definitions
        ("tota:146:13070", {"ecommerce"}),  # 13.4 Protection of Personal Information
        ("tota:146:13178", {"cultural_exception"}),  # 22.6 Cultural Industries
        ("tota:146:13044", {"cultural_exception"}),  # 11.1 Telecommunications scope: broadcasting carved out
        ("tota:146:12884", {"cultural_cooperation"}),  # 1.6 Cultural Cooperation
        ("tota:146:13173", {"right_to_regulate"}),  # 22.1 General Exceptions
    ],
)
def test_canada_korea_labels(classifier, canada_korea, pid, expected):
    provision, language = canada_korea[pid]
    result = _classify(classifier, provision, language)
    assert expected <= set(result.labels), (provision.title, result.labels, result.scores)


def test_convention_reference_and_diversity(classifier, eu_korea):
    provision, _ = eu_korea["tota:145:12870"]  # 15.10: Protocol on Cultural Cooperation tied to the 2005 Convention
    result = _classify(classifier, provision)
    assert {"convention_reference", "cultural_diversity"} <= set(result.labels)
    spans = result.evidence["convention_reference"]
    assert any("Diversity of Cultural Expressions" in s["text"] or "UNESCO" in s["text"] for s in spans)


def test_preferential_treatment_in_rcep_footnotes(classifier, rcep):
    """Every RCEP e-commerce article that Cambodia (Lao PDR, Myanmar) need not apply for some years
    (said in a footnote, "this Article" or "this paragraph") is a transition period in digital trade."""
    deferred, others = [], []
    for p in rcep.provisions_in_chapter("12"):
        text = p.text + "\n" + "\n".join(f.text for f in p.footnotes)
        result = classifier.predict([ProvisionInput(p.id, text, "Electronic Commerce")])[0]
        said = re.search(r"(Cambodia|Lao PDR|Myanmar)[^.]{0,40} shall not be obliged to apply this",
                         " ".join(text.split()))
        (deferred if said else others).append((p.number, set(result.labels)))
    assert [n for n, _ in deferred] == ["12.5", "12.6", "12.7", "12.8", "12.9", "12.10", "12.14", "12.15"]
    assert all({"ecommerce", "preferential_treatment"} <= labels for _, labels in deferred), deferred
    assert not any("preferential_treatment" in labels for _, labels in others), others


def test_digital_products_always_implies_ecommerce(classifier):
    rows = [json.loads(line) for line in shared_file(GOLD / "dev.jsonl").read_text().splitlines()]
    results = classifier.predict([ProvisionInput(r["id"], r["text"], r.get("chapter")) for r in rows])
    assert all("ecommerce" in r.labels for r in results if "digital_products" in r.labels)


def test_every_dev_label_has_evidence_inside_the_text(classifier):
    rows = [json.loads(line) for line in shared_file(GOLD / "dev.jsonl").read_text().splitlines()]
    results = classifier.predict([ProvisionInput(r["id"], r["text"], r.get("chapter")) for r in rows])
    assert sum(len(r.labels) for r in results) > 150
    for row, result in zip(rows, results):
        for label in result.labels:
            spans = result.evidence[label]
            assert spans, (row["id"], label)
            for span in spans:
                assert row["text"][span["start"]:span["end"]] == span["text"]
        assert set(result.scores) == set(LABELS)


def _provision(treaty: int, pid: str):
    return next(p for p in parse_file(tota(treaty)).provisions if p.id == pid)


def test_broadcasting_carved_out_by_other_than(rules):
    """EU-Colombia/Peru: the telecoms framework covers "telecommunications services, other than broadcasting"."""
    provision = _provision(395, "tota:395:32698")
    result = rules.analyse(provision.text)
    assert result.fired["cultural_exception"]
    assert any("broadcasting" in e.text for e in result.evidence["cultural_exception"])


def test_cue_phrase_across_printed_line_breaks(rules):
    """ToTA keeps the printed lines: the Convention's title runs over three of them in EU-Central America."""
    provision = _provision(388, "tota:388:31090")
    assert "UNESCO\n" in provision.text or "of\n" in provision.text  # the title really is wrapped
    result = rules.analyse(provision.text)
    assert result.fired["convention_reference"]
    spans = result.evidence["convention_reference"]
    cue = spans[0]
    assert provision.text[cue.start:cue.end] == cue.text
    assert " ".join(cue.text.split()).lower().startswith("convention on the protection and promotion")


def test_wrapped_lines_join_but_list_items_stay_apart():
    from auditor.classify.rules import normalise_whitespace, sentence_bounds

    text = ("10. The Community shall support the efforts deployed by the OCT public\n  and private actors in the "
            "field of information technology and\n  telecommunications to:\n\n  (a) modernise telecommunications "
            "infrastructure;\n  (b) increase electronic commerce and economic cooperation;\nSHORT HEADING\nNext line.")
    normalised, mapping = normalise_whitespace(text)
    sentences = [normalised[s:e] for s, e in sentence_bounds(normalised)]
    assert sentences[0].endswith("information technology and telecommunications to:")
    assert sentences[1].startswith("(a) modernise") and sentences[2].startswith("(b) increase")
    assert "SHORT HEADING" in sentences  # a short line without a stop is a heading, not a wrapped sentence
    k = normalised.index("electronic commerce")
    assert text[mapping(k):mapping(k) + len("electronic")] == "electronic"


def test_preferential_treatment_aid_to_developing_parties_in_ecommerce(classifier):
    """Codebook: e-commerce capacity building for developing Parties (AANZFTA's e-commerce cooperation)."""
    provision = _provision(327, "tota:327:23910")
    assert "assistance to the developing Parties" in " ".join(provision.text.split())
    result = _classify(classifier, provision)
    assert {"ecommerce", "preferential_treatment"} <= set(result.labels)
    assert any("developing" in e["text"].lower() for e in result.evidence["preferential_treatment"])


def test_preferential_treatment_from_a_list_lead_in(rules):
    """EU-OCT: "The Community shall support ... the OCT ... to:" governs "(g) increase electronic commerce"."""
    provision = _provision(134, "tota:134:11446")
    assert rules.analyse(provision.text).fired["preferential_treatment"]


def test_trap_developing_as_a_verb_is_no_beneficiary(classifier, rules):
    """EU-Colombia/Peru competition: "technical assistance ... developing a competition culture"."""
    provision = _provision(395, "tota:395:32823")
    assert "developing a competition culture" in " ".join(provision.text.split())
    result = _classify(classifier, provision)
    assert not {"preferential_treatment", "cultural_cooperation"} & set(result.labels)
    assert not rules.analyse(provision.text).fired["preferential_treatment"]


# ---- the codebook's traps, each with a real negative


def test_trap_heritage_only_exception_is_not_cultural(classifier):
    agreement = parse_file(tota(106))
    provision = next(p for p in agreement.provisions if p.id == "tota:106:9939")  # GATT XX copy: national treasures
    assert "national treasures" in provision.text
    result = _classify(classifier, provision)
    assert "cultural_exception" not in result.labels
    assert "right_to_regulate" in result.labels


def test_trap_customs_electronic_procedures_are_not_ecommerce(classifier):
    agreement = parse_file(tota(327))
    provision = next(p for p in agreement.provisions if p.id == "tota:327:23828")  # Use of Automated Systems
    assert "electronic" in provision.text.lower()
    assert "ecommerce" not in _classify(classifier, provision).labels


def test_trap_agricultural_is_not_cultural(classifier, rules):
    agreement = parse_file(tota(1))
    provision = next(p for p in agreement.provisions if p.id == "tota:1:21")  # Export Subsidy on Agricultural Products
    assert "agricultural" in provision.text.lower()
    result = _classify(classifier, provision)
    assert not {"cultural_exception", "cultural_cooperation", "cultural_diversity"} & set(result.labels)
    assert rules.analyse(provision.text).counts["CULT_SECTOR"] == 0


def test_trap_patent_exclusions_echo_gatt_xx_but_are_ip_rules(classifier, rules):
    """Korea-Australia 13.x: "exclude from patentability ... to protect human, animal or plant life or health"."""
    provision = _provision(343, "tota:343:26374")
    assert "human, animal or plant life or health" in " ".join(provision.text.split())
    assert not rules.analyse(provision.text).fired["right_to_regulate"]
    assert "right_to_regulate" not in _classify(classifier, provision).labels


def test_spanish_general_exception_for_services(rules):
    """Costa Rica-Mexico: "... impedir que una Parte adopte o aplique medidas: a. necesarias para proteger la moral"."""
    provision, language = _provisions(18)["tota:18:1951"]
    assert language == "es"
    result = rules.analyse(provision.text, "es")
    assert result.fired["right_to_regulate"]
    assert not result.fired["cultural_exception"]  # its only cultural element is national treasures


def test_no_culture_label_without_a_cultural_word(classifier):
    """EU-Mexico services scope: "with the exception of air services" reads like a carve-out to a
    linear model, but names no culture; the codebook's cultural labels need culture named."""
    provision = _provision(39, "tota:39:5346")
    assert "with the exception of air services" in " ".join(provision.text.split())
    result = _classify(classifier, provision)
    assert not {"cultural_exception", "cultural_cooperation", "cultural_diversity"} & set(result.labels)


def test_trap_film_in_origin_notes_glued_to_definitions(classifier, rules):
    """CAFTA-DR's general definitions carry textile origin notes: "extrusion of filaments, strips, film, or sheet"."""
    provision = _provision(23, "tota:23:2771")
    assert "strips, film, or sheet" in " ".join(provision.text.split())
    assert not rules.analyse(provision.text, chapter=provision.chapter.title).fired["cultural_exception"]
    assert "cultural_exception" not in _classify(classifier, provision).labels


def test_trap_film_in_rules_of_origin_annex(classifier, rcep):
    annex = [p for p in rcep.provisions if p.annex is not None and p.annex.number == "3A"]
    assert annex and any("film" in p.text.lower() for p in annex)
    for p in annex:
        result = classifier.predict([ProvisionInput(p.id, p.text, "Rules of Origin")])[0]
        assert "cultural_exception" not in result.labels


# ---- Spanish and French rules on real ToTA sentences


def test_spanish_digital_products_and_general_exceptions(rules):
    provisions = _provisions(338)
    duties, _ = provisions["tota:338:25364"]  # Aranceles Aduaneros a Productos Digitales
    result = rules.analyse(duties.text, "es", "Comercio Electrónico")
    assert result.fired["digital_products"] and result.fired["ecommerce"]
    assert any(e.text.lower() == "productos digitales" for e in result.evidence["digital_products"])
    exceptions, _ = provisions["tota:338:25442"]  # Excepciones Generales
    result = rules.analyse(exceptions.text, "es", "Excepciones")
    assert result.fired["right_to_regulate"]
    assert any("Artículo XX del GATT" in e.text for e in result.evidence["right_to_regulate"])


def test_spanish_deferral_for_developing_parties(rules):
    rows = [json.loads(line) for line in shared_file(GOLD / "es.jsonl").read_text().splitlines()]
    row = next(r for r in rows if r["id"] == "tota:450:40723")  # TPP (es): Brunei and Viet Nam may defer
    result = rules.analyse(row["text"], "es", row["chapter"])
    assert result.fired["preferential_treatment"] and result.fired["ecommerce"]


def test_french_agriculture_is_not_culture(rules):
    provision, language = _provisions(88)["tota:88:8890"]  # WAEMU treaty, Article 4
    assert language == "fr" and "agriculture" in provision.text
    result = rules.analyse(provision.text, "fr")
    assert result.counts["CULT_SECTOR"] == 0
    assert not any(result.fired.values())


def test_french_cues_match_french_phrases(rules):
    # The French phrase lists are real: the tokenizer and matcher work on French text.
    text = ("Le présent chapitre ne s'applique pas aux industries culturelles. "
            "Les Parties coopèrent en vue de favoriser les coproductions audiovisuelles.")
    result = rules.analyse(text, "fr")
    assert result.fired["cultural_exception"] and result.fired["cultural_cooperation"]


# ---- the command line contract


def test_classify_cli_keeps_order_and_reports_bad_lines(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join([
        json.dumps({"id": "a", "text": "Each Party shall maintain its practice of not imposing customs duties on "
                                       "electronic transmissions.", "chapter": "Electronic Commerce"}),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "This Agreement shall not apply to measures relating to cultural industries."}),
        json.dumps({"id": "d", "text": "The Parties shall exchange information on tariffs."}),
    ]) + "\n")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "auditor", "classify", str(source), "-o", str(out)],
                          capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "in.jsonl:2: skipped" in proc.stderr and "in.jsonl:3: skipped" in proc.stderr
    assert "Traceback" not in proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == ["a", "c", "d"]
    assert {"ecommerce", "digital_products"} <= set(rows[0]["labels"])
    assert "cultural_exception" in rows[1]["labels"]
    assert rows[2]["labels"] == []
    for row in rows:
        assert set(row) == {"id", "language", "labels", "scores", "evidence"}
        assert row["language"] == "en"
        assert set(row["evidence"]) == set(row["labels"])


def test_classify_cli_refuses_a_model_of_another_format(tmp_path):
    """A model directory trained by an older engine (format 2, scikit-learn objects) is refused with the fix."""
    models = tmp_path / "models"
    models.mkdir()
    (models / "classifier.skops").write_bytes(b"PK\x03\x04")
    config = json.loads((REPO / "models" / "classifier.json").read_text())
    config["format_version"] = 2
    (models / "classifier.json").write_text(json.dumps(config))
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "a", "text": "Electronic commerce."}) + "\n")
    out = tmp_path / "out.jsonl"
    proc = subprocess.run([sys.executable, "-m", "auditor", "classify", str(source), "-o", str(out),
                           "--models", str(models)], capture_output=True, text=True, cwd=REPO, timeout=300)
    assert proc.returncode == 3, proc.stderr
    assert "has format 2; this engine reads format 3" in proc.stderr
    assert "auditor train" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("treaty", "pid", "quote"),
    [
        # Thailand-NZ SPS objectives name the aim of GATT XX(b) but keep no space for it.
        (27, "tota:27:3571", "while protecting human, animal or plant life or health"),
        # A licence for a new financial service "may only be refused for prudential reasons".
        (156, "tota:156:14589", "may only be refused for prudential reasons"),
    ],
)
def test_trap_policy_aims_without_policy_space(classifier, rules, treaty, pid, quote):
    """The gold data's right-to-regulate provisions quote these aims inside exceptions, so a model
    learns the quote; the codebook's label needs the capacity to regulate kept."""
    provision = _provision(treaty, pid)
    assert quote in " ".join(provision.text.split())
    result = rules.analyse(provision.text)
    assert not result.policy_space
    assert not result.fired["right_to_regulate"]
    assert "right_to_regulate" not in _classify(classifier, provision).labels


def test_prudential_carve_out_keeps_policy_space(classifier):
    """US-Peru 12.10: "a Party shall not be prevented from adopting or maintaining measures for
    prudential reasons", reaching the investment and e-commerce chapters (codebook convention)."""
    provision = _provision(156, "tota:156:14593")
    assert "right_to_regulate" in _classify(classifier, provision).labels


@pytest.mark.parametrize(
    ("treaty", "pid", "language", "frame"),
    [
        (414, "tota:414:35839", "es", "No obstante lo previsto"),  # Dominican Rep.-Central America: "podrán adoptar"
        (88, "tota:88:8965", "fr", "conservent la faculté"),  # WAEMU treaty: a GATT XX-style reservation
    ],
)
def test_policy_space_frames_in_spanish_and_french(rules, treaty, pid, language, frame):
    provision, agreement_language = _provisions(treaty)[pid]
    assert agreement_language == language
    assert frame in " ".join(provision.text.split())
    result = rules.analyse(provision.text, language)
    assert result.policy_space
    assert result.fired["right_to_regulate"]


def test_customs_duties_moratorium_settles_digital_products_in_spanish(classifier, rules):
    """Mexico-Panama: "Ninguna Parte podrá aplicar derechos aduaneros ... de productos digitales".
    With few Spanish examples the model scores it under its threshold; the moratorium is the
    codebook's first kind of digital-products provision, so the rule settles it."""
    provision, language = _provisions(417)["tota:417:36333"]
    assert language == "es"
    assert rules.analyse(provision.text, "es").settled >= {"digital_products", "ecommerce"}
    result = _classify(classifier, provision, language)
    assert {"digital_products", "ecommerce"} <= set(result.labels)
    assert any("productos digitales" in e["text"] for e in result.evidence["digital_products"])


@pytest.mark.parametrize(
    ("treaty", "pid", "quote"),
    [
        (416, "tota:416:36072", "electronic or paper media"),
        (335, "tota:335:24951", "designated electronic media"),
    ],
)
def test_trap_media_where_procurement_notices_are_published(classifier, rules, treaty, pid, quote):
    """A notice "published in the electronic or paper media listed in Appendix 7" names a
    publication channel, not the media sector."""
    provision = _provision(treaty, pid)
    assert quote in " ".join(provision.text.lower().split())
    assert rules.analyse(provision.text).counts["PASSING"] > 0
    assert "cultural_exception" not in _classify(classifier, provision).labels


_CULTURE_WORD = re.compile(r"cultur|audio|broadcast|film|cinem|music|media|artist|radio|televis|publish|co-?produc"
                           r"|creative|entertainment|programm|unesco", re.IGNORECASE)


@pytest.mark.parametrize("treaty", [98, 427, 146])  # EU-Tunisia, EU-Georgia, Canada-Korea
def test_cultural_labels_point_at_culture(classifier, treaty):
    """Where the model alone decides a cultural label, its evidence is a sentence that names culture
    (EU-Tunisia's "(e) cultural matters;", not the "(a) intra-regional trade" item above it)."""
    agreement = parse_file(tota(treaty))
    items = [ProvisionInput(p.id, p.text, p.chapter.title if p.chapter else None, agreement.language or "en")
             for p in agreement.provisions]
    checked = 0
    for result in classifier.predict(items):
        for label in {"cultural_exception", "cultural_diversity", "cultural_cooperation"} & set(result.labels):
            assert any(_CULTURE_WORD.search(e["text"]) for e in result.evidence[label]), (result.id, label)
            checked += 1
    assert checked


def test_classify_cli_detects_spanish_without_the_language_field(tmp_path):
    """Hand-coded Spanish provisions fed as a researcher would (id, text, chapter) score as when told "es"."""
    rows = [json.loads(line) for line in shared_file(GOLD / "es.jsonl").read_text().splitlines()]
    scores = {}
    for told in (False, True):
        source = tmp_path / f"in-{told}.jsonl"
        source.write_text("".join(json.dumps({"id": r["id"], "text": r["text"], "chapter": r.get("chapter"),
                                              **({"language": "es"} if told else {})}, ensure_ascii=False) + "\n"
                                  for r in rows), encoding="utf-8")
        out = tmp_path / f"out-{told}.jsonl"
        proc = subprocess.run([sys.executable, "-m", "auditor", "classify", str(source), "-o", str(out)],
                              capture_output=True, text=True, cwd=REPO, timeout=300)
        assert proc.returncode == 0, proc.stderr
        predicted = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
        assert {r["language"] for r in predicted.values()} == {"es"}
        tp = sum(len(set(r["labels"]) & set(predicted[r["id"]]["labels"])) for r in rows)
        fp = sum(len(set(predicted[r["id"]]["labels"]) - set(r["labels"])) for r in rows)
        fn = sum(len(set(r["labels"]) - set(predicted[r["id"]]["labels"])) for r in rows)
        scores[told] = 2 * tp / (2 * tp + fp + fn)
    assert scores[False] == scores[True] > 0.85


def test_gold_files_without_the_language_field_are_evaluated_in_their_language(tmp_path):
    """`auditor evaluate` reads gold lines as `classify` does: no language field, the detected one."""
    from auditor.classify.gold import load_gold

    told = load_gold(shared_file(GOLD / "es.jsonl"))
    bare = tmp_path / "es-bare.jsonl"
    bare.write_text("".join(json.dumps({k: v for k, v in json.loads(line).items() if k != "language"},
                                       ensure_ascii=False) + "\n"
                            for line in (GOLD / "es.jsonl").read_text().splitlines()), encoding="utf-8")
    assert [g.item.language for g in load_gold(bare)] == [g.item.language for g in told] == ["es"] * len(told)
    assert {g.item.language for g in load_gold(GOLD / "dev.jsonl")} == {"en"}  # the English splits stay English
