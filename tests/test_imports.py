"""Each command imports what it runs: a process pays for scikit-learn, spaCy or matplotlib only when it uses them.

Start-up is most of a command-line audit's cost (benchmarks/cli.py measures it); these tests keep a
heavy import from creeping back into a path that does not need it.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

SAMPLE = "agreements/canada-korea-2014.tota.xml"
PROBE = (
    "import sys\n"
    "from auditor.cli import main\n"
    "sys.argv = ['auditor', *{args!r}]\n"
    "try:\n"
    "    main(quick_exit=False)\n"
    "except SystemExit as exc:\n"
    "    assert not exc.code, exc.code\n"
    "roots = sorted({{m.split('.')[0] for m in sys.modules}})\n"
    "sys.stderr.write('\\nMODULES ' + __import__('json').dumps(roots) + '\\n')\n"
)


def loaded_by(*args: str, cwd=REPO) -> set[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(args=list(args))], capture_output=True, text=True,
                          cwd=cwd, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stderr.rsplit("MODULES ", 1)[1]))


TRAINING_ONLY = {"sklearn", "scipy", "spacy", "thinc", "skops"}


def test_help_loads_neither_the_pipeline_nor_numpy():
    assert not loaded_by("--help") & ({"numpy", "lxml", "pypdfium2", "pydantic", "rich"} | TRAINING_ONLY)


def test_parse_loads_no_classifier_stack(tmp_path):
    assert not loaded_by("parse", SAMPLE, "-o", str(tmp_path / "p.json")) & ({"numpy", "matplotlib", "jinja2"} | TRAINING_ONLY)


@pytest.mark.parametrize("suffix", ["json", "csv", "md"])
def test_audit_runs_on_numpy_alone(tmp_path, suffix):
    modules = loaded_by("audit", SAMPLE, "-o", str(tmp_path / f"a.{suffix}"))
    assert "numpy" in modules
    assert not modules & ({"matplotlib", "jinja2"} | TRAINING_ONLY)


def test_a_finished_batch_rerun_loads_no_model(tmp_path):
    out = tmp_path / "out"
    loaded_by("batch", SAMPLE, "-o", str(out), "--no-progress", "--workers", "1")
    modules = loaded_by("batch", SAMPLE, "-o", str(out), "--no-progress")
    assert not modules & ({"numpy", "matplotlib"} | TRAINING_ONLY)


def test_stages_flow_one_way_ingest_never_imports_structure():
    import subprocess
    import sys

    code = ("import sys, auditor.ingest, auditor.ingest.markup, auditor.ingest.pdf, auditor.ingest.clean\n"
            "print(sorted(m for m in sys.modules if m.startswith(('auditor.structure', 'auditor.classify', "
            "'auditor.assess', 'auditor.report'))))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
