"""Batch: audit whole collections, resumably, on a local process pool or a Dask cluster.

Each document's audit is keyed by the SHA-256 of its bytes and written to a
temporary file then renamed, so an interrupted run never leaves a half
result and a re-run skips what is done. One bad document never stops the
batch: its error goes to ``errors.jsonl``. The collection outputs
(inventory, assessments, corpus trends) are rebuilt from the per-document
audits at the end of every run.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import stat
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from auditor import SHARED_DIR, parallel
from auditor.errors import AuditError, InputNotFound

SUFFIXES = {".pdf", ".xml", ".html", ".htm", ".txt", ".text", ".rtf", ".docx"}
TOTA_DIR = SHARED_DIR / "corpus" / "tota" / "xml"


def collect_inputs(inputs: Iterable[Path | str], *, tota: bool = False,
                   warn: Callable[[str], None] | None = None) -> list[Path]:
    """Files, folders (recursively, known suffixes) and globs -> a sorted, de-duplicated list of files.

    Inside a folder or under a glob, only regular files are taken: symlinks that lead out of the folder,
    dangling links, pipes and devices are skipped with a warning, and symlinked folders are not entered
    (so link cycles cannot loop). A file named explicitly is taken if it is a regular file.
    """
    warn = warn or (lambda message: print(f"warning: {message}", file=sys.stderr))
    found: dict[str, Path] = {}
    items = [Path(i) for i in inputs]
    if tota:
        tota_dir = Path(os.environ.get("AUDITOR_TOTA_DIR", TOTA_DIR))
        if not tota_dir.is_dir():
            raise InputNotFound(f"The ToTA corpus is not at {tota_dir}.", "Set AUDITOR_TOTA_DIR to its xml folder.")
        items.append(tota_dir)
    for item in items:
        text = str(item)
        if any(ch in text for ch in "*?["):
            root = _glob_root(text)
            relative = str(Path(text).relative_to(root)) if root != Path(".") else text
            # pathlib's ** does not descend into symlinked folders, so link cycles cannot loop.
            candidates = [p for p in sorted(root.glob(relative)) if _regular_inside(p, root, warn)]
            if not candidates:
                raise InputNotFound(f"No file matches {text}.")
        elif item.is_dir():
            candidates = [p for p in _walk(item, warn) if p.suffix.lower() in SUFFIXES]
        elif item.exists():
            if not item.is_file():
                warn(f"skipped {item}: not a regular file (a pipe, device or socket)")
                continue
            candidates = [item]
        else:
            raise InputNotFound(f"No such file or folder: {item}", "Check the path.")
        for p in candidates:
            found[str(p.resolve())] = p
    return sorted(found.values(), key=_natural_key)


def _glob_root(pattern: str) -> Path:
    """The folder a glob searches: its longest leading part without wildcards."""
    parts = Path(pattern).parts
    fixed = []
    for part in parts:
        if any(ch in part for ch in "*?["):
            break
        fixed.append(part)
    return Path(*fixed) if fixed else Path(".")


def _walk(root: Path, warn: Callable[[str], None]) -> Iterable[Path]:
    """Regular files under ``root``, never through a symlinked folder nor out of ``root`` by a symlink."""
    real_root = root.resolve()
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in sorted(dirs):
            path = Path(folder) / name
            if path.is_symlink():
                warn(f"skipped {path}: a symlinked folder is not followed")
        for name in sorted(files):
            path = Path(folder) / name
            if _regular_inside(path, root, warn, real_root):
                yield path


def _regular_inside(path: Path, root: Path, warn: Callable[[str], None], real_root: Path | None = None) -> bool:
    """A regular file, reached without a symlink that leads out of ``root``; else a warning."""
    if path.is_dir():
        return False
    try:
        info = path.stat()  # follows a file symlink
    except OSError:
        warn(f"skipped {path}: a broken link or an unreadable entry")
        return False
    if path.is_symlink() and not path.resolve().is_relative_to(real_root or root.resolve()):
        warn(f"skipped {path}: the link leads out of {root}")
        return False
    if not stat.S_ISREG(info.st_mode):
        warn(f"skipped {path}: not a regular file (a pipe, device or socket)")
        return False
    return True


def _natural_key(p: Path) -> tuple:
    import re

    return tuple(int(t) if t.isdigit() else t for t in re.split(r"(\d+)", str(p)))


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def audit_one(path: str, out_dir: str) -> dict:
    """Audit one document into ``out_dir/audits/<sha256>.json``. Runs in a worker process; never raises."""
    started = time.perf_counter()
    result = {"file": path, "sha256": None, "status": "failed", "error": None, "seconds": 0.0}
    try:
        digest = sha256_file(Path(path))
        result["sha256"] = digest
        target = Path(out_dir) / "audits" / f"{digest}.json"
        if target.exists():
            result["status"] = "skipped"
            return result
        from auditor.pipeline import audit_file
        from auditor.report.audit import audit_json

        audit = audit_file(path)
        audit.engine["sha256"] = digest
        audit.engine["file"] = path
        _write_atomic(target, audit_json(audit))
        result["status"] = "done"
    except AuditError as exc:
        result["error"] = str(exc)
    except Exception as exc:  # a bug on one document must not stop the batch; it is reported
        result["error"] = f"{type(exc).__name__}: {exc}"
    finally:
        result["seconds"] = round(time.perf_counter() - started, 3)
    return result


def _warm_worker() -> None:
    """Load the models once per worker process, not once per document."""
    from auditor.classify import load_classifier
    from auditor.pipeline import default_precedents

    load_classifier()
    default_precedents()


def _pool_worker() -> None:
    """One of several workers: it keeps to its own core (no forked helpers) and loads the models once."""
    parallel.disable()
    _warm_worker()


@dataclass
class BatchResult:
    done: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    outputs: list[Path] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.done + self.skipped + self.failed


def run_batch(files: list[Path], out_dir: Path, *, workers: int | None = None, dask_address: str | None = None,
              progress: bool | None = None, on_result: Callable[[dict], None] | None = None) -> BatchResult:
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "audits").mkdir(exist_ok=True)
    started = time.perf_counter()
    result = BatchResult()
    workers = workers or os.cpu_count() or 1
    paths = [str(p) for p in files]
    digests: dict[str, str] = {}
    pending: list[str] = []

    with _Progress(len(paths), enabled=progress) as bar:
        def record(r: dict) -> None:
            if r["sha256"]:
                digests[r["file"]] = r["sha256"]
            if r["status"] == "failed":
                result.failed += 1
                result.errors.append({"file": r["file"], "sha256": r["sha256"], "error": r["error"]})
            elif r["status"] == "skipped":
                result.skipped += 1
            else:
                result.done += 1
            bar.advance(failed=r["status"] == "failed")
            if on_result:
                on_result(r)

        # Done work is recognised by its hash here, before any worker starts or any model loads:
        # a finished batch re-run costs the hashing, nothing more.
        for p in paths:
            done = _already_done(p, out_dir)
            if done is None:
                pending.append(p)
            else:
                record(done)
        if pending:
            _run_pending(pending, out_dir, workers, dask_address, record)

    errors_path = out_dir / "errors.jsonl"
    _write_atomic(errors_path, "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in result.errors))
    result.outputs = [errors_path] + _collection_outputs([digests[p] for p in paths if p in digests], out_dir)
    result.seconds = round(time.perf_counter() - started, 2)
    return result


def _run_pending(pending: list[str], out_dir: Path, workers: int, dask_address: str | None,
                 record: Callable[[dict], None]) -> None:
    if dask_address:
        _run_dask(pending, out_dir, dask_address, record)
    elif workers == 1 or len(pending) == 1:
        _warm_worker()
        for p in pending:
            record(audit_one(p, str(out_dir)))
    else:
        with ProcessPoolExecutor(max_workers=min(workers, len(pending)), initializer=_pool_worker) as pool:
            futures = [pool.submit(audit_one, p, str(out_dir)) for p in pending]
            try:
                for future in as_completed(futures):
                    record(future.result())
            except KeyboardInterrupt:
                for f in futures:
                    f.cancel()
                raise


def _already_done(path: str, out_dir: Path) -> dict | None:
    """The skipped result for a document whose audit exists; None when it still has to be audited (or fails there)."""
    try:
        digest = sha256_file(Path(path))
    except OSError:
        return None  # audit_one reports the error with the others
    if (out_dir / "audits" / f"{digest}.json").exists():
        return {"file": path, "sha256": digest, "status": "skipped", "error": None, "seconds": 0.0}
    return None


COLLECTION_MANIFEST = ".collection-state"  # JSON; not *.json, which `audit --earlier` reads as audits


def _collection_outputs(digests: list[str], out_dir: Path) -> list[Path]:
    """The collection outputs, rebuilt only when the set of audits (or the engine) changed since they were written."""
    from auditor import __version__

    manifest_path = out_dir / COLLECTION_MANIFEST
    audits = [out_dir / "audits" / f"{d}.json" for d in sorted(set(digests))]
    key = {"engine": __version__, "audits": [[p.stem, p.stat().st_mtime_ns] for p in audits if p.exists()]}
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        if manifest.get("key") == key and all((out_dir / p).exists() for p in manifest["outputs"]):
            return [out_dir / p for p in manifest["outputs"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    written = write_collection_outputs(digests, out_dir)
    _write_atomic(manifest_path, json.dumps({"key": key, "outputs": [str(p.relative_to(out_dir)) for p in written]}))
    return written


def _run_dask(paths: list[str], out_dir: Path, address: str, record: Callable[[dict], None]) -> None:
    from dask.distributed import Client
    from dask.distributed import as_completed as dask_completed

    with Client(address, timeout="30s") as client:
        client.run(_pool_worker)  # tasks run in the workers' threads: no forks there
        futures = client.map(audit_one, paths, out_dir=str(out_dir), pure=False)
        for future in dask_completed(futures):
            record(future.result())


class _Progress:
    """Rich progress bar with done, failed, rate and ETA; silent when not on a terminal."""

    def __init__(self, total: int, enabled: bool | None) -> None:
        self.total = total
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.failed = 0

    def __enter__(self) -> "_Progress":
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            self.progress = Progress(TextColumn("auditing"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("failed {task.fields[failed]}"),
                                     TextColumn("{task.fields[rate]} docs/s"), TimeRemainingColumn(),
                                     console=Console(stderr=True))
            self.progress.start()
            self.task = self.progress.add_task("audit", total=self.total, failed=0, rate="-")
            self.started = time.perf_counter()
        return self

    def advance(self, failed: bool) -> None:
        self.failed += failed
        if self.enabled:
            done = self.progress.tasks[0].completed + 1
            rate = done / max(time.perf_counter() - self.started, 1e-6)
            self.progress.update(self.task, advance=1, failed=self.failed, rate=f"{rate:.1f}")

    def __exit__(self, *exc) -> None:
        if self.enabled:
            self.progress.stop()


def _year(date: str | None) -> str:
    return date[:4] if date and date[:4].isdigit() else ""


def write_collection_outputs(digests: list[str], out_dir: Path) -> list[Path]:
    """inventory.csv, assessments.csv and the corpus trends, from the audits of this collection."""
    from auditor.assess.model import Audit
    from auditor.report.safety import csv_rows
    from auditor.report.trends import AgreementSummaryRow, write_trends

    inventory_rows, assessment_rows, summaries = [], [], []
    for digest in dict.fromkeys(digests):
        path = out_dir / "audits" / f"{digest}.json"
        if not path.exists():
            continue
        audit = Audit.model_validate_json(path.read_text(encoding="utf-8"))
        a = audit.agreement
        common = {"agreement": a.title or "", "year": _year(a.date_signed), "parties": ";".join(a.parties),
                  "file": audit.engine.get("file", ""), "sha256": digest}
        for p in audit.provisions:
            evidence = " | ".join(f"{label}: {spans[0].text[:160]}" for label, spans in p.evidence.items() if spans)
            inventory_rows.append({**common, "provision_id": p.id, "article": p.number or p.kind, "title": p.title or "",
                                   "chapter": p.chapter_title or "", "page": p.page_start or "",
                                   "labels": ";".join(p.labels), "evidence": evidence})
        for g in audit.assessments:
            assessment_rows.append({**common, "guideline": g.id, "status": g.status, "evidence": ";".join(g.evidence),
                                    "rationale": g.rationale})
        summaries.append(AgreementSummaryRow.from_audit(audit))
    written = []
    for name, rows, columns in (
        ("inventory.csv", inventory_rows, ["agreement", "year", "parties", "file", "sha256", "provision_id", "article",
                                           "title", "chapter", "page", "labels", "evidence"]),
        ("assessments.csv", assessment_rows, ["agreement", "year", "parties", "file", "sha256", "guideline", "status",
                                              "evidence", "rationale"]),
    ):
        path = out_dir / name
        tmp = path.with_name(f".{name}.tmp")
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            writer.writerows(csv_rows(rows))
        os.replace(tmp, path)
        written.append(path)
    written += write_trends(summaries, out_dir / "trends")
    return written
