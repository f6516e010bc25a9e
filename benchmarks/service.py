"""The service under load: 50 concurrent uploads, and fairness between tenants.

1. A mix of the shared PDFs (RCEP, AANZFTA) and ToTA files, all distinct documents, sent at once from 50
   client tasks; each task then polls its job until done. Time to audit = upload start to job done.
   Target: 0 errors.
2. Fairness: tenant B's time to audit one agreement on an idle server, then again right after tenant A
   has uploaded 40. Target: within 2x of idle (the queue is round-robin across tenants).
Usage: python benchmarks/service.py [--uploads 50] [--burst 40]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import CORPUS  # noqa: E402

from tests.service import Server  # noqa: E402


def documents(n: int) -> list[tuple[str, bytes]]:
    pdfs = [(p.name, p.read_bytes()) for p in (CORPUS / "pdf" / "rcep.pdf", CORPUS / "pdf" / "aanzfta.pdf")]
    tota = sorted((CORPUS / "tota" / "xml").glob("pta_*.xml"), key=lambda p: int(p.stem.split("_")[1]))
    docs = pdfs + [(p.name, p.read_bytes()) for p in tota[: n - len(pdfs)]]
    return docs[:n]


async def one(client: httpx.AsyncClient, name: str, data: bytes) -> tuple[float, str]:
    started = time.perf_counter()
    response = await client.post("/api/v1/agreements", files={"file": (name, data)})
    if response.status_code != 202:
        return time.perf_counter() - started, f"upload {response.status_code}: {response.text[:200]}"
    job_id = response.json()["job"]["id"]
    while True:
        job = (await client.get(f"/api/v1/jobs/{job_id}")).json()
        if job["status"] == "done":
            return time.perf_counter() - started, ""
        if job["status"] == "failed":
            return time.perf_counter() - started, f"job failed: {job.get('error')}"
        await asyncio.sleep(0.2)


async def run(url: str, docs: list[tuple[str, bytes]], headers: dict | None = None) -> list[tuple[float, str]]:
    limits = httpx.Limits(max_connections=len(docs))
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=limits, headers=headers) as client:
        return await asyncio.gather(*(one(client, name, data) for name, data in docs))


async def fairness(url: str, keys: dict[str, str], burst: list[tuple[str, bytes]], probe: list[tuple[str, bytes]]):
    """B's time to audit alone (median of the probes), then with A's burst queued just before."""
    async with httpx.AsyncClient(base_url=url, timeout=600, headers={"Authorization": f"Bearer {keys['B']}"}) as b:
        idle = [await one(b, name, data) for name, data in probe[:-1]]
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=httpx.Limits(max_connections=len(burst)),
                                 headers={"Authorization": f"Bearer {keys['A']}"}) as a:
        uploads = [await a.post("/api/v1/agreements", files={"file": (n, d)}) for n, d in burst]
        refused = [r.status_code for r in uploads if r.status_code != 202]
        async with httpx.AsyncClient(base_url=url, timeout=600,
                                     headers={"Authorization": f"Bearer {keys['B']}"}) as b:
            busy = await one(b, *probe[-1])
    return statistics.median(t for t, _ in idle), busy, refused


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uploads", type=int, default=50)
    parser.add_argument("--burst", type=int, default=40)
    args = parser.parse_args()
    load(args.uploads)
    fair(args.burst)


def fair(burst_size: int) -> None:
    tota = sorted((CORPUS / "tota" / "xml").glob("pta_*.xml"), key=lambda p: int(p.stem.split("_")[1]))
    burst = [(p.name, p.read_bytes()) for p in tota[100:100 + burst_size]]
    probe = [(p.name, p.read_bytes()) for p in tota[300:304]]
    with tempfile.TemporaryDirectory(prefix="auditor-bench-") as tmp:
        server = Server(Path(tmp), open_mode=False, env={"AUDITOR_SEED_SAMPLES": "false"})
        keys = {"A": server.create_key("busy"), "B": server.create_key("quiet")}
        server.start()
        try:
            idle, (busy, error), refused = asyncio.run(fairness(server.url, keys, burst, probe))
        finally:
            server.stop()
    ratio = busy / idle
    print(f"fairness: tenant A uploads {len(burst)} agreements ({len(refused)} refused), then tenant B one: "
          f"B's time to audit {busy:.2f} s against {idle:.2f} s on an idle server = {ratio:.2f}x "
          f"(target <= 2x) {'OK' if ratio <= 2 and not error else 'MISSED'}{' ' + error if error else ''}")


def load(uploads: int) -> None:
    docs = documents(uploads)
    with tempfile.TemporaryDirectory(prefix="auditor-bench-") as tmp:
        server = Server(Path(tmp), env={"AUDITOR_SEED_SAMPLES": "false"}).start()
        try:
            t = time.perf_counter()
            results = asyncio.run(run(server.url, docs))
            wall = time.perf_counter() - t
        finally:
            server.stop()
    times = sorted(r[0] for r in results if not r[1])
    errors = [r[1] for r in results if r[1]]
    p50 = statistics.median(times) if times else float("nan")
    p95 = times[max(0, int(round(0.95 * len(times))) - 1)] if times else float("nan")
    print(f"uploads: {len(docs)} ({sum(n.endswith('.pdf') for n, _ in docs)} PDFs, "
          f"{sum(n.endswith('.xml') for n, _ in docs)} ToTA XML), sent concurrently")
    print(f"completed: {len(times)} (must be {len(docs)})  errors: {len(errors)} (must be 0)")
    print(f"time to audit: p50 {p50:.1f} s, p95 {p95:.1f} s; all done in {wall:.1f} s wall")
    for e in errors[:5]:
        print("  error:", e)


if __name__ == "__main__":
    main()
