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
from auditor.report.safety import csv_rows, md_text

if TYPE_CHECKING:  # jinja2 loads only for the HTML rendering
    from jinja2 import Environment
    from markupsafe import Markup

TEMPLATES = Path(__file__).resolve().parent / "templates"
LABEL_NAMES = {
    "ecommerce": "E-commerce",
    "digital_products": "Digital products",
    "cultural_exception": "Cultural exception",
    "convention_reference": "2005 Convention",
    "cultural_diversity": "Cultural diversity",
    "cultural_cooperation": "Cultural cooperation",
    "preferential_treatment": "Preferential treatment",
    "right_to_regulate": "Right to regulate",
}
ATTRIBUTION = ("Texts of Trade Agreements (ToTA) by W. Alschner, J. Seiermann and D. Skougarevskiy, CC BY-NC 4.0 "
               "(precedents and ToTA-derived texts).")


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
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=INVENTORY_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(csv_rows(inventory_rows(audit)))
    return buf.getvalue()


def audit_markdown(audit: Audit) -> str:
    a = audit.agreement
    lines = [f"# Audit: {md_text(a.title) or 'agreement'}", ""]
    meta = [f"language {a.language}", f"{a.provisions} provisions"] + ([f"{a.pages} pages"] if a.pages else [])
    if a.date_signed:
        meta.insert(0, f"signed {a.date_signed}")
    lines += [", ".join(meta), ""]
    if a.incorporates:
        read = f"; read here with {md_text(', '.join(a.read_with))}" if a.read_with else (
            ": the guidelines that need the incorporated text say “incomplete” until it is supplied (--incorporates)")
        lines += [f"> **Incorporates by reference:** {md_text(', '.join(a.incorporates))}{read}.", ""]
    if a.amends:
        more = f" and {len(a.amends) - 12} more" if len(a.amends) > 12 else ""
        lines += [f"This text amends: {md_text('; '.join(a.amends[:12]))}{more}.", ""]
    if a.party_status:
        lines += [f"Parties: {md_text(a.party_status)}", ""]
    lines += [f"> **Reading doubtful:** {md_text(w)}\n" for w in a.structure_warnings]
    if audit.coverage and not audit.coverage.complete:
        missing = "; ".join(md_text(m.name) for m in audit.coverage.missing if m.kind != "schedules")
        lines += ["> **Coverage incomplete:** statuses that could depend on what is missing say “incomplete”."
                  + (f" Missing: {missing}." if missing else ""), ""]
    lines += ["## Scorecard", "", "| | Status | Finding | Decided by |", "| --- | --- | --- | --- |"]
    for g in audit.assessments:
        exposure = f" Exposure: {g.exposure}." if g.exposure and g.exposure != "none" else ""
        lines.append(f"| {g.id} | {g.status} | {md_text(g.rationale)}{exposure} | {md_text(g.decided_by)} |")
    if audit.commitments:
        lines += ["", "## Digital commitments and what reaches them", ""]
        for r in audit.commitments:
            lines.append(f"- **{md_text(r.citation)}** — {md_text(r.kind)}, {r.bite} bite"
                         f"{'' if r.binding else ', not binding'}: **{r.outcome}**")
            for t in r.tests:
                if t.found:
                    where = f" {md_text(t.citation)}" if t.citation else ""
                    lines.append(f"  - {t.test}:{where} — {md_text(t.note)}"
                                 + (f" “{md_text(t.words[:240])}”" if t.words else ""))
                else:
                    lines.append(f"  - {t.test}: none")
    if audit.tensions:
        lines += ["", "## Tensions", ""]
        lines += [f"- **{t.kind}** — {md_text(t.explanation)}" for t in audit.tensions]
    if audit.exceptions:
        lines += ["", "## Cultural exceptions and their reach", ""]
        lines += [f"- {md_text(e.explanation)}" for e in audit.exceptions]
    lines += ["", "## Inventory (roadmap 3.1)", ""]
    for p in audit.provisions:
        labels = ", ".join(LABEL_NAMES[label] for label in p.labels)
        lines.append(f"- **{md_text(p.citation)}** {p.pages} — {labels}")
        for label, spans in p.evidence.items():
            if spans:
                lines.append(f"  - {LABEL_NAMES[label]}: “{md_text(spans[-1].text[:240])}”")
    if audit.precedents:
        lines += ["", "## Precedents (roadmap 3.4)", ""]
        for pr in audit.precedents:
            lines.append(f"- for {md_text(pr.gap)}: **{md_text(pr.agreement)}** ({pr.year or 'n.d.'}), "
                         f"{md_text(pr.article)}{' — ' + md_text(pr.title) if pr.title else ''}: {md_text(pr.text[:300])}")
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


@lru_cache(maxsize=1)
def _environment() -> Environment:
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))
    env.filters["anchor"] = lambda pid: "p-" + "".join(ch if ch.isalnum() else "-" for ch in pid)
    env.filters["status_class"] = status_class
    env.globals.update(LABEL_NAMES=LABEL_NAMES, ATTRIBUTION=ATTRIBUTION, highlight=highlight)
    return env


def status_class(status: str) -> str:
    return status.replace(" ", "-")


def audit_html(audit: Audit) -> str:
    env = _environment()
    by_id = {p.id: p for p in audit.provisions}
    return env.get_template("audit.html").render(audit=audit, by_id=by_id)


RENDERERS = {"json": audit_json, "csv": audit_csv, "md": audit_markdown, "html": audit_html}
