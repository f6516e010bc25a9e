"""Batch runs: resumable after a kill, bad documents listed, Dask equal to the local pool."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.batch import collect_inputs, run_batch, sha256_file
from tests.conftest import REPO, TOTA, shared_file

SAMPLE = [1, 20, 86, 100, 145, 146, 163, 200, 250, 300, 338, 400, 410, 433, 440, 450]


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory) -> Path:
    shared_file(TOTA)
    folder = tmp_path_factory.mktemp("collection")
    for n in SAMPLE:
        shutil.copy(TOTA / f"pta_{n}.xml", folder / f"pta_{n}.xml")
    return folder


@pytest.fixture(scope="module")
def reference(sample_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    result = run_batch(collect_inputs([sample_dir]), out, workers=2, progress=False)
    assert (result.done, result.failed) == (len(SAMPLE), 0)
    return out


def _snapshot(out: Path) -> dict[str, str]:
    files = sorted((out / "audits").glob("*.json")) + [out / "inventory.csv", out / "assessments.csv",
                                                       out / "trends" / "trends_by_decade.csv"]
    return {str(p.relative_to(out)): p.read_text(encoding="utf-8") for p in files}


def test_killed_batch_resumes_to_identical_outputs(sample_dir, reference, tmp_path):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "auditor", "batch", str(sample_dir), "-o", str(out), "--workers", "2", "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=REPO, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and len(list((out / "audits").glob("*.json"))) < 3:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = list((out / "audits").glob("*.json"))
    assert 0 < len(partial) < len(SAMPLE), "the kill should land mid-batch"
    for path in partial:
        json.loads(path.read_text())  # never a half-written result
    resumed = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    assert "already done" in resumed.stdout
    assert _snapshot(out) == _snapshot(reference)


def test_corrupt_files_are_listed_and_good_ones_done(sample_dir, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    for n in (146, 338):
        shutil.copy(sample_dir / f"pta_{n}.xml", folder)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n" + os.urandom(2000))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "truncated.xml").write_bytes((sample_dir / "pta_1.xml").read_bytes()[:5000])
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "auditor", "batch", str(folder), "-o", str(out), "--workers", "2"],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1
    assert "2 audited" in proc.stdout and "3 failed" in proc.stdout
    errors = [json.loads(line) for line in (out / "errors.jsonl").read_text().splitlines()]
    assert sorted(Path(e["file"]).name for e in errors) == ["broken.pdf", "empty.txt", "truncated.xml"]
    assert all(e["error"] and "Traceback" not in e["error"] for e in errors)
    assert len(list((out / "audits").glob("*.json"))) == 2


def test_dask_cluster_gives_the_same_results(sample_dir, reference, tmp_path):
    from dask.distributed import LocalCluster

    files = collect_inputs([sample_dir])[:6]
    local = run_batch(files, tmp_path / "local", workers=1, progress=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        remote = run_batch(files, tmp_path / "dask", dask_address=cluster.scheduler_address, progress=False)
    assert (local.done, remote.done, remote.failed) == (6, 6, 0)
    assert _snapshot(tmp_path / "local") == _snapshot(tmp_path / "dask")


def test_collect_inputs_globs_and_missing(sample_dir):
    from auditor.errors import InputNotFound

    names = [p.name for p in collect_inputs([f"{sample_dir}/pta_1*.xml", sample_dir / "pta_146.xml"])]
    assert names == ["pta_1.xml", "pta_100.xml", "pta_145.xml", "pta_146.xml", "pta_163.xml"]  # natural order, no repeats
    with pytest.raises(InputNotFound):
        collect_inputs([sample_dir / "nope"])
    with pytest.raises(InputNotFound):
        collect_inputs([f"{sample_dir}/*.pdf"])


def test_audit_draws_precedents_from_an_earlier_batch(reference, rcep_pdf):
    proc = subprocess.run([sys.executable, "-m", "auditor", "audit", str(rcep_pdf), "--earlier", str(reference)],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    precedents = json.loads(proc.stdout)["precedents"]
    earlier = [p for p in precedents if p["source"].startswith("earlier audit")]
    assert earlier and any(p["gap"] == "art-12.11" for p in earlier)
    assert any(p["source"].startswith("ToTA ") for p in precedents)


def test_a_finished_rerun_starts_no_worker_and_rebuilds_outputs_only_when_the_collection_changes(tmp_path, monkeypatch):
    """Done work is recognised by hash before any worker (or model) starts; the collection outputs follow the inputs."""
    import auditor.batch as batch

    samples = sorted((REPO / "agreements").glob("*.tota.xml"))
    out = tmp_path / "out"
    first = run_batch(samples[:2], out, workers=1, progress=False)
    assert (first.done, first.failed) == (2, 0)
    inventory = (out / "inventory.csv").read_text()

    def no_workers(*args, **kwargs):
        raise AssertionError("a worker was started for a finished batch")

    monkeypatch.setattr(batch, "_warm_worker", no_workers)
    monkeypatch.setattr(batch, "write_collection_outputs", no_workers)
    again = run_batch(samples[:2], out, workers=2, progress=False)
    assert (again.done, again.skipped, again.failed) == (0, 2, 0)
    assert (out / "inventory.csv").read_text() == inventory
    monkeypatch.undo()

    fewer = run_batch(samples[:1], out, workers=2, progress=False)  # a smaller collection: outputs rebuilt from it
    assert fewer.skipped == 1
    titles = {line.split(",")[0] for line in (out / "inventory.csv").read_text().splitlines()[1:]}
    assert len(titles) == 1
    (out / "audits" / f"{sha256_file(samples[0])}.json").touch()  # an audit rewritten: outputs rebuilt as well
    monkeypatch.setattr(batch, "write_collection_outputs", no_workers)
    with pytest.raises(AssertionError, match="worker was started"):
        run_batch(samples[:1], out, workers=2, progress=False)
