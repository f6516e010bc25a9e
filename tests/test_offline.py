"""The engine needs no network: a full audit with every non-loopback connection refused."""

from __future__ import annotations

import socket

import pytest


@pytest.fixture
def no_network(monkeypatch):
    attempts = []
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else str(address)
        if isinstance(address, tuple) and host not in ("127.0.0.1", "::1", "localhost"):
            attempts.append(address)
            raise OSError(f"network disabled in this test: {address}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: (_ for _ in ()).throw(OSError("no DNS in this test")))
    return attempts


def test_full_audit_makes_no_outbound_connection(no_network, rcep_chapter12):
    import importlib

    from auditor.classify import load_classifier
    from auditor.pipeline import audit_file, default_precedents

    load_classifier.cache_clear()
    default_precedents.cache_clear()
    importlib.reload(importlib.import_module("auditor.report.audit"))
    audit = audit_file(rcep_chapter12)
    assert audit.commitments and audit.precedents
    assert no_network == []
