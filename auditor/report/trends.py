"""Corpus view: share of agreements with each label and each scorecard status, by decade of signature."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, Field

from auditor.assess.model import Audit
from auditor.classify.rules import LABELS
from auditor.report.safety import csv_rows


class AgreementSummaryRow(BaseModel):
    """What the corpus view needs of one audit: small enough to keep for hundreds of agreements."""

    title: str | None = None
    year: int | None = None
    language: str | None = None
    labels: list[str] = Field(default_factory=list)
    statuses: dict[str, str] = Field(default_factory=dict)
    has_ecommerce_chapter: bool = False
    tensions: int = 0

    @classmethod
    def from_audit(cls, audit: Audit) -> "AgreementSummaryRow":
        date = audit.agreement.date_signed or ""
        chapters = {p.chapter_title or "" for p in audit.provisions if "ecommerce" in p.labels}
        return cls(
            title=audit.agreement.title,
            year=int(date[:4]) if date[:4].isdigit() else None,
            language=audit.agreement.language,
            labels=sorted({label for p in audit.provisions for label in p.labels}),
            statuses={g.id: g.status for g in audit.assessments},
            has_ecommerce_chapter=any("commerce" in c.lower() or "comercio electr" in c.lower() or "digital" in c.lower()
                                      for c in chapters),
            tensions=len(audit.tensions),
        )


def decade(year: int | None) -> str:
    return f"{year // 10 * 10}s" if year else "undated"


FEATURES = ["ecommerce_chapter"] + LABELS + ["tension"]


def _has(row: AgreementSummaryRow, feature: str) -> bool:
    if feature == "ecommerce_chapter":
        return row.has_ecommerce_chapter
    if feature == "tension":
        return row.tensions > 0
    return feature in row.labels


def trend_table(rows: list[AgreementSummaryRow]) -> list[dict]:
    groups: dict[str, list[AgreementSummaryRow]] = defaultdict(list)
    for row in rows:
        groups[decade(row.year)].append(row)
    table = []
    for key in sorted(groups, key=lambda k: (k == "undated", k)):
        members = groups[key]
        entry = {"decade": key, "agreements": len(members)}
        for feature in FEATURES:
            n = sum(_has(r, feature) for r in members)
            entry[feature] = n
            entry[f"{feature}_share"] = round(n / len(members), 3)
        table.append(entry)
    return table


def status_table(rows: list[AgreementSummaryRow]) -> list[dict]:
    out = []
    ids = sorted({gid for r in rows for gid in r.statuses}, key=lambda g: [int(x) for x in g.split(".")])
    for gid in ids:
        counts: dict[str, int] = defaultdict(int)
        for r in rows:
            counts[r.statuses.get(gid, "-")] += 1
        out.append({"guideline": gid, **{k: counts[k] for k in ("addressed", "partly addressed", "not addressed",
                                                                 "in tension", "not assessable from the text")}})
    return out


def _write_csv(path: Path, rows: list[dict]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        if rows:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(csv_rows(rows))
    return path


def write_trends(rows: list[AgreementSummaryRow], out_dir: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    table = trend_table(rows)
    statuses = status_table(rows)
    written = [_write_csv(out_dir / "trends_by_decade.csv", table), _write_csv(out_dir / "status_counts.csv", statuses)]
    md = ["| decade | agreements | " + " | ".join(FEATURES) + " |", "| --- | ---: | " + " | ".join("---:" for _ in FEATURES) + " |"]
    for entry in table:
        md.append(f"| {entry['decade']} | {entry['agreements']} | "
                  + " | ".join(f"{entry[f]} ({entry[f + '_share']:.0%})" for f in FEATURES) + " |")
    md += ["", "Source texts: ToTA (Alschner, Seiermann, Skougarevskiy), CC BY-NC 4.0, where the corpus is ToTA."]
    (out_dir / "trends_by_decade.md").write_text("\n".join(md) + "\n", encoding="utf-8")
    written.append(out_dir / "trends_by_decade.md")

    dated = [e for e in table if e["decade"] != "undated"]
    if dated:
        fig, ax = plt.subplots(figsize=(9, 5))
        x = [e["decade"] for e in dated]
        for feature in ("ecommerce_chapter", "digital_products", "cultural_exception", "convention_reference",
                        "cultural_cooperation", "tension"):
            ax.plot(x, [e[f"{feature}_share"] for e in dated], marker="o", label=feature.replace("_", " "))
        ax.set_ylabel("share of agreements")
        ax.set_ylim(0, 1)
        ax.set_title(f"Cultural and digital clauses by decade of signature ({len(rows)} agreements)")
        ax.legend(loc="upper left", fontsize=8)
        ax.grid(alpha=0.3)
        fig.tight_layout()
        for ext in ("png", "svg"):
            path = out_dir / f"trends_by_decade.{ext}"
            fig.savefig(path, metadata={"Date": None} if ext == "svg" else None)
            written.append(path)
        plt.close(fig)
    return written
