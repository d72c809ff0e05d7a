"""Standard Webhooks signatures: authentic passes; a tampered byte or a replay fails."""

from __future__ import annotations

import time

import pytest

from search_api.alerts import signing


def test_round_trip_tamper_and_replay() -> None:
    secret = signing.new_secret()
    body = b'{"type":"match.created","data":{"records":[]}}'
    headers = signing.headers(secret, "msg_1", body)
    signing.verify(secret, headers, body)
    for tampered in (body.replace(b"[]", b"[1]"), body + b" ", body[:-1]):
        with pytest.raises(signing.InvalidSignature):
            signing.verify(secret, headers, tampered)
    with pytest.raises(signing.InvalidSignature):
        signing.verify(secret, headers | {"webhook-id": "msg_2"}, body)
    with pytest.raises(signing.InvalidSignature):
        signing.verify(signing.new_secret(), headers, body)
    with pytest.raises(signing.InvalidSignature):  # replayed after the tolerance
        signing.verify(secret, headers, body, now=time.time() + signing.TOLERANCE + 1)
    with pytest.raises(signing.InvalidSignature):
        signing.verify(secret, {}, body)


def test_known_vector() -> None:
    """The example of the Standard Webhooks specification."""
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # noqa: S105 - the spec's published example
    body = b'{"test": 2432232314}'
    expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert signing.sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == expected
