"""auditor batch on all 450 ToTA agreements with 1 and 2 workers: wall time, agreements/s, scaling, peak memory.

Each run starts from an empty output folder, in a fresh process, so model loading is included.
Target: <= 60 s wall on the 2-core machine.
Usage: python benchmarks/batch.py [--workers 1 2]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import REPO


def run(workers: int) -> tuple[float, float]:
    out = Path(tempfile.mkdtemp(prefix="auditor-batch-"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "auditor", "batch", "--tota", "-o", str(out), "--workers", str(workers),
                    "--no-progress"], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    shutil.rmtree(out)
    return elapsed, max(peak, before / 1024)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    results = {}
    for w in args.workers:
        elapsed, peak = run(w)
        results[w] = elapsed
        print(f"workers={w}: {elapsed:.1f} s wall, {450 / elapsed:.1f} agreements/s, "
              f"peak RSS of the largest process {peak:.0f} MB {'OK' if elapsed <= 60 else 'over 60 s'}")
    if 1 in results and 2 in results:
        print(f"scaling 1 -> 2 workers: {results[1] / results[2]:.2f}x")


if __name__ == "__main__":
    main()
