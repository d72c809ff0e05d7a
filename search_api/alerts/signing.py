"""Webhook signatures as the Standard Webhooks specification (standardwebhooks.com) defines them.

Headers ``webhook-id`` (the stable delivery id, also the idempotency key), ``webhook-timestamp``
(Unix seconds) and ``webhook-signature: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>``
where the key is the base64 part of the subscription's ``whsec_…`` secret. Receivers reject a
timestamp outside the tolerance (replay) and any body or header that does not verify.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

TOLERANCE = 300  # seconds, as Stripe and the Standard Webhooks reference libraries


class InvalidSignature(ValueError):
    pass


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix("whsec_"))


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(_key(secret), f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


def headers(secret: str, msg_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(ts),
        "webhook-signature": sign(secret, msg_id, ts, body),
        "content-type": "application/json",
    }


def verify(secret: str, headers: dict[str, str], body: bytes, *, now: float | None = None) -> None:
    """Raise :class:`InvalidSignature` unless the request is authentic and fresh."""
    h = {k.lower(): v for k, v in headers.items()}
    try:
        msg_id, ts = h["webhook-id"], int(h["webhook-timestamp"])
        given = h["webhook-signature"].split()
    except (KeyError, ValueError) as exc:
        raise InvalidSignature("missing or malformed webhook headers") from exc
    if abs((time.time() if now is None else now) - ts) > TOLERANCE:
        raise InvalidSignature("timestamp outside the tolerance")
    expected = sign(secret, msg_id, ts, body)
    if not any(hmac.compare_digest(expected, g) for g in given):
        raise InvalidSignature("no matching signature")
