"""HTTP-level defences, as plain ASGI middleware around the whole app.

- ``BodyLimit``: counts the bytes of every request body as they arrive (declared or chunked) and
  stops reading at the limit, so no request can make the service store more than it allows.
- ``HostCheck``: answers only to the Host names it serves (loopback, plus AUDITOR_ALLOWED_HOSTS), which
  defeats DNS rebinding against a service on a workstation.
- ``CrossSiteCheck``: refuses state-changing requests that a browser marks as coming from another site
  (``Sec-Fetch-Site``) or another origin (``Origin``); API clients that send neither are unaffected.
- ``SecurityHeaders``: a Content-Security-Policy with no third-party origin, no MIME sniffing, no
  framing, no referrer, and ``Cache-Control: no-store`` on everything but the static assets.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from auditor.errors import AuditError

UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")


class BodyTooLarge(AuditError):
    status = 413


async def _send_json(send, status: int, message: str, extra_headers: list | None = None) -> None:
    body = json.dumps({"ok": False, "error": message, "status": status}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"connection", b"close"),
                            (b"content-length", str(len(body)).encode()), *(extra_headers or [])]})
    await send({"type": "http.response.body", "body": body})


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key == name:
            return value.decode("latin-1")
    return None


class BodyLimit:
    """Refuse a body over ``max_bytes``: at once when declared, else when the count passes the limit."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    def _message(self) -> str:
        return (f"The request is over the {self.max_bytes:,}-byte limit. Split the file or ask the administrator "
                "for a higher AUDITOR_MAX_UPLOAD_BYTES.")

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            return await _send_json(send, 413, self._message())
        received = 0
        started = False

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self._message())
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracking_send)
        except BodyTooLarge as exc:  # raised where nothing turned it into a response
            if not started:
                await _send_json(send, 413, str(exc))


class HostCheck:
    def __init__(self, app, settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and not self.settings.host_allowed(_header(scope, b"host") or ""):
            return await _send_json(send, 400, "This service does not answer to that host name. Its administrator "
                                               "can add the name to AUDITOR_ALLOWED_HOSTS.")
        await self.app(scope, receive, send)


class CrossSiteCheck:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE_METHODS and self._cross_site(scope):
            return await _send_json(send, 403, "Refused: the request comes from another site. Use the pages of this "
                                               "service, or the API with a key.")
        await self.app(scope, receive, send)

    @staticmethod
    def _cross_site(scope) -> bool:
        site = _header(scope, b"sec-fetch-site")
        if site is not None:
            return site not in ("same-origin", "none")
        origin = _header(scope, b"origin")
        if origin is None:
            return False
        if origin == "null":
            return True
        return urlsplit(origin).netloc.lower() != (_header(scope, b"host") or "").lower()


class SecurityHeaders:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        static = scope["path"].startswith("/static")

        async def with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                present = {k.lower() for k, _ in headers}
                defaults = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
                            (b"x-frame-options", b"DENY"), (b"referrer-policy", b"no-referrer"),
                            (b"cross-origin-opener-policy", b"same-origin")]
                if not static:
                    defaults.append((b"cache-control", b"no-store"))
                headers += [(k, v) for k, v in defaults if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
