"""HTML and plain text inputs, language detection, format sniffing by content."""

from __future__ import annotations

import pytest

from auditor.errors import UnsupportedInput
from auditor.ingest import sniff_format
from auditor.ingest.language import detect_language
from auditor.pipeline import parse_bytes
from tests.conftest import tota

SPANISH = """TRATADO DE LIBRE COMERCIO

CAPÍTULO 1
DISPOSICIONES INICIALES

Artículo 1.1: Establecimiento de la Zona de Libre Comercio
Las Partes establecen una zona de libre comercio de conformidad con el Artículo XXIV del GATT de 1994.

Artículo 1.2: Relación con otros Acuerdos
Las Partes confirman los derechos y obligaciones existentes entre ellas.

CAPÍTULO 2
COMERCIO ELECTRÓNICO

Artículo 2.1: Derechos Aduaneros
Ninguna Parte podrá aplicar derechos aduaneros a los productos digitales transmitidos por medios electrónicos.
"""

FRENCH_HTML = """<!DOCTYPE html><html><head><title>Accord de libre-échange</title><style>p{}</style></head><body>
<h1>ACCORD</h1><p>Les Parties sont convenues de ce qui suit :</p>
<h2>CHAPITRE 1</h2><h2>DISPOSITIONS GÉNÉRALES</h2>
<h3>Article premier : Objet</h3><p>Le présent accord établit une zone de libre-échange entre les Parties.</p>
<h3>Article 2 : Exception culturelle</h3><p>Le présent accord ne s'applique pas aux industries culturelles.</p>
<script>alert(1)</script></body></html>"""


def test_spanish_text_headings():
    agreement = parse_bytes(SPANISH.encode("utf-8"))
    assert agreement.language == "es"
    assert [(p.chapter.number, p.number, p.title) for p in agreement.provisions if p.number] == [
        ("1", "1.1", "Establecimiento de la Zona de Libre Comercio"),
        ("1", "1.2", "Relación con otros Acuerdos"),
        ("2", "2.1", "Derechos Aduaneros"),
    ]
    assert agreement.chapters()[1].title == "Comercio Electrónico"


def test_french_html_headings_and_script_dropped():
    agreement = parse_bytes(FRENCH_HTML.encode("utf-8"))
    assert agreement.format == "html"
    assert agreement.language == "fr"
    assert agreement.title == "Accord de libre-échange"
    numbered = [p for p in agreement.provisions if p.number]
    assert [(p.number, p.title) for p in numbered] == [("1", "Objet"), ("2", "Exception culturelle")]
    assert all("alert" not in p.text for p in agreement.provisions)


def test_cp1252_text_is_decoded():
    agreement = parse_bytes("Article 1: Définitions\nLes Parties conviennent de ce qui suit.\n".encode("cp1252"))
    assert agreement.provisions[-1].title == "Définitions"


@pytest.mark.parametrize(
    ("head", "fmt"),
    [(b"%PDF-1.7\n", "pdf"), (b"<?xml version='1.0'?><treaty>", "tota-xml"), (b"<!DOCTYPE html><html>", "html"),
     (b"Article 1\nText", "text")],
)
def test_sniff_by_content(head, fmt):
    assert sniff_format(head) == fmt


def test_word_file_renamed_is_refused():
    with pytest.raises(UnsupportedInput, match="ZIP archive"):
        sniff_format(b"PK\x03\x04" + b"\x00" * 100)


@pytest.mark.parametrize(
    ("text", "lang"),
    [("The Parties shall cooperate in the field of culture.", "en"),
     ("Las Partes cooperarán en el ámbito de la cultura y del comercio electrónico.", "es"),
     ("Les Parties coopèrent dans le domaine de la culture et des industries culturelles.", "fr")],
)
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_tota_spanish_language():
    from auditor.pipeline import parse_file

    assert parse_file(tota(338)).language == "es"


def _docx_bytes(paragraphs: list[str]) -> bytes:
    import io

    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_draft_is_read_into_articles():
    from auditor.pipeline import parse_bytes

    data = _docx_bytes(["DRAFT AGREEMENT ON DIGITAL TRADE", "Article 1", "Scope",
                        "This Agreement applies to measures affecting trade by electronic means.",
                        "Article 2", "Cultural Industries",
                        "Nothing in this Agreement shall apply to measures with respect to cultural industries."])
    agreement = parse_bytes(data, source="draft.docx")
    assert agreement.format == "docx"
    assert [(p.number, p.title) for p in agreement.provisions if p.number] == [("1", "Scope"),
                                                                                ("2", "Cultural Industries")]


def test_a_zip_bomb_named_docx_is_refused_before_inflating(tmp_path):
    import io
    import zipfile

    from auditor.errors import DocumentTooLarge
    from auditor.pipeline import parse_bytes

    buffer = io.BytesIO(_docx_bytes(["Article 1", "Scope"]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/huge.bin", b"\0" * (300 * 1024 * 1024))
    with pytest.raises(DocumentTooLarge, match="inflates to"):
        parse_bytes(buffer.getvalue(), source="bomb.docx")


def test_markdown_headings_are_articles():
    from auditor.pipeline import parse_bytes

    text = ("# Digital Economy Agreement\n\n## Article 1: Definitions\n\nFor the purposes of this Agreement, "
            "digital product means a computer programme.\n\n## Article 11: Customs Duties on Electronic Transmissions"
            "\n\nNo Party shall impose customs duties on electronic transmissions.\n")
    agreement = parse_bytes(text.encode(), source="dea.md")
    assert [(p.number, p.title) for p in agreement.provisions if p.number] == [
        ("1", "Definitions"), ("11", "Customs Duties on Electronic Transmissions")]


def test_every_provision_knows_its_path(rcep_chapter12):
    from auditor.pipeline import parse_file

    paths = {p.number: p.path for p in parse_file(rcep_chapter12).provisions}
    assert paths["12.1"] == "Chapter 12 › Section A › Article 12.1"
    assert paths["12.11"] == "Chapter 12 › Section C › Article 12.11"
    assert paths["12.17"] == "Chapter 12 › Section E › Article 12.17"


def test_subsections_are_divisions_in_the_path():
    from auditor.pipeline import parse_bytes

    text = ("CHAPTER 8\nINVESTMENT\nSECTION F\nDIGITAL TRADE\nSub-section A: General Provisions\n"
            "Article 8.72\nScope\nThis Sub-section applies to measures affecting trade by electronic means.\n"
            "Sub-section B: Customs Duties\nArticle 8.73\nCustoms Duties\nNo Party shall impose customs duties on "
            "electronic transmissions.\n")
    agreement = parse_bytes(text.encode(), source="dea.txt")
    paths = {p.number: p.path for p in agreement.provisions if p.number}
    assert paths == {"8.72": "Chapter 8 › Section F › Subsection A › Article 8.72",
                     "8.73": "Chapter 8 › Section F › Subsection B › Article 8.73"}


def test_side_letters_are_containers_of_their_own():
    from auditor.pipeline import parse_bytes

    text = ("AGREEMENT\nArticle 1\nScope\nThis Agreement applies to trade in goods.\nArticle 2\nEntry into force\n"
            "This Agreement enters into force on signature.\n\nSIDE LETTER ON CULTURAL INDUSTRIES\n\n"
            "The Parties confirm that nothing in this Agreement affects measures for cultural industries.\n")
    agreement = parse_bytes(text.encode(), source="fta.txt")
    letter = agreement.provisions[-1]
    assert letter.annex is not None and letter.annex.title.lower() == "side letter on cultural industries"
    assert letter.path.lower() == "side letter on cultural industries"
    assert "cultural industries" in letter.text
    assert [p.number for p in agreement.provisions if p.number] == ["1", "2"]


def test_spanish_ordinal_article_numbers():
    from auditor.pipeline import parse_bytes

    text = ("TRATADO\nARTÍCULO 1°.- Objetivos\nLas Partes establecen una zona de libre comercio.\n"
            "Artículo 2º\nÁmbito\nEl presente Tratado se aplica al comercio de mercancías.\n")
    agreement = parse_bytes(text.encode(), source="tratado.txt")
    assert [(p.number, p.title) for p in agreement.provisions if p.number] == [("1", "Objetivos"), ("2", "Ámbito")]
