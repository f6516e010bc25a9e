"""Which language a page is shown in: ``?lang=`` (remembered in a cookie), else the browser's languages."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import Request
from fastapi.templating import Jinja2Templates

from auditor.i18n import LANGUAGE_NAMES, LOCALES, negotiate, template_environment

LANG_COOKIE = "auditor_lang"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=None)
def templates_for(locale: str) -> Jinja2Templates:
    """The page templates in one language, with the language switch's choices."""
    env = template_environment(TEMPLATE_DIR, locale)
    env.globals.update(locales=LOCALES, language_names=LANGUAGE_NAMES)
    return Jinja2Templates(env=env)


def request_locale(request: Request) -> str:
    """The language asked for in the query, else the one chosen before (cookie), else the browser's."""
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return negotiate(asked, request.headers.get("accept-language"))


def remember_locale(request: Request, response) -> None:
    """A language chosen with ``?lang=`` holds for the next pages."""
    asked = request.query_params.get("lang")
    if asked and asked.lower() in LOCALES and request.cookies.get(LANG_COOKIE) != asked.lower():
        response.set_cookie(LANG_COOKIE, asked.lower(), httponly=True, secure=True, samesite="lax", path="/",
                            max_age=365 * 86400)
