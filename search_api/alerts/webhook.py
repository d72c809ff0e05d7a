"""Send one outbox row as a webhook: a JSON POST signed as Standard Webhooks specifies.

Body ``{"type", "timestamp", "data"}``; headers from :mod:`search_api.alerts.signing`, with the
outbox row id as ``webhook-id`` (the receiver's idempotency key). Before every attempt the target
is pinned by the SSRF guard (:func:`search_api.alerts.ssrf.pin`: resolved once, every address
checked) and the connection goes to that address, with the name kept for the ``Host`` header and
for TLS (SNI and certificate verification). A 307/308 redirect (which keeps method and body) is
followed at most ``MAX_REDIRECTS`` times, each target pinned and checked the same way; any other
3xx is answered as a failure.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
import ssl
import time
from collections.abc import Sequence
from typing import Any
from urllib.parse import urljoin

from search_api.alerts import signing, ssrf
from search_api.alerts.models import Outbox, Subscription
from search_api.alerts.outbox import Attempt

TIMEOUT = 10.0
MAX_REDIRECTS = 3
_TLS = ssl.create_default_context()


class _PinnedHTTP(http.client.HTTPConnection):
    """HTTP to ``host`` over a socket connected to the already checked ``address``."""

    def __init__(self, pinned: ssrf.Pinned, timeout: float) -> None:
        super().__init__(pinned.host, pinned.port, timeout=timeout)
        self.address = str(pinned.address)

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to ``host`` (SNI and certificate checked for the name) at the checked address."""

    def __init__(self, pinned: ssrf.Pinned, timeout: float) -> None:
        super().__init__(pinned.host, pinned.port, timeout=timeout, context=_TLS)
        self.address = str(pinned.address)

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = _TLS.wrap_socket(raw, server_hostname=self.host)


def connection(pinned: ssrf.Pinned, timeout: float = TIMEOUT) -> http.client.HTTPConnection:
    return (_PinnedHTTPS if pinned.scheme == "https" else _PinnedHTTP)(pinned, timeout)


def body(row: Outbox, payload: dict[str, Any]) -> bytes:
    stamp = dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")
    message = {"type": row.event, "timestamp": stamp, "data": payload}
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()


def post(url: str, data: bytes, headers: dict[str, str], allow: Sequence[str]) -> int:
    """POST to ``url`` through pinned, checked connections; the final status code.

    Raises :class:`ssrf.UnsafeTarget` for a refused target (or redirect target), ``OSError``
    for network failures."""
    for _ in range(MAX_REDIRECTS + 1):
        pinned = ssrf.pin(url, allow)
        conn = connection(pinned)
        try:
            conn.request("POST", pinned.target, body=data, headers=headers)
            response = conn.getresponse()
            response.read(64 * 1024)
            code, location = response.status, response.getheader("location")
        finally:
            conn.close()
        if code not in (307, 308) or not location:
            return code
        url = urljoin(url, location)
    return code


def send(sub: Subscription, row: Outbox, payload: dict[str, Any], allow: Sequence[str]) -> Attempt:
    if not sub.target or not sub.secret:
        return Attempt(False, error="subscription has no webhook target", permanent=True)
    data = body(row, payload)
    headers = signing.headers(sub.secret, row.id, data) | {"user-agent": "iphub-webhooks/1"}
    started = time.perf_counter()
    try:
        code = post(sub.target, data, headers, allow)
    except ssrf.UnsafeTarget as exc:
        return Attempt(False, error=exc.for_operator(), permanent=True, duration_ms=_ms(started))
    except (OSError, ValueError, http.client.HTTPException) as exc:
        return Attempt(False, error=f"{type(exc).__name__}: {exc}", duration_ms=_ms(started))
    ok = 200 <= code < 300
    return Attempt(ok, code, None if ok else f"HTTP {code}", duration_ms=_ms(started))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
