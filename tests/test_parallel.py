"""The second core: a forked half gives what one process would, and its failure costs nothing but time."""

from __future__ import annotations

import os

import pytest

from auditor import parallel

pytestmark = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="one core: the work always stays in the caller")


@pytest.fixture
def alone(monkeypatch):
    """As in a command-line run: other tests leave threads (servers, loaders) in this process, which forbid forks."""
    import threading

    monkeypatch.setattr(threading, "active_count", lambda: 1)


def _pids(items: list[int]) -> list[tuple[int, int]]:
    return [(item * item, os.getpid()) for item in items]


def test_the_second_half_runs_in_a_child_and_comes_back_in_order(alone):
    items = list(range(100))
    out = parallel.split_map(_pids, items, [1] * len(items), min_weight=10)
    assert [square for square, _ in out] == [i * i for i in items]
    pids = {pid for _, pid in out}
    assert os.getpid() in pids and len(pids) == 2


def test_light_work_stays_in_the_caller():
    out = parallel.split_map(_pids, [1, 2, 3], [1, 1, 1], min_weight=10)
    assert {pid for _, pid in out} == {os.getpid()}


def test_halves_are_split_by_weight():
    assert parallel._halfway([100, 1, 1, 1]) == 1
    assert parallel._halfway([1, 1, 1, 1]) == 2


def _fails_in_child(items: list[int]) -> list[int]:
    if os.getpid() != PARENT:
        raise RuntimeError("the child breaks")
    return [i + 1 for i in items]


def test_a_failed_child_is_redone_here(alone):
    global PARENT
    PARENT = os.getpid()
    assert parallel.split_map(_fails_in_child, list(range(10)), [1] * 10, min_weight=1) == list(range(1, 11))


def test_a_child_that_dies_is_redone_here(alone):
    def dies(items):
        if os.getpid() != parent:
            os._exit(1)
        return items

    parent = os.getpid()
    assert parallel.split_map(dies, list(range(10)), [1] * 10, min_weight=1) == list(range(10))


def test_no_fork_while_other_threads_run_or_once_disabled(monkeypatch):
    import threading

    monkeypatch.setattr(threading, "active_count", lambda: 2)
    assert not parallel.spare_core()
    assert parallel.spare_core(threads_ok=True)
    monkeypatch.setattr(parallel, "_enabled", False)
    assert not parallel.spare_core(threads_ok=True)


def test_rcep_classified_on_two_cores_as_on_one(rcep, alone, monkeypatch):
    from auditor.classify import label_agreement

    two = label_agreement(rcep)
    monkeypatch.setattr(parallel, "_enabled", False)
    one = label_agreement(rcep)
    assert [p.model_dump() for p in two] == [p.model_dump() for p in one]
    assert sum(bool(p.labels) for p in one) > 20


def test_a_prefetched_pdf_reads_as_one_read_from_scratch(rcep_pdf, aanzfta_pdf, alone):
    """The command line starts reading before the engine loads; the pages come out the same."""
    from auditor import pdfpages
    from auditor.pipeline import parse_file

    plain = parse_file(rcep_pdf)
    pdfpages.prefetch(rcep_pdf)
    assert len(pdfpages._prefetched) == 1
    prefetched = parse_file(rcep_pdf)
    assert not pdfpages._prefetched  # taken up
    assert prefetched.model_dump() == plain.model_dump()
    # A helper started on another file is stopped, never used.
    pdfpages.prefetch(aanzfta_pdf)
    (helper,) = pdfpages._prefetched.values()
    assert parse_file(rcep_pdf).model_dump() == plain.model_dump()
    assert not pdfpages._prefetched and not helper.child.running


@pytest.mark.parametrize("content", [b"not a pdf", b"%PDF-1.7 truncated", b""])
def test_prefetch_leaves_odd_files_to_the_reading_proper(tmp_path, content, alone):
    from auditor import pdfpages

    odd = tmp_path / "odd.pdf"
    odd.write_bytes(content)
    pdfpages.prefetch(odd)
    pdfpages.prefetch(tmp_path / "missing.pdf")
    pdfpages.prefetch(tmp_path)
    assert not pdfpages._prefetched
