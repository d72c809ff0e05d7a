"""Send one outbox row as a webhook: a JSON POST signed as Standard Webhooks specifies.

Body ``{"type", "timestamp", "data"}``; headers from :mod:`search_api.alerts.signing`, with the
outbox row id as ``webhook-id`` (the receiver's idempotency key). The target is checked by the
SSRF guard before every attempt and redirects are never followed.
"""

from __future__ import annotations

import datetime as dt
import json
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from typing import Any

from search_api.alerts import signing, ssrf
from search_api.alerts.models import Outbox, Subscription
from search_api.alerts.outbox import Attempt

TIMEOUT = 10.0


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is answered as an error, never followed


_OPENER = urllib.request.build_opener(_NoRedirect())


def body(row: Outbox) -> bytes:
    stamp = dt.datetime.now(dt.UTC).isoformat().replace("+00:00", "Z")
    message = {"type": row.event, "timestamp": stamp, "data": row.payload}
    return json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode()


def send(sub: Subscription, row: Outbox, allow: Sequence[str]) -> Attempt:
    if not sub.target or not sub.secret:
        return Attempt(False, error="subscription has no webhook target", permanent=True)
    try:
        ssrf.check_url(sub.target, allow)
    except ssrf.UnsafeTarget as exc:
        return Attempt(False, error=str(exc), permanent=True)
    data = body(row)
    request = urllib.request.Request(  # noqa: S310 - scheme checked by ssrf.check_url
        sub.target, data=data, headers=signing.headers(sub.secret, row.id, data), method="POST"
    )
    request.add_header("user-agent", "iphub-webhooks/1")
    started = time.perf_counter()
    try:
        with _OPENER.open(request, timeout=TIMEOUT) as response:
            code = int(response.status)
    except urllib.error.HTTPError as exc:
        code = exc.code
    except (OSError, ValueError) as exc:
        return Attempt(False, error=f"{type(exc).__name__}: {exc}", duration_ms=_ms(started))
    ok = 200 <= code < 300
    return Attempt(ok, code, None if ok else f"HTTP {code}", duration_ms=_ms(started))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
