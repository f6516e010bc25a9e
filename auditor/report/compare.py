"""Two audits side by side: the same scorecard, differences marked."""

from __future__ import annotations

import html
import json

from pydantic import BaseModel

from auditor.assess.model import Audit
from auditor.classify.rules import LABELS
from auditor.report.safety import md_text


class ComparisonRow(BaseModel):
    id: str
    first: str
    second: str
    differs: bool
    text: str = ""
    first_rationale: str = ""
    second_rationale: str = ""
    first_evidence: list[str] = []
    second_evidence: list[str] = []
    reason: str = ""


class Comparison(BaseModel):
    first: str
    second: str
    scorecard: list[ComparisonRow]
    label_counts: dict[str, tuple[int, int]]
    tensions: tuple[int, int]
    first_commitments: list[dict] = []
    second_commitments: list[dict] = []


def _evidence(audit: Audit, ids: list[str], limit: int = 4) -> list[str]:
    by_id = {p.id: p for p in audit.provisions}
    return [f"{by_id[i].citation}{' ' + by_id[i].pages if by_id[i].pages else ''}" for i in ids[:limit] if i in by_id]


def compare_audits(a: Audit, b: Audit) -> Comparison:
    """The two scorecards row by row, each side with its finding and evidence, and why a row differs."""
    from auditor.report.audit import commitment_rows

    other = {g.id: g for g in b.assessments}
    rows = []
    for g in a.assessments:
        h = other.get(g.id)
        differs = h is None or g.status != h.status
        reason = ""
        if differs and h is not None:
            reason = (f"A is “{g.status}” ({g.decided_by or 'see its finding'}); "
                      f"B is “{h.status}” ({h.decided_by or 'see its finding'}).")
        rows.append(ComparisonRow(id=g.id, first=g.status, second=h.status if h else "-", differs=differs, text=g.text,
                                  first_rationale=g.rationale, second_rationale=h.rationale if h else "",
                                  first_evidence=_evidence(a, g.evidence), second_evidence=_evidence(b, h.evidence)
                                  if h else [], reason=reason))
    counts = {label: (sum(label in p.labels for p in a.provisions), sum(label in p.labels for p in b.provisions))
              for label in LABELS}
    return Comparison(first=a.agreement.title or "first", second=b.agreement.title or "second", scorecard=rows,
                      label_counts=counts, tensions=(len(a.tensions), len(b.tensions)),
                      first_commitments=commitment_rows(a), second_commitments=commitment_rows(b))


def compare_text(c: Comparison) -> str:
    """Titles in full on their own lines (they run to a hundred characters); the columns are named A and B."""
    width = max([len(r.first) for r in c.scorecard] + [1]) + 2
    lines = [f"A: {c.first}", f"B: {c.second}", "", f"{'':6} {'A':{width}} B"]
    for r in c.scorecard:
        lines.append(f"{r.id:6} {r.first:{width}} {r.second}{'   <- differs' if r.differs else ''}")
    lines += ["", f"{'':24} {'A':>4} {'B':>4}", f"{'tensions':24} {c.tensions[0]:>4} {c.tensions[1]:>4}"]
    for label, (x, y) in c.label_counts.items():
        lines.append(f"{label:24} {x:>4} {y:>4}{'   <- differs' if x != y else ''}")
    return "\n".join(lines) + "\n"


def compare_markdown(c: Comparison) -> str:
    lines = [f"| | {md_text(c.first)} | {md_text(c.second)} |", "| --- | --- | --- |"]
    for r in c.scorecard:
        mark = "**" if r.differs else ""
        lines.append(f"| {r.id} | {mark}{r.first}{mark} | {mark}{r.second}{mark} |")
    lines.append(f"| tensions | {c.tensions[0]} | {c.tensions[1]} |")
    for label, (x, y) in c.label_counts.items():
        lines.append(f"| {label} | {x} | {y} |")
    return "\n".join(lines) + "\n"


def compare_html(c: Comparison) -> str:
    rows = "".join(
        f'<tr class="{"differs" if r.differs else ""}"><th>{r.id}</th><td>{html.escape(r.first)}</td>'
        f"<td>{html.escape(r.second)}</td></tr>" for r in c.scorecard)
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width, initial-scale=1'><title>Comparison</title><style>body{{font:16px system-ui;"
            f"max-width:50rem;margin:auto;padding:1rem}}td,th{{padding:.4rem;border-bottom:1px solid #ddd;text-align:left}}"
            f"tr.differs{{background:#fff1a8}}</style></head><body><h1>Scorecards compared</h1><table><thead><tr><th></th>"
            f"<th>{html.escape(c.first)}</th><th>{html.escape(c.second)}</th></tr></thead><tbody>{rows}</tbody></table>"
            f"</body></html>")


COMPARE_RENDERERS = {"text": compare_text, "md": compare_markdown, "html": compare_html,
                     "json": lambda c: json.dumps(c.model_dump(mode="json"), indent=2, ensure_ascii=False)}
