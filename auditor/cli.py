"""``auditor`` command line: thin shell over ``auditor.pipeline``.

Every user error (``AuditError``) becomes one line on stderr and a non-zero
exit code; a traceback means a bug.
"""

from __future__ import annotations

import functools
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Callable, Optional, TypeVar

import typer

from auditor.errors import AuditError
from auditor.ingest.pdf import OcrMode

app = typer.Typer(
    name="auditor",
    help="Treaty Audit: read trade agreements and audit what they contain for culture in the digital environment.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

F = TypeVar("F", bound=Callable[..., object])


def reports_errors(func: F) -> F:
    """Turn ``AuditError`` into a one-line message and its exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except AuditError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("interrupted", err=True)
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


class OutputFormat(str, Enum):
    json = "json"
    text = "text"


class EngineChoice(str, Enum):
    pypdfium2 = "pypdfium2"
    pdfplumber = "pdfplumber"


class OcrChoice(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def write_output(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)


@app.command()
@reports_errors
def parse(
    file: Annotated[Path, typer.Argument(help="Agreement: PDF, ToTA XML, HTML or text.")],
    format: Annotated[OutputFormat, typer.Option("--format", "-f", help="json or text summary.")] = OutputFormat.text,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    engine: Annotated[EngineChoice, typer.Option(help="PDF text engine (pdfplumber: slower, better on complex layouts).")] = EngineChoice.pypdfium2,
    ocr: Annotated[OcrChoice, typer.Option(help="OCR scanned pages: auto (only pages without text), always, never.")] = OcrChoice.auto,
    include_text: Annotated[bool, typer.Option(help="Add the whole clean document text (JSON) for offset look-ups.")] = False,
) -> None:
    """Print an agreement's structure: chapters, articles, pages, footnotes."""
    from auditor.pipeline import ParseOptions, parse_file
    from auditor.report.structure import structure_json, structure_text

    options = ParseOptions(engine=engine.value, ocr=_ocr(ocr))
    agreement = parse_file(file, options)
    if format is OutputFormat.json:
        write_output(structure_json(agreement, include_text=include_text), output)
    else:
        write_output(structure_text(agreement), output)


def _ocr(choice: OcrChoice) -> OcrMode:
    return choice.value  # type: ignore[return-value]


@app.command()
@reports_errors
def schema(
    directory: Annotated[Path, typer.Argument(help="Where to write the JSON Schemas.")] = Path("schemas"),
) -> None:
    """Regenerate the checked-in JSON Schemas of the output formats."""
    from auditor.report.schemas import write_schemas

    for path in write_schemas(directory):
        typer.echo(str(path))


DEFAULT_GOLD = Path(__file__).resolve().parents[1].parent / "shared" / "gold"


@app.command()
@reports_errors
def train(
    gold: Annotated[Optional[list[Path]], typer.Option("--gold", help="Gold JSONL files to train on.")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Model directory.")] = Path("models"),
) -> None:
    """Rebuild the classifier from the gold data (deterministic) and save it with skops."""
    from auditor.classify.gold import train as train_model

    files = gold or [DEFAULT_GOLD / "train.jsonl", DEFAULT_GOLD / "es.jsonl"]
    model, meta = train_model(files, output)
    typer.echo(f"trained on {meta['trained_on']}; thresholds {model.thresholds_}; saved to {output}")


@app.command()
@reports_errors
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (id, text, chapter, labels).")],
    models: Annotated[Path, typer.Option(help="Model directory.")] = Path("models"),
    baseline: Annotated[bool, typer.Option(help="Also score the plain keyword search.")] = True,
) -> None:
    """Per-label precision, recall, F1 and macro-F1 against hand-coded provisions."""
    from auditor.classify import load_classifier
    from auditor.classify.gold import format_table, keyword_baseline, load_gold, score

    rows = load_gold(gold)
    predictions = load_classifier(models.resolve()).predict([g.item for g in rows])
    truth = [g.labels for g in rows]
    typer.echo(format_table(score(truth, [p.labels for p in predictions]), f"classifier on {gold.name} ({len(rows)} provisions)"))
    missing = sum(1 for p in predictions for label in p.labels if not p.evidence.get(label))
    typer.echo(f"predicted labels without evidence: {missing}")
    if baseline:
        typer.echo("")
        typer.echo(format_table(score(truth, [keyword_baseline(g.item.text) for g in rows]), "keyword baseline"))


@app.command()
@reports_errors
def classify(
    input: Annotated[Path, typer.Argument(help="JSONL: id, text, optional chapter and language.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL out: id, labels, scores, evidence.")],
    models: Annotated[Path, typer.Option(help="Model directory.")] = Path("models"),
) -> None:
    """Label provisions; malformed lines are reported with their line number and skipped."""
    from auditor.classify import ProvisionInput, load_classifier
    from auditor.ingest import read_input

    raw = read_input(input).decode("utf-8", errors="replace")
    items: list[ProvisionInput] = []
    for n, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict) or not isinstance(row.get("text"), str) or "id" not in row:
                raise ValueError("needs an object with 'id' and a string 'text'")
            chapter = row.get("chapter")
            items.append(ProvisionInput(id=str(row["id"]), text=row["text"],
                                        chapter=chapter if isinstance(chapter, str) else None,
                                        language=row.get("language") or "en"))
        except ValueError as exc:
            typer.echo(f"warning: {input}:{n}: skipped ({exc})", err=True)
    results = load_classifier(models.resolve()).predict(items)
    lines = [json.dumps({"id": r.id, "labels": r.labels, "scores": r.scores, "evidence": r.evidence}, ensure_ascii=False)
             for r in results]
    write_output("\n".join(lines) + ("\n" if lines else ""), output)
    typer.echo(f"classified {len(results)} provisions -> {output}", err=True)


def main() -> None:  # console-script entry point
    app()


if __name__ == "__main__":
    main()
