"""Agreements as other collections extracted them (shared/corpus/wild): one real text per layout family.

Every expectation was read in the text itself. The families: a table of contents before the body
(in a text with no page breaks), the whole article run in on its heading line, compound numbers
(I-1, 3-04), a dash between the word and the number, numbering that restarts in a protocol far
down a long single-page text, Mac OS Roman with CR line ends, and RTF.
"""

from __future__ import annotations

import pytest

from auditor.pipeline import parse_file
from tests.conftest import CORPUS, shared_file

WILD = CORPUS / "wild"


def _parse(name: str):
    return parse_file(shared_file(WILD / name))


def _article(agreement, number: str, index: int = 0):
    found = [p for p in agreement.provisions if p.number == number]
    assert len(found) > index, f"no article {number} (index {index}) in {[p.number for p in agreement.provisions][:40]}"
    return found[index]


@pytest.mark.shared
def test_contents_first_then_the_body_in_a_text_without_pages():
    """Australia-Japan 2014: 'TABLE OF CONTENTS', every heading listed, then the body repeats them."""
    agreement = _parse("AUS-JPN_NA__2014O.txt")
    assert len(agreement.provisions) > 200
    first = _article(agreement, "1.1")
    assert first.title == "Establishment of a Free Trade Area"
    assert (first.chapter.number, first.chapter.title) == ("1", "General Provisions")
    assert first.text.startswith("The Parties hereby establish a free trade area")
    assert [p.number for p in agreement.provisions].count("1.1") == 1  # the contents' entry is no provision
    assert not any("Article 1.2 General Definitions" in p.text for p in agreement.provisions)


@pytest.mark.shared
def test_contents_first_in_mac_roman_with_cr_line_ends():
    """Cameroon-UK 2021, as the manytreaties package stores UK texts: Mac OS Roman, CR line ends."""
    agreement = _parse("CMR-GBR_NA__2021O.txt")
    assert len(agreement.provisions) > 100
    numbers = [p.number for p in agreement.provisions if p.number]
    assert numbers[:5] == ["1", "2", "3", "4", "5"]


@pytest.mark.shared
def test_article_text_run_in_on_the_heading_line():
    """Chile-Ecuador 1994: 'Article 2 - The products included in the tariff reduction program ...' on one line."""
    agreement = _parse("CHL-ECU_NA__1994O.txt")
    second = _article(agreement, "2")
    assert second.title is None
    assert second.text.startswith("The products included in the tariff reduction program established in Article 3")
    assert {str(n) for n in range(1, 30)} <= {p.number for p in agreement.provisions}


@pytest.mark.shared
def test_compound_numbers_with_the_chapter_first():
    """Brazil-Mexico 2002 ('Article I-1.- The objectives ...') and Mexico-Nicaragua 1997 ('Article 3-04: ...')."""
    brazil_mexico = _parse("BRA-MEX_NA__2002O.txt")
    numbers = [p.number for p in brazil_mexico.provisions if p.number]
    assert numbers[:6] == ["I-1", "I-2", "I-3", "I-4", "II-1", "II-2"]
    assert _article(brazil_mexico, "I-1").text.startswith("The objectives of this Agreement are:")
    mexico_nicaragua = _parse("MEX-NIC_NA__1997O.txt")
    tariff = _article(mexico_nicaragua, "3-04")
    assert tariff.title == "Tariff Elimination"
    assert tariff.text.startswith("1. Except as otherwise provided in this Agreement")


@pytest.mark.shared
def test_a_dash_between_the_word_and_the_number():
    """SAFTA 2004: 'Article – 1', 'Article – 2' ..."""
    agreement = _parse("STAFTA_2004O.txt")
    numbers = [p.number for p in agreement.provisions if p.number]
    assert [str(n) for n in range(1, 26)] == numbers[:25]


@pytest.mark.shared
def test_numbering_restarts_in_a_protocol_far_down_a_single_page_text():
    """Egypt-UK 2020: 11 articles, then Annex II's origin protocol numbers its 41 articles from 1. A line
    '1 Due to the Customs Treaty ...' halfway down is a footnote the extraction left inline, not the start
    of a footnote block that swallows the rest."""
    agreement = _parse("EGY-GBR_NA__2020O.txt")
    numbers = [p.number for p in agreement.provisions if p.number]
    assert numbers.count("1") == 2 and "41" in numbers
    assert any("Cumulation in Egypt" == (p.title or "") for p in agreement.provisions)
    assert _article(agreement, "41").text


@pytest.mark.shared
def test_rtf_is_read():
    """The EC-PLO interim agreement of 1997, as RTF."""
    agreement = _parse("ECPPLO_1997O.rtf")
    assert agreement.format == "rtf"
    assert agreement.title.startswith("Euro-Mediterranean Interim Association Agreement")
    assert len(agreement.provisions) > 100


def _to_rtf(text: str) -> bytes:
    """Text as Word would save it: a paragraph per line, non-ASCII letters as \\'xx (cp1252) or \\u escapes."""
    out = []
    for ch in text:
        if ch == "\n":
            out.append("\\par\n")
        elif ch in "\\{}":
            out.append("\\" + ch)
        elif ord(ch) < 128:
            out.append(ch)
        else:
            try:
                out.append("\\'%02x" % ch.encode("cp1252")[0])
            except UnicodeEncodeError:
                out.append(f"\\u{ord(ch) if ord(ch) < 32768 else ord(ch) - 65536}?")
    return ("{\\rtf1\\ansi\\ansicpg1252\\deff0{\\fonttbl{\\f0 Times New Roman;}}\\f0\\fs24 " + "".join(out) + "}").encode()


@pytest.mark.shared
def test_an_rtf_made_from_a_real_text_parses_to_the_same_articles(tmp_path):
    source = shared_file(WILD / "CHL-ECU_NA__1994O.txt")
    rtf = tmp_path / "chl-ecu.rtf"
    rtf.write_bytes(_to_rtf(source.read_text(encoding="utf-8")))
    from_text, from_rtf = parse_file(source), parse_file(rtf)
    assert [(p.number, p.title) for p in from_rtf.provisions] == [(p.number, p.title) for p in from_text.provisions]
    assert _article(from_rtf, "2").text == _article(from_text, "2").text


@pytest.mark.shared
def test_mac_roman_is_detected_and_recorded():
    agreement = _parse("CMR-GBR_NA__2021O.txt")
    assert agreement.encoding == "mac_roman"
    text = "\n".join(p.text for p in agreement.provisions)
    assert "Majesty’s" in text or "’" in text
    assert "Õs " not in text and "Ò" not in text


@pytest.mark.shared
def test_an_agreement_stored_as_one_line_reads_into_articles():
    """Hungary-Turkey 1997 as the collection stores it: the whole agreement on a single line."""
    source = shared_file(WILD / "HUN-TUR_NA__1997O.txt")
    assert source.read_bytes().count(b"\n") == 0
    agreement = parse_file(source)
    numbers = [p.number for p in agreement.provisions if p.number]
    assert len(numbers) >= 25 and numbers[:3] == ["1", "2", "3"]


@pytest.mark.shared
def test_the_parse_and_the_audit_say_when_the_reading_is_doubtful(tmp_path):
    """A protocol that amends another treaty article by article (CARICOM 1997) is not yet read into its
    parts: the parse says so, and so does every audit output, instead of a confident scorecard."""
    import json
    import subprocess
    import sys

    from tests.conftest import REPO

    weak = _parse("CRBBCS_1997P.txt")
    assert weak.structure_report.warnings and weak.structure_report.heading_lines > weak.structure_report.articles
    good = _parse("AUS-JPN_NA__2014O.txt")
    assert good.structure_report.warnings == [] and good.structure_report.contents_skipped
    source = str(WILD / "CRBBCS_1997P.txt")
    audit = subprocess.run([sys.executable, "-m", "auditor", "audit", source, "--no-precedents"],
                           capture_output=True, text=True, cwd=REPO, timeout=120)
    assert audit.returncode == 0, audit.stderr
    assert json.loads(audit.stdout)["agreement"]["structure_warnings"]
    html = subprocess.run([sys.executable, "-m", "auditor", "audit", source, "--no-precedents", "-f", "html"],
                          capture_output=True, text=True, cwd=REPO, timeout=120)
    assert "Reading doubtful" in html.stdout
    parse = subprocess.run([sys.executable, "-m", "auditor", "parse", source], capture_output=True, text=True,
                           cwd=REPO, timeout=120)
    assert "WARNING:" in parse.stdout


def _to_docx(text: str, path, footnote_after: str, footnote: str) -> None:
    """Text as a Word draft: CHAPTER lines in the Heading 1 style, list items as a Word numbered list (Word
    draws their numbers), and one footnote where ``footnote_after`` ends a paragraph."""
    import re
    import zipfile

    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.startswith("CHAPTER"):
            document.add_heading(line, level=1)
            continue
        item = re.match(r"^\(?\d{1,2}[.)]\s+(.*)$", line)
        paragraph = document.add_paragraph(item.group(1), style="List Number") if item else document.add_paragraph(line)
        if line.rstrip().endswith(footnote_after):
            run = OxmlElement("w:r")
            reference = OxmlElement("w:footnoteReference")
            reference.set(qn("w:id"), "1")
            run.append(reference)
            paragraph._p.append(run)
    document.save(str(path))
    notes = ('<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
             '<w:footnote w:id="1"><w:p><w:r><w:t>' + footnote + "</w:t></w:r></w:p></w:footnote></w:footnotes>")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("word/footnotes.xml", notes)


@pytest.mark.shared
def test_a_docx_made_from_a_real_text_parses_to_the_same_articles(tmp_path):
    source = shared_file(WILD / "CHL-ECU_NA__1994O.txt")
    path = tmp_path / "chl-ecu.docx"
    _to_docx(source.read_text(encoding="utf-8"), path, footnote_after="restrictions on reciprocal trade.",
             footnote="For greater certainty, restrictions include licences.")
    from_text, from_docx = parse_file(source), parse_file(path)
    assert from_docx.format == "docx"
    assert [(p.number, p.title) for p in from_docx.provisions if p.number] == \
        [(p.number, p.title) for p in from_text.provisions if p.number]
    chapters = [(d.number, d.title) for d in from_docx.divisions if d.kind == "chapter"]
    assert chapters == [(d.number, d.title) for d in from_text.divisions if d.kind == "chapter"]
    notes = [p for p in from_docx.provisions if "[1: For greater certainty, restrictions include licences.]" in p.text]
    assert len(notes) == 1


@pytest.mark.shared
def test_page_numbers_left_in_a_text_extraction_are_removed():
    """Australia-Malaysia 2012 as extracted: '- 12 -' lines between paragraphs, 148 of them."""
    import re

    source = shared_file(WILD / "AUS-MYS_NA__2012O.txt")
    assert len(re.findall(r"(?m)^\s*- \d+ -\s*$", source.read_text(encoding="utf-8"))) > 100
    agreement = parse_file(source)
    assert not any(re.search(r"(?m)^\s*- \d+ -\s*$", p.text) for p in agreement.provisions)


@pytest.mark.shared
def test_incorporation_by_reference_and_amendments_are_recorded():
    """The UK-Canada continuity agreement makes CETA part of itself and changes it article by article;
    Australia-Singapore only borrows GATT Article III, which makes no agreement of it."""
    continuity = _parse("CAN-GBR_NA__2020O.txt")
    assert continuity.incorporates == ["CETA"]
    changes = {(a.target, a.action, a.agreement) for a in continuity.amendments}
    assert ("Article 1.3, paragraph (b)", "replaced", "CETA") in changes
    assert any("incorporates CETA by reference" in w for w in continuity.structure_report.warnings)
    singapore = _parse("GBR-SGP_NA__2020O.txt")
    assert singapore.incorporates == ["EU-Singapore FTA"]
    assert ("Article 1 (Competent Authorities of the Union) of Annex 5-A", "replaced", "EU-Singapore FTA") in {
        (a.target, a.action, a.agreement) for a in singapore.amendments}  # which agreement, which division
    assert _parse("AUS-SGP_NA__2003O.txt").incorporates == []


@pytest.mark.shared
@pytest.mark.parametrize(("name", "header"), [
    ("CTDVEE_2008O.txt", r"CE/CI/en \d+"),  # EU-Côte d'Ivoire: the document symbol and page of every page
    ("ECKZKH_2015O.txt", r"Official Journal of the European Union"),  # EU-Kazakhstan as published in the OJ
])
def test_running_headers_left_in_a_text_extraction_are_removed(name, header):
    import re

    source = shared_file(WILD / name)
    assert len(re.findall(rf"(?m)^.*{header}.*$", source.read_text(encoding="utf-8"))) > 20
    agreement = parse_file(source)
    assert not any(re.search(rf"(?m)^\s*\S*\s*{header}", p.text) for p in agreement.provisions)


@pytest.mark.shared
def test_one_line_text_with_spaced_digits_in_article_numbers():
    """Bulgaria-Turkey 1998, stored as one line by OCR that spaced the digits: "Article 1 0 Technical barriers to
    trade", and titles run into the text with no separator ("Customs duties of a fiscal nature The provisions ...")."""
    agreement = _parse("BGR-TUR_NA__1998O.txt")
    numbers = [p.number for p in agreement.provisions if p.number]
    assert [str(n) for n in range(1, 34)] == numbers[:33]
    tenth = _article(agreement, "10")
    assert tenth.title == "Technical barriers to trade"
    assert tenth.chapter.number == "I"
    eleventh = _article(agreement, "11")
    assert (eleventh.title, eleventh.chapter.number) == ("Scope", "II")
    sixth = _article(agreement, "6")
    assert sixth.title == "Customs duties of a fiscal nature"
    assert sixth.text == "The provisions of Article 4 shall also apply to customs duties of a fiscal nature."
    assert not agreement.structure_report.warnings


@pytest.mark.shared
def test_untitled_articles_whose_text_runs_in_on_the_heading_line():
    """Georgia-Kazakhstan 1997: "Article 1 Guided by the principles ...", "Article 2 1. Sides do not impose ..."."""
    agreement = _parse("GEO-KAZ_NA__1997O.txt")
    assert {str(n) for n in range(1, 17)} <= {p.number for p in agreement.provisions}
    first, second = _article(agreement, "1"), _article(agreement, "2")
    assert first.title is None and first.text.startswith("Guided by the principles of equality, mutual advantage")
    assert second.title is None and second.text.startswith("1. Sides do not impose customs duties")
    assert _article(agreement, "15").title is None  # "In case of necessity, amendments ... may be entered" is text


@pytest.mark.shared
def test_numbers_spelt_out_and_a_same_line_sentence_that_is_no_title():
    """Jordan-Morocco 1994: "Article One This Agreement aims at the following :", "Article Two" ... "Article Ten"."""
    agreement = _parse("JOR-MAR_NA__1994O.txt")
    assert [str(n) for n in range(1, 11)] == [p.number for p in agreement.provisions if p.number][:10]
    first = _article(agreement, "1")
    assert first.title is None and first.text.startswith("This Agreement aims at the following")


@pytest.mark.shared
def test_contents_with_no_contents_line_above_them():
    """China-Iceland 2013: "FTA CONTENTS" (no marker the engine knows), Preamble, Chapter 1 ... Annex 9, then the body."""
    agreement = _parse("CHN-ISL_NA__2013O.txt")
    first = agreement.provisions[0]
    assert first.kind == "preamble"
    assert first.text.startswith("The Government of the People’s Republic of China (“China”) and the Government of")
    assert _article(agreement, "1").title == "Establishment of a Free Trade Area"
    assert agreement.structure_report.contents_skipped


@pytest.mark.shared
def test_a_protocol_with_its_own_contents_and_titles():
    """Albania-Romania 2003, Protocol 3 on rules of origin: its own list of Titles and Articles, then the body, where
    "ARTICLE 2" has its title on the next line in sentence case ("General requirements")."""
    agreement = _parse("ALB-ROU_NA__2003O.txt")
    protocol = [p for p in agreement.provisions if p.annex and p.annex.number == "3" and p.number]
    assert [p.number for p in protocol] == [str(n) for n in range(1, 39)]
    second = protocol[1]
    assert second.path == "Protocol 3 › Title II › Article 2"
    assert second.title == "General requirements"
    assert second.text.startswith("For the purpose of implementing this Agreement, the following products")
    assert protocol[-1].title == "Annexes"


@pytest.mark.shared
def test_titles_in_sentence_case_on_the_line_after_the_heading():
    """UK-Albania 2021: "Article 2" / "Definitions and interpretation" / "1. This 'instrument' means ..."."""
    agreement = _parse("ALB-GBR_NA__2021O.txt")
    second = _article(agreement, "2")
    assert second.title == "Definitions and interpretation"
    assert second.text.startswith("1. This ‘instrument’ means these Articles 1 to 12")


@pytest.mark.shared
def test_joint_declarations_are_provisions_of_their_own():
    """UK-Singapore 2020: the joint declarations after the protocols, titled and unnumbered."""
    agreement = _parse("GBR-SGP_NA__2020O.txt")
    declaration = next(p for p in agreement.provisions if p.annex and p.annex.title == "Joint Declaration on Financial "
                       "Services")
    assert declaration.text.startswith("With a view to deepening their regulatory cooperation in the financial services")
    assert declaration.path == "Joint Declaration on Financial Services"


@pytest.mark.shared
@pytest.mark.parametrize("name, title, signed", [
    ("CAN-GBR_NA__2020O.txt", "Agreement on Trade Continuity between the United Kingdom", "2020-12-09"),
    # "Royal CrestCanada No.1 (2020) Agreement on Trade Continuity ... Ottawa, 9 December 2020"
    ("GBR-SGP_NA__2020O.txt", "Free Trade Agreement between the United Kingdom", "2020-12-10"),  # "Crown logo Singapore No. 1"
    ("VTNMUK_2020O.txt", "Free Trade Agreement", "2020-12-29"),  # "... London, 29 December 2020"
    # Licence first, no date on the cover: the testimonium's "Done in duplicate at Cairo this fifth day of December 2020"
    ("EGY-GBR_NA__2020O.txt", "AGREEMENT ESTABLISHING AN ASSOCIATION BETWEEN THE UNITED KINGDOM", "2020-12-05"),
])
def test_command_paper_covers_give_the_title_and_the_date_of_signature(name, title, signed):
    """UK command papers open with the crest's alt text, a series number, the licence notice, then the title and
    "Place, day Month year"; the title is the instrument's name, the date the signature's."""
    agreement = _parse(name)
    assert agreement.title.lower().startswith(title.lower()), agreement.title
    assert agreement.date_signed == signed
