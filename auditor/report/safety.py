"""What every export does to text that came from a document: a spreadsheet never runs it, Markdown never renders it.

A cell starting with ``= + - @`` (or a tab or carriage return) is a formula to Excel, LibreOffice and
Google Sheets: ``=HYPERLINK(...)`` in an article title would run when an analyst opens the inventory.
Such cells get a leading apostrophe (OWASP's advice), which the spreadsheet shows as text. Markdown
passes HTML through to the page that renders it, so document text is escaped there.
"""

from __future__ import annotations

import html

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def csv_rows(rows: list[dict]) -> list[dict]:
    return [{key: csv_cell(value) for key, value in row.items()} for row in rows]


def md_text(text: str | None) -> str:
    """Document text for Markdown: HTML escaped, table pipes and line breaks kept out of the structure."""
    return html.escape(text or "", quote=False).replace("|", "/").replace("\n", " ")
