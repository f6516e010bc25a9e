"""Shared fixtures. Tests read the real corpus from ../shared (never copied into the repo)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("AUDITOR_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus"
TOTA = CORPUS / "tota" / "xml"
PDFS = CORPUS / "pdf"
GOLD = SHARED / "gold"
FIXTURES = REPO / "tests" / "fixtures"
# ToTA agreements the repository ships unchanged (agreements/): tests that read them run without ../shared.
SHIPPED_TOTA = {146: "canada-korea-2014.tota.xml", 338: "chile-colombia-2006.tota.xml", 86: "cemac-1994.tota.xml"}


def shared_file(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not available (the shared corpus sits beside the repo in development and CI)")
    return path


@pytest.fixture(scope="session")
def rcep_pdf() -> Path:
    return shared_file(PDFS / "rcep.pdf")


@pytest.fixture(scope="session")
def aanzfta_pdf() -> Path:
    return shared_file(PDFS / "aanzfta.pdf")


@pytest.fixture(scope="session")
def rcep(rcep_pdf):
    from auditor.pipeline import parse_file

    return parse_file(rcep_pdf)


@pytest.fixture(scope="session")
def aanzfta(aanzfta_pdf):
    from auditor.pipeline import ParseOptions, parse_file

    # Its three image-only pages (signatures) are OCR'd in test_scanned; keep this fixture fast.
    return parse_file(aanzfta_pdf, ParseOptions(ocr="never"))


def tota(n: int) -> Path:
    if n in SHIPPED_TOTA and not (TOTA / f"pta_{n}.xml").exists():
        return REPO / "agreements" / SHIPPED_TOTA[n]
    return shared_file(TOTA / f"pta_{n}.xml")


@pytest.fixture(scope="session")
def rcep_chapter12() -> Path:
    """RCEP's Chapter 12 (Electronic Commerce) as published: pages 421-432 of rcep.pdf, cut out unchanged."""
    return FIXTURES / "rcep-chapter12.pdf"


@pytest.fixture(scope="session")
def postgres():
    from tests.service import PostgresCluster, pg_bin

    if pg_bin("initdb") is None:
        pytest.skip("PostgreSQL server binaries are not installed (Debian package postgresql)")
    cluster = PostgresCluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    """A running service with two tenants' keys, on each database back end."""
    from tests.service import Server

    url = None
    if request.param == "postgresql":
        cluster = request.getfixturevalue("postgres")
        import sqlalchemy

        engine = sqlalchemy.create_engine(cluster.url)
        with engine.begin() as conn:  # a fresh schema per module
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        engine.dispose()
        url = cluster.url
    srv = Server(tmp_path_factory.mktemp(f"service-{request.param}"), database_url=url)
    srv.keys = {"A": srv.create_key("ministry-a"), "B": srv.create_key("ministry-b")}
    srv.backend = request.param
    srv.start()
    yield srv
    srv.stop()
