"""The interface in English, French or Spanish: the Convention's working languages and the corpus's.

Words a reader sees (page text, statuses, labels, scorecard headings, export columns) are
gettext messages in English; ``auditor/locales/{fr,es}/LC_MESSAGES/messages.po`` translate them
and are read with Babel at first use, so the catalogues in the repository are the ones served (no
compiled ``.mo`` to fall out of step). The engine's findings, written from what the text says, and
the guideline texts, of which the reference holds the English version only, stay in English and
are marked so (``lang="en"``). Maintain the catalogues with Babel's own commands (see
``babel.cfg``): ``pybabel extract`` then ``pybabel update``; ``tests/test_i18n.py`` fails while a
message has no translation.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

LOCALES = ("en", "fr", "es")
DEFAULT_LOCALE = "en"
CATALOGUES = Path(__file__).resolve().parent / "locales"
LANGUAGE_NAMES = {"en": "English", "fr": "Français", "es": "Español"}


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; it is translated where it is shown."""
    return message


# The words of the audit's data that a reader sees as they are: statuses, outcomes, bites, job states.
STATUS_WORDS = [
    N_("addressed"), N_("partly addressed"), N_("not addressed"), N_("in tension"), N_("depends on schedules"),
    N_("incomplete"), N_("not applicable"), N_("complete"), N_("not assessable from the text"),
    N_("shielded"), N_("exposed"), N_("not enforceable"), N_("high"), N_("medium"), N_("low"),
    N_("queued"), N_("running"), N_("done"), N_("failed"), N_("cancelling"), N_("none"),
    # Kinds of digital commitment, of exception scope and of digital provision.
    N_("customs duties on electronic transmissions"), N_("non-discrimination of digital products"),
    N_("non-discrimination extended to taxation"), N_("data flows"), N_("localisation"), N_("source code"),
    N_("agreement"), N_("article"), N_("chapter"), N_("part"), N_("section"), N_("annex"), N_("preamble"),
    N_("definition"), N_("unclear"), N_("customs duties"), N_("non-discrimination"), N_("other"),
]


@lru_cache(maxsize=None)
def translations(locale: str) -> gettext.NullTranslations:
    """The catalogue of ``locale``; English (and any locale without a catalogue) passes messages through."""
    path = CATALOGUES / locale / "LC_MESSAGES" / "messages.po"
    if locale == DEFAULT_LOCALE or not path.exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with path.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled)


def parse_accept_language(header: str | None) -> list[str]:
    """Language tags of an Accept-Language header, most wanted first ("fr-CH, fr;q=0.9, en;q=0.8")."""
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip().lower()))
    return [tag for _, _, tag in sorted(ranked)]


def negotiate(requested: str | None, accept_language: str | None = None) -> str:
    """The locale to serve: one asked for by name, else the browser's first language we have, else English."""
    if requested and requested.lower() in LOCALES:
        return requested.lower()
    for tag in parse_accept_language(accept_language):
        primary = tag.split("-")[0]
        if primary in LOCALES:
            return primary
        if tag == "*":
            break
    return DEFAULT_LOCALE


def template_environment(directory: Path, locale: str):
    """Jinja templates of ``directory`` speaking ``locale``: gettext installed once, in an environment of its own
    (never swapped between concurrent renders), with ``locale`` and ``english`` (the ``lang="en"`` attribute for
    what stays in English) as globals."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    env = Environment(loader=FileSystemLoader(str(directory)), autoescape=select_autoescape(["html"]),
                      extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(locale), newstyle=True)
    env.globals.update(locale=locale, english=Markup(' lang="en"') if locale != DEFAULT_LOCALE else "")
    return env
