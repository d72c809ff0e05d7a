"""The Elasticsearch server the tests use: ``IPHUB_ES_URL``, set by ``make test``.

Unset, the tests that need it are skipped; set but unreachable, they fail.
"""

from __future__ import annotations

import os
import socket
import uuid

import pytest

ES_URL_VAR = "IPHUB_ES_URL"
SKIP_REASON = f"{ES_URL_VAR} not set: `make test` starts Elasticsearch and sets it"
needs_elasticsearch = pytest.mark.skipif(not os.environ.get(ES_URL_VAR), reason=SKIP_REASON)


def es_url() -> str:
    return os.environ[ES_URL_VAR].rstrip("/")


def fresh_index(prefix: str) -> str:
    """A new index name, so runs and checkouts sharing one server never meet."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def free_port() -> int:
    """A local port nothing listens on (bound once, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port
