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

from auditor import MODELS_DIR, SHARED_DIR
from auditor.errors import AuditError

app = typer.Typer(
    name="auditor",
    help="Treaty Audit: read trade agreements and audit what they contain for culture in the digital environment.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help: no type column ("<bool>" beside every flag), no rich import for --help
)

F = TypeVar("F", bound=Callable[..., object])
E = TypeVar("E", bound=Enum)


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
        except MemoryError:
            typer.echo("error: this machine ran out of memory for the document. Split it, or run it where "
                       "more memory is free.", err=True)
            raise typer.Exit(3) from None

    return wrapper  # type: ignore[return-value]


class Language(str, Enum):
    en = "en"
    fr = "fr"
    es = "es"


LOCALISED = ("html", "md", "scorecard", "commitments", "xlsx")  # the renderings that speak the reader's language


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


# Options shared by the commands that read one agreement.
AgreementFile = Annotated[Path, typer.Argument(help="Agreement: PDF, ToTA XML, HTML or text.")]
OutputFile = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")]
EngineOption = Annotated[EngineChoice, typer.Option(help="PDF text engine (pdfplumber: slower, better on complex layouts).")]
OcrOption = Annotated[OcrChoice, typer.Option(help="OCR scanned pages: auto (only pages without text), always, never.")]


def format_for(choice: E | None, output: Path | None, choices: type[E], default: E) -> E:
    """An explicit --format wins; else the output file's extension says it (x.json, x.html, x.md); else the default."""
    if choice is not None:
        return choice
    suffix = output.suffix.lower().lstrip(".") if output else ""
    suffix = {"htm": "html", "markdown": "md", "txt": "text"}.get(suffix, suffix)
    return next((c for c in choices if c.value == suffix), default)


def write_output(text: str | bytes, out: Path | None) -> None:
    if isinstance(text, bytes):
        if out is None:
            raise AuditError("A spreadsheet cannot be written to the terminal.", "Name a file with -o audit.xlsx.")
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_bytes(text)
        tmp.replace(out)
        return
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
    file: AgreementFile,
    format: Annotated[Optional[OutputFormat], typer.Option(
        "--format", "-f", help="json or text summary [default: from the -o extension, else text].")] = None,
    output: OutputFile = None,
    engine: EngineOption = EngineChoice.pypdfium2,
    ocr: OcrOption = OcrChoice.auto,
    include_text: Annotated[bool, typer.Option(help="Add the whole clean document text (JSON) for offset look-ups.")] = False,
) -> None:
    """Print an agreement's structure: chapters, articles, pages, footnotes."""
    from auditor.pipeline import ParseOptions, parse_file
    from auditor.report.structure import structure_json, structure_text

    options = ParseOptions(engine=engine.value, ocr=_ocr(ocr))
    agreement = parse_file(file, options)
    if format_for(format, output, OutputFormat, OutputFormat.text) is OutputFormat.json:
        write_output(structure_json(agreement, include_text=include_text), output)
    else:
        write_output(structure_text(agreement), output)


def _ocr(choice: OcrChoice):
    return choice.value


@app.command()
@reports_errors
def schema(
    directory: Annotated[Path, typer.Argument(help="Where to write the JSON Schemas.")] = Path("schemas"),
) -> None:
    """Regenerate the checked-in JSON Schemas of the output formats."""
    from auditor.report.schemas import write_schemas

    for path in write_schemas(directory):
        typer.echo(str(path))


DEFAULT_GOLD = SHARED_DIR / "gold"
ModelsOption = Annotated[Path, typer.Option(help="Model directory [default: the shipped models/].")]
TRAINING_GOLD = [DEFAULT_GOLD / "train.jsonl", DEFAULT_GOLD / "es.jsonl"]  # what the shipped model learns from


@app.command()
@reports_errors
def train(
    gold: Annotated[Optional[list[Path]], typer.Option("--gold", help="Gold JSONL files to train on.")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Model directory [default: the shipped models/].")] = MODELS_DIR,
) -> None:
    """Rebuild the classifier from the gold data (deterministic) and save it as arrays (no pickle)."""
    from auditor.classify.gold import train as train_model

    files = gold or TRAINING_GOLD
    model, meta = train_model(files, output)
    typer.echo(f"trained on {meta['trained_on']}; thresholds {model.thresholds_}; saved to {output}")


@app.command()
@reports_errors
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold JSONL (id, text, chapter, labels).")],
    models: ModelsOption = MODELS_DIR,
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


@app.command("cross-validate")
@reports_errors
def cross_validate(
    gold: Annotated[Optional[list[Path]], typer.Option("--gold", help="Gold JSONL files to cross-validate on.")] = None,
    folds: Annotated[int, typer.Option(min=2, help="Folds, split by agreement.")] = 5,
    shuffles: Annotated[int, typer.Option(min=1, help="Shufflings of the agreements into folds, averaged.")] = 3,
) -> None:
    """Nested cross-validation of the training recipe on the training data (what the model card reports)."""
    from auditor.classify.gold import cross_validate as run
    from auditor.classify.gold import format_table, load_gold, macro_f1, mean_scores

    files = gold or TRAINING_GOLD
    rows = [g for path in files for g in load_gold(path)]
    result = run(rows, folds=folds, shuffles=shuffles)
    runs = result.scores()
    agreements = len({g.treaty for g in rows})
    typer.echo(format_table(mean_scores(runs), f"out of fold, {len(rows)} provisions of {agreements} agreements, "
                                              f"{folds} folds by agreement, mean of {shuffles} shufflings"))
    typer.echo("macro-F1 per shuffling: " + ", ".join(f"{macro_f1(r):.3f}" for r in runs))
    for language in sorted({g.item.language for g in rows} - {"en"}):
        count = sum(1 for g in rows if g.item.language == language)
        typer.echo("")
        typer.echo(format_table(mean_scores(result.scores(language)), f"{language} provisions only ({count})"))


@app.command()
@reports_errors
def classify(
    input: Annotated[Path, typer.Argument(help="JSONL: id, text, optional chapter and language.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="JSONL out: id, language, labels, scores, evidence.")],
    models: ModelsOption = MODELS_DIR,
) -> None:
    """Label provisions; malformed lines are reported with their line number and skipped.

    A line without a ``language`` (en, fr, es) gets the language detected from its text.
    """
    from auditor.classify import ProvisionInput, load_classifier
    from auditor.ingest import read_input
    from auditor.ingest.language import detect_language

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
            language = row.get("language")
            if language is not None and language not in ("en", "fr", "es"):
                raise ValueError(f"language {language!r} is not one of en, fr, es; leave it out to detect it")
            items.append(ProvisionInput(id=str(row["id"]), text=row["text"],
                                        chapter=chapter if isinstance(chapter, str) else None,
                                        language=language or detect_language(row["text"])))
        except ValueError as exc:
            typer.echo(f"warning: {input}:{n}: skipped ({exc})", err=True)
    results = load_classifier(models.resolve()).predict(items)
    lines = [json.dumps({"id": r.id, "language": item.language, "labels": r.labels, "scores": r.scores,
                         "evidence": r.evidence}, ensure_ascii=False) for item, r in zip(items, results)]
    write_output("\n".join(lines) + ("\n" if lines else ""), output)
    typer.echo(f"classified {len(results)} provisions -> {output}", err=True)


class AuditFormat(str, Enum):
    json = "json"
    html = "html"
    csv = "csv"
    md = "md"
    xlsx = "xlsx"
    scorecard = "scorecard"
    commitments = "commitments"


@app.command()
@reports_errors
def audit(
    file: AgreementFile,
    format: Annotated[Optional[AuditFormat], typer.Option(
        "--format", "-f", help="json, html, md, csv (inventory), scorecard (CSV), commitments (CSV) or xlsx (all three "
                               "sheets) [default: from the -o extension, else json].")] = None,
    output: OutputFile = None,
    engine: EngineOption = EngineChoice.pypdfium2,
    ocr: OcrOption = OcrChoice.auto,
    precedents: Annotated[bool, typer.Option(help="Look up precedent clauses for gaps and tensions.")] = True,
    earlier: Annotated[Optional[Path], typer.Option(help="Folder of earlier audits (a batch run's output) to draw "
                                                         "precedents from as well.")] = None,
    incorporates: Annotated[Optional[list[Path]], typer.Option(
        "--incorporates", "--read-with", exists=True, dir_okay=False, readable=True,
        help="A document to read with this one: the agreement it incorporates by reference, or a protocol or "
             "schedules published separately. Repeat for several.")] = None,
    party: Annotated[Optional[list[str]], typer.Option(
        "--party", help="A Party's ISO 3166 alpha-3 code (JPN, AUS; EUR for the European Union), when the text does "
                        "not name its Parties. Repeat for each Party.")] = None,
    require_treaty: Annotated[bool, typer.Option(
        "--require-treaty", help="Refuse (exit code 2) a document that does not read as an agreement, instead of "
                                 "auditing it with a warning.")] = False,
    lang: Annotated[Language, typer.Option(
        "--lang", help="Language of the html, md, scorecard, commitments and xlsx reports: headings and the "
                       "engine's vocabulary (findings and quoted words stay as written).")] = Language.en,
) -> None:
    """Audit one agreement against guidelines 18-19 and roadmap 3.1/3.4."""
    from auditor.pipeline import ParseOptions, audit_file

    parties = _parties(party)
    chosen = format_for(format, output, AuditFormat, AuditFormat.json).value
    result = audit_file(file, ParseOptions(engine=engine.value, ocr=_ocr(ocr)), with_precedents=precedents,
                        read_with=list(incorporates or []), parties=parties)
    if require_treaty:
        from auditor.pipeline import refuse_if_not_an_agreement

        refuse_if_not_an_agreement(result)
    if earlier is not None and precedents:
        result.precedents += _earlier_precedents(earlier, result)
    from auditor.report.audit import RENDERERS  # after the reading, which the models' loading overlaps

    render = RENDERERS[chosen]
    write_output(render(result, locale=lang.value) if chosen in LOCALISED else render(result), output)


def _parties(codes: list[str] | None) -> list[str] | None:
    if not codes:
        return None
    import pycountry

    out = []
    for code in codes:
        value = code.strip().upper()
        if value != "EUR" and (len(value) != 3 or pycountry.countries.get(alpha_3=value) is None):
            raise AuditError(f"--party {code!r} is not an ISO 3166 alpha-3 country code.",
                             "Use three letters such as JPN, AUS or KOR; EUR stands for the European Union.")
        out.append(value)
    return out


def _earlier_precedents(folder: Path, audit) -> list:
    from pydantic import ValidationError

    from auditor.assess.model import Audit
    from auditor.assess.precedents import PrecedentIndex, clauses_from_audit

    def audits(directory: Path) -> list[Path]:
        return sorted(p for p in directory.glob("*.json") if not p.name.startswith("."))

    files = audits(folder) or audits(folder / "audits")
    if not folder.is_dir() or not files:
        raise AuditError(f"No audit JSON files in {folder}.", "Point --earlier at a batch output folder.")
    clauses = []
    for path in files:
        try:
            earlier = Audit.model_validate_json(path.read_text(encoding="utf-8"))
        except (ValidationError, UnicodeDecodeError):
            typer.echo(f"warning: {path} is not an audit; skipped", err=True)
            continue
        if earlier.agreement.title != audit.agreement.title:
            clauses += clauses_from_audit(earlier, f"earlier audit {path.name}")
    return PrecedentIndex(clauses).for_audit(audit) if clauses else []


class CompareFormat(str, Enum):
    text = "text"
    md = "md"
    json = "json"
    html = "html"


@app.command()
@reports_errors
def compare(
    first: Annotated[Path, typer.Argument(help="First agreement.")],
    second: Annotated[Path, typer.Argument(help="Second agreement.")],
    format: Annotated[Optional[CompareFormat], typer.Option(
        "--format", "-f", help="text, md, json or html [default: from the -o extension, else text].")] = None,
    output: OutputFile = None,
) -> None:
    """The scorecards of two agreements side by side, differences marked."""
    from auditor.pipeline import audit_file
    from auditor.report.compare import COMPARE_RENDERERS, compare_audits

    chosen = format_for(format, output, CompareFormat, CompareFormat.text)
    comparison = compare_audits(audit_file(first, with_precedents=False), audit_file(second, with_precedents=False))
    write_output(COMPARE_RENDERERS[chosen.value](comparison), output)


@app.command()
@reports_errors
def trends(
    inputs: Annotated[Optional[list[Path]], typer.Argument(help="Agreement files or folders.")] = None,
    tota: Annotated[bool, typer.Option("--tota", help="The shared ToTA corpus (../shared/corpus/tota/xml).")] = False,
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for tables (CSV, MD) and plots (PNG, SVG).")] = Path("trends"),
) -> None:
    """Corpus view: share of agreements with each label and status, by decade of signature."""
    from auditor.batch import collect_inputs
    from auditor.pipeline import audit_file
    from auditor.report.trends import AgreementSummaryRow, write_trends

    files = collect_inputs(inputs or [], tota=tota)
    rows = []
    for path in files:
        try:
            rows.append(AgreementSummaryRow.from_audit(audit_file(path, with_precedents=False)))
        except AuditError as exc:
            typer.echo(f"warning: {path}: {exc}", err=True)
    for path in write_trends(rows, output):
        typer.echo(str(path))


@app.command()
@reports_errors
def batch(
    inputs: Annotated[Optional[list[Path]], typer.Argument(help="Files, folders or globs (PDF, ToTA XML, HTML, text).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder (resumable: re-runs skip done work).")] = Path("out"),
    tota: Annotated[bool, typer.Option("--tota", help="Add the shared ToTA corpus.")] = False,
    workers: Annotated[Optional[int], typer.Option(help="Local worker processes (default: cores).")] = None,
    dask: Annotated[Optional[str], typer.Option("--dask", help="Run on a Dask cluster at this address (tcp://host:port).")] = None,
    progress: Annotated[Optional[bool], typer.Option(help="Progress bar (default: only on a terminal).")] = None,
) -> None:
    """Audit a collection: one JSON audit per agreement, inventory.csv, assessments.csv, trends."""
    from auditor.batch import collect_inputs, run_batch

    files = collect_inputs(inputs or [], tota=tota)
    if not files:
        raise AuditError("No input files.", "Give files, folders or globs, or --tota.")
    if workers is not None and workers < 1:
        raise AuditError("--workers must be at least 1.")
    result = run_batch(files, output, workers=workers, dask_address=dask, progress=progress)
    typer.echo(f"{result.total} documents: {result.done} audited, {result.skipped} already done, "
               f"{result.failed} failed in {result.seconds:.1f} s -> {output}")
    if result.failed:
        typer.echo(f"failures listed in {output / 'errors.jsonl'}", err=True)
        raise typer.Exit(1)


precedents_app = typer.Typer(help="The precedent index shipped with the engine.", no_args_is_help=True,
                             rich_markup_mode=None)
app.add_typer(precedents_app, name="precedents")


@precedents_app.command("build")
@reports_errors
def precedents_build(
    source: Annotated[Path, typer.Option(help="Folder of ToTA XML files.")] = DEFAULT_GOLD.parent / "corpus" / "tota" / "xml",
    output: Annotated[Optional[Path], typer.Option("--output", "-o")] = None,
) -> None:
    """Rebuild auditor/data/precedents.jsonl.gz from the ToTA corpus."""
    from auditor.assess.precedents import INDEX_PATH, build_index

    paths = sorted(source.glob("pta_*.xml"), key=lambda p: int(p.stem.split("_")[1]))
    if not paths:
        raise AuditError(f"No ToTA files (pta_*.xml) in {source}.", "Pass --source with the ToTA xml folder.")
    index = build_index(paths)
    index.save(output or INDEX_PATH)
    typer.echo(f"{len(index.clauses)} precedent clauses from {len(paths)} agreements -> {output or INDEX_PATH}")


@app.command()
@reports_errors
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind (127.0.0.1: this machine only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[Optional[int], typer.Option(help="Audit worker processes (default: AUDITOR_WORKERS or 2).")] = None,
    open_mode: Annotated[bool, typer.Option("--open", help="No keys, for one person on this machine: only bound to "
                                                           "127.0.0.1 and until a first key is created.")] = False,
) -> None:
    """Run the web service: API under /api/v1, pages at /, sample agreements audited on first start."""
    import logging

    needs_service_extra()
    import uvicorn

    from api.app import create_app
    from api.settings import Settings

    overrides = {"host": host, "port": port} | ({"workers": workers} if workers else {}) | (
        {"open": True} if open_mode else {})
    try:
        settings = Settings(**overrides)
    except ValueError as exc:
        raise AuditError(f"Invalid setting: {exc}") from exc
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    typer.echo(f"Treaty Audit on http://{host}:{port}/ (data in {settings.data_dir})", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info", proxy_headers=False)


keys_app = typer.Typer(help="API keys: each belongs to a tenant; stored hashed, shown once.", no_args_is_help=True,
                       rich_markup_mode=None)
app.add_typer(keys_app, name="keys")


def needs_service_extra() -> None:
    """The web service and keys need the optional ``service`` packages; say so in one line, not a traceback."""
    import importlib.util

    missing = [m for m in ("fastapi", "uvicorn", "sqlalchemy", "alembic", "multipart")
               if importlib.util.find_spec(m) is None]
    if missing:
        raise AuditError(f"This command needs the 'service' extra, which is not installed (missing: {', '.join(missing)}).",
                         "Install it: pip install 'treaty-audit[service]' (or `make run`).")


def _key_sessions():
    needs_service_extra()
    from api.db import make_engine, migrate, session_factory
    from api.settings import Settings

    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate(settings.url)
    return session_factory(make_engine(settings.url))


@keys_app.command("create")
@reports_errors
def keys_create(tenant: Annotated[str, typer.Option(help="Tenant the key belongs to.")]) -> None:
    """Create a key; it is printed once, alone on the last line."""
    from api import store

    key_id, key = store.create_key(sessions=_key_sessions(), tenant=tenant)
    typer.echo(f"created key {key_id} for tenant {tenant}; store it now, it is not shown again:")
    typer.echo(key)


@keys_app.command("list")
@reports_errors
def keys_list() -> None:
    """List keys (ids, tenants, state; never the keys)."""
    from api import store

    for k in store.list_keys(sessions=_key_sessions()):
        state = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "active"
        typer.echo(f"{k.id}  {k.tenant:20} {k.created_at:%Y-%m-%d %H:%M}  {state}")


@keys_app.command("revoke")
@reports_errors
def keys_revoke(key_id: Annotated[str, typer.Argument(help="Key id from `auditor keys list`.")]) -> None:
    """Revoke a key: requests with it are refused from now on."""
    from api import store

    store.revoke_key(sessions=_key_sessions(), key_id=key_id)
    typer.echo(f"revoked {key_id}")


def _prefetch_argv(argv: list[str]) -> None:
    """``auditor audit|parse x.pdf``: the helper starts reading before Typer and the engine load (~0.15 s)."""
    if len(argv) < 2 or argv[0] not in ("audit", "parse") or "--help" in argv:
        return
    if "pdfplumber" in argv or "always" in argv:  # --engine pdfplumber, --ocr always: no helper there
        return
    path = next((a for a in argv[1:] if not a.startswith("-") and a.lower().endswith(".pdf")), None)
    if path:
        from auditor.pdfpages import prefetch

        prefetch(path)


# Commands after which nothing is left to tear down but memory: the process ends without the interpreter's
# finalisation, which would free a whole audit object by object (~40 ms on RCEP, a tenth of the audit after reading).
QUICK_EXIT = ("audit", "parse")


def main(quick_exit: bool = True) -> None:
    """The console script. ``quick_exit=False`` returns to the caller instead (a program that inspects the
    process after a command, as tests/test_imports.py does)."""
    argv = sys.argv[1:]
    _prefetch_argv(argv)
    try:
        app()
    except SystemExit as done:
        code = done.code
    else:
        code = 0
    if quick_exit and argv and argv[0] in QUICK_EXIT:
        import logging
        import os

        from auditor.pdfpages import stop_prefetched

        stop_prefetched()  # a helper the command never took up (it failed before reading)
        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (BrokenPipeError, OSError, ValueError):  # a reader that closed the pipe (| head) wants no more
                pass
        os._exit(code if isinstance(code, int) else (0 if code is None else 1))
    raise SystemExit(code)


if __name__ == "__main__":
    main()
