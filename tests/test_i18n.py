"""French and Spanish: every message the pages and reports show is translated, and the reader's language is chosen."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from auditor.i18n import CATALOGUES, STATUS_WORDS, negotiate, parse_accept_language, translations
from tests.conftest import REPO

METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def _extracted() -> set:
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    found = set()
    for folder in ("auditor", "api"):
        for _file, _line, message, _comments, _context in extract_from_dir(
                REPO / folder, METHOD_MAP, OPTIONS, keywords=keywords):
            found.add(message)
    return found


@pytest.mark.parametrize("locale", ["fr", "es"])
def test_every_message_has_a_translation(locale):
    with (CATALOGUES / locale / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    translated = {m.id: m.string for m in catalog if m.id}
    messages = _extracted()
    assert len(messages) > 120
    missing = [m for m in messages if not translated.get(m) or (isinstance(m, tuple) and not all(translated[m]))]
    assert not missing, f"untranslated in {locale} (pybabel extract / update, then translate): {missing[:10]}"
    for message, string in translated.items():  # the placeholders survive translation
        source = " ".join(message) if isinstance(message, tuple) else message
        target = " ".join(string) if isinstance(string, tuple) else string
        assert set(re.findall(r"%\(\w+\)s|%\(\w+\)d", source)) == set(re.findall(r"%\(\w+\)s|%\(\w+\)d", target)), message


@pytest.mark.parametrize("locale", ["fr", "es"])
def test_status_words_are_all_translated_and_differ_from_english(locale):
    gettext = translations(locale).gettext
    for word in STATUS_WORDS:
        if word in ("section", "article", "localisation", "non-discrimination"):
            continue  # the same word in French
        assert gettext(word) != word, (locale, word)


def test_plural_forms():
    assert translations("fr").ngettext("%(num)d provision", "%(num)d provisions", 1) == "%(num)d disposition"
    assert translations("es").ngettext("%(num)d provision", "%(num)d provisions", 7) == "%(num)d disposiciones"


@pytest.mark.parametrize("requested, header, expected", [
    (None, "fr-CH, fr;q=0.9, en;q=0.8", "fr"),
    (None, "de-DE, es;q=0.7, en;q=0.5", "es"),
    (None, "de, it", "en"),
    (None, "en;q=0.1, es;q=0.9", "es"),
    ("es", "fr", "es"),
    ("xx", "fr", "fr"),
    (None, "fr;q=0", "en"),
    (None, None, "en"),
    (None, "fr;q=abc, es", "es"),
])
def test_the_language_is_negotiated(requested, header, expected):
    assert negotiate(requested, header) == expected


def test_accept_language_order():
    assert parse_accept_language("en;q=0.5, fr, es;q=0.8") == ["fr", "es", "en"]


def test_the_report_speaks_the_readers_language_and_marks_what_stays_english():
    from auditor.pipeline import audit_file
    from auditor.report.audit import audit_html

    audit = audit_file(REPO / "agreements" / "chile-colombia-2006.tota.xml")
    english = {a.status for a in audit.assessments}
    for locale in ("fr", "es"):
        page = audit_html(audit, locale=locale)
        assert f'<html lang="{locale}">' in page
        badges = set(re.findall(r'<span class="status [^"]*">([^<]*)</span>', page))
        assert badges and not badges & english, (locale, badges & english)
        assert 'class="guideline-text" lang="en"' in page
    assert set(re.findall(r'<span class="status [^"]*">([^<]*)</span>', audit_html(audit))) <= english


def test_exports_in_french_and_spanish_keep_quoted_words_and_english_keys_by_default():
    import csv
    import io

    from openpyxl import load_workbook

    from auditor.pipeline import audit_file
    from auditor.report.audit import SCORECARD_COLUMNS, audit_xlsx, commitments_csv, negotiator_summary, scorecard_csv

    audit = audit_file(REPO / "agreements" / "chile-colombia-2006.tota.xml")
    english = {a.status for a in audit.assessments}
    assert next(csv.reader(io.StringIO(scorecard_csv(audit)))) == SCORECARD_COLUMNS  # the stable keys
    rows = list(csv.DictReader(io.StringIO(scorecard_csv(audit, locale="fr"))))
    assert list(rows[0])[:3] == ["Directive", "Instrument", "Statut"]
    assert {r["Statut"] for r in rows} and not {r["Statut"] for r in rows} & english
    assert [r["Constat"] for r in rows] == [a.rationale for a in audit.assessments]  # findings as written
    commitments = list(csv.DictReader(io.StringIO(commitments_csv(audit, locale="es"))))
    assert commitments and all(r["Resultado"] in ("expuesto", "protegido", "depende de las listas", "no exigible")
                               for r in commitments)
    book = load_workbook(io.BytesIO(audit_xlsx(audit, locale="es")))
    assert book.sheetnames == ["Cuadro de evaluación", "Compromisos digitales", "Inventario"]
    statuses = {row[2] for row in book["Cuadro de evaluación"].iter_rows(min_row=2, values_only=True)}
    assert statuses and not statuses & english
    from auditor.report.audit import audit_markdown

    markdown = audit_markdown(audit, locale="fr")
    assert "## En bref" in markdown and "## Tableau de bord" in markdown
    rows = [line.split(" | ") for line in markdown.splitlines() if line.startswith("| 1") or line.startswith("| 3")]
    assert rows and not {row[1] for row in rows} & english
    assert audit_markdown(audit) == audit_markdown(audit, locale="en") and "## In short" in audit_markdown(audit)
    summary = negotiator_summary(audit, "fr")
    assert summary.startswith("L’accord prend 2 engagements numériques contraignants.") and "Convention de 2005" in summary
