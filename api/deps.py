"""Request dependencies: settings, database sessions, the caller's tenant."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import sessionmaker

from api import store
from api.settings import Settings

LOCAL_TENANT = "local"


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_sessions(request: Request) -> sessionmaker:
    return request.app.state.sessions


def current_tenant(request: Request) -> str:
    """Bearer key (API) or the auditor_key cookie (pages) -> tenant. Open only on localhost with no keys."""
    sessions = request.app.state.sessions
    key = None
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        key = header[7:].strip()
    elif request.cookies.get("auditor_key"):
        key = request.cookies["auditor_key"]
    if key:
        tenant = store.tenant_for_key(sessions=sessions, key=key)
        if tenant is None:
            raise store.Forbidden("The API key is not valid or has been revoked.",
                                  "Create one with `auditor keys create --tenant NAME`.")
        return tenant
    if request.app.state.open_mode and store.active_key_count(sessions=sessions) == 0:
        return LOCAL_TENANT
    raise store.Forbidden("An API key is required.", "Send 'Authorization: Bearer <key>'; create keys with "
                                                      "`auditor keys create --tenant NAME`.")


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionsDep = Annotated[sessionmaker, Depends(get_sessions)]
TenantDep = Annotated[str, Depends(current_tenant)]
