"""Helpers for benchmarks: paths to the shared corpus and a peak-memory probe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AUDITOR_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"


def run_measured(code: str) -> dict:
    """Run ``code`` in a fresh interpreter; it must print one JSON object. Adds peak RSS in MB."""
    wrapper = (
        "import json, resource, time\n"
        f"{code}\n"
        "result['peak_rss_mb'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print(json.dumps(result))\n"
    )
    proc = subprocess.run([sys.executable, "-c", wrapper], capture_output=True, text=True, cwd=REPO, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])
