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


SESSION_COOKIE = "auditor_session"


def current_tenant(request: Request) -> str:
    """Bearer key (API) or a web session (pages) -> tenant. Open mode only as decided at start
    (explicitly asked for, loopback, no key ever made), for loopback Host names, until a key is made."""
    sessions = request.app.state.sessions
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        tenant = store.tenant_for_key(sessions=sessions, key=header[7:].strip())
        if tenant is None:
            raise store.Forbidden("The API key is not valid or has been revoked.",
                                  "Create one with `auditor keys create --tenant NAME`.")
        return tenant
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        tenant = store.tenant_for_session(sessions=sessions, session_id=session_id)
        if tenant is None:
            raise store.Forbidden("Your session has ended or its key was revoked.", "Sign in again at /login.")
        return tenant
    if request.app.state.open_mode and _loopback(request) and not store.key_ever_created(sessions=sessions):
        return LOCAL_TENANT
    raise store.Forbidden("An API key is required.", "Send 'Authorization: Bearer <key>', or sign in at /login; "
                                                      "create keys with `auditor keys create --tenant NAME`.")


def _loopback(request: Request) -> bool:
    from api.settings import LOOPBACK_NAMES, host_name

    return host_name(request.headers.get("host", "")) in LOOPBACK_NAMES


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionsDep = Annotated[sessionmaker, Depends(get_sessions)]
TenantDep = Annotated[str, Depends(current_tenant)]
