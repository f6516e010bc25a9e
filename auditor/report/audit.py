"""Renderings of an audit: JSON (documented by schemas/audit.schema.json), CSV inventory, Markdown, standalone HTML."""

from __future__ import annotations

import csv
import html
import io
import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.assess.model import Audit, LabelledProvision
from auditor.i18n import DEFAULT_LOCALE, LOCALES, N_, template_environment, translations
from auditor.report.safety import csv_rows, md_text

if TYPE_CHECKING:  # jinja2 loads only for the HTML rendering
    from jinja2 import Environment
    from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"
LABEL_NAMES = {
    "ecommerce": N_("E-commerce"),
    "digital_products": N_("Digital products"),
    "cultural_exception": N_("Cultural exception"),
    "convention_reference": N_("2005 Convention"),
    "cultural_diversity": N_("Cultural diversity"),
    "cultural_cooperation": N_("Cultural cooperation"),
    "preferential_treatment": N_("Preferential treatment"),
    "right_to_regulate": N_("Right to regulate"),
}
ATTRIBUTION = ("Texts of Trade Agreements (ToTA) by W. Alschner, J. Seiermann and D. Skougarevskiy, CC BY-NC 4.0 "
               "(precedents and ToTA-derived texts).")


def negotiator_summary(audit: Audit, locale: str = DEFAULT_LOCALE) -> str:
    """What a culture ministry asks first, in plain words: the digital commitments and what protects culture."""
    words = translations(locale)
    _, ngettext = words.gettext, words.ngettext
    binding = [r for r in audit.commitments if r.binding]
    by_outcome = {o: [r for r in binding if r.outcome == o] for o in ("shielded", "depends on schedules",
                                                                       "not enforceable", "exposed")}
    if not audit.commitments:
        parts = [_("The agreement makes no digital commitments (customs duties on electronic transmissions, "
                   "non-discrimination of digital products, data flows, localisation, source code).")]
    else:
        first = ngettext("The agreement makes %(num)d binding digital commitment",
                   "The agreement makes %(num)d binding digital commitments", len(binding)) % {"num": len(binding)}
        aims = len(audit.commitments) - len(binding)
        if aims:
            first += " " + ngettext("(and %(num)d aim that binds no one)", "(and %(num)d aims that bind no one)",
                              aims) % {"num": aims}
        parts = [first + "."]
        said = {"shielded": lambda n: ngettext("a cultural carve-out covers %(num)d commitment",
                                         "a cultural carve-out covers %(num)d commitments", n),
                "depends on schedules": lambda n: ngettext(
                    "for %(num)d commitment, protection depends on the Parties' reservations (schedules)",
                    "for %(num)d commitments, protection depends on the Parties' reservations (schedules)", n),
                "not enforceable": lambda n: ngettext("%(num)d commitment cannot be enforced through dispute settlement",
                                                "%(num)d commitments cannot be enforced through dispute settlement", n),
                "exposed": lambda n: ngettext("%(num)d commitment nothing cultural reaches",
                                        "%(num)d commitments nothing cultural reaches", n)}
        found = [said[o](len(rs)) % {"num": len(rs)} for o, rs in by_outcome.items() if rs]
        if found:
            parts.append(_("Of these, %(list)s.") % {"list": "; ".join(found)})
        high = [r for r in by_outcome["exposed"] if r.bite == "high"]
        if high:
            parts.append(_("Most exposed: %(list)s.") % {"list": ", ".join(f"{_(r.kind)} ({r.citation})" for r in high)})
    conv = next((g for g in audit.assessments if g.id == "19.1"), None)
    if conv is not None:
        parts.append(_("The 2005 Convention is named.") if conv.status == "addressed" else
                     _("The 2005 Convention is not named."))
    if audit.coverage and not audit.coverage.complete:
        missing = [m.name for m in audit.coverage.missing if m.kind != "schedules"]
        parts.append(_("The text read is incomplete (%(missing)s): where it matters, the scorecard says so.")
                     % {"missing": "; ".join(missing)} if missing else
                     _("The text read is incomplete (its structure was not fully recognised): where it matters, the "
                       "scorecard says so."))
    return " ".join(parts)


def commitment_rows(audit: Audit) -> list[dict]:
    """The negotiator's table: each digital commitment, where it is, and the cultural carve-out that covers it.

    Only a cultural clause is a cultural carve-out; what else limits the commitment (the Parties' schedules,
    an exclusion from dispute settlement) is said beside it, not in its place."""
    by_id = {p.id: p for p in audit.provisions}
    rows = []
    for r in audit.commitments:
        p = by_id.get(r.commitment)
        cover = next((t for t in r.tests if t.found and t.effect == "shields"), None)
        others = [t for t in r.tests if t.found and t.effect in ("depends on schedules", "not enforceable")]
        rows.append({"commitment": r.kind, "article": r.citation, "pages": p.pages if p else "",
                     "binding": "yes" if r.binding else "no (an aim)", "bite": r.bite, "outcome": r.outcome,
                     "cultural_carve_out": (cover.citation or "") if cover else "none",
                     "scope": cover.note if cover else "", "words": (cover.words or "") if cover else "",
                     "other_protection": "; ".join(f"{t.effect}: {t.citation}" if t.citation else t.effect
                                                   for t in others),
                     "others": [(t.effect, t.citation or "") for t in others],  # the same, for the pages
                     "provision_id": r.commitment})
    return rows


COMMITMENT_COLUMNS = ["commitment", "article", "pages", "binding", "bite", "outcome", "cultural_carve_out", "scope",
                      "words", "other_protection", "provision_id"]


def _csv(columns: list[str], rows: list[dict]) -> str:
    """CSV with formula-looking cells neutralised (a spreadsheet must not run what a treaty text says)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(csv_rows(rows))
    return buf.getvalue()


# Column headings in the reader's language (``locale``); without one the headings are the stable keys above.
COLUMN_NAMES = {
    "guideline": N_("Guideline"), "instrument": N_("Instrument"), "status": N_("Status"), "exposure": N_("Exposure"),
    "finding": N_("Finding"), "decided_by": N_("Decided by"), "evidence": N_("Evidence"), "text": N_("Text"),
    "commitment": N_("Commitment"), "article": N_("Article"), "pages": N_("Pages"), "binding": N_("Binding"),
    "bite": N_("Bite"), "outcome": N_("Outcome"), "cultural_carve_out": N_("Cultural carve-out that covers it"),
    "scope": N_("Scope"), "words": N_("Words"), "other_protection": N_("Other limits on the commitment"),
    "provision_id": N_("Provision id"), "title": N_("Title"),
    "path": N_("Place in the agreement"), "chapter": N_("Chapter"), "annex": N_("Annex"), "labels": N_("Labels"),
    "exception_scope": N_("Exception scope"), "sectors": N_("Sectors"), "digital_kind": N_("Digital provision"),
    "ecommerce_topics": N_("E-commerce topics"),
}
# Cells whose words are the engine's vocabulary (statuses, outcomes, kinds), translated with the headings.
_VOCABULARY_COLUMNS = {"status", "exposure", "outcome", "bite", "commitment", "binding", "digital_kind", "exception_scope"}
BINDING_WORDS = (N_("yes"), N_("no (an aim)"))  # the values of the binding column


def localised(columns: list[str], rows: list[dict], locale: str) -> tuple[list[str], list[dict]]:
    """Headings and vocabulary cells in ``locale``; quoted text, findings and citations as they are."""
    if locale == DEFAULT_LOCALE or locale not in LOCALES:
        return columns, rows
    _ = translations(locale).gettext
    headings = {c: _(COLUMN_NAMES.get(c, c)) for c in columns}
    out = [{headings[c]: (_(str(row.get(c))) if c in _VOCABULARY_COLUMNS and row.get(c) else row.get(c, ""))
            for c in columns} for row in rows]
    return [headings[c] for c in columns], out


def commitments_csv(audit: Audit, locale: str = DEFAULT_LOCALE) -> str:
    return _csv(*localised(COMMITMENT_COLUMNS, commitment_rows(audit), locale))


SCORECARD_COLUMNS = ["guideline", "instrument", "status", "exposure", "finding", "decided_by", "evidence", "text"]


def scorecard_rows(audit: Audit) -> list[dict]:
    by_id = {p.id: p for p in audit.provisions}
    return [{"guideline": g.id, "instrument": g.instrument, "status": g.status, "exposure": g.exposure or "",
             "finding": g.rationale, "decided_by": g.decided_by,
             "evidence": "; ".join(by_id[i].citation for i in g.evidence if i in by_id), "text": g.text}
            for g in audit.assessments]


def scorecard_csv(audit: Audit, locale: str = DEFAULT_LOCALE) -> str:
    return _csv(*localised(SCORECARD_COLUMNS, scorecard_rows(audit), locale))


def audit_xlsx(audit: Audit, locale: str = DEFAULT_LOCALE) -> bytes:
    """The audit as a workbook: the scorecard, the digital commitments and the inventory, one sheet each."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    _ = translations(locale if locale in LOCALES else DEFAULT_LOCALE).gettext
    book = Workbook()
    sheets = [(_("Scorecard"), *localised(SCORECARD_COLUMNS, scorecard_rows(audit), locale)),
              (_("Digital commitments"), *localised(COMMITMENT_COLUMNS, commitment_rows(audit), locale)),
              (_("Inventory"), *localised(INVENTORY_COLUMNS, inventory_rows(audit), locale))]
    for n, (name, columns, rows) in enumerate(sheets):
        sheet = book.active if n == 0 else book.create_sheet()
        sheet.title = name
        sheet.append(columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in csv_rows(rows):  # formula-looking cells neutralised, as in the CSV
            sheet.append([str(row.get(c, ""))[:32000] for c in columns])
        for column in sheet.columns:
            width = min(60, max(10, *(len(str(c.value or "")) for c in list(column)[:50])))
            sheet.column_dimensions[column[0].column_letter].width = width
            for cell in column:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def download_name(audit: Audit, kind: str, extension: str, day: str) -> str:
    """ "rcep-audit-2026-12-02.xlsx": a name a ministry can file, from the title (ASCII, short)."""
    import re
    import unicodedata

    title = unicodedata.normalize("NFKD", audit.agreement.title or "agreement").encode("ascii", "ignore").decode()
    acronym = re.fullmatch(r".*\(([A-Z]{3,10})\).*", title)
    words = re.findall(r"[A-Za-z0-9]+", title.lower())
    slug = acronym.group(1).lower() if acronym else "-".join(words[:6]) or "agreement"
    return f"{slug}-{kind}-{day}.{extension}"


def audit_json(audit: Audit) -> str:
    return json.dumps(audit.model_dump(mode="json"), ensure_ascii=False, indent=2)


INVENTORY_COLUMNS = ["provision_id", "article", "title", "path", "chapter", "annex", "pages", "labels", "exception_scope",
                     "sectors", "digital_kind", "ecommerce_topics", "evidence"]


def inventory_rows(audit: Audit) -> list[dict]:
    rows = []
    for p in audit.provisions:
        evidence = " | ".join(f"{label}: {spans[0].text[:200]}" for label, spans in p.evidence.items() if spans)
        rows.append({
            "provision_id": p.id, "article": p.number or p.kind, "title": p.title or "", "path": p.path or "",
            "chapter": p.chapter_title or p.chapter or "", "annex": p.annex or "", "pages": p.pages,
            "labels": ";".join(p.labels), "exception_scope": p.exception_scope.kind if p.exception_scope else "",
            "sectors": ";".join(p.sectors), "digital_kind": p.digital_kind or "",
            "ecommerce_topics": ";".join(p.ecommerce_topics), "evidence": evidence,
        })
    return rows


def audit_csv(audit: Audit) -> str:
    return _csv(INVENTORY_COLUMNS, inventory_rows(audit))


def audit_markdown(audit: Audit, locale: str = DEFAULT_LOCALE) -> str:
    """The report as Markdown, in ``locale``: headings, statuses and vocabulary translated, findings as written."""
    words = translations(locale if locale in LOCALES else DEFAULT_LOCALE)
    _, ngettext = words.gettext, words.ngettext
    a = audit.agreement
    lines = [f"# {_('Audit')}: {md_text(a.title) or _('agreement')}", ""]
    meta = [f"{_('Language').lower()} {a.language}",
            ngettext("%(num)d provision", "%(num)d provisions", a.provisions) % {"num": a.provisions}] + (
        [ngettext("%(num)d page", "%(num)d pages", a.pages) % {"num": a.pages}] if a.pages and a.format == "pdf" else [])
    if a.date_signed:
        meta.insert(0, f"{_('Signed').lower()} {a.date_signed}")
    lines += [", ".join(meta), ""]
    if a.incorporates:
        read = f"; read here with {md_text(', '.join(a.read_with))}" if a.read_with else (
            ": the guidelines that need the incorporated text say “incomplete” until it is supplied (--incorporates)")
        lines += [f"> **Incorporates by reference:** {md_text(', '.join(a.incorporates))}{read}.", ""]
    if a.amends:
        more = f" and {len(a.amends) - 12} more" if len(a.amends) > 12 else ""
        lines += [f"This text amends: {md_text('; '.join(a.amends[:12]))}{more}.", ""]
    if a.document_warning:
        lines += [f"> **{_('Not a treaty?')}** {md_text(a.document_warning)}", ""]
    if a.ocr_pages:
        lines += [ngettext("%(num)d page read by OCR from scanned images (mean word confidence %(confidence)s%%): check "
                           "quoted words against the original.",
                           "%(num)d pages read by OCR from scanned images (mean word confidence %(confidence)s%%): check "
                           "quoted words against the original.", a.ocr_pages)
                  % {"num": a.ocr_pages, "confidence": a.ocr_confidence}, ""]
    if a.party_status:
        lines += [f"{_('Parties')}: {md_text(a.party_status)}", ""]
    lines += [f"## {_('In short')}", "", md_text(negotiator_summary(audit, locale)), ""]
    rows = commitment_rows(audit)
    if rows:
        lines += [f"| {_('Digital commitment')} | {_('Article')} | {_('Cultural carve-out that covers it')} | "
                  f"{_('Outcome')} |", "| --- | --- | --- | --- |"]
        for row in rows:
            carve = f"**{_('none')}**" if row["cultural_carve_out"] == "none" else md_text(row["cultural_carve_out"])
            if row["others"]:
                others = "; ".join(f"{_(effect)}: {citation}" if citation else _(effect) for effect, citation in row["others"])
                carve += f" ({_('Other limits on the commitment').lower()}: {md_text(others)})"
            bite = _("%(bite)s bite") % {"bite": _(row["bite"])}
            lines.append(f"| {md_text(_(row['commitment']))} ({bite}) | {md_text(row['article'])} "
                         f"{row['pages']} | {carve} | {_(row['outcome'])} |")
        lines.append("")
    lines += [f"> **{_('Reading doubtful:')}** {md_text(w)}\n" for w in a.structure_warnings]
    if audit.coverage and not audit.coverage.complete:
        missing = "; ".join(md_text(m.name) for m in audit.coverage.missing if m.kind != "schedules")
        lines += [f"> **{_('Coverage incomplete:')}** "
                  + _("statuses that could depend on what is missing say “%(status)s”.") % {"status": _("incomplete")}
                  + (f" Missing: {missing}." if missing else ""), ""]
    lines += [f"## {_('Scorecard')}", "", f"| | {_('Status')} | {_('Finding')} | {_('Decided by')} |",
              "| --- | --- | --- | --- |"]
    for g in audit.assessments:
        exposure = f" {_('Exposure')}: {_(g.exposure)}." if g.exposure and g.exposure != "none" else ""
        lines.append(f"| {g.id} | {_(g.status)} | {md_text(g.rationale)}{exposure} | {md_text(g.decided_by)} |")
    if audit.commitments:
        lines += ["", f"## {_('Digital commitments and what reaches them')}", ""]
        for r in audit.commitments:
            bite = _("%(bite)s bite") % {"bite": _(r.bite)}
            lines.append(f"- **{md_text(r.citation)}** — {md_text(_(r.kind))}, {bite}"
                         f"{'' if r.binding else ', ' + _('not binding')}: **{_(r.outcome)}**")
            for t in r.tests:
                if t.found:
                    where = f" {md_text(t.citation)}" if t.citation else ""
                    lines.append(f"  - {t.test}:{where} — {md_text(t.note)}"
                                 + (f" “{md_text(t.words[:240])}”" if t.words else ""))
                else:
                    lines.append(f"  - {t.test}: {_('none')}")
    if audit.tensions:
        lines += ["", f"## {_('Tensions')}", ""]
        lines += [f"- **{t.kind}** — {md_text(t.explanation)}" for t in audit.tensions]
    if audit.exceptions:
        lines += ["", f"## {_('Cultural exceptions and their reach')}", ""]
        lines += [f"- {md_text(e.explanation)}" for e in audit.exceptions]
    lines += ["", f"## {_('Inventory of provisions (roadmap 3.1)')}", ""]
    for p in audit.provisions:
        labels = ", ".join(_(LABEL_NAMES[label]) for label in p.labels)
        lines.append(f"- **{md_text(p.citation)}** {p.pages} — {labels}")
        for label, spans in p.evidence.items():
            if spans:
                lines.append(f"  - {_(LABEL_NAMES[label])}: “{md_text(spans[-1].text[:240])}”")
    if audit.precedents:
        lines += ["", f"## {_('Precedents (roadmap 3.4)')}", ""]
        by_id = {p.id: p for p in audit.provisions}
        for pr in audit.precedents:
            gap = (_("For %(gap)s:") % {"gap": by_id[pr.gap].citation} if pr.gap in by_id
                   else _("For guideline %(gap)s:") % {"gap": pr.gap})
            text = " ".join(pr.text.split())[:300]
            lines.append(f"- {md_text(gap)} **{md_text(pr.agreement)}** ({pr.year or _('n.d.')}), "
                         f"{md_text(pr.article)}{' — ' + md_text(pr.title) if pr.title else ''}: {md_text(text)}")
        lines += ["", f"_{ATTRIBUTION}_"]
    return "\n".join(lines) + "\n"


def highlight(p: LabelledProvision) -> Markup:
    """Provision text as HTML with the evidence spans marked; overlapping spans are merged."""
    from markupsafe import Markup

    spans = sorted({(s.start, s.end, label) for label, ss in p.evidence.items() for s in ss if s.end - s.start < 400},
                   key=lambda t: (t[0], -t[1]))
    merged: list[list] = []
    for start, end, label in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].add(label)
        else:
            merged.append([start, end, {label}])
    out, pos = [], 0
    for start, end, labels in merged:
        out.append(html.escape(p.text[pos:start]))
        names = ", ".join(LABEL_NAMES[label] for label in sorted(labels))
        out.append(f'<mark title="{html.escape(names)}">{html.escape(p.text[start:end])}</mark>')
        pos = end
    out.append(html.escape(p.text[pos:]))
    return Markup("".join(out))


@lru_cache(maxsize=None)
def _environment(locale: str = DEFAULT_LOCALE) -> Environment:
    """The report's templates in one language; what stays in English (findings written from the text, guideline
    texts) carries ``{{ english }}``, so screen readers and browsers know."""
    env = template_environment(TEMPLATES, locale)
    env.filters["anchor"] = lambda pid: "p-" + "".join(ch if ch.isalnum() else "-" for ch in pid)
    env.filters["status_class"] = status_class
    env.globals.update(LABEL_NAMES=LABEL_NAMES, ATTRIBUTION=ATTRIBUTION, highlight=highlight,
                       negotiator_summary=lambda audit: negotiator_summary(audit, locale),
                       commitment_rows=commitment_rows)
    return env


def status_class(status: str) -> str:
    return status.replace(" ", "-")


def audit_html(audit: Audit, source_url: str | None = None, locale: str = DEFAULT_LOCALE) -> str:
    """The report; with ``source_url`` (the uploaded PDF, as the service serves it) page references open that page."""
    env = _environment(locale if locale in LOCALES else DEFAULT_LOCALE)
    by_id = {p.id: p for p in audit.provisions}
    return env.get_template("audit.html").render(audit=audit, by_id=by_id, source_url=source_url)


RENDERERS = {"json": audit_json, "csv": audit_csv, "md": audit_markdown, "html": audit_html, "xlsx": audit_xlsx,
             "scorecard": scorecard_csv, "commitments": commitments_csv}
